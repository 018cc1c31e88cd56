"""The library's landing page (the "Documents" menu) and the choice of where to upload."""

from flask import render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from portal.core.errors import Forbidden
from portal.core.extensions import db
from portal.core.i18n import current_language, localized
from portal.core.kept import ProcessStore, counter_statement
from portal.core.tlp import TLP
from portal.documents import access, bp, queries
from portal.documents.forms import LibraryFilterForm
from portal.documents.models import DocumentCategory, DocumentLanguage
from portal.documents.versions import LIBRARY
from portal.documents.wording import template_labels
from portal.mous.kept_pages import NAME as PAGES_GENERATION
from portal.web.forms import options, page_number

# The MoU and working-group selects of the filters (~150 options), kept under everything they
# show: the reader's rows (titles and names included, so a renamed one gives another key),
# the language and the values chosen. Only a valid form's: one with errors is rendered anew.
FILTER_CHOICES = ProcessStore("library-filter-choices", size=512)


def _filter_form(libraries: queries.Libraries) -> LibraryFilterForm:
    """The filters; the MoU and group choices carry only their values here (enough to check
    a choice), their labels are set by _choices when the selects are rendered."""
    form = LibraryFilterForm(
        formdata=request.args, group_mous={g.id: g.mou_id for g in libraries.groups}
    )
    form.mou.choices = options((value, "") for value in (0, *(m.id for m in libraries.mous)))
    form.group.choices = options((value, "") for value in (0, *(g.id for g in libraries.groups)))
    return form


def _label_choices(form: LibraryFilterForm, libraries: queries.Libraries) -> None:
    any_choice = [(0, _l("Any"))]
    form.mou.choices = options(
        [*any_choice, *((m.id, localized(m, "title")) for m in libraries.mous)]
    )
    form.group.choices = options(
        [
            *any_choice,
            *(
                (g.id, f"{localized(g, 'name')} · {localized(g, 'mou_title')}")
                for g in libraries.groups
            ),
        ]
    )


def _choices(form: LibraryFilterForm, libraries: queries.Libraries) -> Markup:
    """The MoU and group selects, rendered once per rows, language and choice."""

    def render() -> Markup:
        _label_choices(form, libraries)
        html = render_template("documents/_library_choices.html", form=form)
        return Markup(html)  # noqa: S704 - rendered by the template, escaped  # nosec B704

    if form.errors:
        return render()
    key = (libraries, current_language(), form.mou.data, form.group.data)
    return FILTER_CHOICES.get(db.session, key, render)


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
    a reader who may not upload there (or anywhere). The libraries are those the reader may
    view, so an author may upload to each (access.can_upload_document)."""
    if not access.may_upload_documents(current_user):
        return None
    group = libraries.group(filters.group_id)
    if group is not None:
        return url_for("documents.upload_to_group", group_id=group.id)
    mou = libraries.mou(filters.mou_id)
    if mou is not None:
        return url_for("documents.upload_to_mou", mou_id=mou.id)
    return url_for("documents.upload_chooser") if libraries.mous else None


def _landing_body(libraries: queries.Libraries) -> tuple[Markup, int]:
    """Filters, list and pager, or the filters with their errors (400)."""
    form = _filter_form(libraries)
    page, upload_link, status = None, None, 400
    if form.validate():
        filters = _filters(form)
        page = queries.recent_documents(
            db.session, current_user, filters, page=page_number(request.args)
        )
        upload_link, status = _upload_link(libraries, filters), 200
    html = render_template(
        "documents/_landing.html",
        form=form,
        choices=_choices(form, libraries),
        page=page,
        arguments={key: value for key, value in request.args.items() if key != "page"},
        upload_link=upload_link,
        translator=access.may_add_translations(current_user),
        untranslated=bool(form.untranslated.data),
        **template_labels(),
    )
    return Markup(html), status  # noqa: S704 - rendered by the template, escaped  # nosec B704


@bp.route("/documents/")
def landing():
    """Kept per reader, language and query string twice over: under the MoU pages' counter
    (mous/kept_pages.py, which every change the body shows raises, read first: a kept body
    costs one short statement), and, once that moved on, under the stamp of the reader's
    libraries (queries.reader_library_stamp), so a change elsewhere costs the stamp, not
    the rows and the rendering."""
    reader = (current_user.id, current_user.role, current_user.party_id, current_user.timezone)
    asked = (reader, current_language(), tuple(request.args.items(multi=True)))
    counter = db.session.scalar(counter_statement(PAGES_GENERATION))
    body, status = LIBRARY.get_counted(
        db.session, counter, ("counted", *asked), lambda: _stamped_body(asked)
    )
    return render_template("documents/landing.html", body=body), status


def _stamped_body(asked: tuple) -> tuple[Markup, int]:
    """Everything the body shows depends on: the reader (their rights: who they are, their
    role, party, MoUs and groups), their language and zone, the query string (`asked`), and
    the versions of their MoUs' libraries, read (in the stamp) before the documents and the
    libraries' rows, which only a body made anew reads."""
    stamp = queries.reader_library_stamp(db.session, current_user)

    def render() -> tuple[Markup, int]:
        return _landing_body(queries.reader_libraries(db.session, current_user))

    return LIBRARY.get(db.session, ("stamped", stamp, *asked), render)


@bp.route("/documents/new")
def upload_chooser():
    places = queries.upload_places(current_user, queries.reader_libraries(db.session, current_user))
    if not places:
        raise Forbidden()
    return render_template("documents/upload_chooser.html", places=places)
