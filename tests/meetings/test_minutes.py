"""Minutes: revisions, refused stale saves, circulation, approval per party, safety of the text."""

import threading
import time
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.accounts.models import User
from portal.audit.models import AuditEvent
from portal.core.extensions import db
from portal.core.tlp import TLP
from portal.meetings.minutes import StaleMinutes, save_minutes
from portal.meetings.models import (
    Meeting,
    Minutes,
    MinutesApproval,
    MinutesRevision,
    MinutesState,
)
from tests.conftest import post
from tests.factories import make_meeting
from tests.helpers.bad_input import changed_tables, shown_errors, snapshot
from tests.helpers.fuzz import FUZZ, TEXT
from tests.helpers.minutes import (
    REVISION_FIELD,
    approve,
    circulated,
    form_revision,
    minutes_of,
    queued,
    route,
    write,
)
from tests.helpers.rows import count

START = datetime(2026, 3, 10, 13, 0, tzinfo=UTC)
HOSTILE = (
    "# Acta\n\n"
    "<script>alert('script')</script>\n\n"
    "<img src=x onerror=alert(1)>\n\n"
    "[x](javascript:alert(1)) and [ok](https://example.org/ok)\n\n"
    '<a href="javascript:alert(2)" onclick="alert(3)">raw link</a>\n'
)


@pytest.fixture
def meeting(world, session):
    invitees = [world.coordinator_cl, world.coordinator_gb, world.member_cl, world.member_gb]
    created = make_meeting(session, world.group, START, invitees=invitees)
    session.commit()
    return created


# Saving and revisions -----------------------------------------------------------------------


def test_first_save_creates_draft_minutes_as_revision_one(login_as, world, meeting, session):
    editor = login_as(world.coordinator_cl)
    assert form_revision(editor, meeting) == "0"
    response = write(editor, meeting, "# Minutes\r\n\r\n**Agreed**: a joint exercise.")
    assert response.status_code == 302
    minutes = minutes_of(session, meeting)
    assert minutes.state == MinutesState.DRAFT
    assert minutes.revision_number == 1
    assert minutes.body_md == "# Minutes\n\n**Agreed**: a joint exercise."
    assert "<strong>Agreed</strong>" in minutes.body_html
    assert [(r.number, r.author_id) for r in minutes.revisions] == [(1, world.coordinator_cl.id)]
    assert count(session, AuditEvent, AuditEvent.action == "minutes.saved") == 1
    page = editor.get(route(meeting)).get_data(as_text=True)
    assert "<strong>Agreed</strong>" in page
    assert 'name="base_revision" type="hidden" value="1"' in page


def test_concurrent_edit_is_refused_with_both_texts_and_nothing_written(
    login_as, world, meeting, session
):
    assert write(login_as(world.coordinator_cl), meeting, "Original text.").status_code == 302
    first, second = login_as(world.coordinator_gb), login_as(world.coordinator_cl)
    base_first, base_second = form_revision(first, meeting), form_revision(second, meeting)
    assert base_first == base_second == "1"
    assert write(first, meeting, "The British version.", base_first).status_code == 302
    events_before = count(session, AuditEvent)

    response = write(second, meeting, "La versión chilena & <b>más</b>.", base_second)

    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "La versión chilena &amp; &lt;b&gt;más&lt;/b&gt;." in page  # their text, escaped
    assert "The British version." in page  # the current text
    assert "<b>más</b>" not in page
    minutes = minutes_of(session, meeting)
    assert minutes.revision_number == 2
    assert minutes.body_md == "The British version."
    assert count(session, MinutesRevision) == 2
    assert count(session, AuditEvent) == events_before
    # The conflict page's form is based on the current revision: merging and saving works.
    assert REVISION_FIELD.search(page).group(1) == "2"
    merged = write(second, meeting, "The British version. La versión chilena.", "2")
    assert merged.status_code == 302
    assert minutes_of(session, meeting).revision_number == 3


def _save_in_own_transaction(app, user_id, meeting_id, text, base, *, before_commit=None):
    """save_minutes in a request context (and database session) of its own, as another worker."""
    with app.test_request_context():
        actor, meeting = db.session.get(User, user_id), db.session.get(Meeting, meeting_id)
        try:
            save_minutes(db.session, actor, meeting, text, base)
            if before_commit:
                before_commit()
            db.session.commit()
        except StaleMinutes:
            db.session.rollback()
            return "stale"
        except IntegrityError:
            db.session.rollback()
            return "duplicate revision"
        return "saved"


