"""The search page: accents and stemming in both languages for every kind, terms rewritten when
an object changes, refused input answered with a message, paging, both languages and zones."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from portal.actions.models import ActionItem
from portal.core.search import SearchEntry
from portal.core.tlp import TLP
from portal.meetings.models import AgendaItem, Meeting
from tests import factories
from tests.helpers.minutes import write
from tests.search.conftest import WORD

HIT = re.compile(r'<li class="mb-3" data-kind="([a-z_]+)">.*?href="([^"]+)"', re.S)


def _hits(browser, query: str, **args) -> list[tuple[str, str]]:
    response = browser.get("/search", query_string={"q": query, **args})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return HIT.findall(response.get_data(as_text=True))


def _urls(browser, query: str, **args) -> set[str]:
    return {url for _, url in _hits(browser, query, **args)}


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("Plan de capacitaciones", "capacitacion"),
        ("Plan de capacitación", "CAPACITACIONES"),
        ("Plan de capacitación", "capacitación"),
        ("Política de protección de datos", "politica proteccion"),
        ("Las estrategias nacionales", "estrategia"),
        ("A national strategy", "strategies"),
        ("Incident responses between teams", "incident response"),
        ("Cyber défense", "DEFENSE"),
    ],
)
def test_accents_case_and_stemming_in_both_languages_for_every_kind(
    text, query, session, world, login_as
):
    meeting = factories.make_meeting(
        session, world.group, datetime(2026, 3, 1, 14, tzinfo=UTC), title_en=text
    )
    session.add(AgendaItem(meeting=meeting, position=1, title=text))
    action = factories.make_action(
        session, world.group, [world.member_gb], date(2026, 4, 1), description_md=text
    )
    training = factories.make_training(
        session, world.mou, datetime(2026, 5, 1, 14, tzinfo=UTC), trainers=text
    )
    session.commit()
    found = _hits(login_as(world.member_gb), query)
    assert sorted(found) == sorted(
        [
            ("meeting", f"/meetings/{meeting.id}"),
            ("agenda_item", f"/meetings/{meeting.id}#agenda"),
            ("action_item", f"/actions/{action.id}"),
            ("training", f"/trainings/{training.id}"),
        ]
    )


def test_every_word_is_required(session, world, login_as, found):
    browser = login_as(world.member_gb)
    assert f"/meetings/{found.meeting}" in _urls(browser, "plan capacitaciones")
    assert _hits(browser, "capacitaciones banana") == []
    assert "Nothing found that you may open." in browser.get("/search?q=zebra").get_data(
        as_text=True
    )


def test_the_kind_filter_keeps_one_kind(world, login_as, found):
    browser = login_as(world.member_cl)
    kinds = {kind for kind, _ in _hits(browser, WORD)}
    assert kinds == {"meeting", "agenda_item", "minutes", "action_item", "training", "document"}
    assert _hits(browser, WORD, kind="minutes") == [
        ("minutes", f"/meetings/{found.recorded}/minutes")
    ]
    assert {kind for kind, _ in _hits(browser, WORD, kind="document")} == {"document"}


def test_hits_are_interleaved_newest_first_with_group_and_zone(world, login_as, found):
    browser = login_as(world.member_gb)
    page = browser.get("/search", query_string={"q": WORD}).get_data(as_text=True)
    # The training (5 May), the action item (due 1 April), the meeting and its agenda item
    # (10 March), the document (uploaded today, so first), the minutes (meeting of 10 February).
    order = [url for _, url in HIT.findall(page)]
    assert order[0] == f"/documents/{found.document}"
    assert order[1:] == [
        f"/trainings/{found.training}",
        f"/actions/{found.action}",
        f"/meetings/{found.meeting}",
        f"/meetings/{found.meeting}#agenda",
        f"/meetings/{found.recorded}/minutes",
    ]
    assert "Tue, Mar 10, 2026, 14:00 (Europe/London)" in page
    assert world.group.name_en in page
    assert "<mark>capacitaciones</mark>" in page


def test_the_page_in_spanish_in_the_readers_zone(world, login_as, found):
    page = login_as(world.member_cl).get("/search", query_string={"q": WORD})
    text = page.get_data(as_text=True)
    assert "Buscar" in text
    assert "Reunión" in text and "Punto del orden del día" in text and "Acta" in text
    assert "(America/Santiago)" in text
    assert "11:00 (America/Santiago)" in text  # 14:00 UTC on 10 March is 11:00 in Santiago


def test_draft_minutes_are_found_by_the_meetings_readers_only(session, world, login_as, found):
    for reader, sees in ((world.observer_gb, True), (world.member_co, False)):
        browser = login_as(reader)
        urls = _urls(browser, "acordaron", kind="minutes")
        assert (f"/meetings/{found.recorded}/minutes" in urls) == sees
        answer = browser.get(f"/meetings/{found.recorded}/minutes").status_code
        assert (answer == 200) == sees


def test_terms_follow_a_changed_title_description_and_minutes(session, world, login_as, found):
    browser = login_as(world.member_gb)
    meeting = session.get(Meeting, found.meeting)
    meeting.title_es = "Plan de ejercicios"
    meeting.description_md = "Simulacro de ciberseguridad"
    session.commit()
    assert f"/meetings/{found.meeting}" not in _urls(browser, "plan capacitaciones")
    assert f"/meetings/{found.meeting}" in _urls(browser, "ejercicio")
    assert f"/meetings/{found.meeting}" in _urls(browser, "simulacros ciberseguridad")

    # Minutes rewritten through their page, as a co-chair would.
    recorded = session.get(Meeting, found.recorded)
    assert (
        write(login_as(world.coordinator_cl), recorded, "Se revisaron los indicadores.").status_code
        == 302
    )
    assert _urls(browser, "acordaron", kind="minutes") == set()
    assert _urls(browser, "indicador", kind="minutes") == {f"/meetings/{found.recorded}/minutes"}


def test_an_action_items_scope_follows_its_owners_and_group(session, world, login_as, found):
    # The index finds an item within its readers' tokens (its group's, its owners'): each
    # change of owners or group rewrites them, so whoever may now open it finds it at once.
    item = session.get(ActionItem, found.action)
    url = f"/actions/{found.action}"
    outside = login_as(world.member_cl_outside_group)
    assert url not in _urls(outside, WORD)
    item.owners = [world.member_cl, world.member_cl_outside_group]  # as update_action does
    session.commit()
    assert url in _urls(outside, WORD)
    item.owners = [world.member_cl]
    session.commit()
    assert url not in _urls(outside, WORD)

    uk_member, co_member = login_as(world.member_gb), login_as(world.member_co)
    assert (url in _urls(uk_member, WORD), url in _urls(co_member, WORD)) == (True, False)
    item.working_group = world.group_cl_co
    session.commit()
    assert (url in _urls(uk_member, WORD), url in _urls(co_member, WORD)) == (False, True)


def test_a_deleted_agenda_item_leaves_no_terms(session, world, found):
    item = session.get(AgendaItem, found.agenda_item)
    session.delete(item)
    session.commit()
    left = select(func.count()).where(
        SearchEntry.kind == "agenda_item", SearchEntry.object_id == found.agenda_item
    )
    assert session.scalar(left) == 0


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("a" * 201, "The search is too long: use at most 200 characters."),
        (" ".join(["palabra"] * 13), "The search has too many words: use at most 12."),
    ],
)
def test_refused_input_is_answered_with_a_message(query, message, world, login_as, found):
    response = login_as(world.member_gb).get("/search", query_string={"q": query})
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert message in text
    assert 'aria-invalid="true"' in text
    assert HIT.findall(text) == []


def test_an_unknown_kind_is_answered_with_a_message(world, login_as, found):
    response = login_as(world.member_gb).get("/search", query_string={"q": WORD, "kind": "x"})
    assert response.status_code == 400
    assert "Choose a kind from the list." in response.get_data(as_text=True)


def test_refused_input_in_spanish(world, login_as, found):
    response = login_as(world.member_cl).get("/search", query_string={"q": "a" * 201})
    assert "La búsqueda es demasiado larga" in response.get_data(as_text=True)


def test_results_page_and_stop_at_the_page_asked(session, world, login_as, app):
    start = datetime(2026, 1, 5, 14, tzinfo=UTC)
    for number in range(app.config["PAGE_SIZE"] + 3):
        factories.make_meeting(
            session, world.group, start + timedelta(days=number), title_en=f"Drill {number}"
        )
    session.commit()
    browser = login_as(world.member_gb)
    first = browser.get("/search?q=drill").get_data(as_text=True)
    assert len(HIT.findall(first)) == app.config["PAGE_SIZE"]
    assert f"Drill {app.config['PAGE_SIZE'] + 2}" in first  # the newest first
    assert "page=2" in first
    second = browser.get("/search?q=drill&page=2").get_data(as_text=True)
    assert len(HIT.findall(second)) == 3
    assert "Drill 0<" in second


def test_the_navigation_bar_offers_search(world, login_as):
    page = login_as(world.member_gb).get("/").get_data(as_text=True)
    assert 'href="/search"' in page


def test_meetings_written_in_one_flush_are_each_found_and_rewritten(session, world, login_as):
    """A series writes its meetings' entries in one statement: each is found, by its words."""
    starts = [datetime(2026, 6, day, 14, tzinfo=UTC) for day in (2, 9, 16)]
    meetings = [
        factories.make_meeting(session, world.group, start, title_en=f"Tabletop {word}")
        for start, word in zip(starts, ("alpha", "bravo", "charlie"), strict=True)
    ]
    session.commit()
    browser = login_as(world.member_gb)
    assert _urls(browser, "tabletop") >= {f"/meetings/{m.id}" for m in meetings}
    assert _urls(browser, "bravo") == {f"/meetings/{meetings[1].id}"}

    meetings[0].title_en, meetings[2].title_en = "Tabletop delta", "Tabletop echo"
    session.commit()
    assert _urls(browser, "alpha") == set()
    assert _urls(browser, "delta") == {f"/meetings/{meetings[0].id}"}
    assert _urls(browser, "echo") == {f"/meetings/{meetings[2].id}"}


