"""One object per submitted form: a create form carries a one-time token, claimed in the
transaction that creates the object, so a second submission (a double click, a retry, the same
form posted twice at once) finds the first object instead of making another.
"""

import logging
import secrets
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy import ForeignKey, String, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.core.db import UTCDateTime, utcnow
from portal.core.errors import ServiceError
from portal.core.extensions import db
from portal.core.kept import HTML_SLOTS
from portal.core.tokens import read_signed_token, signed_token

log = logging.getLogger(__name__)

PURPOSE = "form-submission"

# What the second submission is told, per kind of object a form creates.
ALREADY_SUBMITTED = {
    "meeting": _l("This was already submitted: here is the meeting it created."),
    "agenda_item": _l("This was already submitted: here is the agenda item it added."),
    "invitee": _l("This was already submitted: here is the meeting it invited to."),
    "action": _l("This was already submitted: here is the action item it created."),
    "action_comment": _l("This was already submitted: here is the update it posted."),
    "document": _l("This was already submitted: here is the document it created."),
    "document_version": _l("This was already submitted: here is the version it uploaded."),
    "training": _l("This was already submitted: here is the training it created."),
    "registration": _l("This was already submitted: here is the registration it made."),
    "external_invitation": _l("This was already submitted: here is the training it invited to."),
    "feedback": _l("This was already submitted: here is the training it gave feedback on."),
    "mou": _l("This was already submitted: here is the MoU it created."),
    "mou_part": _l("This was already submitted: here is the MoU it added to."),
    "working_group": _l("This was already submitted: here is the working group it created."),
    "member": _l("This was already submitted: here is the working group it added to."),
    "party": _l("This was already submitted: here is the delegation it created."),
    "invitation": _l("This was already submitted: the invitation it sent is on its way."),
}


class Submission(db.Model):
    """A create form's token, once claimed: who sent it, what it created, where that is shown."""

    __tablename__ = "form_submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int]
    page: Mapped[str] = mapped_column(String(300))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AlreadySubmitted(ServiceError):
    """The form was submitted before: the answer is the page of what that submission made."""

    def __init__(self, submission: Submission) -> None:
        super().__init__(str(ALREADY_SUBMITTED[submission.kind]))
        self.page = submission.page


def new_submission_token(account: str | None) -> str:
    """A token for one showing of a create form, signed for the account it is shown to."""
    return signed_token(PURPOSE, {"u": account, "n": secrets.token_urlsafe(24)})


def submission_nonce(token: str, account: str | None) -> str | None:
    """The token's one-time part, or None when it is forged or was shown to another account."""
    payload = read_signed_token(PURPOSE, token or "")
    if payload is None or payload.get("u") != account or not isinstance(payload.get("n"), str):
        return None
    return payload["n"][:64]


def refuse_repeat(session: Session, user_id: int, nonce: str) -> None:
    """Raise AlreadySubmitted when this token already created something."""
    earlier = session.scalar(
        select(Submission).where(Submission.token == nonce, Submission.user_id == user_id)
    )
    if earlier is not None:
        raise AlreadySubmitted(earlier)


def claim_submission(session: Session, user, nonce: str, kind: str, created, page: str) -> None:
    """Claim the token in the transaction that created the object.

    When the same form was posted twice at once, the unique token makes the later insert wait
    for the first transaction and then fail: everything the later one did (its object, its
    queued mails) is rolled back and its answer is the first one's object.
    """
    user_id = user.id
    session.flush()  # gives `created` its id
    session.add(
        Submission(token=nonce, user_id=user_id, kind=kind, object_id=created.id, page=page)
    )
    try:
        session.flush()
    except IntegrityError:
        log.info("the same %s form was sent twice at once: the later one is rolled back", kind)
        session.rollback()
        refuse_repeat(session, user_id, nonce)
        raise


# A kept form's hidden fields, as WTForms writes them, with their values in slots
# (core.kept.slots) that `form_token_fillings` fills for each request.
KEPT_FORM_TOKENS = Markup(
    '<input id="csrf_token" name="csrf_token" type="hidden" value="{}">'
    '<input id="submission_token" name="submission_token" type="hidden" value="{}">'
).format(HTML_SLOTS.slot("csrf"), HTML_SLOTS.slot("submission"))


def form_token_fillings(user_id: str) -> dict:
    """The fillings of KEPT_FORM_TOKENS' slots (and of a lone "csrf" slot) for this request."""
    return {
        "csrf": lambda _: generate_csrf(),
        "submission": lambda _: new_submission_token(user_id),
    }