def test_simultaneous_saves_on_the_same_revision_never_overwrite(app, backend, world, meeting):
    """The second save waits for the first one's row lock, then sees it is stale (PostgreSQL)."""
    assert _save_in_own_transaction(app, world.coordinator_cl.id, meeting.id, "Base.", 0) == "saved"
    first_saved, results = threading.Event(), {}

    def first():
        def hold_the_lock():
            first_saved.set()
            time.sleep(0.5)  # the second save starts meanwhile

        results["first"] = _save_in_own_transaction(
            app, world.coordinator_gb.id, meeting.id, "First.", 1, before_commit=hold_the_lock
        )

    def second():
        first_saved.wait(10)
        results["second"] = _save_in_own_transaction(
            app, world.coordinator_cl.id, meeting.id, "Second.", 1
        )

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert results["first"] == "saved"
    if backend["name"] == "postgresql":
        assert results["second"] == "stale"
    else:  # SQLite has no row locks: the unique revision number refuses the second
        assert results["second"] in ("stale", "duplicate revision")
    with app.app_context():
        minutes = db.session.scalar(select(Minutes).where(Minutes.meeting_id == meeting.id))
        assert (minutes.revision_number, minutes.body_md) == (2, "First.")
        assert [r.body_md for r in minutes.revisions] == ["Base.", "First."]


def test_saving_the_same_text_again_adds_no_revision(login_as, world, meeting, session):
    editor = login_as(world.coordinator_cl)
    assert write(editor, meeting, "Same text.").status_code == 302
    assert write(editor, meeting, "Same text.", "0").status_code == 302  # the form sent twice
    assert count(session, MinutesRevision) == 1


def test_a_save_on_a_base_that_never_existed_is_refused(login_as, world, meeting, session):
    response = write(login_as(world.coordinator_gb), meeting, "Text.", "7")
    assert response.status_code == 409
    assert minutes_of(session, meeting) is None


def test_revisions_list_and_diff_between_any_two(login_as, world, meeting, session):
    cl, gb = login_as(world.coordinator_cl), login_as(world.coordinator_gb)
    assert write(cl, meeting, "Line one\nLine two\nLine three").status_code == 302
    assert write(gb, meeting, "Line one\nLine 2\nLine three").status_code == 302
    assert write(cl, meeting, "Line one\nLine 2\nLine three\nLine <four>").status_code == 302

    page = login_as(world.member_gb).get(route(meeting, "/revisions")).get_data(as_text=True)
    rows = page[page.index("<tbody>") :]
    assert rows.index(">3<") < rows.index(">2<") < rows.index(">1<")  # newest first
    assert "Coordinator CL" in rows and "Coordinator GB" in rows
    assert "(Europe/London)" in rows  # the reader's zone is named

    diff = login_as(world.member_cl).get(route(meeting, "/diff?a=1&b=3"))
    assert diff.status_code == 200
    text = diff.get_data(as_text=True)
    assert "-Line two" in text
    assert "+Line 2" in text
    assert "+Line &lt;four&gt;" in text
    assert "<four>" not in text
    assert " Line one" in text  # context
    assert "Line three" in text


@pytest.mark.parametrize("query", ["?a=1&b=9", "?a=x&b=1", "?b=1", ""])
def test_diff_of_unknown_revisions_is_not_found(login_as, world, meeting, query):
    editor = login_as(world.coordinator_cl)
    assert write(editor, meeting, "Only one revision.").status_code == 302
    assert editor.get(route(meeting, "/diff" + query)).status_code == 404


# Bad input ------------------------------------------------------------------------------------


def test_body_of_exactly_the_limit_is_accepted(login_as, world, meeting, session):
    response = write(
        login_as(world.coordinator_cl), meeting, "ñ" * 100_000
    )  # characters, not bytes
    assert response.status_code == 302
    assert minutes_of(session, meeting).body_md == "ñ" * 100_000


