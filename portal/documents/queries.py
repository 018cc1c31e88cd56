"""Reads for the library's landing page (the documents recently added in the reader's MoUs
and working groups, the libraries they may filter by, and where they may upload), for the
library of one MoU or working group (the dashboard's and the panels' short reads are in
summaries.py).

Reads only. Every list goes through access.visible_documents_clause (never a document the
reader may not open) and is limited to the reader's MoUs; a page costs the same statements
whatever it holds (the rows' MoU, group and uploader are joined, not loaded one by one).
"""

from collections import namedtuple
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    Row,
    Select,
    String,
    cast,
    func,
    literal,
    literal_column,
    select,
    union_all,
)
from sqlalchemy.orm import Session, aliased, selectinload

from portal.accounts.models import Role, User
from portal.core.access import ParametricViewer, viewer_parameters
from portal.core.bilingual import missing_translation_clause
from portal.core.db import FIELD, packed, unpacked
from portal.core.errors import Denied
from portal.core.tlp import TLP
from portal.documents import access
from portal.documents.models import Document, DocumentCategory, DocumentLanguage, DocumentTag
from portal.mous.access import visible_mous_clause, visible_working_groups_clause
from portal.mous.models import Mou, WorkingGroup
from portal.web.pagination import Page, paginate

# The orders the reader may choose; the id breaks ties so that pages never overlap.
SORTS = {
    "newest": (Document.created_at.desc(), Document.id.desc()),
    "oldest": (Document.created_at.asc(), Document.id.asc()),
    "title": (func.lower(Document.title).asc(), Document.id.asc()),
}


@dataclass(frozen=True)
class LandingFilters:
    """What the reader asks for; dates are whole days in `zone`, both ends included."""

    zone: str
    mou_id: int | None = None
    group_id: int | None = None
    tlp: TLP | None = None
    category: DocumentCategory | None = None
    language: DocumentLanguage | None = None
    since: date | None = None
    until: date | None = None
    sort: str = "newest"
    # Only the documents with a missing translation the reader may add (portal/core/bilingual).
    untranslated: bool = False


@dataclass(frozen=True)
class Libraries:
    """The MoUs and working groups the reader may list documents of: the filters' choices, as
    plain rows (MoUs: id, title_en, title_es, library_version; groups: id, mou_id, name_en,
    name_es and their MoU's mou_title_en, mou_title_es). Hashable: the rows are the key of
    what is kept from them (library_views), the MoUs' versions with them."""

    mous: tuple[Row, ...]
    groups: tuple[Row, ...]

    def mou(self, mou_id: int | None) -> Row | None:
        return next((mou for mou in self.mous if mou.id == mou_id), None)

    def group(self, group_id: int | None) -> Row | None:
        return next((group for group in self.groups if group.id == group_id), None)


MouLibrary = namedtuple("MouLibrary", "id title_en title_es library_version")
GroupLibrary = namedtuple("GroupLibrary", "id mou_id name_en name_es mou_title_en mou_title_es")


def reader_libraries(session: Session, actor: User) -> Libraries:
    """The reader's MoUs and readable working groups (the rules of can_view_mou and
    can_view_working_group, in SQL), in one statement of the columns shown."""
    mous, groups = [], []
    parameters = viewer_parameters(actor)
    for kind, *row in session.execute(_libraries_query(actor.role), parameters):
        if kind == "mou":
            mous.append(MouLibrary(row[0], row[2], row[3], row[4]))
        else:
            groups.append(GroupLibrary(row[0], row[1], row[2], row[3], row[5], row[6]))
    return Libraries(mous=tuple(mous), groups=tuple(groups))


def reader_library_stamp(session: Session, actor: User) -> tuple[tuple[str, ...], ...]:
    """What the landing's kept body depends on among the reader's libraries, in one row:
    each MoU they may list with its title and library version, each working group with its
    MoU, names, MoU's title and version (the filters' choices say them). A document changed,
    an MoU or group renamed, gained or lost gives another stamp; the libraries' rows
    themselves are read only to render."""
    parameters = viewer_parameters(actor)
    row = session.execute(_stamp_query(actor.role), parameters).one()
    return tuple(unpacked(row.mous)), tuple(unpacked(row.groups))


def _fields(*columns) -> ColumnElement[str]:
    text = cast(columns[0], String)
    for column in columns[1:]:
        text = text + FIELD + cast(column, String)
    return text


@cache
def _stamp_query(role: Role) -> Select:
    viewer = ParametricViewer(role)
    mous = select(packed(_fields(Mou.id, Mou.library_version, Mou.title_en, Mou.title_es))).where(
        visible_mous_clause(viewer)
    )
    groups = (
        select(
            packed(
                _fields(
                    WorkingGroup.id,
                    WorkingGroup.mou_id,
                    WorkingGroup.name_en,
                    WorkingGroup.name_es,
                    Mou.title_en,
                    Mou.title_es,
                    Mou.library_version,
                )
            )
        )
        .join(Mou, Mou.id == WorkingGroup.mou_id)
        .where(visible_working_groups_clause(viewer))
    )
    return select(mous.scalar_subquery().label("mous"), groups.scalar_subquery().label("groups"))


