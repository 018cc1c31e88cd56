"""The library's landing page (the "Documents" menu) and the choice of where to upload."""

from flask import render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.core.errors import Forbidden
from portal.core.extensions import db
from portal.core.i18n import localized
from portal.core.tlp import TLP
from portal.documents import access, bp, queries
from portal.documents.forms import LibraryFilterForm
from portal.documents.models import DocumentCategory, DocumentLanguage
from portal.documents.wording import template_labels
from portal.web.forms import options, page_number
from portal.web.pagination import Page


def _filter_form(libraries: queries.Libraries) -> LibraryFilterForm:
    form = LibraryFilterForm(
        formdata=request.args, group_mous={g.id: g.mou_id for g in libraries.groups}
    )
    any_choice = [(0, _l("Any"))]
    form.mou.choices = options(
        [*any_choice, *((m.id, localized(m, "title")) for m in libraries.mous)]
    )
    form.group.choices = options(
        [
            *any_choice,
            *(
                (g.id, f"{localized(g, 'name')} · {localized(g.mou, 'title')}")
                for g in libraries.groups
            ),
        ]
    )
    return form


def _filters(form: LibraryFilterForm) -> queries.LandingFilters:
    return queries.LandingFilters(
        zone=current_user.timezone,
        mou_id=form.mou.data or None,
        group_id=form.group.data or None,
        tlp=TLP(form.tlp.data) if form.tlp.data else None,
        category=DocumentCategory(form.category.data) if form.category.data else None,
        language=DocumentLanguage(form.language.data) if form.language.data else None,
        since=form.since.data,
        until=form.until.data,
        sort=form.sort.data or "newest",
        untranslated=bool(form.untranslated.data) and access.may_add_translations(current_user),
    )


def _upload_link(libraries: queries.Libraries, filters: queries.LandingFilters) -> str | None:
    """The upload page of the library chosen in the filters, or the choice of one; none for
    a reader who may not upload there (or anywhere)."""
    group = libraries.group(filters.group_id)
    if group is not None:
        allowed = access.can_upload_document(current_user, group.mou, group)
        return url_for("documents.upload_to_group", group_id=group.id) if allowed else None
    mou = libraries.mou(filters.mou_id)
    if mou is not None:
        allowed = access.can_upload_document(current_user, mou, None)
        return url_for("documents.upload_to_mou", mou_id=mou.id) if allowed else None
    if queries.upload_places(current_user, libraries):
        return url_for("documents.upload_chooser")
    return None


def _landing_page(form: LibraryFilterForm, page: Page | None, upload_link: str | None):
    arguments = {key: value for key, value in request.args.items() if key != "page"}
    return render_template(
        "documents/landing.html",
        form=form,
        page=page,
        arguments=arguments,
        upload_link=upload_link,
        translator=access.may_add_translations(current_user),
        untranslated=bool(form.untranslated.data),
        **template_labels(),
    )


@bp.route("/documents/")
def landing():
    libraries = queries.reader_libraries(db.session, current_user)
    form = _filter_form(libraries)
    if not form.validate():
        return _landing_page(form, None, None), 400
    filters = _filters(form)
    page = queries.recent_documents(
        db.session, current_user, filters, page=page_number(request.args)
    )
    return _landing_page(form, page, _upload_link(libraries, filters))


@bp.route("/documents/new")
def upload_chooser():
    places = queries.upload_places(current_user, queries.reader_libraries(db.session, current_user))
    if not places:
        raise Forbidden()
    return render_template("documents/upload_chooser.html", places=places)
