"""The stored readers' meeting page: which changes make it stale, and where it is kept.

Most people who open a meeting only read it. Their page is the same for all of them but
for its times (shown in each reader's zone) and their own reply, so it is rendered once
per language and kept in `meeting_pages` (portal/meetings/page.py serves it).

`PAGE_VERSION` declares every change the page shows (portal/core/kept raises
`Meeting.page_version` in the same transaction), and a stored page is served only while its
version equals the meeting's. The next reader after a change renders and stores it again.
"""

from sqlalchemy import select, true

from portal.accounts.models import Party, User
from portal.core.kept import DatabaseStore, Raises, declare
from portal.meetings.models import (
    AgendaItem,
    Invitee,
    Meeting,
    MeetingPage,
    Minutes,
    MinutesApproval,
    MinutesReopening,
    MinutesRevision,
)
from portal.mous.models import Mou, WorkingGroup

PAGES = DatabaseStore(MeetingPage, ("meeting_id", "language"))


def _meetings_showing(people: set[int]):
    """Meetings whose page names one of these people: invitees, minutes authors, approvers,
    reopeners."""
    return (
        select(Invitee.meeting_id)
        .where(Invitee.user_id.in_(people))
        .union(
            select(Minutes.meeting_id)
            .join(MinutesRevision, MinutesRevision.minutes_id == Minutes.id)
            .where(MinutesRevision.author_id.in_(people)),
            select(Minutes.meeting_id)
            .join(MinutesApproval, MinutesApproval.minutes_id == Minutes.id)
            .where(MinutesApproval.user_id.in_(people)),
            select(Minutes.meeting_id)
            .join(MinutesReopening, MinutesReopening.minutes_id == Minutes.id)
            .where(MinutesReopening.user_id.in_(people)),
        )
    )


def _ids(objects, attribute: str = "id") -> set[int]:
    return {getattr(obj, attribute) for obj in objects}


PAGE_VERSION = declare(
    Meeting.page_version,
    Raises(Meeting, lambda meetings: Meeting.id.in_(_ids(meetings))),
    Raises(
        (AgendaItem, Invitee, Minutes),
        lambda rows: Meeting.id.in_(_ids(rows, "meeting_id")),
    ),
    Raises(
        (MinutesRevision, MinutesApproval, MinutesReopening),
        lambda rows: Meeting.id.in_(
            select(Minutes.meeting_id).where(Minutes.id.in_(_ids(rows, "minutes_id")))
        ),
    ),
    Raises(
        User,
        lambda people: Meeting.id.in_(_meetings_showing(_ids(people))),
        fields=("name", "party_id"),
    ),
    Raises(Party, lambda parties: true(), fields=("code", "name_en", "name_es", "timezone")),
    Raises(
        WorkingGroup,
        lambda groups: Meeting.working_group_id.in_(_ids(groups)),
        fields=("name_en", "name_es", "mou_id"),
    ),
    Raises(
        Mou,
        lambda mous: Meeting.working_group_id.in_(
            select(WorkingGroup.id).where(WorkingGroup.mou_id.in_(_ids(mous)))
        ),
        fields=("title_en", "title_es", "parties"),
    ),
)