@pytest.mark.parametrize(
    ("body", "base", "message"),
    [
        ("a" * 100_001, "0", "Use at most 100000 characters."),
        ("", "0", "Write the minutes before saving them."),
        ("  \r\n\t ", "0", "Write the minutes before saving them."),
        ("text\x00with a NUL", "0", "null character"),
        ("Fine text.", "abc", "The form is out of date."),
        ("Fine text.", "", "The form is out of date."),
        ("Fine text.", "-1", "The form is out of date."),
        ("Fine text.", "١", "The form is out of date."),  # an Arabic-Indic digit
        ("Fine text.", "9" * 40, "The form is out of date."),
    ],
)
def test_bad_input_is_refused_with_422_and_nothing_written(
    login_as, world, meeting, session, body, base, message
):
    editor = login_as(world.coordinator_gb)  # in English
    events_before = count(session, AuditEvent)
    response = write(editor, meeting, body, base)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert minutes_of(session, meeting) is None
    assert count(session, AuditEvent) == events_before


@pytest.fixture
def editor_gb(login_as, world):
    return login_as(world.coordinator_gb)


@FUZZ
@given(body=TEXT, base=st.one_of(TEXT, st.integers(-2, 3).map(str)))
@example(body="Valid text.", base="0")
@example(body="\x00", base="0")
@example(body="x" * 300, base="0\x00")
def test_the_minutes_form_survives_any_input(editor_gb, meeting, session, body, base):
    before = snapshot(session)
    response = write(editor_gb, meeting, body, base)
    after = snapshot(session)
    assert response.status_code in (302, 409, 422), (body, base, response.status_code)
    if response.status_code == 302:
        assert set(changed_tables(before, after)) <= {
            "minutes",
            "minutes_revisions",
            "audit_events",
            "meetings",  # page_version: the stored readers' page is stale...
            "meeting_pages",  # ...and rendered again
            "search_entries",  # the minutes' search terms
            "mous",  # report_version: the MoU's kept implementation report counts minutes
            "kept_generations",  # the dashboard's: its minutes to approve
        }
        return
    assert changed_tables(before, after) == []
    if response.status_code == 422:
        assert shown_errors(response)


# Circulation and approval ------------------------------------------------------------------


def test_circulating_mails_each_co_chair_in_their_language_with_the_tlp_label(
    login_as, world, session
):
    meeting = make_meeting(
        session,
        world.group,
        START,
        tlp=TLP.RED,
        invitees=[world.coordinator_cl, world.coordinator_gb],
    )
    session.commit()
    circulated(login_as, meeting, world, body="Secret operational detail 4711.")

    assert minutes_of(session, meeting).state == MinutesState.CIRCULATED
    mails = {m.recipient: m for m in queued(session, "minutes_circulated")}
    assert set(mails) == {world.coordinator_cl.email, world.coordinator_gb.email}
    spanish, english = mails[world.coordinator_cl.email], mails[world.coordinator_gb.email]
    assert spanish.subject == "[TLP:RED] Acta para aprobación: Reunión del grupo de trabajo"
    assert english.subject == "[TLP:RED] Minutes for approval: Working group meeting"
    assert "se ha enviado para su aprobación" in spanish.body_text
    for mail in mails.values():
        assert f"/meetings/{meeting.id}/minutes" in mail.body_text
        assert f"/meetings/{meeting.id}/minutes" in mail.body_html
        assert "4711" not in mail.body_text + mail.body_html  # a link, never the text
    assert count(session, AuditEvent, AuditEvent.action == "minutes.circulated") == 1


def test_circulating_twice_is_refused_and_mails_once(login_as, world, meeting, session):
    editor = circulated(login_as, meeting, world)
    again = post(editor, route(meeting, "/circulate"), token_from=route(meeting))
    assert again.status_code == 409
    assert len(queued(session, "minutes_circulated")) == 2


def test_approval_is_refused_while_the_minutes_are_a_draft(login_as, world, meeting, session):
    assert write(login_as(world.coordinator_cl), meeting, "Draft text.").status_code == 302
    assert approve(login_as(world.coordinator_gb), meeting).status_code == 409
    assert count(session, MinutesApproval) == 0


