"""The iCalendar writer meetings and trainings share: the envelope, a VEVENT's basic
properties, ORGANIZER and ATTENDEE, UTC and wall-clock times with their VTIMEZONEs.

What Outlook, Google and Apple need is written down in /work/shared/ICALENDAR.md; the
numbers in comments ("point 7") refer to it. A one-off event is written in UTC, which needs
no VTIMEZONE (point 9); a wall-clock time is written with a TZID, and every TZID used gets a
VTIMEZONE built from zoneinfo (point 10). An event keeps its UID forever and its SEQUENCE
rises with every change sent.
"""

import re
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import current_app
from icalendar import Calendar, Event, vCalAddress
from icalendar.parser import Contentline

from portal.calendar.vtimezone import vtimezone
from portal.core.kept import Slots
from portal.core.markdown import markdown_to_text
from portal.core.tlp import TLP

PRODID = "-//Binational Cybersecurity Cooperation Portal//Meetings//EN"
METHODS = ("REQUEST", "CANCEL", "PUBLISH")
RED_NOTE = {"en": "TLP:RED: see the portal", "es": "TLP:RED: consulte el portal"}
VIDEO = {"en": "Video", "es": "Video"}
# Levels whose events calendars should hide from people who merely share a calendar.
PRIVATE_FROM = TLP.AMBER_STRICT


def new_uid() -> str:
    """A UID for a new event, unique across portals: the event keeps it forever."""
    host = urlsplit(current_app.config["PORTAL_BASE_URL"]).hostname or "portal"
    return f"{uuid.uuid4()}@{host}"


class Attendee(Protocol):
    """Whom a file is for: a user of any feature (the calendar layer imports none)."""

    email: str
    name: str
    language: str


@dataclass(frozen=True)
class EventText:
    """What a VEVENT tells its reader, already in the reader's language."""

    title: str
    description_md: str
    place: str
    video_url: str
    tlp: TLP


class CalendarWriter:
    """Builds the VEVENTs of one file, remembering the local times used in each zone.

    `method` is the iTIP method (None for a subscribed feed); `attendee` the one person the
    file is for, if any; `language` ("en"/"es") by default the attendee's, else English.
    """

    def __init__(self, method, attendee, organiser_email, organiser_name, language) -> None:
        if method is not None:
            check_method(method)
        self.method: str | None = method
        self.attendee: Attendee | None = attendee
        self.organiser_email = organiser_email
        self.organiser_name = organiser_name
        chosen = language or (attendee.language if attendee else "en")
        self.language = "es" if chosen.lower().startswith("es") else "en"
        self.stamp = datetime.now(UTC).replace(microsecond=0)
        self.zone_use: dict[str, list[datetime]] = defaultdict(list)

    def calendar(self, events: list[Event]) -> str:
        """The whole file: envelope, a VTIMEZONE per zone used, then the events."""
        calendar = new_calendar(method=self.method)
        for zone, moments in sorted(self.zone_use.items()):
            calendar.add_component(vtimezone(zone, min(moments), max(moments)))
        for event in events:
            calendar.add_component(event)
        return calendar.to_ical().decode("utf-8")

    def event(
        self, text: EventText, *, uid: str, sequence: int, stamp: datetime | None = None
    ) -> Event:
        """The properties every VEVENT carries, whatever its dates."""
        event = Event()
        event.add("uid", uid)
        event.add("sequence", sequence)
        event.add("dtstamp", stamp or self.stamp)
        event.add("summary", text.title)
        event.add("description", describe(text, self.language))
        if text.place:
            event.add("location", text.place)
        if text.video_url:
            event.add("url", text.video_url)
        if text.tlp.rank >= PRIVATE_FROM.rank:
            event.add("class", "PRIVATE")
        if self.method is not None:
            event.add("organizer", address(self.organiser_email, self.organiser_name))
        if self.attendee is not None and self.method in ("REQUEST", "CANCEL"):
            asks_reply = self.method == "REQUEST"
            event.add("attendee", attendee_address(self.attendee, asks_reply=asks_reply))
        return event

    def one_off(
        self,
        text: EventText,
        *,
        uid: str,
        sequence: int,
        starts_at: datetime,
        ends_at: datetime,
        cancelled: bool,
    ) -> Event:
        """A single event in UTC; a CANCEL always says CANCELLED."""
        event = self.event(text, uid=uid, sequence=sequence)
        event.add("dtstart", utc(starts_at))
        event.add("dtend", utc(ends_at))
        cancelled = cancelled or self.method == "CANCEL"
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        return event

    def local(self, zone: str, naive: datetime) -> datetime:
        """A wall-clock time with its TZID; its zone gets a VTIMEZONE covering it."""
        self.zone_use[zone].append(naive)
        return naive.replace(tzinfo=ZoneInfo(zone))

    def instant(self, zone: str, moment: datetime) -> datetime:
        """An instant as wall-clock time in `zone`, or in UTC when the wall clock is ambiguous.

        A TZID time in the hour that happens twice means its first occurrence (RFC 5545), so
        an instant in the second one can only be written exactly in UTC.
        """
        local = moment.astimezone(ZoneInfo(zone))
        naive = local.replace(tzinfo=None)
        if naive.replace(tzinfo=ZoneInfo(zone), fold=0).astimezone(UTC) != moment:
            return utc(moment)
        return self.local(zone, naive)


