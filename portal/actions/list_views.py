"""The action list and its CSV: filters, the kept rows and pager, the export."""

from flask import Response, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from portal.actions import access, bp, filter_choices, queries
from portal.actions.csv_export import actions_csv
from portal.actions.forms import PRIORITY_LABELS, STATUS_LABELS, FilterForm
from portal.actions.versions import RENDERINGS
from portal.core.extensions import db
from portal.core.i18n import current_language, localized, show_datetime
from portal.web.forms import options, page_number
from portal.web.pagination import Page


def _filter_form(choices: filter_choices.FilterChoices, meetings: tuple) -> FilterForm:
    form = FilterForm(formdata=request.args)
    any_choice = [(0, _l("Any"))]
    labels = ((m.id, f"{show_datetime(m.starts_at)} · {localized(m, 'title')}") for m in meetings)
    form.meeting.choices = options([*any_choice, *labels])
    spanish = current_language() == "es"
    form.group.choices = options(
        [*any_choice, *((i, es if spanish and es else en) for i, en, es, _ in choices.groups)]
    )
    form.party.choices = options(
        [*any_choice, *((i, es if spanish and es else en) for i, en, es in choices.parties)]
    )
    return form


def _filters(form: FilterForm) -> queries.ActionFilters:
    return queries.ActionFilters(
        group_id=form.group.data or None,
        party_id=form.party.data or None,
        mine=bool(form.mine.data),
        status=form.status_value,
        overdue=bool(form.overdue.data),
        due_before=form.due_before.data,
        meeting_id=form.meeting.data or None,
        sort=form.sort.data or "due",
        untranslated=bool(form.untranslated.data) and access.may_add_translations(current_user),
    )


def _meeting_choices() -> tuple:
    """The meetings the filter offers, as rows (id, starts_at, title_en, title_es,
    working_group_id), for the group and meeting in the query string."""
    group_id = request.args.get("group", type=int)
    chosen_id = request.args.get("meeting", type=int)
    meetings = filter_choices.meetings_to_filter(db.session, current_user, group_id, chosen_id)
    return tuple(meetings)


def _meeting_refused(meetings: tuple) -> bool:
    """A meeting asked for that the reader may not see, or of another group than the one
    chosen."""
    chosen_id = request.args.get("meeting", type=int)
    if not chosen_id:
        return False
    group_id = request.args.get("group", type=int)
    chosen = next((m for m in meetings if m[0] == chosen_id), None)
    return chosen is None or bool(group_id and chosen[4] != group_id)


def _filter_arguments() -> dict:
    """The query string without the page, for the pager's and the CSV's links."""
    return {key: value for key, value in request.args.items() if key != "page"}


def _checked_filters(choices: filter_choices.FilterChoices, offered, meetings, arguments: dict):
    """The filters asked for and the heading and filter form showing them, or (None, None)
    when the query string does not validate. Both depend only on the choices offered (the
    meetings: `offered`, their rows or what they are read under; `meetings()` reads them) and
    the query string (and the language and zone), so they are kept for every reader asking
    the same."""

    def check() -> tuple[queries.ActionFilters | None, Markup | None]:
        form = _filter_form(choices, meetings())
        if not form.validate():
            return None, None
        return _filters(form), _filters_html(form, arguments)

    query = tuple(request.args.items(multi=True))
    translator = access.may_add_translations(current_user)
    zone = current_user.timezone  # the meetings' times are shown in it
    key = ("action-filters", current_language(), zone, choices.shown, offered, query, translator)
    return RENDERINGS.get(db.session, key, check)


def _filters_html(form: FilterForm, arguments: dict) -> Markup:
    html = render_template(
        "actions/_list_filters.html",
        form=form,
        arguments=arguments,
        translator=access.may_add_translations(current_user),
    )
    return Markup(html)  # noqa: S704 - rendered by the template, escaped  # nosec B704


def _results_html(filters, choices: filter_choices.FilterChoices, number: int, arguments: dict):
    """Count, rows and pager, kept under versions read with the choices, before the rows
    (see versions.py). Within a group the reader reads whole (the filter offers only those),
    they are the same for every such reader: kept per version of the group's items. Any other
    list (every group, or the untranslated items) is kept for this reader alone, under the
    versions of every group whose items they may see and whether they read it (the scope)."""
    version = choices.version_of(filters.group_id)
    today = queries.today()

    def render() -> Markup:
        reads_group = version is not None if filters.group_id else None
        page = queries.list_actions(
            db.session, current_user, filters, page=number, reads_group=reads_group
        )
        return _results_markup(page, today, arguments, untranslated=filters.untranslated)

    if version is None or filters.untranslated:  # the latter: rows of this reader's rights
        reader = (current_user.id, current_user.role, current_user.party_id)
        key = ("action-rows", reader, choices.scope, filters, number, today, current_language())
    else:
        viewer = current_user.id if filters.mine else None
        key = ("action-list", filters, viewer, version, number, today, current_language())
    return RENDERINGS.get(db.session, (*key, tuple(arguments.items())), render)


def _results_markup(page: Page, today, arguments: dict, untranslated: bool = False) -> Markup:
    html = render_template(
        "actions/_list_results.html",
        untranslated=untranslated,
        page=page,
        today=today,
        arguments=arguments,
        status_labels=STATUS_LABELS,
        priority_labels=PRIORITY_LABELS,
    )
    return Markup(html)  # noqa: S704 - rendered by the template, escaped  # nosec B704


@bp.route("/actions/")
def action_list():
    choices = filter_choices.filter_choices(db.session, current_user)
    arguments = _filter_arguments()
    version = choices.version_of(request.args.get("group", type=int))
    if version is not None and not request.args.get("meeting", type=int):
        # A group the reader reads whole offers its meetings with items, which change only
        # with its actions version (versions.py): read only when the filter is rendered.
        offered, meetings = ("group-meetings", version), _meeting_choices
    else:
        rows = _meeting_choices()
        offered, meetings = rows, lambda: rows
        if _meeting_refused(rows):
            form = _filter_form(choices, rows)
            form.validate()
            form.meeting.errors = [
                _("Choose a meeting of the chosen working group from the list: that one is not.")
            ]
            return _refused_filters(form, arguments, 400)
    filters, filters_html = _checked_filters(choices, offered, meetings, arguments)
    if filters is None:  # shown with its errors, in the reader's language (422)
        form = _filter_form(choices, meetings())
        form.validate()
        return _refused_filters(form, arguments, 422)
    results = _results_html(filters, choices, page_number(request.args), arguments)
    return render_template("actions/list.html", filters_html=filters_html, results_html=results)


def _refused_filters(form: FilterForm, arguments: dict, status: int):
    """The list with no rows and the filters with their errors."""
    empty = Page(items=[], page=1, per_page=25, total=0)
    html = render_template(
        "actions/list.html",
        form=form,
        filters_html=_filters_html(form, arguments),
        results_html=_results_markup(empty, queries.today(), arguments),
    )
    return html, status


@bp.route("/actions/export.csv")
def export_csv():
    meetings = _meeting_choices()
    form = _filter_form(filter_choices.filter_choices(db.session, current_user), meetings)
    if _meeting_refused(meetings) or not form.validate():
        return action_list()
    rows = queries.export_rows(db.session, current_user, _filters(form))
    return Response(
        actions_csv(rows, queries.today()),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="action-items.csv"'},
    )
