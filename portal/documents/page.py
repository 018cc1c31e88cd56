"""The document page: rendered once per version of the document and kept (versions.py).

Its body is the same for every signed-in reader but for the buttons (whether they may follow,
whether they do, whether they may edit: part of the key), the form token and the times
(slots, filled per request in the reader's zone). A reader's request costs one statement
beyond the login's: the version, whether they may open it and whether they follow it. A
visitor who is not signed in (TLP:CLEAR only) gets the page rendered for them.
"""

from functools import cache
from operator import attrgetter
from types import SimpleNamespace

from flask import render_template
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy import Select, bindparam, exists, literal, null, select, union_all
from sqlalchemy.orm import Session, aliased

from portal.accounts.models import Party, Role, User
from portal.core.access import ParametricViewer, viewer_parameters
from portal.core.bilingual import missing_translation, text_in
from portal.core.errors import NotVisible
from portal.core.i18n import current_language, deferred_time_fillings, deferred_times
from portal.core.kept import HTML_SLOTS
from portal.documents import access
from portal.documents.models import (
    Document,
    DocumentTag,
    DocumentVersion,
    document_followers,
    document_readers,
)
from portal.documents.queries import TRANSLATED_FIELDS
from portal.documents.versions import DOCUMENT_PAGES
from portal.documents.wording import template_labels, who_may_see
from portal.mous.models import Mou, WorkingGroup, mou_parties


def document_page(session: Session, reader: User, document_id: int):
    """GET /documents/<id> for a signed-in reader: the kept body with their buttons, token
    and times; 404 (audited) for one they may not open, as documents.get_document."""
    row = session.execute(
        _document_query(reader.role), {"document_id": document_id, **viewer_parameters(reader)}
    ).first()
    if row is None:
        raise NotVisible("document", document_id, Document)
    can_edit = access.edits_documents_of(reader, row.created_by_id, row.owning_party_id)
    # The version is read with the document's row, before the rest (versions, tags, names):
    # see portal/core/kept/versions.py.
    key = (document_id, row.page_version, current_language(), row.following, can_edit)

    def render() -> tuple[str, list[str]]:
        document = _shown_document(session, row)
        with deferred_times():
            body = _body(document, authenticated=True, following=row.following, can_edit=can_edit)
        return text_in(document, "title", current_language()), HTML_SLOTS.split(body)

    title, parts = DOCUMENT_PAGES.get(session, key, render)
    body = HTML_SLOTS.fill(parts, {"csrf": generate_csrf(), **deferred_time_fillings()})
    return render_template("documents/detail.html", title=title, body=body)


def visitor_page(document: Document):
    """The page of a TLP:CLEAR document for a visitor who is not signed in."""
    body = _body(document, authenticated=False, following=False, can_edit=False)
    return render_template(
        "documents/detail.html", title=text_in(document, "title", current_language()), body=body
    )


def _body(document: Document, *, authenticated: bool, following: bool, can_edit: bool) -> Markup:
    html = render_template(
        "documents/_page.html",
        document=document,
        authenticated=authenticated,
        can_edit=can_edit,
        missing=missing_translation(document, *TRANSLATED_FIELDS),
        can_follow=authenticated,  # access.can_follow_document: signed in and may open it
        following=following,
        csrf=HTML_SLOTS.slot("csrf"),
        who_may_see=who_may_see(document),
        **template_labels(),
    )
    return Markup(html)  # noqa: S704 - rendered by the template, escaped  # nosec B704


# What the page shows, read as rows (the ORM's loading of the document with its MoU,
# group, parties, versions, tags and readers was most of a page's cost) ------------------

_CREATOR, _UPLOADER, _NAMED = (aliased(User, name=n) for n in ("creator", "uploader", "named"))
_OWNING_PARTY = aliased(Party, name="owning_party")