@pytest.mark.parametrize("walked", [False, True], ids=["matches", "walk"])
def test_each_query_finds_its_own_words_after_another_of_the_same_shape(
    walked, session, world, login_as, app, monkeypatch
):
    """A kind's statement is built once per shape of query (its number of words, whether its
    stems are plain), the words bound: a query run after another of the same shape finds
    its own hits, by either way through a kind (on PostgreSQL: the walk when every word
    counts as common)."""
    if walked:
        monkeypatch.setattr("portal.core.search_match.MATCHES_READ", 0)
        monkeypatch.setattr("portal.core.search_match._BUILT", {})  # built with the bound
    made = {}
    for word in ("alfa", "bravo", "straße", "größe"):
        meeting = factories.make_meeting(
            session, world.group, datetime(2026, 7, 1, 14, tzinfo=UTC), title_en=f"Drill {word}"
        )
        action = factories.make_action(
            session, world.group, [world.member_gb], date(2026, 8, 1), title=f"Drill {word}"
        )
        session.commit()
        document = factories.make_document(
            app, world.member_gb, world.mou, world.group, title=f"Drill {word}", tlp=TLP.GREEN
        )
        made[word] = {
            f"/meetings/{meeting.id}",
            f"/actions/{action.id}",
            f"/documents/{document}",
        }
    browser = login_as(world.member_gb)
    for word in ("alfa", "bravo", "straße", "größe", "alfa"):
        assert _urls(browser, f"drill {word}") == made[word]
        assert _urls(browser, word) == made[word]
    assert _urls(browser, "drill") >= made["alfa"] | made["bravo"]
