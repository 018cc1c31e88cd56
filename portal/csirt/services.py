"""CSIRT bulletins: reading them as a given person, publishing, answering; CSIRT membership."""

from dataclasses import dataclass, field
from typing import IO

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from portal.accounts.models import Party, Role, User
from portal.audit.services import record, record_restricted_read
from portal.core.db import utcnow
from portal.core.errors import Denied, Forbidden, NotFound, NotVisible, ValidationError
from portal.core.markdown import render_markdown
from portal.core.tlp import TLP
from portal.csirt import access
from portal.csirt import notifications as mails
from portal.csirt.models import (
    Acknowledgement,
    Answer,
    Attachment,
    Bulletin,
    BulletinKind,
    CsirtMember,
    CsirtTeam,
    Indicator,
    IndicatorType,
    Sector,
    Severity,
)
from portal.documents import filetypes
from portal.documents.parsing import Refused
from portal.documents.storage import TooLarge, document_storage, forget_on_rollback
from portal.mous.access import can_view_mou
from portal.mous.models import Mou, mou_parties

MAX_ATTACHMENTS = 5
DEFAULT_MAX_ATTACHMENT = 50 * 1024**2


@dataclass
class BulletinData:
    kind: BulletinKind
    tlp: TLP
    severity: Severity
    title: str
    body_md: str
    sectors: list[Sector] = field(default_factory=list)
    indicators: list[tuple[IndicatorType, str]] = field(default_factory=list)  # cleaned
    reader_ids: list[int] = field(default_factory=list)  # named people, for TLP:RED


@dataclass
class Upload:
    stream: IO[bytes]
    file_name: str | None


# Reading ---------------------------------------------------------------------------------


def get_bulletin(session: Session, actor: User, bulletin_id: int) -> Bulletin:
    """The bulletin if `actor` may open it; missing and hidden answer alike."""
    bulletin = session.scalar(
        select(Bulletin)
        .where(Bulletin.id == bulletin_id, access.visible_bulletins_clause(actor))
        .options(
            joinedload(Bulletin.mou).selectinload(Mou.parties),
            joinedload(Bulletin.owning_party),
            joinedload(Bulletin.created_by),
            selectinload(Bulletin.readers),
            selectinload(Bulletin.indicators),
            selectinload(Bulletin.attachments),
            selectinload(Bulletin.acknowledgements).joinedload(Acknowledgement.user),
        )
    )
    if bulletin is None:
        raise NotVisible("csirt_bulletin", bulletin_id, Bulletin)
    if not access.can_view_bulletin(actor, bulletin):
        raise Denied("csirt_bulletin", bulletin_id)
    return bulletin


def get_for_export(session: Session, actor: User, bulletin_id: int, fmt: str) -> Bulletin:
    """The bulletin to export, as its page would show it; exports of AMBER and above are
    audited like downloads (SECURITY 32)."""
    bulletin = get_bulletin(session, actor, bulletin_id)
    record_restricted_read(
        session,
        "csirt.bulletin_exported",
        actor=actor,
        object_type="csirt_bulletin",
        obj=bulletin,
        format=fmt,
    )
    return bulletin


def get_attachment(session: Session, actor: User, bulletin_id: int, attachment_id: int):
    """An attachment is readable exactly when its bulletin is."""
    bulletin = get_bulletin(session, actor, bulletin_id)
    attachment = next((a for a in bulletin.attachments if a.id == attachment_id), None)
    if attachment is None:
        raise NotFound()
    record_restricted_read(
        session,
        "csirt.attachment_downloaded",
        actor=actor,
        object_type="csirt_bulletin",
        obj=bulletin,
        attachment=attachment.id,
    )
    return attachment


def get_mou(session: Session, actor: User, mou_id: int) -> Mou:
    mou = session.get(Mou, mou_id)
    if mou is None or not can_view_mou(actor, mou):
        raise Denied("mou", mou_id)
    return mou


def team_of(session: Session, party_id: int | None) -> CsirtTeam | None:
    if party_id is None:
        return None
    return session.scalar(select(CsirtTeam).where(CsirtTeam.party_id == party_id))


def team_names(session: Session) -> dict[int, str]:
    return dict(session.execute(select(CsirtTeam.party_id, CsirtTeam.name)).all())


