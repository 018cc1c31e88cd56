"""Who the viewer is: the permission rules every feature's own rules are built on.

Each feature answers its permission questions in its own access.py (a Python predicate and
the matching SQL clause); services call those before they read or change anything, views
never decide access. What they share lives here: the viewer's role, their party, the roles
that cut across features and the parametric viewer. This module imports no feature.
"""

from collections.abc import Callable
from functools import cache
from typing import Any, Protocol

from sqlalchemy import bindparam

from portal.core.roles import Role

# Roles that must log in with a second factor.
SECOND_FACTOR_ROLES = (Role.ADMINISTRATOR, Role.COORDINATOR)
# Roles that read everything of their party's MoUs, not only their own working groups.
PARTY_WIDE_READERS = (Role.COORDINATOR, Role.OBSERVER)
# The roles of a delegation's people, as opposed to administrators and external participants.
DELEGATION_ROLES = (Role.COORDINATOR, Role.MEMBER, Role.OBSERVER)


class Viewer(Protocol):
    """What the rules read of a person: a logged-in account or a parametric viewer."""

    is_authenticated: bool
    role: Role
    id: Any
    party_id: Any


class ParametricViewer:
    """Stands for any viewer of a role in a statement built once and run for many people.

    The clauses below read only a viewer's role, id, party and language; here the last
    three are bound parameters (viewer_id, viewer_party_id, viewer_language).
    """

    is_authenticated = True

    def __init__(self, role: Role) -> None:
        self.role = role
        self.id = bindparam("viewer_id")
        self.party_id = bindparam("viewer_party_id")
        self.language = bindparam("viewer_language")


def viewer_parameters(viewer: Viewer) -> dict:
    """The values a ParametricViewer's id and party stand for, for this viewer."""
    return {"viewer_id": viewer.id, "viewer_party_id": viewer.party_id}


@cache
def role_clause(rule: Callable[[Viewer], Any], role: Role) -> Any:
    """What `rule` gives for any viewer of `role`, built once: the viewer's id and party are
    bound parameters, given by viewer_parameters when the statement runs. Building a large
    access rule costs more than running it."""
    return rule(ParametricViewer(role))


def can_administer(user: Viewer) -> bool:
    return user.is_authenticated and user.role == Role.ADMINISTRATOR


def must_use_second_factor(user: Viewer) -> bool:
    """Those who hold the keys log in with a second factor (SECURITY 6); others may."""
    return user.is_authenticated and user.role in SECOND_FACTOR_ROLES


def same_party(party_id: int | None, other_party_id: int | None) -> bool:
    """Both belong to the same delegation. An external participant belongs to none, and no
    party is never the same as another no party: None == None grants nothing."""
    return party_id is not None and party_id == other_party_id


def is_delegation_user(user: Viewer) -> bool:
    """A member of a delegation, as opposed to an external participant."""
    return user.role in DELEGATION_ROLES
