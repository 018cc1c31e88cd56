"""Documents given to a training's participants, each shown only to whom its TLP label allows
(external participants: TLP:CLEAR and TLP:GREEN only)."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.audit.services import record
from portal.core.errors import Denied, Forbidden, NotFound, ValidationError
from portal.core.tlp import TLP
from portal.documents import access as document_access
from portal.documents.models import Document, DocumentVersion
from portal.trainings import access
from portal.trainings.models import Training, training_materials
from portal.web.pagination import Page

CANDIDATES_PER_PAGE = 25


@dataclass(frozen=True)
class Candidate:
    """A document a manager may add to the materials, as the list of candidates shows it."""

    id: int
    title_en: str
    title_es: str
    tlp: TLP
    language: str
    updated_at: datetime


def visible_materials(viewer: User, training: Training) -> list[Document]:
    return [d for d in training.materials if access.can_view_training_material(viewer, training, d)]


def material_candidates(
    session: Session, actor: User, training: Training, *, page: int = 1
) -> Page:
    """Documents of the training's MoU the manager may open and has not attached yet, most
    recently changed first, a page at a time (the columns shown only: one statement for the
    page, one for the count)."""
    if not access.can_manage_training(actor, training):
        return Page(items=[], page=1, per_page=CANDIDATES_PER_PAGE, total=0)
    attached = select(training_materials.c.document_id).where(
        training_materials.c.training_id == training.id
    )
    conditions = (
        Document.mou_id == training.mou_id,
        Document.id.not_in(attached),
        document_access.visible_documents_clause(actor),
    )
    page = max(1, page)
    total = session.scalar(select(func.count(Document.id)).where(*conditions)) or 0
    rows = session.execute(
        select(
            Document.id,
            Document.title_en,
            Document.title_es,
            Document.tlp,
            Document.language,
            Document.updated_at,
        )
        .where(*conditions)
        .order_by(Document.updated_at.desc(), Document.id.desc())
        .limit(CANDIDATES_PER_PAGE)
        .offset((page - 1) * CANDIDATES_PER_PAGE)
    )
    items = [Candidate(*row) for row in rows]
    return Page(items=items, page=page, per_page=CANDIDATES_PER_PAGE, total=total)


def current_version_of_material(
    session: Session, viewer: User, training: Training, document_id: int
) -> DocumentVersion:
    """The file a participant downloads; 404 alike for a missing and a hidden material."""
    document = next((d for d in training.materials if d.id == document_id), None)
    if document is None:
        raise NotFound()
    if not access.can_view_training_material(viewer, training, document):
        raise Denied("document", document_id)
    version = document.current_version
    if version is None:
        raise NotFound()
    record(
        session,
        "training.material_downloaded",
        actor=viewer,
        object_type="document",
        object_id=document.id,
        training=training.id,
        tlp=document.tlp.label,
    )
    return version


def attach_material(session: Session, actor: User, training: Training, document_id: int) -> None:
    if not access.can_manage_training(actor, training):
        raise Forbidden(str(_l("Only the coordinators of the MoU's parties manage materials.")))
    document = session.get(Document, document_id)
    if document is None or not document_access.can_view_document(actor, document):
        raise ValidationError(str(_l("Choose a document from the list.")), "document_id")
    if document.mou_id != training.mou_id:
        raise ValidationError(str(_l("Choose a document of this training's MoU.")), "document_id")
    if any(d.id == document.id for d in training.materials):
        return
    session.execute(
        insert(training_materials).values(training_id=training.id, document_id=document.id)
    )
    record(
        session,
        "training.material_attached",
        actor=actor,
        object_type="training",
        object_id=training.id,
        document=document.id,
    )


def detach_material(session: Session, actor: User, training: Training, document_id: int) -> None:
    if not access.can_manage_training(actor, training):
        raise Forbidden(str(_l("Only the coordinators of the MoU's parties manage materials.")))
    session.execute(
        delete(training_materials).where(
            training_materials.c.training_id == training.id,
            training_materials.c.document_id == document_id,
        )
    )
