"""The document page: rendered once per version of the document and language, and kept in
`document_pages` for every server and process (versions.py says what raises the version).

Its body is the same for every signed-in reader but for their buttons (whether they follow
it, whether they may edit it), the form token and the times: slots filled per request, the
times in the reader's zone. A reader's request costs one statement beyond the login's: the
version, the kept body, whether they may open it and whether they follow it; the first
reader after a change renders it and keeps it. A visitor who is not signed in (TLP:CLEAR
only) gets the page rendered for them.
"""

from functools import cache
from operator import attrgetter
from types import SimpleNamespace

from flask import current_app, render_template
from flask_babel import force_locale
from markupsafe import Markup
from sqlalchemy import Select, and_, bindparam, exists, literal, null, select, union_all
from sqlalchemy.orm import Session, aliased

from portal.accounts.models import Party, Role, User
from portal.core.access import ParametricViewer, viewer_parameters
from portal.core.bilingual import missing_mark, missing_translation, text_in
from portal.core.errors import NotVisible
from portal.core.i18n import current_language, deferred_time_fillings, deferred_times
from portal.core.kept import HTML_SLOTS, DatabaseStore, layout_of
from portal.documents import access
from portal.documents.models import (
    Document,
    DocumentPage,
    DocumentTag,
    DocumentVersion,
    document_followers,
    document_readers,
)
from portal.documents.queries import TRANSLATED_FIELDS
from portal.documents.wording import template_labels, who_may_see
from portal.mous.models import Mou, WorkingGroup, mou_parties

PAGES = DatabaseStore(DocumentPage, ("document_id", "language"))
# What a kept page is made of besides the data: a deployment that changes them makes every
# kept page stale.
LAYOUT_TEMPLATES = ("documents/_page.html", "documents/_macros.html", "_macros.html")


def document_page(session: Session, reader: User, document_id: int):
    """GET /documents/<id> for a signed-in reader: the kept body with their buttons, token
    and times; 404 (audited) for one they may not open, as documents.get_document."""
    language = current_language()
    parameters = {"document_id": document_id, "language": language, **viewer_parameters(reader)}
    row = session.execute(_document_query(reader.role), parameters).first()
    if row is None:
        raise NotVisible("document", document_id, Document)
    title, html = row.kept_title, row.kept_html
    layout = layout_of(LAYOUT_TEMPLATES)
    if not PAGES.is_current(row.kept_version, row.kept_layout, row.page_version, layout):
        title, html = _keep(session, row, language, layout)
    can_edit = access.edits_documents_of(reader, row.created_by_id, row.owning_party_id)
    controls = render_template(
        "documents/_controls.html",
        document_id=document_id,
        following=row.following,
        can_edit=can_edit,
    )
    fillings = {
        "controls": Markup(controls),  # noqa: S704 - rendered by the template  # nosec B704
        "missing_mark": missing_mark() if can_edit else Markup(),
        **deferred_time_fillings(),
    }
    body = HTML_SLOTS.fill(html, fillings)
    return render_template("documents/detail.html", title=title, body=body)


def _keep(session: Session, row, language: str, layout: str) -> tuple[str, str]:
    """Render the readers' page of `row`'s document in `language` and keep it. The version
    was read with the row, before the rest (versions, tags, names): see
    portal/core/kept/versions.py."""
    document = _shown_document(session, row)
    with deferred_times():
        html = str(
            _body(
                document,
                authenticated=True,
                missing=bool(missing_translation(document, *TRANSLATED_FIELDS)),
                controls=HTML_SLOTS.slot("controls"),
            )
        )
    title = text_in(document, "title", language)
    key = {"document_id": row.id, "language": language}
    PAGES.keep(session, key, version=row.page_version, layout=layout, title=title, html=html)
    return title, html


def visitor_page(document: Document):
    """The page of a TLP:CLEAR document for a visitor who is not signed in."""
    body = _body(document, authenticated=False, missing=False, controls=Markup())
    return render_template(
        "documents/detail.html", title=text_in(document, "title", current_language()), body=body
    )


def _body(document, *, authenticated: bool, missing: bool, controls: Markup) -> Markup:
    html = render_template(
        "documents/_page.html",
        document=document,
        authenticated=authenticated,
        missing=missing,
        missing_slot=HTML_SLOTS.slot("missing_mark"),
        controls=controls,
        who_may_see=who_may_see(document),
        **template_labels(),
    )
    return Markup(html)  # noqa: S704 - rendered by the template, escaped  # nosec B704


# What the page shows, read as rows (the ORM's loading of the document with its MoU,
# group, parties, versions, tags and readers was most of a page's cost) ------------------

_CREATOR, _UPLOADER, _NAMED = (aliased(User, name=n) for n in ("creator", "uploader", "named"))
_OWNING_PARTY = aliased(Party, name="owning_party")


def _shown_row() -> Select:
    """The document's row with the names its page shows, and its version."""
    return (
        select(
            Document.page_version,
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
    )


@cache
def _document_query(role: Role) -> Select:
    """The page's first statement, built once per role (building it costs more than running
    it): the document's row and version, whether the reader follows it and the page kept in
    the reader's language; nothing if the reader may not open it."""
    viewer = ParametricViewer(role)
    following = exists().where(
        document_followers.c.document_id == Document.id,
        document_followers.c.user_id == viewer.id,
    )
    return (
        _shown_row()
        .add_columns(
            following.label("following"),
            DocumentPage.version.label("kept_version"),
            DocumentPage.layout.label("kept_layout"),
            DocumentPage.title.label("kept_title"),
            DocumentPage.html.label("kept_html"),
        )
        .outerjoin(
            DocumentPage,
            and_(
                DocumentPage.document_id == Document.id,
                DocumentPage.language == bindparam("language"),
            ),
        )
        .where(Document.id == bindparam("document_id"), access.visible_documents_clause(viewer))
    )


def keep_pages(session: Session, document_ids: list[int]) -> None:
    """Render and keep these documents' pages in every language, as their first readers
    would (bench/render_pages.py keeps the seeded ones beforehand)."""
    layout = layout_of(LAYOUT_TEMPLATES)
    rows = session.execute(_shown_row().where(Document.id.in_(document_ids))).all()
    for language in current_app.config["LANGUAGES"]:
        with force_locale(language):
            for row in rows:
                _keep(session, row, language, layout)


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
