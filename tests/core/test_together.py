"""Several reads in one statement (portal/core/together.py): each read gets its own rows, in
its own order, with its columns' names and types, and its own values of parameters that other
reads name alike."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import bindparam, select

from portal.accounts.models import User
from portal.core.together import Read, read_together
from portal.meetings.models import Meeting
from tests.factories import make_meeting

STARTS = datetime(2030, 5, 14, 14, tzinfo=UTC)

PEOPLE = select(User.id, User.email).where(User.id > bindparam("after")).order_by(User.id.desc())
MEETINGS = (
    select(Meeting.title_en, Meeting.starts_at)
    .where(Meeting.starts_at >= bindparam("after"))
    .order_by(Meeting.starts_at)
    .limit(bindparam("limit"))
)


def test_each_read_gets_the_rows_it_would_read_alone(world, session):
    for hours in (3, 1, 2):
        make_meeting(session, world.group, STARTS + timedelta(hours=hours), title_en=f"M{hours}")
    session.commit()
    reads = [
        Read(PEOPLE, {"after": world.member_gb.id, "limit": 1}),
        Read(MEETINGS, {"after": STARTS + timedelta(hours=2), "limit": 5}),
        Read(MEETINGS, {"after": STARTS, "limit": 2}),
    ]
    together = read_together(session, reads)
    alone = [tuple(session.execute(read.statement, read.parameters)) for read in reads]
    assert [[tuple(row) for row in rows] for rows in together] == [
        [tuple(row) for row in rows] for rows in alone
    ]
    assert [row.title_en for row in together[2]] == ["M1", "M2"]
    assert together[1][0].starts_at == STARTS + timedelta(hours=2)  # aware, as read alone
    assert together[1][0].starts_at.tzinfo is not None
    assert together[0][0].email == alone[0][0].email


def test_a_read_with_no_rows_gets_none_and_no_reads_no_statement(world, session):
    reads = [Read(MEETINGS, {"after": STARTS, "limit": 5}), Read(PEOPLE, {"after": 0})]
    meetings, people = read_together(session, reads)
    assert meetings == () and len(people) > 0
    assert read_together(session, []) == []
