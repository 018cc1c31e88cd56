"""Kept output (portal/core/kept): versions raised by every declared change, stores that never
serve a stale or uncommitted rendering, and slots no user's text can stand for."""

from datetime import UTC, date, datetime

import pytest
from flask import render_template_string
from markupsafe import Markup
from sqlalchemy import insert, select

from portal.actions.models import ActionStatus
from portal.core import kept
from portal.core.extensions import db
from portal.meetings.models import Invitee, Meeting, MeetingPage
from portal.meetings.page_cache import PAGES
from portal.mous.models import WorkingGroup
from tests.factories import make_action, make_meeting, make_user
from tests.helpers.statements import counted_queries

STARTS = datetime(2030, 5, 14, 14, tzinfo=UTC)


def _page_version(session, meeting) -> int:
    return session.scalar(select(Meeting.page_version).where(Meeting.id == meeting.id))


# Versions -----------------------------------------------------------------------------------


def test_a_declared_field_raises_the_version_and_an_undeclared_one_does_not(world, session):
    meeting = make_meeting(session, world.group, STARTS, invitees=[world.member_gb])
    session.commit()
    before = _page_version(session, meeting)
    world.member_gb.email = "renamed.mailbox@example.org"  # the page does not show it
    session.commit()
    assert _page_version(session, meeting) == before
    world.member_gb.name = "Emily Renamed"  # the page names its invitees
    session.commit()
    assert _page_version(session, meeting) == before + 1


def test_a_new_person_raises_nothing_until_a_page_shows_them(world, session):
    meeting = make_meeting(session, world.group, STARTS)
    session.commit()
    before = _page_version(session, meeting)
    newcomer = make_user(session, world.gb, name="Oliver Newcomer")
    session.commit()
    assert _page_version(session, meeting) == before
    session.add(Invitee(meeting_id=meeting.id, user=newcomer))
    session.commit()
    assert _page_version(session, meeting) == before + 1


def test_rows_written_past_the_orm_raise_the_version_through_bulk_written(world, session):
    meeting = make_meeting(session, world.group, STARTS)
    session.commit()
    before = _page_version(session, meeting)
    rows = [{"meeting_id": meeting.id, "user_id": world.member_cl.id}]
    invitees = list(session.scalars(insert(Invitee).returning(Invitee), rows))
    assert _page_version(session, meeting) == before  # no flush, no listener
    kept.bulk_written(session, invitees)
    session.commit()
    assert _page_version(session, meeting) == before + 1


def _generation(session) -> int:
    return session.scalar(
        select(kept.KeptGeneration.generation).where(kept.KeptGeneration.name == "dashboard")
    )


def test_a_version_raised_at_commit_is_raised_once_as_the_transaction_commits(world, session):
    """(The dashboard's generation, portal/main/dashboard.py: most writes raise it.)"""
    before = _generation(session)
    meeting = make_meeting(session, world.group, STARTS)  # flushed
    meeting.place = "Room 2"
    session.flush()
    # Another process sees nothing raised yet, and reads the row without waiting for it.
    with session.get_bind().connect() as other:
        dashboard = kept.KeptGeneration.name == "dashboard"
        assert other.scalar(select(kept.KeptGeneration.generation).where(dashboard)) == before
    assert _generation(session) == before
    meeting.place = "Room 3"  # flushed by the commit itself
    session.commit()
    assert _generation(session) == before + 1
    make_meeting(session, world.group, STARTS)
    session.rollback()
    session.commit()
    assert _generation(session) == before + 1  # a rolled-back change raises nothing


def test_the_generations_a_transaction_reaches_are_raised_by_one_statement(world, session):
    """A meeting counts on the dashboard, the MoU and group pages and the search: a
    transaction of many changes raises each of their generations by one, in one UPDATE."""
    names = ("dashboard", "mou-pages", "search")

    def generations() -> dict[str, int]:
        rows = session.execute(
            select(kept.KeptGeneration.name, kept.KeptGeneration.generation).where(
                kept.KeptGeneration.name.in_(names)
            )
        )
        return dict(rows.all())

    before = generations()
    for n in range(5):
        make_meeting(session, world.group, STARTS, title_en=f"Meeting {n}")  # each flushed
    with counted_queries(session.get_bind()) as statements:
        session.commit()
    raised = [s for s in statements if s.lstrip().upper().startswith("UPDATE KEPT_GENERATIONS")]
    assert len(raised) == 1
    assert generations() == {name: before[name] + 1 for name in names}


def test_a_loaded_version_is_read_again_once_raised(world, session):
    group = session.get(WorkingGroup, world.group.id)
    before = group.actions_version
    make_action(session, world.group, [world.member_gb], date(2030, 1, 1))
    session.flush()
    assert group.actions_version == before + 1


