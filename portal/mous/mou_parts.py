"""An MoU's signatories and lines of cooperation: the two small lists of its manage page."""

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.audit.services import record
from portal.core.db import attached_work
from portal.core.errors import Conflict, NotFound, ValidationError
from portal.mous.models import LineOfCooperation, Mou, Signatory
from portal.mous.services import require_mou_editor


def add_signatory(
    session: Session,
    actor: User,
    mou: Mou,
    *,
    party_id: int,
    name: str,
    office_en: str,
    office_es: str,
) -> Signatory:
    require_mou_editor(actor)
    if party_id not in {p.id for p in mou.parties}:
        raise ValidationError(str(_l("Choose one of the MoU's parties.")), field="party_id")
    signatory = Signatory(
        party_id=party_id,
        name=name.strip(),
        office_en=office_en.strip(),
        office_es=office_es.strip(),
    )
    mou.signatories.append(signatory)
    record(session, "mou.signatory_added", actor=actor, object_type="mou", object_id=mou.id)
    return signatory


def signatory_of(actor: User, mou: Mou, signatory_id: int) -> Signatory:
    """A signatory of the MoU, for whoever edits MoUs (403), or 404."""
    require_mou_editor(actor)
    signatory = next((s for s in mou.signatories if s.id == signatory_id), None)
    if signatory is None:
        raise NotFound()
    return signatory


def remove_signatory(session: Session, actor: User, mou: Mou, signatory_id: int) -> None:
    mou.signatories.remove(signatory_of(actor, mou, signatory_id))
    record(session, "mou.signatory_removed", actor=actor, object_type="mou", object_id=mou.id)


def add_line(
    session: Session, actor: User, mou: Mou, *, title_en: str, title_es: str
) -> LineOfCooperation:
    require_mou_editor(actor)
    position = max((line.position for line in mou.lines), default=0) + 1
    line = LineOfCooperation(
        position=position, title_en=title_en.strip(), title_es=title_es.strip()
    )
    mou.lines.append(line)
    record(session, "mou.line_added", actor=actor, object_type="mou", object_id=mou.id)
    return line


def line_of(actor: User, mou: Mou, line_id: int) -> LineOfCooperation:
    """A line of cooperation of the MoU, for whoever edits MoUs (403), or 404."""
    require_mou_editor(actor)
    line = next((x for x in mou.lines if x.id == line_id), None)
    if line is None:
        raise NotFound()
    return line


def removable_line(session: Session, actor: User, mou: Mou, line_id: int) -> LineOfCooperation:
    """A line of cooperation that may be removed: none of the work reported under it (action
    items, commitments...) may lose its line, so one with work attached stays (409)."""
    line = line_of(actor, mou, line_id)
    if attached_work(session, LineOfCooperation, line.id):
        raise Conflict(
            str(
                _l(
                    "Work is recorded under this line of cooperation, so it cannot be removed."
                    " Edit its title instead, or move that work to another line first."
                )
            )
        )
    return line


def remove_line(session: Session, actor: User, mou: Mou, line_id: int) -> None:
    mou.lines.remove(removable_line(session, actor, mou, line_id))
    record(session, "mou.line_removed", actor=actor, object_type="mou", object_id=mou.id)
