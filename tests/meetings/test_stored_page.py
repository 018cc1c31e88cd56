"""The readers' meeting page, stored per language: never stale, never anybody's own."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from portal.core.extensions import db
from portal.meetings.models import (
    AgendaItem,
    Attendance,
    Invitee,
    Meeting,
    MeetingPage,
    Minutes,
    MinutesApproval,
    MinutesReopening,
    MinutesRevision,
    MinutesState,
    Reply,
)
from portal.meetings.page import refresh_reader_pages
from portal.meetings.page_cache import PAGE_VERSION
from tests.conftest import post
from tests.factories import make_meeting, make_user
from tests.helpers.shown_fields import recorded_reads, undeclared
from tests.helpers.statements import counted_queries

STARTS = datetime(2030, 5, 14, 14, tzinfo=UTC)  # 10:00 in Santiago (-04), 15:00 in London


def _meeting(session, world, **fields):
    world.member_cl.language = "en"  # the world's Chilean member reads Spanish otherwise
    meeting = make_meeting(
        session,
        world.group,
        STARTS,
        invitees=[world.coordinator_cl, world.member_cl, world.member_gb],
        **fields,
    )
    session.commit()
    return meeting


def _stored(session, meeting) -> dict[str, MeetingPage]:
    session.expire_all()
    rows = session.scalars(select(MeetingPage).where(MeetingPage.meeting_id == meeting.id))
    return {row.language: row for row in rows}


def _version(session, meeting) -> int:
    return session.scalar(select(Meeting.page_version).where(Meeting.id == meeting.id))


def test_readers_see_each_change_at_once(login_as, world, session):
    meeting = _meeting(session, world)
    page = f"/meetings/{meeting.id}"
    reader = login_as(world.member_cl)
    assert "No agenda yet." in reader.get(page).get_data(as_text=True)
    assert set(_stored(session, meeting)) == {"en", "es"}

    coordinator = login_as(world.coordinator_gb)
    data = {"agenda-title": "Ransomware exercise", "agenda-planned_minutes": "20"}
    assert post(coordinator, f"{page}/agenda", data, token_from=page).status_code == 302
    # The writer's request left the stored pages stale; the next reader renders and stores them.
    assert _stored(session, meeting)["en"].version != _version(session, meeting)
    assert "Ransomware exercise" in reader.get(page).get_data(as_text=True)
    stored = _stored(session, meeting)
    assert stored["en"].version == stored["es"].version == _version(session, meeting)
    assert "Ransomware exercise" in stored["es"].html

    other = login_as(world.member_gb)
    reply = {"reply": "declined", "comment": "On leave that week"}
    assert post(other, f"{page}/reply", reply, token_from=page).status_code == 302
    assert "On leave that week" in reader.get(page).get_data(as_text=True)

    # Changes made elsewhere than on the meeting: a person renamed, the group renamed.
    world.member_gb.name = "Emily Renamed"
    world.group.name_en = "Incident response (renamed)"
    session.commit()
    text = reader.get(page).get_data(as_text=True)
    assert "Emily Renamed" in text and "Incident response (renamed)" in text


def test_a_page_rendered_from_older_data_is_never_served(login_as, world, session):
    meeting = _meeting(session, world, title_en="Old title")
    reader = login_as(world.member_cl)
    page = f"/meetings/{meeting.id}"
    reader.get(page)
    old = _stored(session, meeting)["en"]
    old_version, old_html = old.version, old.html
    # A writer commits a new title while a slow reader was still rendering the old one...
    meeting = session.get(Meeting, meeting.id)
    meeting.title_en = "New title"
    session.commit()
    # ...and the slow reader then stores what it rendered, with the version it had read.
    old = _stored(session, meeting)["en"]
    old.version, old.html = old_version, old_html
    session.commit()
    text = reader.get(page).get_data(as_text=True)
    assert "New title" in text and "Old title" not in text


def test_times_of_the_one_stored_page_show_in_each_readers_zone(login_as, world, session):
    meeting = _meeting(session, world)
    page = f"/meetings/{meeting.id}"
    santiago = login_as(world.member_cl).get(page).get_data(as_text=True)
    london = login_as(world.member_gb).get(page).get_data(as_text=True)
    assert "Tue 14 May 2030, 10:00–11:00 Santiago" in santiago
    assert "Tue 14 May 2030, 15:00–16:00 London" in london
    for text in (santiago, london):
        assert "10:00 Santiago (-04) · 15:00 London (BST)" in text
        assert "<!--range:" not in text and "<!--clocks:" not in text
    stored = _stored(session, meeting)["en"].html
    slot = "<!--range:2030-05-14T14:00:00+00:00|2030-05-14T15:00:00+00:00|-->"
    assert "10:00" not in stored and slot in stored


def test_the_stored_page_holds_nobodys_reply_or_controls(login_as, world, session):
    meeting = _meeting(session, world)
    page = f"/meetings/{meeting.id}"
    member = login_as(world.member_cl)
    post(member, f"{page}/reply", {"reply": "accepted", "comment": "Will join"}, token_from=page)
    text = member.get(page).get_data(as_text=True)
    assert 'id="reply"' in text and 'value="Will join"' in text
    assert 'value="accepted" checked' in text
    for stored in _stored(session, meeting).values():
        assert 'id="reply"' not in stored.html
        assert "csrf_token" not in stored.html
        assert "Withdraw invitation" not in stored.html and "Retirar" not in stored.html
    # An observer reads the page without a reply form; a coordinator (not invited) reads the
    # same page with one button to the management page, where the controls are.
    observer_page = login_as(world.observer_gb).get(page).get_data(as_text=True)
    assert 'id="reply"' not in observer_page and "Will join" in observer_page
    assert "Manage meeting" not in observer_page and "Manage meeting" not in text
    coordinator_page = login_as(world.coordinator_gb).get(page).get_data(as_text=True)
    assert "Withdraw invitation" not in coordinator_page and 'id="reply"' not in coordinator_page
    assert f'href="{page}/manage">Manage meeting</a>' in coordinator_page


def test_each_reader_gets_the_page_in_their_language(login_as, world, session):
    meeting = _meeting(session, world, title_es="Reunión de respuesta a incidentes")
    world.member_cl.language = "es"
    session.commit()
    text = login_as(world.member_cl).get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Reunión de respuesta a incidentes" in text and "Orden del día" in text


def test_readers_page_runs_as_many_queries_for_200_invitees_as_for_10(
    login_as, world, session, engine
):
    people = [make_user(session, world.cl, name=f"Person {i:03d}") for i in range(200)]
    meeting = make_meeting(session, world.group, STARTS, invitees=[world.member_cl, *people[:10]])
    session.commit()
    reader = login_as(world.member_cl)
    path = f"/meetings/{meeting.id}"
    reader.get(path)
    with counted_queries(engine) as with_10:
        assert reader.get(path).status_code == 200
    session.add_all(Invitee(meeting_id=meeting.id, user=person) for person in people[10:])
    session.commit()
    reader.get(path)  # the first reader after the change renders and stores the page
    with counted_queries(engine) as with_200:
        text = reader.get(path).get_data(as_text=True)
    assert "Person 199" in text
    # The login's query and the page's own: nothing per invitee.
    assert len(with_200) == len(with_10) == 2, (with_10, with_200)


def test_pages_stored_with_other_templates_are_rendered_again(login_as, world, session):
    """A deployment that changes the page's templates or catalogues makes stored pages stale."""
    meeting = _meeting(session, world, title_en="Current title")
    reader = login_as(world.member_cl)
    page = f"/meetings/{meeting.id}"
    reader.get(page)
    stored = _stored(session, meeting)["en"]
    stored.layout, stored.html = "older-templates", "<p>Made with older templates</p>"
    session.commit()
    text = reader.get(page).get_data(as_text=True)
    assert "Made with older templates" not in text and "Current title" in text
    assert _stored(session, meeting)["en"].layout != "older-templates"


