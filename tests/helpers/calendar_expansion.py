"""What calendars make of the portal's files: each one expanded by recurring_ical_events.

Shared by the series tests: the download, the mails each person got and their private feed,
expanded as a calendar program would, give (start, end) instants to compare with the stored
meetings.
"""

from datetime import UTC, datetime

import recurring_ical_events
from icalendar import Calendar, Event

FAR_PAST, FAR_FUTURE = datetime(2020, 1, 1, tzinfo=UTC), datetime(2040, 1, 1, tzinfo=UTC)


def expanded(text: str, uid: str | None = None) -> list[tuple[datetime, datetime]]:
    """The (start, end) instants a calendar shows for a file (of one UID, or of UIDs that start
    with `uid-`, as a feed names the occurrences of a series); cancelled events show none."""
    calendar = Calendar.from_ical(text)
    events = recurring_ical_events.of(calendar).between(FAR_PAST, FAR_FUTURE)
    durations, overridden = _exact_durations(calendar)
    return sorted(
        _instants(event, durations, overridden)
        for event in events
        if str(event.get("STATUS", "")) != "CANCELLED"
        and (uid is None or str(event["UID"]) == uid or str(event["UID"]).startswith(f"{uid}-"))
    )


def _exact_durations(calendar: Calendar) -> tuple[dict, set]:
    """Each recurring event's exact duration DTEND - DTSTART, and the occurrences overridden
    by an event of their own (UID, RECURRENCE-ID as an instant).

    RFC 5545 (3.8.5.3) gives every occurrence of a rule "the same exact duration" as the
    first; recurring_ical_events keeps the wall-clock difference instead, which differs when
    the first occurrence spans a change of the clocks (a London meeting from 00:00 to 03:30
    on the night the clocks go forward lasts 2 h 30).
    """
    durations, overridden = {}, set()
    for event in calendar.walk("VEVENT"):
        if "RRULE" in event:
            start, end = event["DTSTART"].dt, event["DTEND"].dt
            durations[str(event["UID"])] = _utc(end) - _utc(start)
        elif "RECURRENCE-ID" in event:
            overridden.add((str(event["UID"]), _utc(event["RECURRENCE-ID"].dt)))
    return durations, overridden


def _instants(event: Event, durations: dict, overridden: set) -> tuple[datetime, datetime]:
    start, uid = _utc(event["DTSTART"].dt), str(event["UID"])
    recurrence_id = _utc(event["RECURRENCE-ID"].dt) if "RECURRENCE-ID" in event else None
    if uid in durations and (uid, recurrence_id) not in overridden:
        return start, start + durations[uid]
    return start, _utc(event["DTEND"].dt)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


class MailboxCalendar:
    """One person's calendar program, fed their meeting mails in order (RFC 5546).

    A REQUEST replaces what it holds for its UID (the portal always sends the series with all
    its changed occurrences, ICALENDAR.md point 6); a CANCEL removes the occurrence of its
    RECURRENCE-ID, or the whole UID; a SEQUENCE lower than the one held is ignored.
    """

    def __init__(self) -> None:
        self.events: dict[str, list] = {}
        self.zones: dict[str, list] = {}
        self.sequence: dict[str, int] = {}
        self.cancelled: dict[str, list[datetime]] = {}

    def receive(self, ics_text: str) -> None:
        calendar = Calendar.from_ical(ics_text)
        events = calendar.walk("VEVENT")
        uid = str(events[0]["UID"])
        sequence = max(int(e.get("SEQUENCE", 0)) for e in events)
        if sequence < self.sequence.get(uid, -1):
            return
        self.sequence[uid] = sequence
        if str(calendar["METHOD"]) == "REQUEST":
            self.events[uid] = events
            self.zones[uid] = calendar.walk("VTIMEZONE")
            self.cancelled[uid] = []
        elif any("RECURRENCE-ID" in e for e in events):
            self.cancelled.setdefault(uid, []).extend(e["RECURRENCE-ID"].dt for e in events)
        else:
            self.events.pop(uid, None)

    def uids(self) -> set[str]:
        return set(self.events)

    def shown(self, uid: str) -> list[tuple[datetime, datetime]]:
        """What the calendar shows for a UID, with the cancelled occurrences taken out."""
        calendar = Calendar()
        calendar.add("prodid", "-//tests//mailbox//EN")
        calendar.add("version", "2.0")
        for zone in self.zones.get(uid, []):
            calendar.add_component(zone)
        gone = self.cancelled.get(uid, [])
        for event in self.events.get(uid, []):
            copy = Event.from_ical(event.to_ical())
            if "RECURRENCE-ID" in copy and copy["RECURRENCE-ID"].dt in gone:
                continue
            if "RRULE" in copy:
                for recurrence_id in gone:
                    copy.add("exdate", recurrence_id)
            calendar.add_component(copy)
        return expanded(calendar.to_ical().decode())
