"""Demo meetings: one coming, one past."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.calendar.localtime import to_utc
from portal.meetings.models import AgendaItem, Invitee, Meeting
from portal.mous.models import WorkingGroup

DEMO_MEETINGS = [
    # uid, group, days from today, local start hour in Santiago, English and Spanish titles, agenda
    (
        "demo-binational-next@demo.portal",
        "Binational Working Group",
        7,
        10,
        "Binational Working Group: quarterly meeting",
        "Grupo de Trabajo Binacional: reunión trimestral",
        ["Welcome and approval of the agenda", "CSIRT information exchange", "Training plan 2027"],
    ),
    (
        "demo-best-practices-last@demo.portal",
        "Best practices",
        -14,
        9,
        "Best practices: incident response protocols",
        "Buenas prácticas: protocolos de respuesta a incidentes",
        ["Review of the shared protocols", "Next steps"],
    ),
]


def seed_demo_meetings(session: Session, users: dict[str, User]) -> None:
    """Two meetings (one coming, one past) so the calendar and the meeting pages show something."""
    today = datetime.now(ZoneInfo("America/Santiago")).date()
    for uid, group_name, days, hour, title_en, title_es, agenda in DEMO_MEETINGS:
        if session.scalar(select(Meeting.id).where(Meeting.uid == uid)) is not None:
            continue
        group = session.scalar(select(WorkingGroup).where(WorkingGroup.name_en == group_name))
        if group is None:
            continue
        day = today + timedelta(days=days)
        starts_at = to_utc(datetime.combine(day, time(hour)), "America/Santiago", fold=0)
        session.add(
            Meeting(
                working_group=group,
                uid=uid,
                title_en=title_en,
                title_es=title_es,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=1, minutes=30),
                timezone="America/Santiago",
                video_url="https://video.example.org/demo",
                organiser_id=users["coordinator.cl@demo.portal"].id,
                agenda=[
                    AgendaItem(position=n, title=title) for n, title in enumerate(agenda, start=1)
                ],
                invitees=[Invitee(user=m.user) for m in group.memberships],
            )
        )
