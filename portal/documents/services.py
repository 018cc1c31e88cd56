"""Documents: reading them as a given person, uploading versions, changing metadata and TLP."""

from dataclasses import dataclass, field
from typing import IO

from flask import current_app
from flask_babel import format_number
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from portal.accounts.models import Role, User
from portal.audit.services import record, record_restricted_read
from portal.core.db import utcnow
from portal.core.errors import Denied, Forbidden, NotFound, NotVisible, ValidationError
from portal.core.markdown import render_markdown
from portal.core.tlp import TLP
from portal.documents import access, filetypes
from portal.documents import notifications as mails
from portal.documents.extraction import ExtractionLimits, extract_text
from portal.documents.models import (
    Document,
    DocumentCategory,
    DocumentLanguage,
    DocumentTag,
    DocumentVersion,
    document_followers,
)
from portal.documents.parsing import MAX_ZIP_MEMBERS, Refused
from portal.documents.search import index_document
from portal.documents.storage import TooLarge, document_storage, forget_on_rollback
from portal.mous.models import Mou, WorkingGroup, mou_parties

DEFAULT_PARTY_QUOTA = 20 * 1024**3


@dataclass
class DocumentData:
    """`title` and `description_md` are the English versions; either language may be the
    one written (at least one title)."""

    title: str
    description_md: str
    language: DocumentLanguage
    category: DocumentCategory
    tags: list[str]
    tlp: TLP
    reader_ids: list[int] = field(default_factory=list)  # named people, for TLP:RED
    title_es: str = ""
    description_md_es: str = ""


@dataclass
class Upload:
    """A file as it arrives: its stream (read once, in chunks) and the name the uploader gave."""

    stream: IO[bytes]
    file_name: str | None
    change_note: str = ""


# Reading ---------------------------------------------------------------------------------


def get_document(session: Session, actor: User, document_id: int) -> Document:
    """The document if `actor` may open it; missing and hidden cost the same one query."""
    document = session.scalar(
        select(Document)
        .where(Document.id == document_id, access.visible_documents_clause(actor))
        .options(
            joinedload(Document.mou).selectinload(Mou.parties),
            joinedload(Document.working_group).selectinload(WorkingGroup.memberships),
            joinedload(Document.owning_party),
            joinedload(Document.created_by),
            selectinload(Document.versions).joinedload(DocumentVersion.uploaded_by),
            selectinload(Document.tags),
            selectinload(Document.readers),
        )
    )
    if document is None:
        raise NotVisible("document", document_id, Document)
    if not access.can_view_document(actor, document):
        raise Denied("document", document_id)
    return document


def get_version(session: Session, actor: User, document_id: int, number: int) -> DocumentVersion:
    document = get_document(session, actor, document_id)
    version = next((v for v in document.versions if v.number == number), None)
    if version is None:
        raise NotFound()
    record_restricted_read(
        session,
        "document.downloaded",
        actor=actor,
        object_type="document",
        obj=document,
        version=number,
    )
    return version


def reader_candidates(session: Session, mou: Mou) -> list[User]:
    """The people who may be named on a TLP:RED document: the delegations of the MoU's parties."""
    party_ids = select(mou_parties.c.party_id).where(mou_parties.c.mou_id == mou.id)
    return list(
        session.scalars(
            select(User)
            .where(
                User.party_id.in_(party_ids),
                User.is_active.is_(True),
                User.role.in_((Role.COORDINATOR, Role.MEMBER, Role.OBSERVER)),
            )
            .order_by(User.name)
        )
    )


def is_following(session: Session, document: Document, user: User) -> bool:
    """One EXISTS: the document's followers are not loaded to find one reader among them."""
    if not user.is_authenticated:
        return False
    return bool(
        session.scalar(
            select(
                exists().where(
                    document_followers.c.document_id == document.id,
                    document_followers.c.user_id == user.id,
                )
            )
        )
    )


# Changing ---------------------------------------------------------------------------------


def require_uploader(actor: User, mou: Mou, group: WorkingGroup | None) -> None:
    if not access.can_upload_document(actor, mou, group):
        raise Forbidden()


def require_editor(actor: User, document: Document) -> None:
    if not access.can_edit_document(actor, document):
        raise Forbidden()


def create_document(
    session: Session,
    actor: User,
    mou: Mou,
    group: WorkingGroup | None,
    data: DocumentData,
    upload: Upload,
) -> Document:
    """A new document with its first version, audited; mails the working group's readers."""
    document = store_new_document(session, actor, mou, group, data, upload)
    record(
        session,
        "document.created",
        actor=actor,
        object_type="document",
        object_id=document.id,
        tlp=document.tlp.label,
    )
    mails.document_shared(session, document, actor)
    return document