def reader_candidates(session: Session, mou: Mou) -> list[User]:
    """Who may be named on a TLP:RED bulletin: active delegation accounts of the MoU's parties."""
    return list(
        session.scalars(
            select(User)
            .join(mou_parties, mou_parties.c.party_id == User.party_id)
            .where(
                mou_parties.c.mou_id == mou.id,
                User.is_active,
                User.role.in_((Role.COORDINATOR, Role.MEMBER, Role.OBSERVER)),
            )
            .order_by(User.name)
        )
    )


# Publishing ------------------------------------------------------------------------------


def require_publisher(session: Session, actor: User, mou: Mou) -> None:
    if not access.can_publish(actor, mou):
        raise Forbidden(_l("Only CSIRT members of the MoU's parties publish bulletins."))


def publish_bulletin(
    session: Session, actor: User, mou: Mou, data: BulletinData, uploads: list[Upload] = ()
) -> Bulletin:
    """A new bulletin with its indicators and files, audited; its readers are mailed."""
    bulletin = store_bulletin(session, actor, mou, data, uploads)
    record(
        session,
        "csirt.bulletin_published",
        actor=actor,
        object_type="csirt_bulletin",
        object_id=bulletin.id,
        tlp=bulletin.tlp.label,
    )
    mails.bulletin_published(session, bulletin)
    return bulletin


def store_bulletin(
    session: Session, actor: User, mou: Mou, data: BulletinData, uploads: list[Upload] = ()
) -> Bulletin:
    """The bulletin and its files, without mail (also for the demo data)."""
    require_publisher(session, actor, mou)
    title = data.title.strip()
    if not title:
        raise ValidationError(_l("This field is required."), "title")
    if len(title) > 300:
        raise ValidationError(_l("Use at most %(max)d characters.", max=300), "title")
    if len(uploads) > MAX_ATTACHMENTS:
        raise ValidationError(_l("At most %(max)d files.", max=MAX_ATTACHMENTS), "files")
    bulletin = Bulletin(
        mou=mou,
        owning_party_id=actor.party_id,
        created_by=actor,
        created_at=utcnow(),
        kind=data.kind,
        tlp=data.tlp,
        severity=data.severity,
        sectors=",".join(s.value for s in Sector if s in data.sectors),
        title=title,
        body_md=data.body_md,
        body_html=render_markdown(data.body_md),
        indicators=[
            Indicator(position=n, type=kind, value=value)
            for n, (kind, value) in enumerate(data.indicators, start=1)
        ],
    )
    _apply_readers(session, bulletin, mou, data, actor)
    session.add(bulletin)
    for upload in uploads:
        _store_attachment(session, actor, bulletin, upload)
    session.flush()
    return bulletin


def _apply_readers(session: Session, bulletin: Bulletin, mou: Mou, data: BulletinData, actor):
    """Named people matter for TLP:RED; the author is always among them."""
    if data.tlp != TLP.RED:
        return
    allowed = {u.id: u for u in reader_candidates(session, mou)}
    if set(data.reader_ids) - set(allowed):
        raise ValidationError(_l("Choose people of the MoU's delegations."), "reader_ids")
    readers = [allowed[i] for i in dict.fromkeys(data.reader_ids)]
    if actor not in readers:
        readers.append(actor)
    bulletin.readers = readers


def _store_attachment(session: Session, actor: User, bulletin: Bulletin, upload: Upload) -> None:
    """Checked and kept as the documents' files are: type from the bytes, random names."""
    storage = document_storage()
    file_name = filetypes.safe_file_name(upload.file_name)
    max_size = current_app.config.get("MAX_CONTENT_LENGTH") or DEFAULT_MAX_ATTACHMENT
    try:
        with storage.receive(upload.stream, max_size) as incoming:
            if incoming.size == 0:
                raise ValidationError(_l("The file is empty."), "files")
            try:
                file_type = filetypes.detect(incoming.path, file_name)
            except Refused as error:  # an archive too long to check
                raise ValidationError(
                    _l("This file could not be checked safely."), "files"
                ) from error
            if file_type is None:
                raise ValidationError(
                    _l(
                        "This kind of file is not accepted, or its content does not match its "
                        "name. Send a PDF, DOCX, XLSX, PPTX, ODT, TXT, Markdown, PNG, JPEG or "
                        "ZIP file."
                    ),
                    "files",
                )
            key = incoming.keep()
            forget_on_rollback(session, storage, key)
    except TooLarge as error:
        raise ValidationError(_l("The file is too large."), "files") from error
    bulletin.attachments.append(
        Attachment(
            file_name=file_name,
            size=incoming.size,
            content_type=file_type.content_type,
            sha256=incoming.sha256,
            storage_key=key,
            uploaded_by_id=actor.id,
            uploaded_at=utcnow(),
        )
    )


