"""Content written in English, Spanish or both (portal/core/bilingual.py): what a reader of
each language sees of it in pages, lists, mails, iCalendar and search; the "translation
missing" mark and filter, shown only to those who may add the translation; bad input."""

import re
from datetime import UTC, date, datetime

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from portal.actions.models import ActionItem
from portal.documents.models import Document
from portal.meetings.models import AgendaItem, Meeting
from portal.mous.models import Mou, WorkingGroup
from portal.notifications.models import OutboxMessage
from tests import factories
from tests.conftest import post
from tests.helpers.notifications import worker_first_step

pytestmark = pytest.mark.usefixtures("clock_before_2026")

MISSING = ("Translation missing", "Traducción pendiente")
NEEDED = {
    "en": "Write the title in English, in Spanish or in both.",
    "es": "Escriba el título en inglés, en español o en ambos.",
}


def _page(browser, path: str, **query) -> str:
    response = browser.get(path, query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)[:1000]
    return response.get_data(as_text=True)


def _marked(html: str) -> bool:
    return any(word in html for word in MISSING)


def _event(message: OutboxMessage):
    [event] = Calendar.from_ical(message.ics_content).walk("VEVENT")
    return event


def _meeting_form(**overrides) -> dict:
    return {
        "title_en": "Monthly sync",
        "title_es": "",
        "description_md": "Review **progress** with [the plan](https://example.org/plan).",
        "description_md_es": "",
        "start_local": "2026-12-03T10:00",
        "end_local": "2026-12-03T11:30",
        "timezone": "America/Santiago",
        "place": "",
        "video_url": "",
        "tlp": "amber",
        "repeat": "none",
        "interval": "1",
        **overrides,
    }


def test_a_meeting_in_english_only_reaches_spanish_readers_marked(session, world, login_as, app):
    coordinator = login_as(world.coordinator_gb)
    path = f"/working-groups/{world.group.id}/meetings/new"
    response = post(coordinator, path, _meeting_form(), token_from=path)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    worker_first_step(app)  # the invitations are mailed
    meeting = session.scalars(select(Meeting)).one()
    assert (meeting.title_en, meeting.title_es, meeting.description_md_es) == (
        "Monthly sync",
        "",
        "",
    )

    # Mails and iCalendar: the recipient's language, or the other marked; no raw Markdown.
    mails = {m.recipient: m for m in session.scalars(select(OutboxMessage))}
    spanish, english = mails[world.member_cl.email], mails[world.member_gb.email]
    assert spanish.subject == "[TLP:AMBER] Invitación: Monthly sync (EN)"
    assert english.subject == "[TLP:AMBER] Invitation: Monthly sync"
    for mail in (spanish, english):
        assert "**" not in mail.body_text and "](" not in mail.body_text
        assert "Review progress with the plan (https://example.org/plan)." in mail.body_text
        assert "<strong>progress</strong>" in mail.body_html
        assert "**" not in str(_event(mail)["DESCRIPTION"])
    assert "(EN) Review progress" in spanish.body_text
    assert '<span lang="en">Monthly sync</span>' in spanish.body_html
    assert '<span lang="en">' not in english.body_html
    assert str(_event(spanish)["SUMMARY"]) == "Monthly sync (EN)"
    assert str(_event(english)["SUMMARY"]) == "Monthly sync"

    # Pages: the Spanish reader sees the English text marked with its language.
    reader_es, reader_en = login_as(world.member_cl), login_as(world.member_gb)
    page_es = _page(reader_es, f"/meetings/{meeting.id}")
    assert '<span lang="en">Monthly sync</span>' in page_es
    assert 'title="Escrito en inglés">EN</small>' in page_es
    assert '<div lang="en">' in page_es  # the description
    page_en = _page(reader_en, f"/meetings/{meeting.id}")
    assert '<h1 class="h3">Monthly sync</h1>' in page_en and '<span lang="en">' not in page_en
    # Readers never see the mark; the coordinators who may add the translation do.
    assert not _marked(page_es) and not _marked(page_en)
    assert "Translation missing" in _page(coordinator, f"/meetings/{meeting.id}")
    lists = f"/working-groups/{world.group.id}/meetings"
    assert not _marked(_page(reader_es, lists, missing="1"))
    assert "?missing=1" not in _page(reader_es, lists)
    assert '<span lang="en">Monthly sync</span>' in _page(reader_es, lists)
    assert f"/meetings/{meeting.id}" in _page(coordinator, lists, missing="1")

    # Search finds it from either language's reader; the hit is marked with its language.
    hit = _page(reader_es, "/search", q="sync")
    assert f'href="/meetings/{meeting.id}" lang="en">Monthly sync</a>' in hit

    # Translated: the Spanish reader reads Spanish, with the English version to open; the
    # filter no longer lists it, and search finds it by either language's words.
    meeting.title_es = "Reunión mensual"
    meeting.description_md_es = "Revisar el **avance**."
    meeting.description_html_es = "<p>Revisar el <strong>avance</strong>.</p>"
    session.commit()
    page_es = _page(reader_es, f"/meetings/{meeting.id}")
    assert '<h1 class="h3">Reunión mensual</h1>' in page_es
    assert "<p>Revisar el <strong>avance</strong>.</p>" in page_es
    assert re.search(r"<details[^>]*><summary>Leer en inglés.*?lang=\"en\"", page_es, re.S)
    assert "Monthly sync" in page_es  # the other version, in the details
    assert f"/meetings/{meeting.id}" not in _page(coordinator, lists, missing="1")
    assert f"/meetings/{meeting.id}" in _page(reader_en, "/search", q="mensual")
    assert f"/meetings/{meeting.id}" in _page(reader_es, "/search", q="sync")


