"""The parties' working hours and public holidays, as scheduling a meeting sees them.

The parties invited to a group's meetings are the MoU's parties. Each keeps its working days
and hours on its own clock and its country's public holidays; an international organisation
(a party with no holiday country, such as the OAS) follows the host of the meeting: the party
of the coordinator who organises it. The arithmetic is in portal/calendar/working_time.py.

Scheduling (or moving) a meeting on a party's holiday or outside its working time asks first:
the service raises OffHours with one sentence per party and moment, and writes nothing.
"""

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import get_timezone_location
from flask_babel import format_date, get_locale
from flask_babel import lazy_gettext as _l

from portal.accounts.models import Party, User
from portal.calendar.public_holidays import holidays_between
from portal.calendar.working_time import (
    WorkingWeek,
    clock,
    is_within,
    parse_days,
    working_intervals,
)
from portal.core.i18n import current_language, localized
from portal.mous.models import WorkingGroup

# Sentences past this many are counted, not listed (a long series on many holidays).
MAX_LISTED = 8


class OffHours(Exception):
    """The meeting falls on a party's holiday or outside its working time: ask first.

    `fingerprint` names the question asked: the form posts it back with the confirmation,
    so that confirming one question (one time) does not confirm another."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons
        self.fingerprint = fingerprint(reasons)


def fingerprint(reasons: list[str]) -> str:
    return hashlib.sha256("\n".join(reasons).encode()).hexdigest()[:32]


def confirmed(reasons: list[str], confirmation: bool | str) -> bool:
    """Whether these reasons were confirmed: True confirms any (a caller that has asked in
    its own way), a fingerprint only the question it names."""
    return confirmation is True or (bool(confirmation) and confirmation == fingerprint(reasons))


@dataclass(frozen=True)
class PartyTime:
    """A party as find-a-time and the check see it: its week, with holidays named."""

    party: Party
    week: WorkingWeek | None  # None: working hours not set
    holidays: dict[date, str]  # local date -> name, in the reader's language
    holidays_of: Party | None  # whose holidays they are (the host, for an organisation)


def invited_parties(group: WorkingGroup) -> list[Party]:
    return list(group.mou.parties)


def host_party(organiser: User | None, parties: list[Party]) -> Party | None:
    """Whose holidays an organisation follows: the organiser's party, else the first party
    of the MoU that keeps holidays of its own."""
    if organiser is not None and organiser.party is not None and organiser.party.holiday_country:
        return organiser.party
    return next((p for p in parties if p.holiday_country), None)


def party_times(
    parties: list[Party], host: Party | None, first: date, last: date
) -> list[PartyTime]:
    """Each party's working time and holidays over its local dates `first`..`last`."""
    found = []
    for party in parties:
        holidays_of = party if party.holiday_country else host
        holidays = (
            holidays_between(
                holidays_of.holiday_country,
                holidays_of.holiday_subdivision,
                first,
                last,
                current_language(),
            )
            if holidays_of is not None
            else {}
        )
        week = None
        if party.has_working_hours:
            week = WorkingWeek(
                zone=party.timezone,
                days=parse_days(party.work_days),
                start_minute=party.work_start_minute,
                end_minute=party.work_end_minute,
                holidays=holidays,
            )
        found.append(PartyTime(party, week, holidays, holidays_of))
    return found


def off_hours_reasons(
    group: WorkingGroup, organiser: User | None, moments: list[tuple[datetime, datetime]]
) -> list[str]:
    """Why each moment (UTC start, end) is on a party's holiday or outside its working time,
    one sentence each, in the reader's language; empty when every party is at work."""
    if not moments:
        return []
    parties = invited_parties(group)
    earliest = min(start for start, _ in moments).date() - timedelta(days=1)
    latest = max(end for _, end in moments).date() + timedelta(days=1)
    times = party_times(parties, host_party(organiser, parties), earliest, latest)
    reasons: list[str] = []
    for start, end in moments:
        for entry in times:
            reason = _reason(entry, start, end)
            if reason and reason not in reasons:
                reasons.append(reason)
    if len(reasons) > MAX_LISTED:
        more = len(reasons) - MAX_LISTED
        reasons = [*reasons[:MAX_LISTED], str(_l("And %(count)d more.", count=more))]
    return reasons


def _reason(entry: PartyTime, start: datetime, end: datetime) -> str | None:
    zone = ZoneInfo(entry.party.timezone)
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    days = {local_start.date(), (local_end - timedelta(microseconds=1)).date()}
    for day in sorted(days):
        if day in entry.holidays:
            return holiday_sentence(day, entry.holidays[day], entry)
    week = entry.week
    if week is None:
        return None
    for day in sorted(days):
        if day.isoweekday() not in week.days:
            return str(
                _l(
                    "%(day)s is not a working day for %(party)s.",
                    day=day_name(day),
                    party=localized(entry.party, "name"),
                )
            )
    intervals = working_intervals(week, min(days) - timedelta(days=1), max(days))
    if is_within(intervals, start, end):
        return None
    outside = local_start if not is_within(intervals, start, start + timedelta(minutes=1)) else None
    shown = outside or local_end
    return str(
        _l(
            "%(time)s in %(city)s is outside the working hours of %(party)s (%(hours)s).",
            time=shown.strftime("%H:%M"),
            city=city(entry.party.timezone),
            party=localized(entry.party, "name"),
            hours=f"{clock(week.start_minute)}–{clock(week.end_minute)}",
        )
    )


def holiday_sentence(day: date, name: str, entry: PartyTime) -> str:
    if entry.holidays_of is not None and entry.holidays_of is not entry.party:
        return str(
            _l(
                "%(day)s is %(holiday)s in %(host)s, the host (followed by %(party)s).",
                day=day_name(day),
                holiday=name,
                host=localized(entry.holidays_of, "name"),
                party=localized(entry.party, "name"),
            )
        )
    return str(
        _l(
            "%(day)s is %(holiday)s in %(party)s.",
            day=day_name(day),
            holiday=name,
            party=localized(entry.party, "name"),
        )
    )


def day_name(day: date) -> str:
    """ "Friday 18 September" / "viernes 18 de septiembre"."""
    pattern = "EEEE d 'de' MMMM" if current_language() == "es" else "EEEE d MMMM"
    text = format_date(day, pattern)
    return text[:1].upper() + text[1:]  # it starts a sentence


def city(zone: str) -> str:
    return get_timezone_location(zone, locale=get_locale(), return_city=True)
