"""`flask reminders run` around a due date: the right mails, once, in the owner's language."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import select

from portal.actions.models import ActionStatus
from portal.notifications.models import OutboxMessage
from tests.factories import make_action

DUE = date(2031, 3, 10)  # a Monday


@pytest.fixture
def item(world, session):
    action = make_action(
        session,
        world.group,
        [world.member_cl, world.member_gb],
        DUE,
        title="Taxonomy",
        title_es="Taxonomía",
    )
    make_action(
        session,
        world.group,
        [world.member_gb],
        DUE,
        title="Already done",
        status=ActionStatus.DONE,
    )
    session.commit()
    return action


def _run(app, day: date) -> str:
    return _run_at(app, datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC))


def _run_at(app, moment: datetime) -> str:
    with time_machine.travel(moment, tick=False), app.app_context():
        result = app.test_cli_runner().invoke(args=["reminders", "run"])
    assert result.exit_code == 0, result.output
    return result.output


def _queued(session) -> list[tuple[str, str, str]]:
    session.rollback()
    rows = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
    return [(m.kind, m.recipient, m.subject) for m in rows]


def test_nothing_four_days_before(app, session, item):
    _run(app, date(2031, 3, 6))
    assert _queued(session) == []


def test_due_soon_three_days_before_once_in_each_owners_language(app, session, world, item):
    output = _run(app, date(2031, 3, 7))
    assert "due_soon: 2 reminders queued" in output
    assert sorted(_queued(session)) == [
        ("action_due_soon", world.member_cl.email, "Tarea con plazo próximo: Taxonomía"),
        ("action_due_soon", world.member_gb.email, "Action item due soon: Taxonomy"),
    ]
    _run(app, date(2031, 3, 7))
    _run(app, date(2031, 3, 8))  # still due soon: already told
    assert len(_queued(session)) == 2


def test_nothing_on_the_due_date_itself_after_the_due_soon_mail(app, session, item):
    _run(app, date(2031, 3, 8))
    _run(app, DUE)
    assert [kind for kind, _, _ in _queued(session)] == ["action_due_soon"] * 2


def test_overdue_the_day_after_and_the_weekly_summary_to_co_chairs(app, session, world, item):
    _run(app, date(2031, 3, 11))
    queued = _queued(session)
    overdue = sorted(r for k, r, _ in queued if k == "action_overdue")
    assert overdue == sorted([world.member_cl.email, world.member_gb.email])
    summaries = sorted(r for k, r, _ in queued if k == "action_weekly_summary")
    assert summaries == sorted([world.coordinator_cl.email, world.coordinator_gb.email])
    spanish = next(s for k, r, s in queued if r == world.member_cl.email)
    assert spanish == "Tarea vencida: Taxonomía"
    # A second run the same day, and another day of the same week, queue nothing more.
    _run(app, date(2031, 3, 11))
    _run(app, date(2031, 3, 12))
    assert len(_queued(session)) == len(queued)
    # The next week the co-chairs hear again; the owners do not.
    _run(app, date(2031, 3, 17))
    later = _queued(session)[len(queued) :]
    assert sorted(k for k, _, _ in later) == ["action_weekly_summary"] * 2


def test_no_reminder_to_an_owner_who_left_the_mous_party(app, session, world, item):
    world.member_gb.party = world.co  # moved to a delegation outside the MoU
    session.commit()
    _run(app, date(2031, 3, 7))
    assert [r for _, r, _ in _queued(session)] == [world.member_cl.email]


def test_each_owner_hears_of_an_overdue_item_after_their_own_midnight(app, session, world, item):
    """Midnight of the 10th/11th reaches London (GMT) at 00:00 UTC and Santiago (-03, summer
    time) at 03:00 UTC: between the two, only the British owner is told."""
    _run_at(app, datetime(2031, 3, 11, 1, 0, tzinfo=UTC))  # Santiago: 22:00 on the 10th
    told = [r for k, r, _ in _queued(session) if k == "action_overdue"]
    assert told == [world.member_gb.email]

    _run_at(app, datetime(2031, 3, 11, 3, 5, tzinfo=UTC))  # Santiago: 00:05 on the 11th
    told = [r for k, r, _ in _queued(session) if k == "action_overdue"]
    assert told == [world.member_gb.email, world.member_cl.email]


def test_due_soon_counts_three_days_on_the_owners_clock(app, session, world, item):
    _run_at(app, datetime(2031, 3, 7, 1, 0, tzinfo=UTC))  # London the 7th, Santiago the 6th
    told = [r for k, r, _ in _queued(session) if k == "action_due_soon"]
    assert told == [world.member_gb.email]