def test_an_action_item_in_spanish_only_and_the_missing_translation_filter(
    session, world, login_as
):
    member_gb = login_as(world.member_gb)
    path = f"/working-groups/{world.group.id}/actions/new"
    form = {
        "title": "",
        "title_es": "Revisar el protocolo de incidentes",
        "description_md": "",
        "description_md_es": "Con el **CSIRT** nacional.",
        "owner_ids": [world.member_cl.id, world.coordinator_gb.id],
        "party_id": world.cl.id,
        "due_on": "2026-12-20",
        "priority": "normal",
        "line_id": "0",
        "meeting_id": "0",
    }
    response = post(member_gb, path, form, token_from=path)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    item = session.scalars(select(ActionItem)).one()
    assert (item.title_en, item.title_es) == ("", "Revisar el protocolo de incidentes")
    translated = factories.make_action(
        session, world.group, [world.member_gb], date(2026, 12, 21), title="Both", title_es="Ambos"
    )
    session.commit()

    mails = {m.recipient: m for m in session.scalars(select(OutboxMessage))}
    assert mails[world.member_cl.email].subject.endswith(": Revisar el protocolo de incidentes")
    english_mail = mails[world.coordinator_gb.email]
    assert english_mail.subject.endswith(": Revisar el protocolo de incidentes (ES)")
    assert "Revisar el protocolo de incidentes (ES)" in english_mail.body_text

    detail = _page(member_gb, f"/actions/{item.id}")
    assert '<span lang="es">Revisar el protocolo de incidentes</span>' in detail
    assert '<div lang="es">' in detail and "<strong>CSIRT</strong>" in detail
    assert "Translation missing" in detail  # a member of the group may add it
    observer = login_as(world.observer_gb)
    assert not _marked(_page(observer, f"/actions/{item.id}"))

    everything = _page(member_gb, "/actions/", group=world.group.id)
    assert '<span lang="es">Revisar el protocolo de incidentes</span>' in everything
    assert not _marked(everything) and "Only with a translation missing" in everything
    only_missing = _page(member_gb, "/actions/", group=world.group.id, untranslated="y")
    assert f"/actions/{item.id}" in only_missing and "Translation missing" in only_missing
    assert f'/actions/{translated.id}"' not in only_missing
    # An observer is not offered the filter, and asking for it filters and marks nothing.
    asked = _page(observer, "/actions/", group=world.group.id, untranslated="y")
    assert "Only with a translation missing" not in asked and not _marked(asked)
    assert f'/actions/{translated.id}"' in asked
    # A member outside the group who reads nothing of it gets nothing by the filter.
    outsider = login_as(world.member_cl_outside_group)
    assert f'/actions/{item.id}"' not in _page(outsider, "/actions/", untranslated="y")

    assert f"/actions/{item.id}" in _page(member_gb, "/search", q="protocolo")
    spanish_reader = login_as(world.member_cl)
    assert f'<a href="/actions/{item.id}">Revisar' in _page(
        spanish_reader, "/actions/", group=world.group.id
    )


