"""The document page: rendered once per version of the document and kept (versions.py).

Its body is the same for every signed-in reader but for the buttons (whether they may follow,
whether they do, whether they may edit: part of the key), the form token and the times
(slots, filled per request in the reader's zone). A reader's request costs one statement
beyond the login's: the version, whether they may open it and whether they follow it. A
visitor who is not signed in (TLP:CLEAR only) gets the page rendered for them.
"""

from functools import cache
from types import SimpleNamespace

from flask import render_template
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy import Select, bindparam, exists, literal, select, union_all
from sqlalchemy.orm import Session, aliased

from portal.accounts.models import Party, Role, User
from portal.core.access import ParametricViewer
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
        _document_query(reader.role), {"document_id": document_id, **_viewer(reader)}
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


def _viewer(reader: User) -> dict:
    return {"viewer_id": reader.id, "viewer_party_id": reader.party_id}


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


def _names_query(document_id: int, mou_id: int):
    """Its tags, the people named on it and its MoU's parties: (kind, name, Spanish name)."""
    return union_all(
        select(literal("tag"), DocumentTag.tag, literal(""), literal("")).where(
            DocumentTag.document_id == document_id
        ),
        select(literal("reader"), _NAMED.name, literal(""), _NAMED.name)
        .join(document_readers, document_readers.c.user_id == _NAMED.id)
        .where(document_readers.c.document_id == document_id),
        select(literal("party"), Party.name_en, Party.name_es, Party.code)
        .join(mou_parties, mou_parties.c.party_id == Party.id)
        .where(mou_parties.c.mou_id == mou_id),
    )


def _shown_document(session: Session, row):
    """The document of `row` (_document_query's) as the page reads it: the attributes of
    Document it uses, with its versions, tags, named readers and MoU's parties."""
    document_id = row.id
    versions = session.execute(
        select(
            DocumentVersion.number,
            DocumentVersion.file_name,
            DocumentVersion.size,
            DocumentVersion.uploaded_at,
            DocumentVersion.change_note,
            DocumentVersion.sha256,
            DocumentVersion.text_skipped,
            _UPLOADER.name.label("uploader_name"),
        )
        .join(_UPLOADER, _UPLOADER.id == DocumentVersion.uploaded_by_id)
        .where(DocumentVersion.document_id == document_id)
        .order_by(DocumentVersion.number)
    ).all()
    names: dict[str, list] = {"tag": [], "reader": [], "party": []}
    for kind, name, name_es, order in session.execute(_names_query(document_id, row.mou_id)):
        names[kind].append((order, name, name_es))
    tags = sorted(name for _, name, _ in names["tag"])
    mou = SimpleNamespace(
        id=row.mou_id,
        title_en=row.mou_title_en,
        title_es=row.mou_title_es,
        parties=[SimpleNamespace(name_en=en, name_es=es) for _, en, es in sorted(names["party"])],
    )
    group = None
    if row.group_id is not None:
        group = SimpleNamespace(
            id=row.group_id, name_en=row.group_name_en, name_es=row.group_name_es
        )
    shown_versions = [
        SimpleNamespace(
            **version._asdict(), uploaded_by=SimpleNamespace(name=version.uploader_name)
        )
        for version in versions
    ]
    return SimpleNamespace(
        **{column: getattr(row, column) for column in _DOCUMENT_COLUMNS},
        mou=mou,
        working_group=group,
        owning_party=SimpleNamespace(name_en=row.party_name_en, name_es=row.party_name_es),
        created_by=SimpleNamespace(name=row.creator_name),
        versions=shown_versions,
        current_version=shown_versions[-1] if shown_versions else None,
        tags=tags,
        tag_names=tags,
        readers=[SimpleNamespace(name=name) for _, name, _ in sorted(names["reader"])],
    )


_DOCUMENT_COLUMNS = (
    "id", "title_en", "title_es", "description_md_en", "description_md_es",
    "description_html_en", "description_html_es", "tlp", "category", "language", "created_at",
)  # fmt: skip
