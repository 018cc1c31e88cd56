"""Demo commitments: a few under each line of cooperation of the Chile–UK and Chile–Colombia
MoUs, in every status, with progress notes and, on the Chile–UK MoU, a meeting and an action
item linked. Loading them twice changes nothing."""

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.actions.models import ActionItem
from portal.commitments.models import (
    ActionLink,
    Commitment,
    CommitmentChange,
    CommitmentStatus,
    MeetingLink,
    ProgressNote,
)
from portal.core.db import utcnow
from portal.meetings.models import Meeting
from portal.mous.demo import CHILE_COLOMBIA, CHILE_UK
from portal.mous.models import Mou, WorkingGroup
from portal.web.features import DemoData

PLANNED, IN_PROGRESS = CommitmentStatus.PLANNED, CommitmentStatus.IN_PROGRESS
ACHIEVED, DROPPED = CommitmentStatus.ACHIEVED, CommitmentStatus.DROPPED
# line (1-based), English title, Spanish title, responsible parties, target (days from today),
# status, reason for dropping, progress notes (days ago, text)
COMMITMENTS = {
    CHILE_UK["title_en"]: [
        (1, "Share a monthly threat landscape bulletin",
         "Compartir un boletín mensual del panorama de amenazas", ("CL", "GB"), 60, IN_PROGRESS,
         "", [(20, "Three bulletins exchanged; the format is agreed.")]),
        (1, "Agree a secure channel for sensitive information",
         "Acordar un canal seguro para información sensible", ("GB",), -30, IN_PROGRESS, "",
         [(45, "Options compared; waiting for the key exchange.")]),
        (2, "Hold the Binational Working Group twice a year",
         "Reunir al Grupo de Trabajo Binacional dos veces al año", ("CL", "GB"), 180, PLANNED,
         "", []),
        (2, "Adopt the group's terms of reference",
         "Adoptar los términos de referencia del grupo", ("CL", "GB"), -120, ACHIEVED, "",
         [(130, "Adopted at the first meeting.")]),
        (3, "Exercise a joint incident response drill",
         "Realizar un ejercicio conjunto de respuesta a incidentes", ("CL", "GB"), 120, PLANNED,
         "", []),
        (3, "Exchange CSIRT liaison officers", "", ("CL",), -10, DROPPED,
         "Replaced by the monthly video call between the duty teams.", []),
        (4, "Train 100 public servants in incident handling",
         "Capacitar a 100 funcionarios públicos en gestión de incidentes", ("GB",), 240,
         IN_PROGRESS, "", [(7, "42 trained so far, in two online sessions.")]),
        (4, "Open the courses to the private sector",
         "Abrir los cursos al sector privado", ("CL",), 300, PLANNED, "", []),
    ],
    CHILE_COLOMBIA["title_en"]: [
        (1, "Publish a shared catalogue of best practices",
         "Publicar un catálogo compartido de buenas prácticas", ("CL", "CO"), 90, IN_PROGRESS,
         "", [(15, "Twelve practices collected.")]),
        (2, "Compare the national cybersecurity strategies",
         "Comparar las estrategias nacionales de ciberseguridad", ("CL", "CO"), -45, IN_PROGRESS,
         "", [(60, "Chile's 2023–2028 policy summarised.")]),
        (2, "Review the cybercrime bills", "Revisar los proyectos de ley de cibercrimen",
         ("CO",), -200, ACHIEVED, "", [(210, "Joint comments sent to both congresses.")]),
        (3, "Agree an incident notification protocol",
         "Acordar un protocolo de notificación de incidentes", ("CL", "CO"), 150, PLANNED, "",
         []),
        (4, "Exchange job profiles for CSIRT analysts",
         "Intercambiar perfiles de cargo de analistas CSIRT", ("CO",), 60, PLANNED, "", []),
        (5, "Run a regional course on digital forensics",
         "Dictar un curso regional de análisis forense digital", ("CL",), -5, DROPPED,
         "Merged into the OAS regional programme.", []),
        (5, "Certify trainers in both countries",
         "Certificar formadores en ambos países", ("CL", "CO"), 270, PLANNED, "", []),
    ],
}  # fmt: skip
CLOSED = (ACHIEVED, DROPPED)


def seed_demo_commitments(session: Session, demo: DemoData) -> None:
    today = utcnow().date()
    author = demo.users.get("coordinator.cl@demo.portal")
    for title, entries in COMMITMENTS.items():
        mou = session.scalar(select(Mou).where(Mou.title_en == title))
        if mou is None or not mou.lines:
            continue
        present = set(
            session.scalars(select(Commitment.title_en).where(Commitment.mou_id == mou.id))
        )
        for position, en, es, codes, days, status, reason, notes in entries:
            if en in present or position > len(mou.lines):
                continue
            commitment = Commitment(
                mou=mou,
                line=mou.lines[position - 1],
                title_en=en,
                title_es=es,
                target_on=today + timedelta(days=days),
                status=status,
                drop_reason=reason,
                closed_at=utcnow() if status in CLOSED else None,
                parties=[demo.parties[code] for code in codes],
                created_by_id=author.id if author else None,
            )
            commitment.changes.append(
                CommitmentChange(actor_id=commitment.created_by_id, field="created", after=en)
            )
            if status != PLANNED:
                commitment.changes.append(
                    CommitmentChange(
                        actor_id=commitment.created_by_id,
                        field="status",
                        before=PLANNED.value,
                        after=status.value,
                    )
                )
            for ago, text in notes:
                commitment.notes.append(
                    ProgressNote(
                        noted_on=today - timedelta(days=ago),
                        body=text,
                        author_id=commitment.created_by_id,
                    )
                )
            session.add(commitment)
        session.flush()
    _link_demo_work(session)


def _link_demo_work(session: Session) -> None:
    """The Chile–UK group's commitment to meet is served by its meetings and first item."""
    commitment = session.scalar(
        select(Commitment).where(Commitment.title_en == COMMITMENTS[CHILE_UK["title_en"]][2][1])
    )
    if commitment is None:
        return
    groups = select(WorkingGroup.id).where(WorkingGroup.mou_id == commitment.mou_id)
    linked = set(
        session.scalars(
            select(MeetingLink.meeting_id).where(MeetingLink.commitment_id == commitment.id)
        )
    )
    for meeting_id in session.scalars(
        select(Meeting.id).where(Meeting.working_group_id.in_(groups)).order_by(Meeting.id)
    ).all()[:2]:
        if meeting_id not in linked:
            session.add(MeetingLink(commitment_id=commitment.id, meeting_id=meeting_id))
    item_id = session.scalar(
        select(ActionItem.id).where(ActionItem.working_group_id.in_(groups)).order_by(ActionItem.id)
    )
    if item_id is not None and session.get(ActionLink, (commitment.id, item_id)) is None:
        session.add(ActionLink(commitment_id=commitment.id, action_item_id=item_id))
