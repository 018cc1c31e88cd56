"""Polls for tests: made directly in the database, and the form data proposing times."""

from datetime import UTC, datetime, timedelta

from portal.polls.models import Poll, PollOption, PollParticipant, PollStatus

ZONE = "America/Santiago"


def days_ahead(days: int, hour: int = 10) -> datetime:
    """A whole hour, UTC, `days` from now."""
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    return (now + timedelta(days=days)).replace(hour=hour)


def make_poll(session, world, *, options=None, expires_in_days: int = 5, **fields) -> Poll:
    """A poll of the Chile–UK group asking its four members, with times 20 and 21 days ahead."""
    starts = options or [days_ahead(20, 13), days_ahead(21, 13)]
    expires_at = datetime.now(UTC) + timedelta(days=expires_in_days)
    poll = Poll(
        working_group=world.group,
        title_en=fields.pop("title_en", "Exercise planning"),
        title_es=fields.pop("title_es", "Planificación del ejercicio"),
        timezone=fields.pop("timezone", ZONE),
        duration_minutes=fields.pop("duration_minutes", 60),
        expires_on=expires_at.date(),
        expires_at=expires_at,
        status=fields.pop("status", PollStatus.OPEN),
        created_by_id=world.coordinator_cl.id,
        options=[PollOption(starts_at=s, ends_at=s + timedelta(hours=1)) for s in starts],
        participants=[
            PollParticipant(user=person)
            for person in (
                world.coordinator_cl,
                world.coordinator_gb,
                world.member_cl,
                world.member_gb,
            )
        ],
        **fields,
    )
    session.add(poll)
    session.flush()
    return poll


def local(moment: datetime, zone: str = ZONE) -> str:
    """A UTC instant as the form's local-time field writes it in `zone`."""
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M")


def poll_form(**overrides) -> dict:
    data = {
        "title_en": "Incident exercise",
        "title_es": "Ejercicio de incidentes",
        "timezone": ZONE,
        "duration_minutes": "90",
        "expires_on": (datetime.now(UTC) + timedelta(days=7)).date().isoformat(),
        "start_1": local(days_ahead(20, 13)),
        "start_2": local(days_ahead(21, 14)),
        "start_3": local(days_ahead(22, 15)),
        "place": "",
        "tlp": "amber",
    }
    data.update(overrides)
    return data
