"""iCalendar for meetings: invitations and cancellations (iMIP), downloads and personal feeds.

Built on the shared writer (portal/calendar/ics.py); what is the meetings' own is here:
series with their RRULE, EXDATE and changed occurrences, personal feeds, and one calendar
written once for many attendees. The numbers in comments ("point 7") refer to
/work/shared/ICALENDAR.md. One-off meetings and feed events are written in UTC (point 9); a
series is written in its organiser's wall-clock time with a TZID (point 10).
"""

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from icalendar import Event, vRecur

from portal.accounts.models import User
from portal.calendar.ics import (
    AttendeeStandIn,
    CalendarForMany,
    CalendarWriter,
    EventText,
    new_calendar,
    utc,
)
from portal.calendar.vtimezone import vtimezone
from portal.core.bilingual import labelled_text, text_in
from portal.meetings.models import Meeting, MeetingSeries, MeetingStatus
from portal.meetings.recurrence import occurrences

FEED_REFRESH = timedelta(hours=1)

# Public builders ------------------------------------------------------------------------------


def meeting_calendar(
    meeting: Meeting,
    *,
    method: str,
    attendee: User | None,
    organiser_email: str,
    organiser_name: str,
    language: str | None = None,
) -> str:
    """A one-off meeting as REQUEST (invitation or change), CANCEL or PUBLISH (download).

    `language` ("en"/"es") chooses the title; by default the attendee's language, else English.
    """
    if meeting.series_id is not None:
        raise ValueError("a series occurrence belongs in series_calendar()")
    writer = _MeetingWriter(method, attendee, organiser_email, organiser_name, language)
    event = writer.one_off(
        _text(meeting, writer.language),
        uid=meeting.uid,
        sequence=meeting.sequence,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        cancelled=meeting.is_cancelled,
    )
    return writer.calendar([event])


def series_calendar(
    series: MeetingSeries,
    *,
    method: str,
    attendee: User | None,
    organiser_email: str,
    organiser_name: str,
    cancelled_occurrence: Meeting | None = None,
    language: str | None = None,
) -> str:
    """A series with all its changed occurrences (point 6), or the cancellation of one or all.

    REQUEST/PUBLISH: the series VEVENT (RRULE, EXDATE of cancelled occurrences) and one VEVENT
    per changed occurrence. CANCEL with `cancelled_occurrence`: only that occurrence; CANCEL
    without it: the whole series.
    """
    writer = _MeetingWriter(method, attendee, organiser_email, organiser_name, language)
    if method == "CANCEL" and cancelled_occurrence is not None:
        events = [writer.occurrence(series, cancelled_occurrence, cancelled=True)]
    elif method == "CANCEL":
        events = [writer.series_event(series, cancelled=True)]
    else:
        events = writer.series_with_exceptions(series)
    return writer.calendar(events)


# One calendar for many attendees ---------------------------------------------------------------
# Written once per language for a stand-in attendee (portal/calendar/ics.py says how).


def calendar_for_many(
    write: Callable[..., str], subject, *, method: str, language: str, **details
) -> CalendarForMany:
    """`write` (meeting_calendar or series_calendar) of `subject` for every attendee who reads
    `language` (REQUEST or CANCEL)."""
    text = write(
        subject, method=method, attendee=AttendeeStandIn(language), language=language, **details
    )
    return CalendarForMany(text, asks_reply=method == "REQUEST")