@cache
def _document_query(role: Role) -> Select:
    """The page's first statement, built once per role (building it costs more than running
    it): the document's version, whether the reader follows it, and its row with the names
    it shows; nothing if the reader may not open it."""
    viewer = ParametricViewer(role)
    following = exists().where(
        document_followers.c.document_id == Document.id,
        document_followers.c.user_id == viewer.id,
    )
    return (
        select(
            Document.page_version,
            following.label("following"),
            Document.created_by_id,
            Document.owning_party_id,
            Document.id,
            Document.title_en,
            Document.title_es,
            Document.description_md_en,
            Document.description_md_es,
            Document.description_html_en,
            Document.description_html_es,
            Document.tlp,
            Document.category,
            Document.language,
            Document.created_at,
            Mou.id.label("mou_id"),
            Mou.title_en.label("mou_title_en"),
            Mou.title_es.label("mou_title_es"),
            WorkingGroup.id.label("group_id"),
            WorkingGroup.name_en.label("group_name_en"),
            WorkingGroup.name_es.label("group_name_es"),
            _OWNING_PARTY.name_en.label("party_name_en"),
            _OWNING_PARTY.name_es.label("party_name_es"),
            _CREATOR.name.label("creator_name"),
        )
        .join(Mou, Mou.id == Document.mou_id)
        .outerjoin(WorkingGroup, WorkingGroup.id == Document.working_group_id)
        .join(_OWNING_PARTY, _OWNING_PARTY.id == Document.owning_party_id)
        .join(_CREATOR, _CREATOR.id == Document.created_by_id)
        .where(Document.id == bindparam("document_id"), access.visible_documents_clause(viewer))
    )


@cache
def _details_query():
    """The page's second statement (only for a page not kept), built once: its versions, tags,
    the people named on it and its MoU's parties, as rows (kind, number, name, other name,
    size, uploaded at, SHA-256, text skipped, sort key) whose unused columns are NULL."""
    document_id, mou_id = bindparam("document_id"), bindparam("mou_id")
    nothing = (null(), null(), null(), null(), null())
    return union_all(
        select(
            literal("version").label("kind"),
            DocumentVersion.number,
            DocumentVersion.file_name.label("name"),
            DocumentVersion.change_note.label("other_name"),
            DocumentVersion.size,
            DocumentVersion.uploaded_at,
            DocumentVersion.sha256,
            DocumentVersion.text_skipped,
            _UPLOADER.name.label("sort_key"),
        )
        .join(_UPLOADER, _UPLOADER.id == DocumentVersion.uploaded_by_id)
        .where(DocumentVersion.document_id == document_id),
        select(literal("tag"), null(), DocumentTag.tag, *nothing, DocumentTag.tag).where(
            DocumentTag.document_id == document_id
        ),
        select(literal("reader"), null(), _NAMED.name, *nothing, _NAMED.name)
        .join(document_readers, document_readers.c.user_id == _NAMED.id)
        .where(document_readers.c.document_id == document_id),
        select(literal("party"), null(), Party.name_en, Party.name_es, *nothing[:4], Party.code)
        .join(mou_parties, mou_parties.c.party_id == Party.id)
        .where(mou_parties.c.mou_id == mou_id),
    )


def _version(row) -> SimpleNamespace:
    return SimpleNamespace(
        number=row.number,
        file_name=row.name,
        change_note=row.other_name,
        size=row.size,
        uploaded_at=row.uploaded_at,
        sha256=row.sha256,
        text_skipped=row.text_skipped,
        uploaded_by=SimpleNamespace(name=row.sort_key),
    )


def _shown_document(session: Session, row):
    """The document of `row` (_document_query's) as the page reads it: the attributes of
    Document it uses, with its versions, tags, named readers and MoU's parties."""
    details: dict[str, list] = {"version": [], "tag": [], "reader": [], "party": []}
    for detail in session.execute(_details_query(), {"document_id": row.id, "mou_id": row.mou_id}):
        details[detail.kind].append(detail)
    tags = sorted(detail.name for detail in details["tag"])
    parties = sorted(details["party"], key=attrgetter("sort_key"))
    mou = SimpleNamespace(
        id=row.mou_id,
        title_en=row.mou_title_en,
        title_es=row.mou_title_es,
        parties=[SimpleNamespace(name_en=p.name, name_es=p.other_name) for p in parties],
    )
    group = None
    if row.group_id is not None:
        group = SimpleNamespace(
            id=row.group_id, name_en=row.group_name_en, name_es=row.group_name_es
        )
    versions = [_version(v) for v in sorted(details["version"], key=attrgetter("number"))]
    return SimpleNamespace(
        **{column: getattr(row, column) for column in _DOCUMENT_COLUMNS},
        mou=mou,
        working_group=group,
        owning_party=SimpleNamespace(name_en=row.party_name_en, name_es=row.party_name_es),
        created_by=SimpleNamespace(name=row.creator_name),
        versions=versions,
        current_version=versions[-1] if versions else None,
        tags=tags,
        tag_names=tags,
        readers=[SimpleNamespace(name=name) for name in sorted(d.name for d in details["reader"])],
    )


_DOCUMENT_COLUMNS = (
    "id", "title_en", "title_es", "description_md_en", "description_md_es",
    "description_html_en", "description_html_es", "tlp", "category", "language", "created_at",
)  # fmt: skip
