"""Who may invite whom, see login sessions and reset someone's second factor.

Administrators invite anyone into any delegation; a coordinator invites members, observers
and external participants, into their own party only (an external participant into none).
A person sees and ends only their own login sessions.
"""

from portal.accounts.models import Party, Role, User, UserSession
from portal.core.access import can_administer, same_party

# Roles a coordinator may give when inviting people of their own party.
COORDINATOR_INVITABLE_ROLES = (Role.MEMBER, Role.OBSERVER, Role.EXTERNAL)


# Invitations ------------------------------------------------------------------------------


def invitable_roles(user: User) -> tuple[Role, ...]:
    if can_administer(user):
        return tuple(Role)
    if user.role == Role.COORDINATOR:
        return COORDINATOR_INVITABLE_ROLES
    return ()


def can_invite(user: User, party: Party | None, role: Role) -> bool:
    """Into a delegation: the actor's own (administrators: any); an external participant
    is invited into none."""
    if role not in invitable_roles(user):
        return False
    if role == Role.EXTERNAL:
        return party is None
    if party is None:
        return False
    return can_administer(user) or same_party(party.id, user.party_id)


def can_list_invitations(user: User) -> bool:
    return bool(invitable_roles(user))


# Login sessions ---------------------------------------------------------------------------


def owns_login_session(user: User, user_session: UserSession) -> bool:
    """A person sees and ends only their own login sessions; nobody else's, administrators
    included (an administrator ends someone's sessions by deactivating the account)."""
    return user_session.user_id == user.id


# Second factor ----------------------------------------------------------------------------


def can_reset_second_factor(actor: User, person: User) -> bool:
    """An administrator, for someone else (their own device is changed on their own page)."""
    return can_administer(actor) and person.id != actor.id
