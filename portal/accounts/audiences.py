"""Who sees a navigation entry (portal.web.features.NavEntry.visible_to), by role.

The bar is kept per language and account, so these may look at nothing but the account."""

from portal.accounts.models import Role, User


def delegation_members(user: User) -> bool:
    """Everyone but external participants, who only see their trainings."""
    return user.role != Role.EXTERNAL


def coordinators_and_administrators(user: User) -> bool:
    return user.role in (Role.ADMINISTRATOR, Role.COORDINATOR)


def coordinators(user: User) -> bool:
    return user.is_coordinator


def administrators(user: User) -> bool:
    return user.is_admin
