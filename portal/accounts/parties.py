"""Parties: the countries and organisations whose delegations use the portal."""

from dataclasses import dataclass

from babel.dates import get_day_names
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import Party, PartyKind, User
from portal.accounts.services import check_language_and_zone
from portal.calendar.public_holidays import is_known_country, is_known_subdivision
from portal.calendar.working_time import DAY_MINUTES, ISO_WEEKDAYS, clock, format_days, parse_days
from portal.core import access as core_access
from portal.core.errors import Forbidden, NotFound, ValidationError
from portal.core.ports import record
from portal.web.pagination import Page, paginate


@dataclass(frozen=True)
class PartyData:
    code: str
    kind: PartyKind
    name_en: str
    name_es: str
    timezone: str
    language: str
    # Working time: all given, or none (not set); see Party.
    work_days: frozenset[int] = frozenset()
    work_start_minute: int | None = None
    work_end_minute: int | None = None
    holiday_country: str | None = None
    holiday_subdivision: str | None = None


def list_parties(session: Session, actor: User, *, page: int) -> Page:
    require_party_admin(actor)
    return paginate(session, select(Party).order_by(Party.code), page=page)


def all_parties(session: Session) -> list[Party]:
    return list(session.scalars(select(Party).order_by(Party.code)))


def get_party(session: Session, actor: User, party_id: int) -> Party:
    require_party_admin(actor)
    party = session.get(Party, party_id)
    if party is None:
        raise NotFound()
    return party


def create_party(session: Session, actor: User, data: PartyData) -> Party:
    require_party_admin(actor)
    party = Party()
    _apply(session, party, data)
    session.add(party)
    session.flush()
    record(session, "party.created", actor=actor, object_type="party", object_id=party.id)
    return party


def update_party(session: Session, actor: User, party: Party, data: PartyData) -> None:
    require_party_admin(actor)
    _apply(session, party, data)
    record(session, "party.updated", actor=actor, object_type="party", object_id=party.id)


def _apply(session: Session, party: Party, data: PartyData) -> None:
    code = data.code.strip().upper()
    taken = session.scalar(select(Party.id).where(Party.code == code, Party.id != party.id))
    if taken is not None:
        raise ValidationError(str(_l("Another delegation already uses this code.")), field="code")
    check_language_and_zone(data.language, data.timezone)
    party.code = code
    party.kind = data.kind
    party.name_en = data.name_en.strip()
    party.name_es = data.name_es.strip()
    party.timezone = data.timezone
    party.language = data.language
    _apply_working_time(party, data)


def _apply_working_time(party: Party, data: PartyData) -> None:
    hours = (data.work_start_minute, data.work_end_minute)
    if data.work_days or hours != (None, None):
        if not data.work_days or not data.work_days <= set(ISO_WEEKDAYS):
            raise ValidationError(str(_l("Choose at least one working day.")), field="work_days")
        start, end = hours
        if start is None or end is None or not 0 <= start < end <= DAY_MINUTES:
            raise ValidationError(
                str(_l("The working hours must end after they start.")), field="work_end"
            )
        party.work_days, party.work_start_minute, party.work_end_minute = (
            format_days(data.work_days),
            start,
            end,
        )
    else:
        party.work_days = party.work_start_minute = party.work_end_minute = None
    country = data.holiday_country or None
    subdivision = (data.holiday_subdivision or "").strip().upper() or None
    if country is not None and not is_known_country(country):
        raise ValidationError(
            str(_l("Choose one of the options in the list.")), field="holiday_country"
        )
    if subdivision is not None and (
        country is None or not is_known_subdivision(country, subdivision)
    ):
        raise ValidationError(
            str(_l("Not a region of that country in the calendar of holidays.")),
            field="holiday_subdivision",
        )
    party.holiday_country = country
    party.holiday_subdivision = subdivision


def describe_working_time(party: Party) -> str:
    """ "Mon–Fri 09:00–18:00" (days named in the reader's language), or that it is not set."""
    if not party.has_working_hours:
        return str(_l("Not set"))
    names = get_day_names("abbreviated", locale=get_locale())
    working = parse_days(party.work_days)
    # Start from a day after a day off, so that Sunday to Thursday reads as one run.
    first = next((d for d in ISO_WEEKDAYS if d in working and (d - 2) % 7 + 1 not in working), 1)
    days = [(first - 1 + i) % 7 + 1 for i in range(7) if (first - 1 + i) % 7 + 1 in working]
    runs, run = [], [days[0]]
    for day in days[1:]:
        if day == run[-1] % 7 + 1:
            run.append(day)
        else:
            runs.append(run)
            run = [day]
    runs.append(run)
    named = ", ".join(
        names[r[0] - 1] if len(r) == 1 else f"{names[r[0] - 1]}–{names[r[-1] - 1]}" for r in runs
    )
    hours = f"{clock(party.work_start_minute)}–{clock(party.work_end_minute)}"
    return f"{named} {hours}"


def require_party_admin(actor: User) -> None:
    if not core_access.can_administer(actor):
        raise Forbidden()
