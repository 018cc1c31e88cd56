"""Who may hold an API token, and what a token lets its holder do.

The API adds no rule about objects: every endpoint asks the owning feature's access.py (its
Python predicate for one object, its SQL clause for lists), as the pages do. What is the
API's own is who may hold a token and what its scope allows.
"""

from portal.accounts.models import User
from portal.api.models import ApiToken
from portal.core.access import can_administer, is_delegation_user, must_use_second_factor


def can_hold_tokens(user: User) -> bool:
    """Delegation people and administrators; external participants see only their trainings
    through the pages, and someone who must use a second factor but has none gets no key that
    would step around it."""
    if not user.is_authenticated or not user.is_active:
        return False
    if not (can_administer(user) or is_delegation_user(user)):
        return False
    return not must_use_second_factor(user) or user.has_second_factor


def owns_token(user: User, token: ApiToken) -> bool:
    """A token is managed only by the person it belongs to (no administrator sees another's)."""
    return user.is_authenticated and token.user_id == user.id


def token_allows(token: ApiToken, method: str) -> bool:
    """A read token reads (GET, HEAD, OPTIONS); only a read-write one changes anything."""
    return method in ("GET", "HEAD", "OPTIONS") or token.can_write