# Answering -------------------------------------------------------------------------------


def acknowledge(
    session: Session, actor: User, bulletin: Bulletin, answer: Answer, note: str
) -> Acknowledgement:
    """The actor's answer for their party; a second answer replaces their first."""
    if not access.can_acknowledge(actor, bulletin):
        raise Forbidden(_l("Only the receiving party's CSIRT members answer a bulletin."))
    note = (note or "").strip()
    if len(note) > 1000:
        raise ValidationError(_l("Use at most %(max)d characters.", max=1000), "note")
    mine = next((a for a in bulletin.acknowledgements if a.user_id == actor.id), None)
    if mine is None:
        mine = Acknowledgement(user=actor, party_id=actor.party_id)
        bulletin.acknowledgements.append(mine)
    mine.answer, mine.note, mine.answered_at = answer, note, utcnow()
    session.flush()
    record(
        session,
        "csirt.bulletin_acknowledged",
        actor=actor,
        object_type="csirt_bulletin",
        object_id=bulletin.id,
        answer=answer.value,
    )
    return mine


def acknowledgements_by_party(bulletin: Bulletin) -> list[tuple[Party, list[Acknowledgement]]]:
    """What the sender sees: each receiving party with its answers (none yet: an empty list)."""
    parties = [p for p in bulletin.mou.parties if p.id != bulletin.owning_party_id]
    return [
        (party, [a for a in bulletin.acknowledgements if a.party_id == party.id])
        for party in sorted(parties, key=lambda p: p.code)
    ]


def answer_of(bulletin: Bulletin, user: User) -> Acknowledgement | None:
    return next((a for a in bulletin.acknowledgements if a.user_id == user.id), None)


# CSIRT membership ------------------------------------------------------------------------


def managed_party(session: Session, actor: User, party_id: int | None) -> Party:
    """The party whose CSIRT the actor manages: their own, or any for an administrator."""
    party = session.get(Party, party_id if party_id is not None else actor.party_id or 0)
    if party is None or not access.can_manage_team(actor, party):
        raise NotFound()
    return party


def team_candidates(session: Session, party: Party) -> list[tuple[User, bool]]:
    """The party's accounts that may be CSIRT members, each with whether it is marked."""
    people = session.scalars(
        select(User)
        .where(
            User.party_id == party.id,
            User.is_active,
            User.role.in_(access.CSIRT_ROLES),
        )
        .order_by(User.name)
    )
    marked = set(session.scalars(select(CsirtMember.user_id)))
    return [(person, person.id in marked) for person in people]


def _person(session: Session, party: Party, user_id: int) -> User:
    person = session.get(User, user_id)
    if person is None or not access.can_be_marked(person, party):
        raise NotFound()
    return person


def mark_member(session: Session, actor: User, party: Party, user_id: int) -> None:
    if not access.can_manage_team(actor, party):
        raise NotFound()
    person = _person(session, party, user_id)
    if session.get(CsirtMember, person.id) is None:
        session.add(CsirtMember(user_id=person.id, marked_by_id=actor.id, marked_at=utcnow()))
        if team_of(session, party.id) is None:
            session.add(CsirtTeam(party_id=party.id, name=f"CSIRT {party.code}"))
        record(session, "csirt.member_marked", actor=actor, object_type="user", object_id=person.id)


def unmark_member(session: Session, actor: User, party: Party, user_id: int) -> None:
    """Their bulletins and answers stay; they no longer publish, answer or read AMBER."""
    if not access.can_manage_team(actor, party):
        raise NotFound()
    person = _person(session, party, user_id)
    membership = session.get(CsirtMember, person.id)
    if membership is not None:
        session.delete(membership)
        record(
            session, "csirt.member_unmarked", actor=actor, object_type="user", object_id=person.id
        )


def find_member(session: Session, actor: User, party: Party, user_id: int) -> User:
    if not access.can_manage_team(actor, party):
        raise NotFound()
    return _person(session, party, user_id)


def csirt_members_of(session: Session, party_ids: list[int]) -> list[User]:
    return list(
        session.scalars(
            select(User)
            .join(CsirtMember, CsirtMember.user_id == User.id)
            .where(User.party_id.in_(party_ids), User.is_active)
            .order_by(User.id)
        )
    )
