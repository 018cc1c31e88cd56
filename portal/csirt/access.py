"""Who may open, publish and answer CSIRT bulletins, and who manages a CSIRT's members.

The TLP ladder is the one of portal/core/tlp.py, shared with documents; here both parties'
CSIRTs stand for the working group as the AMBER circle. Every page, list, count, feed,
export, attachment and mail goes through can_view_bulletin (one object) or
visible_bulletins_clause (SQL).

  CLEAR         anyone
  GREEN         every delegation account of the MoU's parties (and administrators)
  AMBER         the CSIRT members of the MoU's parties, and those who read all of their
                party's MoUs (coordinators, observers) and administrators
  AMBER+STRICT  as AMBER, and only of the owning party
  RED           only the people named on the bulletin, administrators included only if named
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, exists, false, select
from sqlalchemy.orm import joinedload, object_session, selectinload

from portal.accounts.models import Party, Role, User
from portal.core.access import (
    PARTY_WIDE_READERS,
    can_administer,
    is_delegation_user,
    same_party,
)
from portal.core.readership import ObjectPage, Readers, Readership
from portal.core.tlp import TLP, tlp_allows, tlp_clause
from portal.csirt.models import Bulletin, CsirtMember, bulletin_readers
from portal.mous.access import can_view_mou, mou_readers_clause
from portal.mous.models import Mou

# Who writes: members and coordinators marked as CSIRT members (observers change nothing).
CSIRT_ROLES = (Role.COORDINATOR, Role.MEMBER)


def is_csirt_member(user: User, session=None) -> bool:
    """Whether the account is marked as a member of its party's CSIRT."""
    if not user.is_authenticated or user.party_id is None or not is_delegation_user(user):
        return False
    session = session or object_session(user)
    if session is None:
        return False
    return session.get(CsirtMember, user.id) is not None


def _amber_reader(user: User, bulletin: Bulletin) -> bool:
    if not can_view_mou(user, bulletin.mou):
        return False
    if can_administer(user) or user.role in PARTY_WIDE_READERS:
        return True
    return is_csirt_member(user, object_session(bulletin))


def can_view_bulletin(user: User, bulletin: Bulletin) -> bool:
    return tlp_allows(
        bulletin.tlp,
        user,
        bulletin.owning_party_id,
        named=lambda: user.id in bulletin.reader_ids,
        mou_reader=lambda: can_view_mou(user, bulletin.mou),
        circle=lambda: _amber_reader(user, bulletin),
    )


def visible_bulletins_clause(user: User) -> ColumnElement[bool]:
    """A WHERE clause on Bulletin keeping what the user may open (the rule above, in SQL)."""

    def circle() -> ColumnElement[bool]:
        in_mou = mou_readers_clause(Bulletin.mou_id, user)
        if can_administer(user) or user.role in PARTY_WIDE_READERS:
            return in_mou
        if is_delegation_user(user):
            member = exists(select(CsirtMember.user_id).where(CsirtMember.user_id == user.id))
            return and_(in_mou, member)
        return false()

    def named() -> ColumnElement[bool]:
        return exists(
            select(bulletin_readers.c.user_id).where(
                bulletin_readers.c.bulletin_id == Bulletin.id,
                bulletin_readers.c.user_id == user.id,
            )
        )

    return tlp_clause(
        Bulletin.tlp,
        Bulletin.owning_party_id,
        user,
        named=named,
        mou_reader=lambda: mou_readers_clause(Bulletin.mou_id, user),
        circle=circle,
    )


def can_view_csirt_pages(user: User) -> bool:
    """The bulletin list: delegation accounts and administrators."""
    return user.is_authenticated and (can_administer(user) or is_delegation_user(user))


def _writes_for_a_csirt(user: User) -> bool:
    """A CSIRT member in a role that writes."""
    return user.is_authenticated and user.role in CSIRT_ROLES and is_csirt_member(user)


def can_publish(user: User, mou: Mou) -> bool:
    """A CSIRT member of one of the MoU's parties publishes under it."""
    return _writes_for_a_csirt(user) and can_view_mou(user, mou)


def publishable_mous(user: User, readable: list) -> list:
    """can_publish over MoUs the user reads (visible_mous_clause, which is can_view_mou in
    SQL): every one of them for a CSIRT member who writes, none for anyone else. Membership is
    asked once, not once per MoU."""
    return list(readable) if _writes_for_a_csirt(user) else []


def can_acknowledge(user: User, bulletin: Bulletin) -> bool:
    """The receiving parties' CSIRT members answer; the sending party does not."""
    return (
        user.is_authenticated
        and user.role in CSIRT_ROLES
        and not same_party(user.party_id, bulletin.owning_party_id)
        and can_view_bulletin(user, bulletin)
        and can_view_mou(user, bulletin.mou)
        and is_csirt_member(user, object_session(bulletin))
    )


def can_see_acknowledgements(user: User, bulletin: Bulletin) -> bool:
    """The sending party sees who answered what, per party (administrators too)."""
    if not can_view_bulletin(user, bulletin):
        return False
    return can_administer(user) or (
        is_delegation_user(user) and same_party(user.party_id, bulletin.owning_party_id)
    )


def manages_own_team(user: User) -> bool:
    """can_manage_team for the user's own party, read without loading the party."""
    return (
        user.is_authenticated
        and user.party_id is not None
        and (can_administer(user) or user.role == Role.COORDINATOR)
    )


def can_manage_team(user: User, party: Party) -> bool:
    """A party's coordinator marks its CSIRT members; administrators any party's."""
    if not user.is_authenticated:
        return False
    return can_administer(user) or (
        user.role == Role.COORDINATOR and same_party(user.party_id, party.id)
    )


def can_be_marked(person: User, party: Party) -> bool:
    """Only the party's own delegation accounts that may write (not observers, externals)."""
    return person.is_active and person.role in CSIRT_ROLES and same_party(person.party_id, party.id)


# Mails ----------------------------------------------------------------------------------------


def _bulletin_loading(readers: Readers) -> tuple:
    return (
        joinedload(Bulletin.mou).selectinload(Mou.parties),
        selectinload(Bulletin.readers.and_(User.id.in_(readers.ids))),
    )


def _bulletin_without_red_text(person: User, bulletin: Bulletin) -> bool:
    """A mail carrying the title may not go out once the bulletin is RED (SECURITY 18)."""
    return bulletin.tlp != TLP.RED and can_view_bulletin(person, bulletin)


BULLETIN_PAGE = ObjectPage(_l("CSIRT bulletin"), "csirt.bulletin", "bulletin_id")
MAIL_READERSHIP = {
    "csirt_bulletin": Readership(
        Bulletin, _bulletin_loading, _bulletin_without_red_text, page=BULLETIN_PAGE
    ),
    "csirt_bulletin_red": Readership(
        Bulletin, _bulletin_loading, can_view_bulletin, page=BULLETIN_PAGE
    ),
}
