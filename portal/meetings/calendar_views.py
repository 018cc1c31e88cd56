"""Calendars: a meeting as .ics, the month view, and each person's private feed."""

import hashlib
from datetime import timedelta
from zoneinfo import ZoneInfo

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from portal.core.clock import day_in
from portal.core.db import utcnow
from portal.core.extensions import db
from portal.core.i18n import current_language
from portal.core.kept import HTML_SLOTS, ProcessStore
from portal.core.ranges import compact_range, compact_times, day_name
from portal.meetings import bp, feeds, ics, queries
from portal.mous.kept_pages import keep_page, kept_page, reader_key
from portal.web.features import calendar_sources
from portal.web.forms import BaseForm
from portal.web.public import public
from portal.web.sources import CalendarEntry
from portal.web.urls import external_url

ICS_TYPE = "text/calendar; charset=utf-8"
MEETING_LABEL = _l("Meeting")
KIND_ORDER = {"due": 0, "meeting": 1, "training": 2}
# Month pages' content, kept under every input it shows (the entries read for the reader
# included): two readers share one only when it is the same for both.
MONTH_GRIDS = ProcessStore("month-grids", 1024)


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
    """The month in the reader's zone: meetings, and what the other features' calendar
    sources add (trainings, the reader's due dates). The page's content is kept whole for the
    reader (portal/mous/kept_pages.py, as the group's pages: the counter every change it
    shows raises, a feed made anew included, the day it is and the reader; nothing on it
    changes with the minute), so a kept month costs one short statement; their form token
    and feed address fill its slots."""
    zone = current_user.timezone
    today = day_in(zone)
    year, month_number = _month_arg(request.args.get("month", ""), today.year, today.month)
    key = reader_key(db.session, current_user, "month", (year, month_number, today), timely=False)
    kept = kept_page(db.session, key)
    if kept is None:
        kept = keep_page(db.session, key, lambda: _month_parts(year, month_number, zone, today))
    parts, generation = kept
    fillings = {"csrf": generate_csrf()}
    if generation is not None:
        token = feeds.token_of(current_user.id, generation)
        fillings["feed_url"] = external_url("meetings.feed", token=token)
    content = HTML_SLOTS.fill(parts, fillings)
    return render_template("meetings/month.html", year=year, month=month_number, content=content)


def _month_parts(year: int, month_number: int, zone: str, today) -> tuple[list, int | None]:
    """The month's content (split at its slots) and the reader's feed generation. What the
    month holds is read first (one statement for all the sources: on PostgreSQL a digest of
    its rows, computed by the database); the content made of them is kept (`MONTH_GRIDS`)
    under everything it shows: the entries themselves (their digest), the month, the zone,
    the language, the day it is and whether the reader has a feed, so readers who see the
    same month share it; the rows are read only to make it, and it is kept under the digest
    read with them."""
    language = current_language()
    sources = tuple(calendar_sources(current_app))
    read = queries.month_key(db.session, current_user, sources, year, month_number, zone)
    shown = (year, month_number, zone, language, today)
    parts = MONTH_GRIDS.kept(db.session, (*shown, read.key, read.feed_generation is not None))
    if parts is None:
        if read.rows is None:  # the rows now, keyed by their own digest (the same snapshot)
            read = queries.month_rows(db.session, current_user, sources, year, month_number, zone)
        has_feed = read.feed_generation is not None
        parts = MONTH_GRIDS.get(
            db.session,
            (*shown, read.key, has_feed),
            lambda: _month_content(
                year, month_number, zone, language, today, read.rows, sources, has_feed
            ),
        )
    return parts, read.feed_generation


def _month_content(year, month_number, zone, language, today, rows, sources, has_feed) -> list:
    """The page's content with the slots of the reader's form token and feed address,
    split (kept/slots.py)."""
    grid = _month_grid(year, month_number, zone, language, today, _entries(rows, sources))
    previous = (year - (month_number == 1), (month_number - 2) % 12 + 1)
    following = (year + (month_number == 12), month_number % 12 + 1)
    html = render_template(
        "meetings/_month_content.html",
        year=year,
        month=month_number,
        grid=grid,
        previous=f"{previous[0]:04d}-{previous[1]:02d}",
        following=f"{following[0]:04d}-{following[1]:02d}",
        feed_url=HTML_SLOTS.slot("feed_url") if has_feed else None,
        csrf=HTML_SLOTS.slot("csrf"),
    )
    return HTML_SLOTS.split(html)


def _entries(rows: tuple, sources: tuple) -> list[CalendarEntry]:
    """The month's rows as entries: meetings here, the others by their source."""
    language = current_language()
    label = str(MEETING_LABEL)  # translated once, not at each entry
    return [
        _meeting_entry(row, language, label)
        if source == 0
        else sources[source - 1].month_entry(row, language)
        for source, *row in rows
    ]


def _month_grid(year, month_number, zone, language, today, entries) -> Markup:
    """The month's table, made of the entries of the meetings and the other sources."""
    tz = ZoneInfo(zone)
    by_day: dict = {}
    for entry in sorted(entries, key=_entry_order):
        day = entry.on or entry.starts_at.astimezone(tz).date()
        if entry.on is not None and (day.year, day.month) != (year, month_number):
            continue  # a due date queried a day wide of the month
        by_day.setdefault(day, []).append(_shown(entry, zone, language))
    html = render_template(
        "meetings/_month_grid.html",
        month=month_number,
        weeks=queries.calendar_weeks(year, month_number),
        by_day=by_day,
        day_names={day: day_name(day, language) for day in by_day},
        today=today,
        zone=zone,
    )
    return Markup(html)  # noqa: S704 - rendered by the template, escaped  # nosec B704


def _meeting_entry(row, language: str, label: str) -> CalendarEntry:
    meeting_id, title_en, title_es, starts_at, ends_at, _on, cancelled = row
    return CalendarEntry(
        kind="meeting",
        label=label,
        title=(title_es if language == "es" else None) or title_en,
        url=url_for("meetings.detail", meeting_id=meeting_id),
        starts_at=starts_at,
        ends_at=ends_at,
        cancelled=bool(cancelled),
    )


def _entry_order(entry: CalendarEntry) -> tuple:
    """All-day entries (due dates) first, then by start; kinds in a fixed order."""
    moment = entry.starts_at.timestamp() if entry.starts_at else float("-inf")
    return (moment, KIND_ORDER.get(entry.kind, 9), entry.title, entry.url)


def _shown(entry: CalendarEntry, zone: str, language: str) -> dict:
    """What the page writes of an entry: the short times in the grid (its cell names the day),
    the whole range (day, times and zone) in the phone's list (portal.css shows one)."""
    shown = {"entry": entry, "times": "", "range": ""}
    if entry.starts_at is not None and entry.ends_at is not None:
        shown["times"] = compact_times(entry.starts_at, entry.ends_at, zone)
        shown["range"] = compact_range(entry.starts_at, entry.ends_at, zone, language)
    return shown


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
        name = _("Calendar · Cooperation Portal")
    sources = calendar_sources(current_app)

    def others(writer):
        return [e for s in sources for e in s.feed_events(db.session, user, since, writer)]

    text = ics.personal_feed(meetings, calendar_name=name, language=user.language, others=others)
    return _calendar_response(text)
