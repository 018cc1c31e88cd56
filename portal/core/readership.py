"""What a mail is about, and the rule saying whether its reader may still open it (SECURITY 14).

A mail or digest item that names an object carries it as (kind, id). Each feature declares,
for the kinds of object its mails name, a `Readership`: the model, how to load a batch of them
for a batch of readers, and the same permission rule as its pages. portal.notifications
checks every mail again against those rules when it is sent and when a digest is written.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class About:
    """The object a mail names: a kind some feature declares, and its id."""

    kind: str
    id: int


@dataclass(frozen=True)
class Readers:
    """Who reads a batch: the loaded collections hold only their rows (a meeting of 500
    invitees loads the batch's invitations, not all 500)."""

    ids: frozenset[int]
    emails: frozenset[str]


@dataclass(frozen=True)
class ObjectPage:
    """What people call a kind of object and its page: the endpoint and the argument that
    takes the object's id (the outbox page links each mail to what it names)."""

    label: Any  # a lazy gettext: the reader's language is known only when shown
    endpoint: str
    argument: str


@dataclass(frozen=True)
class Readership:
    """The model of a kind of object, its loader options for a batch of readers (collections
    cut to them), whether one person may open one object, and its page."""

    model: type
    options: Callable[[Readers], tuple]
    may_open: Callable[[Any, Any], bool]
    page: ObjectPage | None = None
