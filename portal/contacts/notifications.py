"""Point-of-contact mails through the outbox, each in its recipient's language."""

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from portal.accounts.models import Party, User
from portal.contacts import access
from portal.contacts.models import PointOfContact
from portal.mous.models import Mou
from portal.notifications.readable import about
from portal.notifications.services import queue_email
from portal.web.urls import external_url

# What the outbox page calls each kind of mail queued here.
MAIL_KINDS = {
    "contact_verification_due": _l("Points of contact to verify"),
}


def verification_due(
    session: Session, person: User, mou: Mou, party: Party, contacts: list[PointOfContact]
) -> None:
    """Ask a coordinator to check that their party's contacts under an MoU are still right."""
    if not access.receives_verification_reminders(person, mou, party):
        return
    queue_email(
        session,
        kind="contact_verification_due",
        template="contacts/verification_due",
        subject=_l("Points of contact to verify: %(party)s", party=party.code),
        recipient=person.email,
        recipient_user=person,
        language=person.language,
        mou=mou,
        party=party,
        contacts=contacts,
        about=about("mou_contacts", mou.id),
        link=external_url("contacts.contact_list", mou_id=mou.id, party=party.id),
    )