def test_documents_in_either_language_in_the_library(session, world, login_as, app):
    factories.make_document(
        app, world.member_gb, world.mou, world.group, title="", title_es="Estrategia nacional"
    )
    factories.make_document(
        app, world.member_gb, world.mou, world.group, title="Protocol", title_es="Protocolo"
    )
    spanish_only, both = session.scalars(select(Document).order_by(Document.id)).all()
    author = login_as(world.member_gb)
    library = _page(author, "/documents/")
    assert '<span lang="es">Estrategia nacional</span>' in library and not _marked(library)
    missing = _page(author, "/documents/", untranslated="y")
    assert f'/documents/{spanish_only.id}"' in missing and "Translation missing" in missing
    assert f'/documents/{both.id}"' not in missing
    assert "Translation missing" in _page(author, f"/documents/{spanish_only.id}")
    # Another member of the group reads it but may not edit it: the filter lists none.
    reader = login_as(world.member_cl)
    assert "Estrategia nacional</a>" in _page(reader, "/documents/")
    assert f'/documents/{spanish_only.id}"' not in _page(reader, "/documents/", untranslated="y")
    assert not _marked(_page(reader, f"/documents/{spanish_only.id}"))
    # An observer changes nothing: no filter offered, asking for it filters and marks nothing.
    observer = login_as(world.observer_gb)
    asked = _page(observer, "/documents/", untranslated="y")
    assert f'/documents/{both.id}"' in asked and not _marked(asked)
    assert "Only with a translation missing" not in asked
    assert "Protocolo</a>" in _page(reader, "/documents/")
    assert "Protocol</a>" in _page(author, "/documents/")
    # Search finds either version's words.
    assert f"/documents/{both.id}" in _page(author, "/search", q="protocolo")
    assert f"/documents/{spanish_only.id}" in _page(author, "/search", q="estrategia")


def test_forms_refuse_a_title_in_neither_language_and_write_nothing(session, world, login_as):
    meeting = factories.make_meeting(session, world.group, datetime(2026, 12, 10, 14, tzinfo=UTC))
    session.commit()
    for person, language in ((world.coordinator_cl, "es"), (world.coordinator_gb, "en")):
        browser = login_as(person)
        before = [
            session.scalar(select(func.count()).select_from(model))
            for model in (Meeting, AgendaItem, ActionItem, Document)
        ]
        cases = [
            (f"/working-groups/{world.group.id}/meetings/new", _meeting_form(title_en=" ")),
            (
                f"/working-groups/{world.group.id}/actions/new",
                {"title": "", "title_es": "  ", "owner_ids": [world.member_gb.id]},
            ),
            (
                f"/working-groups/{world.group.id}/documents/new",
                {"title": "", "title_es": "", "language": "es", "category": "protocol"},
            ),
        ]
        for path, data in cases:
            response = post(browser, path, data, token_from=path)
            assert response.status_code == 422, path
            assert NEEDED[language] in response.get_data(as_text=True), path
        manage = f"/meetings/{meeting.id}/manage"
        response = post(
            browser,
            f"/meetings/{meeting.id}/agenda",
            {"agenda-title": "", "agenda-title_es": ""},
            token_from=manage,
        )
        assert response.status_code == 422
        agenda_needed = {
            "en": "Write the agenda item in English, in Spanish or in both.",
            "es": "Escriba el punto del orden del día en inglés, en español o en ambos.",
        }
        assert agenda_needed[language] in response.get_data(as_text=True)
        after = [
            session.scalar(select(func.count()).select_from(model))
            for model in (Meeting, AgendaItem, ActionItem, Document)
        ]
        assert after == before
    # MoUs and working groups (an administrator's forms): the same rule, nothing written.
    admin = login_as(world.admin)
    for path, field in (
        ("/mous/new", "title"),
        (f"/mous/{world.mou.id}/working-groups/new", "name"),
    ):
        data = {f"{field}_en": "", f"{field}_es": " ", "party_ids": [world.cl.id, world.gb.id]}
        response = post(admin, path, data, token_from=path)
        assert response.status_code == 422, path
        assert f"Escriba el {'título' if field == 'title' else 'nombre'} en inglés" in (
            response.get_data(as_text=True)
        ), path
    assert session.scalar(select(func.count()).select_from(Mou)) == 2
    assert session.scalar(select(func.count()).select_from(WorkingGroup)) == 2
