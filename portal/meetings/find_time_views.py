"""Find a time: the page that shows when every invited party is at work, and links each slot
to the scheduling form with the slot's start and end filled in (no script needed)."""

from datetime import timedelta

from flask import request
from flask_login import current_user

from portal.accounts.parties import describe_working_time
from portal.core.clock import day_in
from portal.core.extensions import db
from portal.core.timezones import is_valid_timezone
from portal.meetings import bp, find_time
from portal.meetings import services as meetings
from portal.meetings.forms import FindTimeForm
from portal.mous import services as mous
from portal.web.forms import form_page


@bp.route("/working-groups/<int:group_id>/meetings/find-a-time")
def find_a_time(group_id: int):
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
    return form_page(
        "meetings/find_time.html",
        form,
        group=group,
        result=result,
        meeting_id=request.args.get("meeting", type=int),
        period=(form.end.data - form.start.data + timedelta(days=1)) if result else None,
        one_day=timedelta(days=1),
        working_time=describe_working_time,
    )
