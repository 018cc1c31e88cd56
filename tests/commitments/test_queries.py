"""The coordinators' follow-up page and the implementation report's lines: their figures
equal those of independent queries written here, in SQL, against the tables."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import bindparam, text

from portal.actions.models import ActionStatus
from portal.commitments import queries
from portal.commitments.models import CommitmentStatus
from portal.core.db import UTCDateTime
from portal.core.errors import Denied
from portal.meetings.models import MeetingStatus
from portal.mous.models import LineOfCooperation
from portal.trainings.models import TrainingStatus
from tests.factories import make_action, make_meeting, make_mou, make_party, make_training
from tests.helpers.statements import counted_queries

PLANNED, IN_PROGRESS = CommitmentStatus.PLANNED, CommitmentStatus.IN_PROGRESS
ACHIEVED, DROPPED = CommitmentStatus.ACHIEVED, CommitmentStatus.DROPPED


@pytest.fixture
def app_overrides() -> dict:
    return {"PAGE_SIZE": 2}  # Chile's three MoUs take two pages


def _day(days: int) -> date:
    return date.today() + timedelta(days=days)


def _in(days: float) -> datetime:
    return datetime.now(UTC) + timedelta(days=days)


@pytest.fixture
def activity(world, session, commitment_of):
    """Chile's MoUs with the UK, Colombia and Spain, with work overdue, coming and done."""
    es = make_party(session, "ES")
    mou_es = make_mou(session, [world.cl, es], title_en="MoU Chile–Spain", signed_on=None)
    owners = [world.member_cl]
    for days, status in (
        (-5, ActionStatus.OPEN),
        (-1, ActionStatus.IN_PROGRESS),
        (-9, ActionStatus.DONE),
        (-9, ActionStatus.CANCELLED),
        (4, ActionStatus.OPEN),
    ):
        make_action(session, world.group, owners, _day(days), status=status)
    make_action(session, world.group_cl_co, [world.member_co], _day(-3))
    for days, status in (
        (-2, PLANNED),
        (-1, IN_PROGRESS),
        (30, IN_PROGRESS),
        (-50, ACHIEVED),
        (-40, DROPPED),
        (60, PLANNED),
    ):
        commitment_of(
            session,
            world.mou,
            target_on=_day(days),
            status=status,
            drop_reason="Merged." if status == DROPPED else "",
        )
    commitment_of(session, world.mou_cl_co, target_on=_day(-7))
    commitment_of(session, world.mou_cl_co, target_on=_day(7), status=ACHIEVED)
    make_meeting(session, world.group, _in(-2))
    make_meeting(session, world.group, _in(1), status=MeetingStatus.CANCELLED)
    soonest = make_meeting(session, world.group, _in(3), title_en="Quarterly review")
    make_meeting(session, world.group, _in(10))
    make_training(session, world.mou, _in(2), status=TrainingStatus.CANCELLED)
    training = make_training(session, world.mou, _in(12), title_en="Forensics workshop")
    make_training(session, world.mou_cl_co, _in(-12))
    session.commit()
    return {"mou_es": mou_es, "meeting": soonest, "training": training}


def _expected(session, mou_id: int) -> dict:
    """The figures of one MoU, asked of the tables directly."""
    today, now = date.today().isoformat(), datetime.now(UTC)
    one = {"m": mou_id, "today": today}
    overdue_actions = session.scalar(
        text(
            "SELECT count(*) FROM action_items a JOIN working_groups g ON g.id = a.working_group_id"
            " WHERE g.mou_id = :m AND a.status IN ('open', 'in_progress') AND a.due_on < :today"
        ),
        one,
    )
    overdue_commitments = session.scalar(
        text(
            "SELECT count(*) FROM commitments WHERE mou_id = :m"
            " AND status IN ('planned', 'in_progress') AND target_on < :today"
        ),
        one,
    )
    counts = dict(
        session.execute(
            text("SELECT status, count(*) FROM commitments WHERE mou_id = :m GROUP BY status"), one
        ).all()
    )
    at = bindparam("now", type_=UTCDateTime)
    next_meeting = session.scalar(
        text(
            "SELECT m.id FROM meetings m JOIN working_groups g ON g.id = m.working_group_id"
            " WHERE g.mou_id = :m AND m.status = 'scheduled' AND m.starts_at > :now"
            " ORDER BY m.starts_at, m.id LIMIT 1"
        ).bindparams(at),
        {"m": mou_id, "now": now},
    )
    next_training = session.scalar(
        text(
            "SELECT id FROM trainings WHERE mou_id = :m AND status = 'scheduled'"
            " AND starts_at > :now ORDER BY starts_at, id LIMIT 1"
        ).bindparams(at),
        {"m": mou_id, "now": now},
    )
    session.rollback()
    return {
        "overdue_actions": overdue_actions,
        "overdue_commitments": overdue_commitments,
        "counts": {status.value: counts.get(status.value, 0) for status in CommitmentStatus},
        "next_meeting": next_meeting,
        "next_training": next_training,
    }  # fmt: skip