def personal_feed(
    meetings: list[Meeting],
    *,
    calendar_name: str,
    language: str = "en",
    others: Callable[[CalendarWriter], Iterable[Event]] | None = None,
) -> str:
    """A person's subscribed calendar (point 13): the same bytes until the data change.

    Every occurrence of a series is its own plain event with a UID derived from the series UID
    and the occurrence's original start. A feed carries only the occurrences this person may
    see, and RECURRENCE-ID instances without their series VEVENT are dropped or shown oddly by
    subscribed calendars (Google, Outlook.com); plain events with stable UIDs are shown by all.
    They never clash with the invitations in the mailbox: a subscription is its own calendar.
    Cancelled meetings are left out, so subscribed calendars remove them.

    `others` gives the other features' events (trainings, due dates), written with the same
    writer: a zone they name gets its VTIMEZONE before the first event (point 10).
    """
    writer = _MeetingWriter(None, None, "", "", language)
    shown = [m for m in meetings if not m.is_cancelled]
    shown.sort(key=lambda m: (m.starts_at, feed_uid(m)))  # the caller's order must not matter
    events = [writer.feed_event(m) for m in shown]
    if others is not None:
        events.extend(others(writer))
    calendar_name = str(calendar_name)  # a lazy translation becomes text here
    calendar = new_calendar(method=None)
    calendar.add("name", calendar_name)
    calendar.add("x-wr-calname", calendar_name)
    calendar.add("refresh-interval", FEED_REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    for zone, moments in sorted(writer.zone_use.items()):
        calendar.add_component(vtimezone(zone, min(moments), max(moments)))
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")


def feed_uid(meeting: Meeting) -> str:
    """The UID of a meeting in a personal feed: a series occurrence gets its own, stable one."""
    if meeting.original_start_local is None:
        return meeting.uid
    return f"{meeting.uid}-{meeting.original_start_local:%Y%m%dT%H%M%S}"


# Writing events -------------------------------------------------------------------------------


class _MeetingWriter(CalendarWriter):
    """The shared writer, taught series and the meetings' own attributes."""

    def __init__(self, method, attendee, organiser_email, organiser_name, language) -> None:
        super().__init__(method, attendee, organiser_email, organiser_name, language)
        self.produced: dict[tuple[str, datetime, str], list[datetime]] = {}

    # Whole files.

    def series_with_exceptions(self, series: MeetingSeries) -> list[Event]:
        produced = set(self.rule_starts(series))
        changed = [
            m
            for m in series.meetings
            if m.is_exception and not m.is_cancelled and m.original_start_local in produced
        ]
        master = self.series_event(series, cancelled=_all_cancelled(series))
        return [master] + [self.occurrence(series, m) for m in changed]

    # Single events.

    def meeting_event(
        self, meeting: Meeting, *, uid: str, sequence: int, stamp: datetime | None = None
    ) -> Event:
        """The properties every VEVENT of a meeting carries, whatever its dates."""
        return self.event(_text(meeting, self.language), uid=uid, sequence=sequence, stamp=stamp)

    def series_event(self, series: MeetingSeries, *, cancelled: bool) -> Event:
        """The VEVENT holding the rule; EXDATE for cancelled occurrences the rule still makes."""
        template = _template(series)
        event = self.meeting_event(template, uid=series.uid, sequence=series.sequence)
        start = self.local(series.timezone, series.first_start_local)
        # Clients give every occurrence the exact duration DTEND - DTSTART, so DTEND is the
        # first occurrence's real end, even when that one spans a change of the clocks.
        end = start.astimezone(UTC) + timedelta(minutes=series.duration_minutes)
        event.add("dtstart", start)
        event.add("dtend", self.instant(series.timezone, end))
        event.add("rrule", vRecur.from_ical(series.rrule))
        produced = set(self.rule_starts(series))  # also sizes the VTIMEZONE to the last one
        if not cancelled:  # a cancelled series goes whole, with no dates set apart
            for original in _cancelled_starts(series, produced):
                event.add("exdate", self.local(series.timezone, original))
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        return event

    def occurrence(self, series: MeetingSeries, meeting: Meeting, *, cancelled=False) -> Event:
        """A changed or cancelled occurrence: its RECURRENCE-ID is the start the rule gave it."""
        if meeting.original_start_local not in set(self.rule_starts(series)):
            raise ValueError("the occurrence is not one the series' rule produces")
        event = self.meeting_event(meeting, uid=series.uid, sequence=series.sequence)
        event.add("recurrence-id", self.local(series.timezone, meeting.original_start_local))
        event.add("dtstart", self.instant(meeting.timezone, meeting.starts_at))
        event.add("dtend", self.instant(meeting.timezone, meeting.ends_at))
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        return event

    def feed_event(self, meeting: Meeting) -> Event:
        """A feed event from stored data only: no clock, so fetches give the same bytes."""
        sequence = meeting.series.sequence if meeting.series is not None else meeting.sequence
        modified = utc(meeting.updated_at)
        event = self.meeting_event(
            meeting, uid=feed_uid(meeting), sequence=sequence, stamp=modified
        )
        event.add("last-modified", modified)
        event.add("dtstart", utc(meeting.starts_at))
        event.add("dtend", utc(meeting.ends_at))
        event.add("status", "CONFIRMED")
        return event

    # Times.

    def rule_starts(self, series: MeetingSeries) -> list[datetime]:
        """The wall-clock starts the series' rule produces (RECURRENCE-ID and EXDATE values)."""
        key = (series.rrule, series.first_start_local, series.timezone)
        if key not in self.produced:
            self.produced[key] = occurrences(*key)
            self.zone_use[series.timezone].extend(self.produced[key])
        return self.produced[key]


def _text(meeting: Meeting, language: str) -> EventText:
    """What a meeting's VEVENT says, in the reader's language."""
    return EventText(
        title=labelled_text(meeting, "title", language),
        description_md=text_in(meeting, "description_md", language),
        place=meeting.place,
        video_url=meeting.video_url,
        tlp=meeting.tlp,
    )


def _template(series: MeetingSeries) -> Meeting:
    """The occurrence whose title, place and text stand for the whole series."""
    unchanged = [m for m in series.meetings if not m.is_exception and not m.is_cancelled]
    if unchanged:
        return unchanged[0]
    return series.meetings[0]


def _all_cancelled(series: MeetingSeries) -> bool:
    return bool(series.meetings) and all(
        m.status == MeetingStatus.CANCELLED for m in series.meetings
    )


def _cancelled_starts(series: MeetingSeries, produced: set[datetime]) -> list[datetime]:
    """Original starts of cancelled occurrences the rule still makes (point 7).

    Occurrences cut off by a rule shortened with UNTIL are not the rule's any more: an EXDATE
    for them would name an instant the RRULE does not produce.
    """
    return sorted(
        m.original_start_local
        for m in series.meetings
        if m.is_cancelled and m.original_start_local in produced
    )