def store_new_document(
    session: Session,
    actor: User,
    mou: Mou,
    group: WorkingGroup | None,
    data: DocumentData,
    upload: Upload,
) -> Document:
    """The document, its first version's file and its search entry (also for the demo data)."""
    if not access.can_view_library(actor, mou, group):
        raise Denied("working_group" if group else "mou", group.id if group else mou.id)
    require_uploader(actor, mou, group)
    now = utcnow()
    document = Document(
        mou=mou,
        working_group=group,
        owning_party_id=actor.party_id,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    _apply(session, document, data, actor)
    session.add(document)
    content = _store_version(session, actor, document, upload)
    session.flush()
    index_document(session, document, content)
    return document


def add_version(session: Session, actor: User, document: Document, upload: Upload) -> None:
    require_editor(actor, document)
    if not upload.change_note.strip():
        raise ValidationError(_l("Say what changed in this version."), "change_note")
    content = _store_version(session, actor, document, upload)
    document.updated_at = utcnow()
    session.flush()
    index_document(session, document, content)
    record(
        session,
        "document.version_added",
        actor=actor,
        object_type="document",
        object_id=document.id,
        version=document.versions[-1].number,
    )
    mails.new_version(session, document, actor)


def update_document(session: Session, actor: User, document: Document, data: DocumentData) -> None:
    require_editor(actor, document)
    previous = document.tlp
    if not access.can_change_tlp(actor, document, data.tlp):
        raise ValidationError(
            _l("Only the owning party's coordinator may loosen the TLP label."), "tlp"
        )
    _apply(session, document, data, actor)
    document.updated_at = utcnow()
    session.flush()
    index_document(session, document)
    if previous != document.tlp:
        record(
            session,
            "document.tlp_changed",
            actor=actor,
            object_type="document",
            object_id=document.id,
            before=previous.label,
            after=document.tlp.label,
        )


def set_following(session: Session, actor: User, document: Document, follow: bool) -> None:
    if not access.can_follow_document(actor, document):
        raise Forbidden()
    followers = document.followers
    if follow and actor not in followers:
        followers.append(actor)
    elif not follow and actor in followers:
        followers.remove(actor)


def _apply(session: Session, document: Document, data: DocumentData, actor: User) -> None:
    if not (data.title.strip() or data.title_es.strip()):
        raise ValidationError(
            str(_l("Write the title in English, in Spanish or in both.")), field="title"
        )
    document.title_en = data.title.strip()
    document.title_es = data.title_es.strip()
    document.description_md_en = data.description_md
    document.description_md_es = data.description_md_es
    document.description_html_en = render_markdown(data.description_md)
    document.description_html_es = render_markdown(data.description_md_es)
    document.language = data.language
    document.category = data.category
    document.tlp = data.tlp
    wanted = list(dict.fromkeys(data.tags))
    document.tags = [t for t in document.tags if t.tag in wanted]
    present = set(document.tag_names)
    document.tags.extend(DocumentTag(tag=t) for t in wanted if t not in present)
    _apply_readers(session, document, data, actor)


def _apply_readers(session: Session, document: Document, data: DocumentData, actor: User) -> None:
    """Named people matter for TLP:RED; the person naming them is always among them."""
    allowed = {u.id: u for u in reader_candidates(session, document.mou)}
    unknown = set(data.reader_ids) - set(allowed)
    if unknown:
        raise ValidationError(_l("Choose people of the MoU's delegations."), "reader_ids")
    readers = [allowed[i] for i in dict.fromkeys(data.reader_ids)]
    if data.tlp == TLP.RED and actor not in readers:
        readers.append(actor)
    document.readers = readers


def _store_version(session: Session, actor: User, document: Document, upload: Upload) -> str:
    """Check, store and record one version; returns its text for search."""
    config = current_app.config
    storage = document_storage()
    file_name = filetypes.safe_file_name(upload.file_name)
    max_size = config.get("MAX_CONTENT_LENGTH") or DEFAULT_PARTY_QUOTA
    try:
        with storage.receive(upload.stream, max_size) as incoming:
            if incoming.size == 0:
                raise ValidationError(_l("The file is empty."), "file")
            file_type = _detect(incoming.path, file_name)
            if file_type is None:
                raise ValidationError(
                    _l(
                        "This kind of file is not accepted, or its content does not match its "
                        "name. Send a PDF, DOCX, XLSX, PPTX, ODT, TXT, Markdown, PNG, JPEG or "
                        "ZIP file."
                    ),
                    "file",
                )
            _check_quota(session, actor, document, incoming.size)
            extracted = extract_text(incoming.path, file_type, ExtractionLimits.from_config(config))
            key = incoming.keep()
            forget_on_rollback(session, storage, key)
    except TooLarge as error:
        raise ValidationError(_l("The file is too large."), "file") from error
    number = len(document.versions) + 1
    document.versions.append(
        DocumentVersion(
            number=number,
            file_name=file_name,
            size=incoming.size,
            content_type=file_type.content_type,
            sha256=incoming.sha256,
            storage_key=key,
            change_note=upload.change_note.strip(),
            uploaded_by=actor,
            uploaded_at=utcnow(),
            text_skipped=not extracted.indexed,
        )
    )
    return extracted.text


def _detect(path, file_name: str) -> filetypes.FileType | None:
    try:
        return filetypes.detect(path, file_name)
    except Refused as error:
        raise ValidationError(
            _l(
                "This archive's list of files is too long to be checked safely (at most "
                "%(count)s files). Split it into smaller archives.",
                count=format_number(MAX_ZIP_MEMBERS),
            ),
            "file",
        ) from error


def _check_quota(session: Session, actor: User, document: Document, size: int) -> None:
    quota = current_app.config.get("DOCUMENT_PARTY_QUOTA", DEFAULT_PARTY_QUOTA)
    used = session.scalar(
        select(func.coalesce(func.sum(DocumentVersion.size), 0))
        .join(Document, Document.id == DocumentVersion.document_id)
        .where(Document.owning_party_id == (document.owning_party_id or actor.party_id))
    )
    if used + size > quota:
        raise ValidationError(
            _l("Your delegation's storage quota is used up. Ask an administrator."), "file"
        )