def new_calendar(*, method: str | None) -> Calendar:
    """The envelope: PRODID, VERSION, CALSCALE and, for iTIP, METHOD."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method is not None:
        calendar.add("method", method)
    return calendar


def check_method(method: str) -> None:
    if method not in METHODS:
        raise ValueError(f"unknown iTIP method {method!r}")


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(microsecond=0)


def describe(text: EventText, language: str) -> str:
    """Plain text (Markdown reads well as such) under the TLP label; never a TLP:RED text."""
    if text.tlp == TLP.RED:
        return RED_NOTE[language]
    parts = [text.tlp.label]
    if text.description_md.strip():
        parts.append(markdown_to_text(text.description_md))
    if text.video_url:
        # Outlook does not show URL, so the link also goes where people read.
        parts.append(f"{VIDEO[language]}: {text.video_url}")
    return "\n\n".join(parts)


def address(email: str, name: str) -> vCalAddress:
    """An ORGANIZER or ATTENDEE value: the mailto address with its common name."""
    calendar_address = vCalAddress(f"mailto:{email}")
    calendar_address.params["CN"] = name
    return calendar_address


def attendee_address(user: Attendee, *, asks_reply: bool) -> vCalAddress:
    """The ATTENDEE value of one person; an invitation (REQUEST) asks them to reply."""
    attendee = address(user.email, user.name)
    attendee.params["CUTYPE"] = "INDIVIDUAL"
    attendee.params["ROLE"] = "REQ-PARTICIPANT"
    if asks_reply:
        attendee.params["PARTSTAT"] = "NEEDS-ACTION"
        attendee.params["RSVP"] = "TRUE"
    return attendee


# One calendar for many attendees ---------------------------------------------------------------
# A meeting of 500 invitees sends 500 invitations whose calendars differ only in their ATTENDEE
# lines: the calendar is written once (per language) for a stand-in, its ATTENDEE line becomes
# a slot (portal.core.kept, private: the text is not escaped) and each person's line is put in
# its place, by the request or by the outbox worker when it sends.

# An ATTENDEE content line, folded or not, with its line break.
_ATTENDEE_LINE = re.compile(r"^ATTENDEE[;:][^\r\n]*\r\n(?:[ \t][^\r\n]*\r\n)*", re.MULTILINE)
ATTENDEE_SLOT = "attendee"


@dataclass(frozen=True)
class AttendeeStandIn:
    """Stands in for the attendee while a calendar for many is written."""

    language: str = "en"
    email: str = "attendee-slot@portal.invalid"
    name: str = "Attendee slot"


def with_attendee_slot(text: str, slots: Slots) -> list[str]:
    """The calendar's parts with `slots`' slot ATTENDEE_SLOT where its ATTENDEE lines were."""
    marked, lines = _ATTENDEE_LINE.subn(lambda _: slots.slot(ATTENDEE_SLOT), text)
    if not lines:
        raise ValueError("a calendar for many attendees needs an ATTENDEE line")
    return slots.split(marked)


def attendee_line(email: str, name: str, *, asks_reply: bool) -> str:
    """One person's ATTENDEE content line, folded, with its line break."""
    value = attendee_address(_Named(email, name), asks_reply=asks_reply)
    return Contentline.from_parts("ATTENDEE", value.params, value).to_ical().decode() + "\r\n"


class CalendarForMany:
    """A calendar written once for a stand-in, whose ATTENDEE lines are a slot filled in for
    each person.

    `for_attendee(person)` gives exactly the text written for that attendee alone
    (tests/meetings/test_ics.py compares them); `parts(slots)` the calendar with that slot in
    `slots`, for the outbox worker to fill when it sends.
    """

    def __init__(self, text: str, *, asks_reply: bool) -> None:
        self._slots = Slots.private()
        self._text = text
        self._parts = with_attendee_slot(text, self._slots)
        self.asks_reply = asks_reply

    def parts(self, slots: Slots) -> list[str]:
        return with_attendee_slot(self._text, slots)

    def for_attendee(self, person: Attendee) -> str:
        line = attendee_line(person.email, person.name, asks_reply=self.asks_reply)
        return self._slots.fill(self._parts, {ATTENDEE_SLOT: line}, html=False)


@dataclass(frozen=True)
class _Named:
    email: str
    name: str