def test_approval_by_one_party_only_is_not_approval(login_as, world, meeting, session):
    circulated(login_as, meeting, world)
    gb = login_as(world.coordinator_gb)
    assert approve(gb, meeting).status_code == 302
    assert approve(gb, meeting).status_code == 302  # twice: still one approval

    minutes = minutes_of(session, meeting)
    assert minutes.state == MinutesState.CIRCULATED
    assert [(a.party_id, a.revision_number) for a in minutes.approvals] == [(world.gb.id, 2)]
    assert queued(session, "minutes_approved") == []
    page = login_as(world.member_cl).get(route(meeting)).get_data(as_text=True)
    assert "En revisión" in page
    assert "aún no aprobada" in page

    cl = login_as(world.coordinator_cl)
    assert approve(cl, meeting).status_code == 302
    assert minutes_of(session, meeting).state == MinutesState.APPROVED
    approved = {m.recipient: m for m in queued(session, "minutes_approved")}
    assert set(approved) == {
        world.coordinator_cl.email,
        world.coordinator_gb.email,
        world.member_cl.email,
        world.member_gb.email,
    }
    assert approved[world.member_cl.email].subject.startswith("[TLP:AMBER] Acta aprobada:")
    assert approved[world.member_gb.email].subject.startswith("[TLP:AMBER] Minutes approved:")
    assert "Agreed: exchange" not in approved[world.member_gb.email].body_text
    assert count(session, AuditEvent, AuditEvent.action == "minutes.approved") == 1


def test_an_edit_after_one_partys_approval_withdraws_it(login_as, world, meeting, session):
    editor = circulated(login_as, meeting, world)
    assert approve(login_as(world.coordinator_gb), meeting).status_code == 302
    assert write(editor, meeting, "Changed after the British approval.").status_code == 302
    assert approve(login_as(world.coordinator_cl), meeting).status_code == 302
    minutes = minutes_of(session, meeting)
    assert minutes.state == MinutesState.CIRCULATED  # GB has not approved revision 2
    assert [a.party_id for a in minutes.approvals if a.withdrawn_at is None] == [world.cl.id]


def test_co_chair_of_gb_cannot_approve_for_cl(login_as, world, meeting, session):
    circulated(login_as, meeting, world)
    gb = login_as(world.coordinator_gb)
    response = approve(gb, meeting, {"party_id": world.cl.id, "user_id": world.coordinator_cl.id})
    assert response.status_code == 302
    approvals = minutes_of(session, meeting).approvals
    assert [(a.party_id, a.user_id) for a in approvals] == [(world.gb.id, world.coordinator_gb.id)]
    assert minutes_of(session, meeting).state == MinutesState.CIRCULATED


@pytest.mark.parametrize("who", ["member_cl", "member_gb", "observer_gb", "admin"])
def test_people_who_are_not_co_chairs_cannot_approve(login_as, world, meeting, session, who):
    circulated(login_as, meeting, world)
    response = approve(login_as(getattr(world, who)), meeting)
    assert response.status_code == 403
    assert count(session, MinutesApproval) == 0


# Who may read and edit ------------------------------------------------------------------------


def test_a_member_reads_but_cannot_edit_or_circulate(login_as, world, meeting, session):
    assert (
        write(login_as(world.coordinator_cl), meeting, "Text by the coordinator.").status_code
        == 302
    )
    member = login_as(world.member_gb)
    page = member.get(route(meeting)).get_data(as_text=True)
    assert "Text by the coordinator." in page
    assert "base_revision" not in page
    assert write(member, meeting, "Changed by a member.", "1").status_code == 403
    assert post(member, route(meeting, "/circulate"), token_from=route(meeting)).status_code == 403
    minutes = minutes_of(session, meeting)
    assert (minutes.revision_number, minutes.state) == (1, MinutesState.DRAFT)


def test_observer_reads_but_cannot_edit_circulate_or_approve(login_as, world, meeting, session):
    assert write(login_as(world.coordinator_cl), meeting, "Observed text.").status_code == 302
    observer = login_as(world.observer_gb)
    for suffix in ("", "/revisions", "/diff?a=1&b=1"):
        assert observer.get(route(meeting, suffix)).status_code == 200
    page = observer.get(route(meeting)).get_data(as_text=True)
    assert "Observed text." in page
    assert "base_revision" not in page
    assert "Circulate for approval" not in page
    assert write(observer, meeting, "Observer's change.", "1").status_code == 403
    assert (
        post(observer, route(meeting, "/circulate"), token_from=route(meeting)).status_code == 403
    )
    assert approve(observer, meeting).status_code == 403
    minutes = minutes_of(session, meeting)
    assert (minutes.revision_number, minutes.state) == (1, MinutesState.DRAFT)


