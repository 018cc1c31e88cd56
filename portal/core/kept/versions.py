"""Versions: a number on a row, raised in the same transaction by every change to what is
kept under it, so kept output is served only while its version is the row's.

A feature declares each version once (`Version`): which models raise it, on which fields,
and which versioned rows a change reaches. One listener runs every declaration after each
flush; writes that bypass the ORM (a bulk INSERT) call `bulk_written` with what they wrote.

Readers read the version before the data: output rendered from data that changed meanwhile
carries the older version, so it is never served, whatever the interleaving.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import chain

from sqlalchemy import ColumnElement, event, inspect, or_, update
from sqlalchemy.orm import InstrumentedAttribute, Session

# session.info key: a version was raised in the current transaction (see stores.may_keep).
UNCOMMITTED_VERSION = "portal.uncommitted_version"
# session.info key: the versions to raise at commit, each with the WHERE clauses of its rows.
AT_COMMIT = "portal.versions_at_commit"

Stale = Callable[[list], ColumnElement[bool]]


@dataclass(frozen=True)
class Raises:
    """Changes of `model` that raise a version, and the versioned rows they reach (`stale`:
    the changed objects to a WHERE clause on the versioned table).

    With `fields` None every change counts: created, changed, deleted (but a change of
    existing rows to nothing but the `unshown` fields, such as a person's last login). With
    `fields`, only changes of those fields of existing rows: nothing shows a person or a party
    before it exists.
    """

    model: type | tuple[type, ...]
    stale: Stale
    fields: tuple[str, ...] | None = None
    unshown: tuple[str, ...] = ()

    def models(self) -> tuple[type, ...]:
        return self.model if isinstance(self.model, tuple) else (self.model,)

    def counts(self, obj: object, is_new: bool) -> bool:
        if not isinstance(obj, self.model):
            return False
        if self.fields is None:
            return is_new or not self.unshown or self._shown_change(obj)
        if is_new:
            return False
        state = inspect(obj)
        return any(state.attrs[name].history.has_changes() for name in self.fields)

    def _shown_change(self, obj: object) -> bool:
        state = inspect(obj)
        if state.session is not None and obj in state.session.deleted:  # as after a flush
            return True
        return any(
            attribute.history.has_changes()
            for attribute in state.attrs
            if attribute.key not in self.unshown
        )


@dataclass(frozen=True)
class Version:
    """A version column and everything that raises it. A version `at_commit` is raised once,
    as the transaction commits, rather than at each flush: a row that most writes raise (a
    generation) is then locked last and for an instant, so two writers never wait for each
    other's rows holding it."""

    column: InstrumentedAttribute
    raised_by: tuple[Raises, ...]
    at_commit: bool = False

    def stale_rows(self, changed: Iterable[tuple[object, bool]]) -> list[ColumnElement[bool]]:
        """WHERE clauses for the rows these (object, is_new) changes make stale."""
        clauses = []
        for raises in self.raised_by:
            objects = [obj for obj, is_new in changed if raises.counts(obj, is_new)]
            if objects:
                clauses.append(raises.stale(objects))
        return clauses

    def fields_of(self, model: type) -> set[str] | None:
        """The fields of `model` declared to raise this version (None: every change)."""
        fields: set[str] = set()
        for raises in self.raised_by:
            if model in raises.models():
                if raises.fields is None:
                    return None
                fields.update(raises.fields)
        return fields


_DECLARED: list[Version] = []


def declare(column: InstrumentedAttribute, *raised_by: Raises, at_commit: bool = False) -> Version:
    """Declare a version: from now on every flush raises it as `raised_by` says (or, when
    `at_commit`, the commit after it)."""
    version = Version(column, raised_by, at_commit)
    _DECLARED.append(version)
    return version


def declared(column: InstrumentedAttribute) -> Version:
    """Every declaration of one version column as one: features may each declare the
    changes of theirs that raise it (an MoU's report: one per section)."""
    mine = [version for version in _DECLARED if version.column is column]
    raised_by = tuple(r for version in mine for r in version.raised_by)
    return Version(column, raised_by, any(version.at_commit for version in mine))


def old_and_new(objects: Iterable[object], field: str) -> set:
    """The values of `field` on these objects and those they had before this flush: a row
    moved out of a group makes the group it left stale too."""
    values = set()
    for obj in objects:
        before = inspect(obj).attrs[field].history.deleted
        values.update(value for value in chain([getattr(obj, field)], before) if value)
    return values


def raise_version(session: Session, version: Version, where: ColumnElement[bool]) -> None:
    """Raise the version of the rows `where` selects, in the session's transaction."""
    table = version.column.class_.__table__
    name = version.column.key
    session.connection().execute(update(table).where(where).values({name: table.c[name] + 1}))
    session.info[UNCOMMITTED_VERSION] = True
    for obj in list(session.identity_map.values()):  # their loaded version is an old one now
        if isinstance(obj, version.column.class_) and name in inspect(obj).dict:
            session.expire(obj, [name])


def _raise_for(session: Session, changed: list[tuple[object, bool]]) -> None:
    for version in _DECLARED:
        clauses = version.stale_rows(changed)
        if not clauses:
            continue
        if version.at_commit:
            pending = session.info.setdefault(AT_COMMIT, {})
            pending.setdefault(id(version), (version, []))[1].extend(clauses)
            session.info[UNCOMMITTED_VERSION] = True
        else:
            raise_version(session, version, or_(*clauses))


def bulk_written(session: Session, created: Iterable[object]) -> None:
    """Raise the versions that rows written past the ORM (a bulk INSERT) reach, as the
    listener would have for those objects created."""
    _raise_for(session, [(obj, True) for obj in created])


@event.listens_for(Session, "after_flush")
def _raise_declared_versions(session: Session, _flush_context) -> None:
    new, dirty = session.new, session.dirty  # each a set built anew when asked
    changed = [
        (obj, obj in new)
        for obj in chain(new, dirty, session.deleted)
        if obj not in dirty or session.is_modified(obj)
    ]
    if changed:
        _raise_for(session, changed)


@event.listens_for(Session, "before_commit")
def _raise_at_commit(session: Session) -> None:
    """The versions raised at commit, after the last flush (which commit would make next):
    one statement per version column, whatever the number of versions declared on it (the
    generations' rows: a change most of them count raises them all at once)."""
    session.flush()
    by_column: dict = {}
    for version, clauses in session.info.pop(AT_COMMIT, {}).values():
        column = (version.column.class_, version.column.key)
        by_column.setdefault(column, (version, []))[1].extend(clauses)
    for version, clauses in by_column.values():
        distinct = list({id(clause): clause for clause in clauses}.values())
        raise_version(session, version, or_(*distinct))


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_raised(session: Session) -> None:
    session.info.pop(UNCOMMITTED_VERSION, None)
    session.info.pop(AT_COMMIT, None)
