"""Demo trainings under the Chile–UK MoU: one coming (open for registration), one past."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.calendar.localtime import to_utc
from portal.core.markdown import render_markdown
from portal.mous.models import WorkingGroup
from portal.trainings.models import (
    AttendanceMark,
    Audience,
    Registration,
    RegistrationStatus,
    Sector,
    Training,
    TrainingFormat,
    TrainingLanguage,
)

ZONE = "America/Santiago"

DEMO_TRAININGS = [
    # uid, days from today, local start hour, hours, format, titles, description, attendance
    (
        "demo-training-next@demo.portal",
        21,
        9,
        6,
        TrainingFormat.HYBRID,
        "Incident handling for CSIRTs",
        "Gestión de incidentes para CSIRT",
        "Triage, containment and the exchange of indicators between the two CSIRTs.",
        "Clasificación, contención e intercambio de indicadores entre ambos CSIRT.",
        None,
    ),
    (
        "demo-training-last@demo.portal",
        -30,
        10,
        3,
        TrainingFormat.ONLINE,
        "Secure software development: the basics",
        "Desarrollo de software seguro: lo esencial",
        "OWASP Top 10 for public-sector development teams.",
        "OWASP Top 10 para equipos de desarrollo del sector público.",
        AttendanceMark.PRESENT,
    ),
]
PARTICIPANTS = [
    ("member.cl@demo.portal", "CSIRT de Gobierno", Sector.PUBLIC),
    ("member.gb@demo.portal", "National Cyber Security Centre", Sector.PUBLIC),
]


def seed_demo_trainings(session: Session, users: dict[str, User]) -> None:
    """Two trainings so the training list and pages show something, with two registrations."""
    group = session.scalar(
        select(WorkingGroup).where(WorkingGroup.name_en == "Binational Working Group")
    )
    if group is None:
        return
    today = datetime.now(ZoneInfo(ZONE)).date()
    for uid, days, hour, hours, form, title_en, title_es, text_en, text_es, mark in DEMO_TRAININGS:
        if session.scalar(select(Training.id).where(Training.uid == uid)) is not None:
            continue
        starts_at = to_utc(datetime.combine(today + timedelta(days=days), time(hour)), ZONE, 0)
        training = Training(
            mou=group.mou,
            working_group=group,
            uid=uid,
            title_en=title_en,
            title_es=title_es,
            description_md_en=text_en,
            description_md_es=text_es,
            description_html_en=render_markdown(text_en),
            description_html_es=render_markdown(text_es),
            audience=Audience.BOTH,
            format=form,
            venue="" if form == TrainingFormat.ONLINE else "Ministerio de Hacienda, Santiago",
            link="https://video.example.org/demo-training",
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=hours),
            timezone=ZONE,
            language=TrainingLanguage.BOTH,
            trainers="CSIRT CL · NCSC",
            capacity=20,
            registration_closes_at=starts_at - timedelta(days=2),
            allow_external=True,
            organiser_id=users["coordinator.cl@demo.portal"].id,
        )
        for number, (email, organisation, sector) in enumerate(PARTICIPANTS, start=1):
            training.registrations.append(
                Registration(
                    user=users[email],
                    organisation=organisation,
                    sector=sector,
                    status=RegistrationStatus.CONFIRMED,
                    queue_number=number,
                    attendance=mark,
                )
            )
        training.registrations_taken = len(PARTICIPANTS)
        session.add(training)
