"""Whether the reader of a mail may still open what it names (SECURITY 14).

A mail or digest item that names an object carries it as (kind, id) (portal.core.readership).
When the mail is sent and when the digest is written, the object is checked again against
the reader's current rights with the rule its feature declares (`mail_subjects` in the
feature's declaration, kept in its access.py): a document tightened to AMBER+STRICT, a
person removed from the group, a party that left the MoU... and the mail is withdrawn. One
query per kind of object (and one for the readers) answers a whole batch.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Protocol, TypeVar

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.core.readership import About, Readers
from portal.web.features import mail_subjects


class Naming(Protocol):
    """An outbox message or digest item: the reader and the object it names."""

    subject_kind: str | None
    subject_id: int | None


Item = TypeVar("Item", bound=Naming)


def about(kind: str, object_id: int) -> About:
    """What a mail is about; a kind no feature declares is a programming error."""
    if kind not in mail_subjects(current_app):
        raise ValueError(f"no readership rule for {kind!r}")
    return About(kind, object_id)


def _objects(session: Session, kind: str, ids: set[int], readers: Readers) -> dict[int, object]:
    """The objects with their collections cut to the readers. populate_existing: an object
    already in the session gets the cut for these readers, not the one of an earlier batch;
    the caller commits (expiring them) before anything else reads those collections."""
    rule = mail_subjects(current_app)[kind]
    found = session.scalars(
        select(rule.model)
        .where(rule.model.id.in_(ids))
        .options(*rule.options(readers))
        .execution_options(populate_existing=True)
    )
    return {thing.id: thing for thing in found.unique()}


def no_longer_readable(
    session: Session, items: Iterable[Item], reader_of: Callable[[Item], User | None]
) -> list[Item]:
    """The items whose reader may no longer open what they name (or it is gone).

    Items naming nothing, or read by no account, are never withdrawn here.
    """
    naming = [(item, reader_of(item)) for item in items if item.subject_kind is not None]
    people = [reader for _, reader in naming if reader is not None]
    readers = Readers(frozenset(p.id for p in people), frozenset(p.email for p in people))
    wanted: dict[str, set[int]] = defaultdict(set)
    for item, _ in naming:
        wanted[item.subject_kind].add(item.subject_id)
    objects = {kind: _objects(session, kind, ids, readers) for kind, ids in wanted.items()}
    rules = mail_subjects(current_app)
    failing = []
    for item, reader in naming:
        if reader is None:
            continue
        thing = objects[item.subject_kind].get(item.subject_id)
        if (
            thing is None
            or not reader.is_active
            or not rules[item.subject_kind].may_open(reader, thing)
        ):
            failing.append(item)
    return failing


def accounts_of(session: Session, user_ids: Iterable[int | None]) -> dict[int, User]:
    """The accounts of a batch's readers, in one query."""
    ids = {user_id for user_id in user_ids if user_id is not None}
    if not ids:
        return {}
    return {user.id: user for user in session.scalars(select(User).where(User.id.in_(ids)))}
