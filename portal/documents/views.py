"""Document pages: libraries, the document page, uploads, metadata, downloads, search."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user

from portal.core.errors import NotFound, ValidationError
from portal.core.extensions import db, login_manager
from portal.core.tlp import TLP
from portal.documents import access, bp, queries
from portal.documents import services as documents
from portal.documents.downloads import version_file_response
from portal.documents.forms import (
    DocumentForm,
    FollowForm,
    NewVersionForm,
    UploadForm,
    parse_tags,
)
from portal.documents.integrity import DamagedFile
from portal.documents.models import DocumentCategory, DocumentLanguage
from portal.documents.page import document_page, visitor_page
from portal.documents.search import search_documents
from portal.documents.wording import template_labels
from portal.mous import services as mous
from portal.web.error_handlers import error_page
from portal.web.forms import form_page, options, page_number, show_service_error
from portal.web.public import public

# Libraries ---------------------------------------------------------------------------------


def _filters() -> queries.LibraryFilter:
    """The list's filters from the query string; values that are not choices are ignored."""
    args = request.args
    category = args.get("category")
    language = args.get("language")
    tag = parse_tags(args.get("tag", ""))[:1]
    return queries.LibraryFilter(
        category=DocumentCategory(category) if category in set(DocumentCategory) else None,
        language=DocumentLanguage(language) if language in set(DocumentLanguage) else None,
        tag=tag[0] if tag else None,
    )


def _library_page(mou, group):
    filters = _filters()
    page, counts = queries.library(
        db.session, current_user, mou, group, filters, page=page_number(request.args)
    )
    return render_template(
        "documents/library.html",
        mou=mou,
        group=group,
        page=page,
        counts=counts,
        filters=filters,
        can_upload=access.can_upload_document(current_user, mou, group),
        **template_labels(),
    )


@bp.route("/mous/<int:mou_id>/documents")
def mou_library(mou_id: int):
    return _library_page(mous.get_mou(db.session, current_user, mou_id), None)


@bp.route("/working-groups/<int:group_id>/documents")
def group_library(group_id: int):
    group = mous.get_working_group(db.session, current_user, group_id)
    return _library_page(group.mou, group)


# Uploading a new document ----------------------------------------------------------------------


def _data(form: DocumentForm) -> documents.DocumentData:
    return documents.DocumentData(
        title=form.title.data or "",
        description_md=form.description_md.data or "",
        title_es=form.title_es.data or "",
        description_md_es=form.description_md_es.data or "",
        language=DocumentLanguage(form.language.data),
        category=DocumentCategory(form.category.data),
        tags=parse_tags(form.tags.data),
        tlp=TLP(form.tlp.data),
        reader_ids=list(form.reader_ids.data or []),
    )


def _reader_choices(form: DocumentForm, mou) -> None:
    form.reader_ids.choices = options(
        (u.id, f"{u.name} · {u.party.code}") for u in documents.reader_candidates(db.session, mou)
    )


