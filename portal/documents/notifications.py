"""Document mails through the outbox, each to a person who may open the document.

The subject carries the TLP label (SECURITY 18). A TLP:RED document is never put in
a mail: not its title, not its description, only a link to the page behind the login.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.core.bilingual import labelled_text
from portal.core.tlp import TLP
from portal.documents import access
from portal.documents.models import Document
from portal.notifications.readable import about
from portal.notifications.services import queue_email
from portal.web.urls import external_url

SUBJECTS = {
    "shared": _l("[%(tlp)s] New document: %(title)s"),
    "new_version": _l("[%(tlp)s] New version: %(title)s"),
}
RED_SUBJECTS = {
    "shared": _l("[%(tlp)s] A document has been shared with you"),
    "new_version": _l("[%(tlp)s] A document you follow has a new version"),
}
# What the outbox page calls each kind of mail queued here.
MAIL_KINDS = {
    "document_shared": _l("Document shared"),
    "document_new_version": _l("New version of a document"),
}


def _send(session: Session, kind: str, document: Document, person: User) -> None:
    red = document.tlp == TLP.RED
    subject = (
        _l(RED_SUBJECTS[kind], tlp=document.tlp.label)
        if red
        else _l(
            SUBJECTS[kind],
            tlp=document.tlp.label,
            title=labelled_text(document, "title", person.language),
        )
    )
    queue_email(
        session,
        kind=f"document_{kind}",
        template=f"documents/{kind}",
        subject=subject,
        recipient=person.email,
        recipient_user=person,
        language=person.language,
        document=None if red else document,
        tlp_label=document.tlp.label,
        about=about("document_red" if red else "document", document.id),
        link=external_url("documents.detail", document_id=document.id),
    )


def _recipients(people: list[User], document: Document, author: User) -> list[User]:
    seen: dict[int, User] = {}
    for person in people:
        if (
            person.id != author.id
            and person.is_active
            and access.can_view_document(person, document)
        ):
            seen.setdefault(person.id, person)
    return list(seen.values())


def document_shared(session: Session, document: Document, author: User) -> None:
    """A new document in a working group: its members who may open it are told."""
    if document.working_group is None:
        return
    members = [m.user for m in document.working_group.memberships]
    for person in _recipients(members, document, author):
        _send(session, "shared", document, person)


def new_version(session: Session, document: Document, author: User) -> None:
    for person in _recipients(list(document.followers), document, author):
        _send(session, "new_version", document, person)