@cache
def _libraries_query(role: Role):
    """Built once per role, run with the reader's id and party: building costs more than
    running. MoUs by title, groups by name (each then by id)."""
    viewer = ParametricViewer(role)
    mous = select(
        literal("mou").label("kind"),
        Mou.id,
        Mou.id,
        Mou.title_en.label("name_en"),
        Mou.title_es,
        Mou.library_version,
        Mou.title_en,
        Mou.title_es,
    ).where(visible_mous_clause(viewer))
    groups = (
        select(
            literal("group"),
            WorkingGroup.id,
            WorkingGroup.mou_id,
            WorkingGroup.name_en,
            WorkingGroup.name_es,
            literal(0),
            Mou.title_en,
            Mou.title_es,
        )
        .join(Mou, Mou.id == WorkingGroup.mou_id)
        .where(visible_working_groups_clause(viewer))
    )
    return union_all(mous, groups).order_by(
        literal_column("kind"), literal_column("name_en"), literal_column("id")
    )


def upload_places(actor: User, libraries: Libraries) -> list[tuple[Row, list[Row]]]:
    """Each MoU library the reader may upload to, with those of its groups they may too: all
    of them for an author, since they are the libraries the reader may view
    (access.can_upload_document)."""
    if not access.may_upload_documents(actor):
        return []
    return [
        (mou, [group for group in libraries.groups if group.mou_id == mou.id])
        for mou in libraries.mous
    ]


def _start_of(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), zone)


def _matching(filters: LandingFilters) -> list[ColumnElement[bool]]:
    wanted = {
        Document.mou_id: filters.mou_id,
        Document.working_group_id: filters.group_id,
        Document.tlp: filters.tlp,
        Document.category: filters.category,
        Document.language: filters.language,
    }
    conditions = [column == value for column, value in wanted.items() if value is not None]
    zone = ZoneInfo(filters.zone)
    if filters.since:
        conditions.append(Document.created_at >= _start_of(filters.since, zone))
    if filters.until:
        conditions.append(Document.created_at < _start_of(filters.until + timedelta(1), zone))
    return conditions


# The fields written in English, Spanish or both (portal/core/bilingual.py).
TRANSLATED_FIELDS = ("title", "description_md")


def _untranslated(actor: User, filters: LandingFilters) -> list[ColumnElement[bool]]:
    if not filters.untranslated:
        return []
    return [
        access.editable_documents_clause(actor),
        missing_translation_clause(Document, *TRANSLATED_FIELDS),
    ]


def landing_query(actor: User, filters: LandingFilters) -> Select:
    """The ids of the documents of the reader's MoUs they may open that match the filters,
    in the order asked for."""
    readers_mous = select(Mou.id).where(visible_mous_clause(actor))
    return (
        select(Document.id)
        .where(
            Document.mou_id.in_(readers_mous),
            access.visible_documents_clause(actor),
            *_matching(filters),
            *_untranslated(actor, filters),
        )
        .order_by(*SORTS.get(filters.sort, SORTS["newest"]))
    )


_UPLOADER = aliased(User, name="uploader")


def recent_documents(session: Session, actor: User, filters: LandingFilters, *, page: int) -> Page:
    """A page of the landing page's list in three statements: the count, the page's ids, then
    their rows: the columns shown, with their MoU's title, group's name and uploader's name.
    Ordering and cutting the ids first keeps the joins to the page's rows (joined before the
    sort, they cost a join per matching row)."""
    ids = paginate(session, landing_query(actor, filters), page=page)
    rows = session.execute(
        select(
            Document.id,
            Document.title_en,
            Document.title_es,
            Document.category,
            Document.tlp,
            Document.language,
            Document.created_at,
            Document.working_group_id,
            Mou.title_en.label("mou_title_en"),
            Mou.title_es.label("mou_title_es"),
            WorkingGroup.name_en.label("group_name_en"),
            WorkingGroup.name_es.label("group_name_es"),
            _UPLOADER.name.label("uploader_name"),
        )
        .join(Mou, Mou.id == Document.mou_id)
        .outerjoin(WorkingGroup, WorkingGroup.id == Document.working_group_id)
        .join(_UPLOADER, _UPLOADER.id == Document.created_by_id)
        .where(Document.id.in_(ids.items))
    )
    by_id = {row.id: row for row in rows}
    return replace(ids, items=[by_id[document_id] for document_id in ids.items])


# A library of one MoU or working group ------------------------------------------------------


@dataclass(frozen=True)
class LibraryFilter:
    category: DocumentCategory | None = None
    language: DocumentLanguage | None = None
    tag: str | None = None


def _library_query(actor: User, mou: Mou, group: WorkingGroup | None, filters: LibraryFilter):
    query = select(Document).where(
        Document.mou_id == mou.id, access.visible_documents_clause(actor)
    )
    if group is not None:
        query = query.where(Document.working_group_id == group.id)
    if filters.language is not None:
        query = query.where(Document.language == filters.language)
    if filters.tag:
        query = query.where(
            select(DocumentTag.tag)
            .where(DocumentTag.document_id == Document.id, DocumentTag.tag == filters.tag)
            .exists()
        )
    return query


def library(
    session: Session,
    actor: User,
    mou: Mou,
    group: WorkingGroup | None,
    filters: LibraryFilter,
    *,
    page: int,
) -> tuple[Page, dict[DocumentCategory, int]]:
    """A page of the documents the reader may open, and how many of them per category."""
    if not access.can_view_library(actor, mou, group):
        raise Denied("working_group" if group else "mou", group.id if group else mou.id)
    query = _library_query(actor, mou, group, filters)
    counts_query = (
        query.with_only_columns(Document.category, func.count())
        .group_by(Document.category)
        .order_by(None)
    )
    counts = {DocumentCategory(c): n for c, n in session.execute(counts_query)}
    if filters.category is not None:
        query = query.where(Document.category == filters.category)
    query = query.options(selectinload(Document.tags)).order_by(
        Document.updated_at.desc(), Document.id.desc()
    )
    return paginate(session, query, page=page), counts