def _upload_page(mou, group):
    documents.require_uploader(current_user, mou, group)
    form = UploadForm()
    _reader_choices(form, mou)
    if form.validate_on_submit():
        upload = documents.Upload(
            stream=form.file.data.stream,
            file_name=form.file.data.filename,
            change_note=_("First version"),
        )
        try:
            document = documents.create_document(
                db.session, current_user, mou, group, _data(form), upload
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            page = url_for("documents.detail", document_id=document.id)
            form.claim("document", document, page)
            flash(_("The document has been uploaded."), "success")
            return redirect(page)
    return form_page("documents/upload.html", form, mou=mou, group=group)


@bp.route("/mous/<int:mou_id>/documents/new", methods=["GET", "POST"])
def upload_to_mou(mou_id: int):
    return _upload_page(mous.get_mou(db.session, current_user, mou_id), None)


@bp.route("/working-groups/<int:group_id>/documents/new", methods=["GET", "POST"])
def upload_to_group(group_id: int):
    group = mous.get_working_group(db.session, current_user, group_id)
    return _upload_page(group.mou, group)


# One document ---------------------------------------------------------------------------------


@bp.route("/documents/<int:document_id>")
@public  # TLP:CLEAR documents are open to anyone; the rest only to their readers
def detail(document_id: int):
    if current_user.is_authenticated:
        return document_page(db.session, current_user, document_id)
    try:
        document = documents.get_document(db.session, current_user, document_id)
    except NotFound:  # a visitor is asked to log in, whether or not the document exists
        return login_manager.unauthorized()
    return visitor_page(document)


@bp.route("/documents/<int:document_id>/versions/<int:number>/download")
@public  # as detail: the service decides
def download(document_id: int, number: int):
    try:
        version = documents.get_version(db.session, current_user, document_id, number)
    except NotFound:
        if current_user.is_authenticated:
            raise
        return login_manager.unauthorized()
    return version_file_response(version)


@bp.app_errorhandler(DamagedFile)  # training materials are served from their own pages too
def damaged_file(error: DamagedFile):
    return error_page(
        500,
        _(
            "This file is damaged on the server and cannot be downloaded. "
            "The administrators have been told; try another version or ask them."
        ),
    )


@bp.route("/documents/<int:document_id>/versions/new", methods=["GET", "POST"])
def new_version(document_id: int):
    document = documents.get_document(db.session, current_user, document_id)
    documents.require_editor(current_user, document)
    form = NewVersionForm()
    if form.validate_on_submit():
        upload = documents.Upload(
            stream=form.file.data.stream,
            file_name=form.file.data.filename,
            change_note=form.change_note.data,
        )
        try:
            documents.add_version(db.session, current_user, document, upload)
        except ValidationError as error:
            show_service_error(form, error)
        else:
            page = url_for("documents.detail", document_id=document.id)
            form.claim("document_version", document.versions[-1], page)
            flash(_("The new version has been uploaded."), "success")
            return redirect(page)
    return form_page("documents/new_version.html", form, document=document)


@bp.route("/documents/<int:document_id>/edit", methods=["GET", "POST"])
def edit(document_id: int):
    document = documents.get_document(db.session, current_user, document_id)
    documents.require_editor(current_user, document)
    form = DocumentForm()  # not obj=: a field left out of a POST must not fall back to it
    _reader_choices(form, document.mou)
    if request.method == "GET":
        form.title.data = document.title_en
        form.title_es.data = document.title_es
        form.description_md.data = document.description_md_en
        form.description_md_es.data = document.description_md_es
        form.language.data = document.language.value
        form.category.data = document.category.value
        form.tlp.data = document.tlp.value
        form.tags.data = ", ".join(document.tag_names)
        form.reader_ids.data = sorted(document.reader_ids)
    if form.validate_on_submit():
        try:
            documents.update_document(db.session, current_user, document, _data(form))
        except ValidationError as error:
            show_service_error(form, error)
        else:
            flash(_("The document has been updated."), "success")
            return redirect(url_for("documents.detail", document_id=document.id))
    return form_page("documents/edit.html", form, document=document)


@bp.route("/documents/<int:document_id>/follow", methods=["POST"])
def follow(document_id: int):
    document = documents.get_document(db.session, current_user, document_id)
    form = FollowForm()
    if form.validate_on_submit():
        following = not documents.is_following(db.session, document, current_user)
        documents.set_following(db.session, current_user, document, following)
        flash(
            _("You will be told about new versions.")
            if following
            else _("You no longer follow this document."),
            "success",
        )
    return redirect(url_for("documents.detail", document_id=document.id))


# Search -------------------------------------------------------------------------------------------


@bp.route("/documents/search")
def search():
    query = request.args.get("q", "")[:200]
    page = search_documents(db.session, current_user, query, page_number(request.args))
    return render_template(
        "documents/search.html",
        query=query,
        page=page,
        counted=format_decimal(page.total),  # "1,000" / "1.000"
        **template_labels(),
    )