@pytest.mark.parametrize("who", ["member_co", "coordinator_co", "member_cl_outside_group"])
def test_people_who_may_not_see_the_meeting_get_404(login_as, world, meeting, session, who):
    assert write(login_as(world.coordinator_cl), meeting, "Private text.").status_code == 302
    client = login_as(getattr(world, who))
    for suffix in ("", "/revisions", "/diff?a=1&b=1"):
        assert client.get(route(meeting, suffix)).status_code == 404
    for suffix in ("/circulate", "/approve"):
        assert post(client, route(meeting, suffix)).status_code == 404
    response = post(client, route(meeting), {"body": "Intruder.", "base_revision": "1"})
    assert response.status_code == 404
    assert minutes_of(session, meeting).body_md == "Private text."


def test_anonymous_visitors_are_sent_to_the_login_page(client, meeting):
    for suffix in ("", "/revisions", "/diff?a=1&b=1"):
        response = client.get(route(meeting, suffix))
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/auth/login?next=")


# The text never becomes markup ----------------------------------------------------------------


class _ActiveContent(HTMLParser):
    """Collects what could run in a browser: inline scripts, event handlers, javascript: URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}={value}>")
        if tag in ("img", "iframe", "object", "embed"):
            self.found.append(f"<{tag}>")
        self._in_script = tag == "script"

    def handle_endtag(self, tag) -> None:
        self._in_script = False

    def handle_data(self, data) -> None:
        if self._in_script and data.strip():
            self.found.append(f"inline script {data.strip()[:40]!r}")


def _active_content(html: str) -> list[str]:
    parser = _ActiveContent()
    parser.feed(html)
    parser.close()
    return parser.found


def test_the_checker_would_see_active_content():
    assert _active_content('<p><script>alert(1)</script><img src=x onerror="a()"></p>') == [
        "inline script 'alert(1)'",
        "<img onerror>",
        "<img>",
    ]
    assert _active_content('<a href=" JavaScript:alert(1)">x</a>') != []


def test_script_event_handlers_and_javascript_links_never_reach_a_page(
    login_as, world, meeting, session
):
    editor = login_as(world.coordinator_cl)
    assert write(editor, meeting, "First.").status_code == 302
    assert write(editor, meeting, HOSTILE).status_code == 302
    minutes = minutes_of(session, meeting)
    assert _active_content(minutes.body_html) == []
    assert '<a href="https://example.org/ok" rel="noopener noreferrer nofollow">ok</a>' in (
        minutes.body_html
    )

    reader = login_as(world.member_gb)
    for suffix in ("", "/revisions", "/diff?a=1&b=2"):
        response = reader.get(route(meeting, suffix))
        assert response.status_code == 200
        assert _active_content(response.get_data(as_text=True)) == [], suffix
    editor_page = editor.get(route(meeting)).get_data(as_text=True)
    assert _active_content(editor_page) == []  # also in the edit form's text area
    conflict = write(editor, meeting, HOSTILE + "\nmore", "1")
    assert conflict.status_code == 409
    assert _active_content(conflict.get_data(as_text=True)) == []


# The panel and the previous meeting's minutes -------------------------------------------------


def test_the_next_meeting_links_the_previous_minutes_awaiting_approval(
    login_as, world, meeting, session
):
    later = make_meeting(session, world.group, START + timedelta(days=30))
    session.commit()
    link = f'href="{route(meeting)}"'
    reader = login_as(world.coordinator_cl)  # a co-chair: the one who has to act on it
    assert link not in reader.get(route(later)).get_data(as_text=True)  # nothing to approve yet

    circulated(login_as, meeting, world)
    page = reader.get(route(later)).get_data(as_text=True)
    assert link in page
    # Members who cannot approve or edit minutes are not pointed at them.
    assert link not in login_as(world.member_cl).get(route(later)).get_data(as_text=True)
    assert "El acta de una reunión anterior espera aprobación" in page
    assert "espera aprobación" not in reader.get(route(meeting)).get_data(as_text=True)

    assert approve(login_as(world.coordinator_gb), meeting).status_code == 302
    assert approve(login_as(world.coordinator_cl), meeting).status_code == 302
    assert link not in reader.get(route(later)).get_data(as_text=True)


def test_the_panel_shows_the_tlp_label_state_and_approvals(login_as, world, meeting):
    circulated(login_as, meeting, world)
    assert approve(login_as(world.coordinator_gb), meeting).status_code == 302
    page = login_as(world.coordinator_cl).get(route(meeting)).get_data(as_text=True)
    panel = page[page.index('id="minutes"') :]
    assert "TLP:AMBER" in panel
    assert "En revisión" in panel
    assert "aprobada por Coordinator GB" in panel
    assert "Aprobar por País CL" in panel  # the Chilean co-chair may still approve
    page = login_as(world.coordinator_gb).get(route(meeting)).get_data(as_text=True)
    assert "Approve for" not in page  # already approved for GB


def test_the_meeting_page_includes_the_panel(login_as, world, meeting):
    assert write(login_as(world.coordinator_cl), meeting, "Draft for the panel.").status_code == 302
    page = login_as(world.coordinator_gb).get(f"/meetings/{meeting.id}").get_data(as_text=True)
    panel = page[page.index('id="minutes"') :]
    assert "Draft" in panel
    assert "Revision 1, saved by Coordinator CL" in panel
    assert f'action="{route(meeting, "/circulate")}"' in panel
    assert f'href="{route(meeting)}"' in panel
    assert "Draft for the panel." not in panel  # the text is on the minutes page only


def test_minutes_in_two_languages_are_approved_as_a_pair(login_as, world, meeting, session):
    """One text per language, each with its revisions; approval is refused while one is
    missing (it would approve a text nobody wrote), and one approval covers both."""
    editor = login_as(world.coordinator_cl)
    assert write(editor, meeting, "Agreed: **exchange** of indicators.").status_code == 302
    assert post(editor, route(meeting, "/circulate"), token_from=route(meeting)).status_code == 302
    gb = login_as(world.coordinator_gb)
    refused = approve(gb, meeting)
    assert refused.status_code == 409
    assert "the Spanish text is not written yet" in refused.get_data(as_text=True)
    assert minutes_of(session, meeting).approvals == []
    # A Spanish reader meanwhile reads the English text, marked; only editors see the mark.
    member_cl = login_as(world.member_cl)
    page = member_cl.get(route(meeting)).get_data(as_text=True)
    assert '<div lang="en">' in page and "<strong>exchange</strong>" in page
    assert "Traducción pendiente" not in page
    assert "Traducción pendiente" in editor.get(route(meeting)).get_data(as_text=True)

    spanish = "Acuerdo: **intercambio** de indicadores."
    assert write(editor, meeting, spanish, language="es").status_code == 302
    # A stale Spanish form (based on no Spanish revision) is refused; the English is not.
    assert write(editor, meeting, "Otro texto.", base=0, language="es").status_code == 409
    minutes = minutes_of(session, meeting)
    assert (minutes.body_md, minutes.body_md_es, minutes.revision_number) == (
        "Agreed: **exchange** of indicators.",
        spanish,
        2,
    )
    assert [(r.number, r.language) for r in minutes.revisions] == [(1, "en"), (2, "es")]
    assert approve(gb, meeting).status_code == 302
    assert approve(editor, meeting).status_code == 302
    minutes = minutes_of(session, meeting)
    assert minutes.state == MinutesState.APPROVED
    assert {(a.party_id, a.revision_number) for a in minutes.approvals} == {
        (world.gb.id, 2),
        (world.cl.id, 2),
    }
    # Each reader reads their own language, the other version to open beside it.
    page = member_cl.get(route(meeting)).get_data(as_text=True)
    assert "<p>Acuerdo: <strong>intercambio</strong> de indicadores.</p>" in page
    assert "Leer en inglés" in page
    english = login_as(world.member_gb).get(route(meeting)).get_data(as_text=True)
    assert english.index("<strong>exchange</strong>") < english.index("<strong>intercambio")
    # Approved: neither text changes until reopened; revisions compare within one text.
    assert write(editor, meeting, "Cambio.", base=2, language="es").status_code == 409
    assert editor.get(route(meeting, "/diff?a=1&b=2")).status_code == 404
    history = editor.get(route(meeting, "/revisions")).get_data(as_text=True)
    assert "Español" in history and "English" in history
