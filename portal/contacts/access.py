"""Who may see and change points of contact.

They are the MoU's: its parties' delegations read them (members, coordinators and observers
of those parties, as on the MoU's page) and nobody else learns they exist; a party's
coordinators keep their own party's contacts, administrators everyone's.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, false, true
from sqlalchemy.orm import selectinload

from portal.accounts.models import Party, Role, User
from portal.contacts.models import PointOfContact
from portal.core.access import can_administer, is_delegation_user, same_party
from portal.core.readership import ObjectPage, Readership
from portal.mous.access import can_view_mou, mou_readers_clause, party_in_mou
from portal.mous.models import Mou


def can_view_contacts(user: User, mou: Mou) -> bool:
    return user.is_authenticated and can_view_mou(user, mou)


def contacts_readers_clause(user: User) -> ColumnElement[bool]:
    """can_view_contacts in SQL, a column on Mou."""
    if not user.is_authenticated:
        return false()
    return mou_readers_clause(Mou.id, user)


def can_view_contact(user: User, contact: PointOfContact) -> bool:
    return contact.removed_at is None and can_view_contacts(user, contact.mou)


def visible_contacts_clause(user: User) -> ColumnElement[bool]:
    """A WHERE clause on PointOfContact keeping the ones the user may see."""
    if not user.is_authenticated:
        return false()
    not_removed = PointOfContact.removed_at.is_(None)
    if can_administer(user):
        return not_removed & true()
    if not is_delegation_user(user):
        return false()
    return not_removed & party_in_mou(PointOfContact.mou_id, user)


def can_edit_contacts(user: User, mou: Mou, party: Party) -> bool:
    """Administrators, and the coordinators of that party, for a party of the MoU."""
    if not can_view_contacts(user, mou) or party not in mou.parties:
        return False
    if can_administer(user):
        return True
    return user.role == Role.COORDINATOR and same_party(user.party_id, party.id)


def can_edit_contact(user: User, contact: PointOfContact) -> bool:
    return can_view_contact(user, contact) and can_edit_contacts(user, contact.mou, contact.party)


def editable_parties(user: User, mou: Mou) -> list[Party]:
    return [party for party in mou.parties if can_edit_contacts(user, mou, party)]


def receives_verification_reminders(user: User, mou: Mou, party: Party) -> bool:
    """The party's active coordinators who may see the MoU are asked to verify its contacts."""
    return (
        user.is_active
        and user.role == Role.COORDINATOR
        and same_party(user.party_id, party.id)
        and can_view_contacts(user, mou)
    )


MAIL_READERSHIP = {
    "mou_contacts": Readership(
        Mou,
        lambda readers: (selectinload(Mou.parties),),
        can_view_contacts,
        page=ObjectPage(_l("Points of contact"), "contacts.contact_list", "mou_id"),
    ),
}
