"""The roles a person holds in the portal and the kinds of party (delegation).

They live in the kernel because the shared permission rules (portal.core.access) read them;
the accounts feature stores them on its models.
"""

from enum import StrEnum


class Role(StrEnum):
    ADMINISTRATOR = "administrator"
    COORDINATOR = "coordinator"
    MEMBER = "member"
    OBSERVER = "observer"
    EXTERNAL = "external"


class PartyKind(StrEnum):
    COUNTRY = "country"
    ORGANISATION = "organisation"
