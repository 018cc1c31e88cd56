"""Demo documents of the library."""

import io

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.core.tlp import TLP
from portal.documents.models import Document, DocumentCategory, DocumentLanguage
from portal.documents.services import DocumentData, Upload, store_new_document
from portal.mous.models import WorkingGroup

DEMO_DOCUMENTS = [
    # group (English name), author, title, language, category, TLP, text
    (
        "Binational Working Group",
        "member.cl@demo.portal",
        "Estrategia Nacional de Ciberseguridad 2023–2028",
        DocumentLanguage.SPANISH,
        DocumentCategory.NATIONAL_STRATEGY,
        TLP.CLEAR,
        "# Estrategia Nacional de Ciberseguridad\n\nObjetivos de ciberseguridad para el Estado.",
    ),
    (
        "Binational Working Group",
        "member.gb@demo.portal",
        "Incident response protocol between CSIRTs",
        DocumentLanguage.ENGLISH,
        DocumentCategory.PROTOCOL,
        TLP.AMBER,
        "How the national CSIRTs exchange indicators during an incident.",
    ),
    (
        "Education and training",
        "member.co@demo.portal",
        "Plan de formación de capital humano en ciberdefensa",
        DocumentLanguage.SPANISH,
        DocumentCategory.HUMAN_CAPITAL,
        TLP.GREEN,
        "Programa de capacitación para equipos de respuesta a incidentes.",
    ),
]


def seed_demo_documents(session: Session, users: dict[str, User]) -> None:
    """A few documents in the libraries, stored and indexed as uploads are."""
    for group_name, email, title, language, category, tlp, body in DEMO_DOCUMENTS:
        if session.scalar(select(Document.id).where(Document.title == title)) is not None:
            continue
        group = session.scalar(select(WorkingGroup).where(WorkingGroup.name_en == group_name))
        if group is None:
            continue
        spanish, summary = language == DocumentLanguage.SPANISH, body.splitlines()[-1]
        store_new_document(
            session,
            users[email],
            group.mou,
            group,
            DocumentData(
                # Title and summary in the document's own language (the other is missing).
                title="" if spanish else title,
                title_es=title if spanish else "",
                description_md="" if spanish else summary,
                description_md_es=summary if spanish else "",
                language=language,
                category=category,
                tags=["demo"],
                tlp=tlp,
            ),
            Upload(io.BytesIO(body.encode()), "document.md", "First version"),
        )
