"""The "minutes wait for your delegation's approval" line counts exactly the minutes the
reader may approve (meetings.access.can_approve_minutes), whoever co-chairs: a delegation
member or an administrator of a party of the MoU, never an external participant, nor a
co-chair of a group whose MoU their party is not in."""

from datetime import timedelta

import pytest

from portal.accounts.models import User
from portal.core.db import utcnow
from portal.core.extensions import db
from portal.meetings import summaries
from portal.meetings.access import can_approve_minutes
from portal.meetings.models import Meeting, Minutes, MinutesState
from portal.mous.models import Membership
from tests import factories


@pytest.fixture
def circulated(session, world):
    """Circulated minutes in both groups, nobody's approval; co-chairs of every kind."""
    for group in (world.group, world.group_cl_co):
        meeting = factories.make_meeting(session, group, utcnow() - timedelta(days=3))
        session.add(Minutes(meeting=meeting, state=MinutesState.CIRCULATED, revision_number=1))
    world.group.memberships.extend(
        [
            Membership(user=world.external_cl, is_co_chair=True),
            Membership(user=world.admin, is_co_chair=True),
        ]
    )
    # Colombia's member co-chairs a group of an MoU of Chile and Colombia, not the UK's.
    world.group_cl_co.memberships.append(Membership(user=world.member_gb, is_co_chair=True))
    session.commit()
    return world


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("coordinator_cl", 1),
        ("coordinator_gb", 1),
        ("admin", 1),
        ("external_cl", 0),
        ("member_gb", 0),
        ("member_cl", 0),
    ],
)
def test_the_line_counts_what_the_reader_may_approve(app_context, circulated, name, expected):
    reader = db.session.get(User, getattr(circulated, name).id)
    approvable = [
        meeting
        for meeting in db.session.scalars(db.select(Meeting).join(Minutes))
        if can_approve_minutes(reader, meeting)
    ]

    waiting = summaries.minutes_awaiting_approval(db.session, reader)

    assert waiting.count == len(approvable) == expected
    assert waiting.first == (approvable[0].id if approvable else None)
