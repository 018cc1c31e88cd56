"""Find a time: the page that shows when every invited party is at work, and links each slot
to the scheduling form with the slot's start and end filled in (no script needed)."""

from datetime import timedelta

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from portal.accounts.parties import describe_working_time
from portal.core.clock import day_in
from portal.core.extensions import db
from portal.core.i18n import current_language, localized
from portal.core.kept import ProcessStore
from portal.core.timezones import is_valid_timezone
from portal.meetings import bp, find_time
from portal.meetings import services as meetings
from portal.meetings.forms import FindTimeForm
from portal.mous import services as mous
from portal.mous.kept_pages import keep_page, kept_page, reader_key


@bp.route("/working-groups/<int:group_id>/meetings/find-a-time")
def find_a_time(group_id: int):
    """Kept whole for the reader (portal/mous/kept_pages.py, as the group's meetings list):
    one short statement finds it. Else the group is read (404, 403) and the page made."""
    arguments = tuple(sorted(request.args.items(multi=True)))
    key = reader_key(db.session, current_user, "find-a-time", (group_id, arguments))
    kept = kept_page(db.session, key)
    if kept is None:
        kept = keep_page(db.session, key, lambda: _content(group_id))
    title, content, status = kept
    return render_template("meetings/find_time.html", title=title, content=content), status


def _content(group_id: int) -> tuple[str, Markup, int]:
    """The page's title, content and status (422 for a form that shows errors)."""
    group = mous.get_working_group(db.session, current_user, group_id, members=False)
    meetings.require_manager(current_user, group)
    form = FindTimeForm(formdata=request.args if request.args else None)
    if not request.args.get("timezone"):
        form.timezone.data = (
            current_user.timezone if is_valid_timezone(current_user.timezone) else "UTC"
        )
    zone = form.timezone.data if is_valid_timezone(form.timezone.data or "") else "UTC"
    if not form.start.raw_data or not form.start.raw_data[0]:
        form.start.data = day_in(zone)
    result = None
    if form.validate():
        if form.end.data is None:
            form.end.data = form.start.data + timedelta(days=find_time.DEFAULT_DAYS - 1)
        result = find_time.find_time(
            db.session,
            current_user,
            group,
            form.start.data,
            form.end.data,
            form.timezone.data,
            form.minutes.data,
        )
    meeting_id = request.args.get("meeting", type=int)
    html = render_template(
        "meetings/_find_time_content.html",
        form=form,
        form_html=_form(form, meeting_id),
        group=group,
        result=result,
        table=_table(result, _slot_form(group, meeting_id)) if result else None,
        meeting_id=meeting_id,
        period=(form.end.data - form.start.data + timedelta(days=1)) if result else None,
        one_day=timedelta(days=1),
    )
    title = f"{_('Find a time')} · {localized(group, 'name')}"
    content = Markup(html)  # noqa: S704 - rendered by the template, escaped  # nosec B704
    return title, content, (422 if form.errors else 200)


# The form, kept per language and what each field shows (its text as sent and its value) while
# it shows no error.
FORMS = ProcessStore("find-a-time-forms", size=256)


def _form(form: FindTimeForm, meeting_id: int | None) -> Markup:
    def render() -> Markup:
        html = render_template("meetings/_find_time_form.html", form=form, meeting_id=meeting_id)
        return Markup(html)  # noqa: S704 - rendered by the template, escaped  # nosec B704

    if form.errors:
        return render()
    shown = tuple((field.name, tuple(field.raw_data or ()), field.data) for field in form)
    return FORMS.get(db.session, (current_language(), meeting_id, shown), render)


# The table of days and times, kept under everything it shows: the language, the zone, the
# scheduling form it links to, each party's name, clock, working hours and holidays, the days
# and the times, and the invitees' meetings (when, whether the reader may see each, how many of
# the group are invited). What is kept is drawn from what each request reads.
TABLES = ProcessStore("find-a-time-tables", size=256)


def _slot_form(group, meeting_id: int | None) -> str:
    if meeting_id:
        return url_for("meetings.edit_meeting", meeting_id=meeting_id)
    return url_for("meetings.new_meeting", group_id=group.id)


def _shown(result: find_time.FindTime, slot_form: str) -> tuple:
    parties = tuple(
        (
            (p := entry.party).id,
            p.name_en,
            p.name_es,
            p.timezone,
            p.has_working_hours,
            p.work_days,
            p.work_start_minute,
            p.work_end_minute,
            entry.week is None,
            _holidays_of(entry),
        )
        for entry in result.parties
    )
    days = tuple(
        (
            day.day,
            tuple(day.holidays),
            tuple((s.start, s.end, bool(s.busy)) for s in day.slots),
            tuple((m.start, m.end, m.title, m.people) for m in day.meetings),
        )
        for day in result.days
    )
    return (current_language(), result.zone, slot_form, parties, days)


def _holidays_of(entry) -> tuple | None:
    """Whose holidays the party follows, as the table names them."""
    host = entry.holidays_of
    if host is None:
        return None
    return (host.id, host.name_en, host.name_es, host is entry.party)


def _table(result: find_time.FindTime, slot_form: str) -> Markup:
    def render() -> Markup:
        html = render_template(
            "meetings/_find_time_table.html",
            result=result,
            slot_form=slot_form,
            working_time=describe_working_time,
        )
        return Markup(html)  # noqa: S704 - rendered by the template, escaped  # nosec B704

    return TABLES.get(db.session, _shown(result, slot_form), render)
