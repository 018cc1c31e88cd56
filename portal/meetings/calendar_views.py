"""Calendars: a meeting as .ics, the month view, and each person's private feed."""

import hashlib
from datetime import timedelta
from zoneinfo import ZoneInfo

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from portal.core.db import utcnow
from portal.core.extensions import db
from portal.meetings import bp, feeds, ics, queries
from portal.web.forms import BaseForm
from portal.web.public import public
from portal.web.urls import external_url

ICS_TYPE = "text/calendar; charset=utf-8"


def _calendar_response(text: str, filename: str | None = None) -> Response:
    """The .ics with an ETag; a client that already has these bytes gets 304."""
    body = text.encode("utf-8")
    response = Response(body, content_type=ICS_TYPE)
    response.set_etag(hashlib.sha256(body).hexdigest())
    if filename:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-cache"
    return response.make_conditional(request)


@bp.route("/meetings/<int:meeting_id>/calendar.ics")
def download(meeting_id: int):
    meeting = queries.get_meeting(db.session, current_user, meeting_id)
    organiser = {
        "organiser_email": current_app.config["MAIL_DEFAULT_SENDER"],
        "organiser_name": meeting.organiser.name if meeting.organiser else "Cooperation Portal",
        "attendee": None,
        "method": "PUBLISH",
        "language": current_user.language,
    }
    if meeting.series is None:
        text = ics.meeting_calendar(meeting, **organiser)
    else:
        text = ics.series_calendar(meeting.series, **organiser)
    return _calendar_response(text, filename=f"meeting-{meeting.id}.ics")


@bp.route("/calendar")
def month():
    today = utcnow().astimezone(_zone()).date()
    year, month_number = _month_arg(request.args.get("month", ""), today.year, today.month)
    meetings = queries.month_meetings(
        db.session, current_user, year, month_number, current_user.timezone
    )
    by_day: dict = {}
    for meeting in meetings:
        day = meeting.starts_at.astimezone(_zone()).date()
        by_day.setdefault(day, []).append(meeting)
    previous = (year - (month_number == 1), (month_number - 2) % 12 + 1)
    following = (year + (month_number == 12), month_number % 12 + 1)
    feed = feeds.get_feed(db.session, current_user)
    return render_template(
        "meetings/month.html",
        year=year,
        month=month_number,
        weeks=queries.calendar_weeks(year, month_number),
        by_day=by_day,
        today=today,
        previous=f"{previous[0]:04d}-{previous[1]:02d}",
        following=f"{following[0]:04d}-{following[1]:02d}",
        feed_url=external_url("meetings.feed", token=feeds.feed_token(feed)) if feed else None,
        feed_form=BaseForm(),
    )


def _zone() -> ZoneInfo:
    return ZoneInfo(current_user.timezone)


def _month_arg(raw: str, default_year: int, default_month: int) -> tuple[int, int]:
    year, _, month_number = raw.partition("-")
    if year.isdigit() and month_number.isdigit():
        y, m = int(year), int(month_number)
        if 1945 <= y <= 2200 and 1 <= m <= 12:
            return y, m
    return default_year, default_month


@bp.route("/calendar/feed", methods=["POST"])
def regenerate_feed():
    form = BaseForm()
    if form.validate_on_submit():
        feeds.regenerate_feed(db.session, current_user)
        flash(
            _("Your calendar feed has a new address; the previous one no longer works."), "success"
        )
    return redirect(url_for("meetings.month") + "#feed")


@bp.route("/calendar/feed/<token>.ics")
@public
def feed(token: str):
    user = feeds.user_from_feed_token(db.session, token)
    since = utcnow() - timedelta(days=90)
    meetings = queries.visible_feed_meetings(db.session, user, since=since)
    with force_locale(user.language):
        name = _("Meetings · Cooperation Portal")
    text = ics.personal_feed(meetings, calendar_name=name, language=user.language)
    return _calendar_response(text)
