"""Demo action items: one overdue, one agreed in the past meeting."""

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import Party, User
from portal.actions.models import PRIORITY_RANK, ActionHistory, ActionItem, ActionStatus, Priority
from portal.meetings.models import Meeting
from portal.mous.models import WorkingGroup

DEMO_ACTIONS = [
    # title, group, meeting uid, owners, party, days to due date, priority, status
    (
        "Share the CSIRT incident taxonomy",
        "Binational Working Group",
        None,
        ["member.cl@demo.portal", "member.gb@demo.portal"],
        "CL",
        10,
        Priority.HIGH,
        ActionStatus.IN_PROGRESS,
    ),
    (
        "Draft the 2027 training plan",
        "Binational Working Group",
        None,
        ["member.gb@demo.portal"],
        "GB",
        -5,
        Priority.NORMAL,
        ActionStatus.OPEN,
    ),
    (
        "Circulate the incident response protocols",
        "Best practices",
        "demo-best-practices-last@demo.portal",
        ["member.co@demo.portal"],
        "CO",
        -3,
        Priority.NORMAL,
        ActionStatus.DONE,
    ),
]


def seed_demo_actions(session: Session, users: dict[str, User]) -> None:
    """A few action items, one overdue and one agreed in the past meeting."""
    today = date.today()
    for title, group_name, uid, owners, code, days, priority, status in DEMO_ACTIONS:
        if session.scalar(select(ActionItem.id).where(ActionItem.title == title)) is not None:
            continue
        group = session.scalar(select(WorkingGroup).where(WorkingGroup.name_en == group_name))
        if group is None:
            continue
        meeting = session.scalar(select(Meeting).where(Meeting.uid == uid)) if uid else None
        author = users["coordinator.cl@demo.portal"]
        session.add(
            ActionItem(
                working_group=group,
                meeting=meeting,
                title=title,
                owners=[users[email] for email in owners],
                responsible_party=session.scalar(select(Party).where(Party.code == code)),
                due_on=today + timedelta(days=days),
                priority=priority,
                priority_rank=PRIORITY_RANK[priority],
                status=status,
                completed_on=today - timedelta(days=4) if status == ActionStatus.DONE else None,
                created_by=author,
                history=[ActionHistory(actor_id=author.id, field="created", after=title)],
            )
        )


# Emily reads minutes in a daily summary and has turned document news off; one line waits.