def test_a_transaction_that_raised_a_version_renders_without_the_kept_ones(app, world, session):
    """What it sees may still be rolled back: it must never be kept for others."""
    item = make_action(session, world.group, [world.member_gb], date.today())
    session.commit()
    with app.app_context():
        assert kept.may_keep(db.session)
        changed = db.session.get(type(item), item.id)
        changed.status = ActionStatus.DONE
        db.session.flush()
        assert not kept.may_keep(db.session)
        db.session.rollback()
        assert kept.may_keep(db.session)


# Stores -------------------------------------------------------------------------------------


def test_the_process_store_keeps_a_bounded_number_oldest_out_first(app):
    store = kept.ProcessStore("test-bounded", size=2)
    renders = []

    def render(value):
        return lambda: renders.append(value) or value

    with app.app_context():
        for key in ("a", "b", "a", "c", "a", "b"):
            assert store.get(db.session, key, render(key)) == key
    assert renders == ["a", "b", "c", "b"]  # "b" was the oldest when "c" came


def test_the_process_store_keeps_nothing_from_a_session_with_pending_changes(app, world):
    store = kept.ProcessStore("test-pending")
    with app.app_context():
        person = db.session.get(type(world.member_gb), world.member_gb.id)
        person.name = "Not yet committed"
        assert store.get(db.session, "bar", lambda: person.name) == "Not yet committed"
        db.session.rollback()
        assert store.get(db.session, "bar", lambda: person.name) == world.member_gb.name


def test_the_process_store_tells_what_it_keeps_without_making_it(app, world):
    store = kept.ProcessStore("test-find")
    with app.app_context():
        assert store.kept(db.session, "a") is None
        assert store.get(db.session, "a", lambda: "made") == "made"
        assert store.kept(db.session, "a") == "made"
        assert store.kept(db.session, "b") is None
        person = db.session.get(type(world.member_gb), world.member_gb.id)
        person.name = "Not yet committed"
        assert store.kept(db.session, "a") is None  # nothing kept is served to such a session
        db.session.rollback()


def test_the_database_store_replaces_its_row_and_serves_only_the_current_one(world, session):
    meeting = make_meeting(session, world.group, STARTS)
    session.commit()
    key = {"meeting_id": meeting.id, "language": "en"}
    PAGES.keep(session, key, version=1, layout="l1", title="Old", html="<p>old</p>")
    PAGES.keep(session, key, version=2, layout="l1", title="New", html="<p>new</p>")
    session.commit()
    (row,) = session.scalars(select(MeetingPage).where(MeetingPage.meeting_id == meeting.id))
    assert (row.version, row.title) == (2, "New")
    assert PAGES.is_current(row.version, row.layout, 2, "l1")
    assert not PAGES.is_current(row.version, row.layout, 3, "l1")
    assert not PAGES.is_current(row.version, row.layout, 2, "l2")


# Slots --------------------------------------------------------------------------------------


def test_slots_are_filled_with_escaped_text_or_markup_as_it_is(app):
    slots = kept.HTML_SLOTS
    with app.test_request_context():
        template = '<input value="{{ token }}">{{ reply }}'
        html = render_template_string(template, token=slots.slot("csrf"), reply=slots.slot("r"))
    filled = slots.fill(html, {"csrf": 'a"b', "r": Markup("<form></form>")})
    assert filled == '<input value="a&#34;b"><form></form>'


def test_no_users_text_can_stand_for_a_slot(app):
    """Escaped text never holds `<`: a name that looks like a slot stays text."""
    with app.test_request_context():
        html = render_template_string("{{ name }}", name="<!--reply--> <!--when:2030|-->")
    assert kept.HTML_SLOTS.split(html) == [html]
    assert kept.HTML_SLOTS.fill(html, {}) == html


def test_a_slot_argument_reaches_its_filling(app):
    slots = kept.HTML_SLOTS
    html = f"<li>{slots.slot('attachments', '12')}</li><li>{slots.slot('attachments', '7')}</li>"
    filled = slots.fill(html, {"attachments": lambda item: f"documents of {item}"})
    assert filled == "<li>documents of 12</li><li>documents of 7</li>"


def test_a_slot_is_refused_a_name_that_would_end_it(app):
    with pytest.raises(ValueError, match="not a slot"):
        kept.HTML_SLOTS.slot("reply-->")


def test_private_slots_are_found_only_with_their_token_even_in_plain_text():
    slots, other = kept.Slots.private(), kept.Slots.private()
    text = f"Dear {slots.slot('name')}, {other.slot('name')}"
    assert slots.fill(text, {"name": "<Ana>"}, html=False) == f"Dear <Ana>, {other.slot('name')}"