def _shown(row: queries.MouFollowUp) -> dict:
    return {
        "overdue_actions": row.overdue_actions,
        "overdue_commitments": row.overdue_commitments,
        "counts": {status.value: count for status, count in row.counts.items()},
        "next_meeting": row.next_meeting.id if row.next_meeting else None,
        "next_training": row.next_training.id if row.next_training else None,
    }


def test_the_follow_up_counts_what_the_tables_hold(world, session, activity, app, login_as):
    now = datetime.now(UTC)
    rows, work = [], []
    reader, party = world.coordinator_cl, world.cl
    session.refresh(reader), session.refresh(party)  # loaded before counting the work
    with app.app_context():  # the page size is the app's
        for number in (1, 2):
            with counted_queries(session.get_bind()) as statements:
                page, shown = queries.follow_up(
                    session, reader, party, today=now.date(), now=now, page=number
                )
            rows += shown
            work.append(len(statements))
    assert (page.total, page.pages, len(rows)) == (3, 2, 3)
    assert work == [6, 6]  # the same statements for two MoUs as for one
    assert [row.mou.id for row in rows] == [world.mou.id, world.mou_cl_co.id, activity["mou_es"].id]
    for row in rows:
        assert _shown(row) == _expected(session, row.mou.id), row.mou.title_en
    assert _shown(rows[0])["overdue_actions"] == 2 and _shown(rows[1])["next_meeting"] is None

    browser = login_as(world.coordinator_gb)
    html = browser.get(f"/parties/{world.gb.id}/follow-up").get_data(as_text=True)
    assert "2 action items overdue" in html and "2 commitments past their target" in html
    assert "Quarterly review" in html and "Forensics workshop" in html
    assert "Planned: <strong>2</strong> · In progress: <strong>2</strong>" in html
    assert "MoU Chile–Colombia" not in html  # the UK's coordinators follow the UK's MoUs
    spanish = login_as(world.coordinator_cl).get(f"/parties/{world.cl.id}/follow-up?page=2")
    assert "MdE CL–ES" in spanish.get_data(as_text=True)


def test_line_commitments_of_a_period(world, session, commitment_of):
    """The year 2025: what was open at some time in it, by line and status."""
    second = LineOfCooperation(
        mou_id=world.mou.id, position=2, title_en="Training", title_es="Formación"
    )
    session.add(second)
    session.flush()
    session.refresh(world.mou)
    first = world.mou.lines[0]
    made = {}
    for name, line, created, status, closed in (
        ("open since January", first, datetime(2025, 1, 10, tzinfo=UTC), PLANNED, None),
        ("closed before", first, datetime(2024, 5, 1, tzinfo=UTC), ACHIEVED,
         datetime(2024, 12, 1, tzinfo=UTC)),
        ("dropped in March", first, datetime(2024, 5, 1, tzinfo=UTC), DROPPED,
         datetime(2025, 3, 1, tzinfo=UTC)),
        ("achieved on the last day", second, datetime(2025, 6, 1, tzinfo=UTC), ACHIEVED,
         datetime(2025, 12, 31, 23, tzinfo=UTC)),
        ("made after", second, datetime(2026, 1, 1, tzinfo=UTC), PLANNED, None),
        ("in progress", second, datetime(2025, 6, 1, tzinfo=UTC), IN_PROGRESS, None),
    ):  # fmt: skip
        made[name] = commitment_of(
            session, world.mou, line=line, title_en=name, status=status, created_at=created,
            closed_at=closed,
        )  # fmt: skip
    commitment_of(session, world.mou_cl_co, created_at=datetime(2025, 2, 2, tzinfo=UTC))
    session.commit()

    report = queries.line_commitments(
        session, world.observer_gb, world.mou, date(2025, 1, 1), date(2025, 12, 31)
    )
    expected = session.execute(text(
        "SELECT line_id, status, count(*) FROM commitments WHERE mou_id = :m"
        " AND created_at < :end AND (closed_at IS NULL OR closed_at >= :start)"
        " GROUP BY line_id, status"
    ).bindparams(bindparam("end", type_=UTCDateTime), bindparam("start", type_=UTCDateTime)), {
        "m": world.mou.id, "start": datetime(2025, 1, 1, tzinfo=UTC),
        "end": datetime(2026, 1, 1, tzinfo=UTC),
    }).all()  # fmt: skip
    got = {
        (entry.line.id, status.value, count)
        for entry in report
        for status, count in entry.counts.items()
        if count
    }
    assert got == {tuple(row) for row in expected}
    assert [entry.line.title_en for entry in report] == ["CSIRT collaboration", "Training"]
    assert [[c.title_en for c in entry.commitments] for entry in report] == [
        ["open since January", "dropped in March"],
        ["achieved on the last day", "in progress"],
    ]
    assert [entry.total for entry in report] == [2, 2]
    with pytest.raises(Denied):
        queries.line_commitments(
            session, world.member_co, world.mou, date(2025, 1, 1), date(2025, 12, 31)
        )
