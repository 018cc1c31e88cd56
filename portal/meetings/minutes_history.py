"""The two texts of a meeting's minutes (English and Spanish) and their revisions: which
columns hold each, the revision each text is at, and the differences between revisions of
one text. Read by portal/meetings/minutes.py, which changes them."""

import difflib

from sqlalchemy import select
from sqlalchemy.orm import Session, defer, joinedload

from portal.core.errors import NotFound
from portal.meetings.models import Minutes, MinutesReopening, MinutesRevision

# The two texts of the minutes: the columns of each language's (English: `body_md`).
TEXT_COLUMNS = {"en": ("body_md", "body_html"), "es": ("body_md_es", "body_html_es")}


def language_revision(minutes: Minutes | None, language: str) -> int:
    """The number of the last revision of the text in `language` (0: never written): what
    a save of that text is based on."""
    if minutes is None:
        return 0
    numbers = [r.number for r in minutes.revisions if r.language == language]
    return max(numbers, default=0)


def missing_language(minutes: Minutes) -> str | None:
    """The language whose text the minutes lack, if one does (both: the English)."""
    for language, (column, _html) in TEXT_COLUMNS.items():
        if not (getattr(minutes, column) or "").strip():
            return language
    return None


def minutes_revisions(session: Session, minutes: Minutes | None) -> list[MinutesRevision]:
    """Every revision, newest first, without their texts."""
    if minutes is None:
        return []
    return list(
        session.scalars(
            select(MinutesRevision)
            .where(MinutesRevision.minutes_id == minutes.id)
            .options(defer(MinutesRevision.body_md), joinedload(MinutesRevision.author))
            .order_by(MinutesRevision.number.desc())
        )
    )


def previous_of_same_language(revisions: list[MinutesRevision]) -> dict[int, int]:
    """For each revision's number, the number of the one before it of the same text."""
    previous: dict[int, int] = {}
    last: dict[str, int] = {}
    for revision in sorted(revisions, key=lambda r: r.number):
        if revision.language in last:
            previous[revision.number] = last[revision.language]
        last[revision.language] = revision.number
    return previous


def text_diff(old: str, new: str) -> list[str]:
    """The changed lines with three lines of context, as a unified diff without its header."""
    lines = difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=3)
    return list(lines)[2:]


def revision_diff(minutes: Minutes | None, a: int | None, b: int | None) -> list[str]:
    """The lines changed from revision a to revision b; the page escapes them like any text."""
    revisions = {r.number: r for r in minutes.revisions} if minutes is not None else {}
    if a not in revisions or b not in revisions:
        raise NotFound()
    if revisions[a].language != revisions[b].language:  # each text has its own revisions
        raise NotFound()
    return text_diff(revisions[a].body_md, revisions[b].body_md)


def minutes_reopenings(session: Session, minutes: Minutes | None) -> list[MinutesReopening]:
    """Every reopening of the minutes, newest first, with who reopened them and why."""
    if minutes is None:
        return []
    return list(
        session.scalars(
            select(MinutesReopening)
            .where(MinutesReopening.minutes_id == minutes.id)
            .options(joinedload(MinutesReopening.user))
            .order_by(MinutesReopening.id.desc())
        )
    )