def _meeting_showing_everything(session, world, starts_at):
    """A meeting with an agenda, replies, attendance and minutes revised, approved, reopened."""
    meeting = _meeting(session, world, description_md="Notes", description_html="<p>Notes</p>")
    meeting.starts_at, meeting.ends_at = starts_at, starts_at + timedelta(hours=1)
    meeting.agenda.append(AgendaItem(position=1, title="Exercise", presenter="Emily"))
    for invitee in meeting.invitees:
        invitee.reply, invitee.attendance = Reply.ACCEPTED, Attendance.PRESENT
        invitee.replied_at = starts_at - timedelta(days=1)
    author, approver = world.coordinator_cl, world.coordinator_gb
    minutes = Minutes(state=MinutesState.CIRCULATED, revision_number=2, body_html="<p>Done</p>")
    meeting.minutes = minutes
    minutes.revisions.append(MinutesRevision(number=2, body_md="Done", author=author))
    minutes.approvals.append(
        MinutesApproval(party=approver.party, user=approver, revision_number=2)
    )
    minutes.reopenings.append(
        MinutesReopening(revision_number=1, user=author, party=author.party, reason="Typo")
    )
    session.commit()
    return meeting


@pytest.mark.parametrize("starts_at", [STARTS, datetime(2024, 5, 14, 14, tzinfo=UTC)])
def test_every_field_the_readers_page_reads_raises_its_version(app, world, session, starts_at):
    """No hand-kept list can miss a field: the page is rendered with every read recorded,
    and each must be declared to raise Meeting.page_version (portal/meetings/page_cache.py)."""
    meeting = _meeting_showing_everything(session, world, starts_at)
    with app.test_request_context(), recorded_reads() as reads:
        pages = refresh_reader_pages(db.session, meeting.id)
        db.session.rollback()
    assert "Typo" in pages["en"][1] and "Exercise" in pages["en"][1]
    assert undeclared(PAGE_VERSION, reads) == set()
