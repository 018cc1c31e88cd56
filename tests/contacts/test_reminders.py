"""The yearly reminder to verify points of contact: to the party's coordinators, one mail per
MoU and party, once per year of lapse, however often `flask reminders run` runs."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import select

from portal.core.reminder_log import SentReminder
from portal.notifications.models import OutboxMessage

VERIFIED = date(2030, 3, 1)


@pytest.fixture
def contacts(world, session, contact_of):
    made = {
        "cl_1": contact_of(session, world.mou, world.cl, last_verified_on=VERIFIED),
        "cl_2": contact_of(
            session, world.mou, world.cl, email="focal@interior.example.cl",
            family_name="Araya", last_verified_on=VERIFIED,
        ),
        "gb": contact_of(session, world.mou, world.gb, last_verified_on=VERIFIED),
        "gb_recent": contact_of(session, world.mou, world.gb, last_verified_on=date(2030, 9, 1)),
        "co": contact_of(session, world.mou_cl_co, world.co, last_verified_on=VERIFIED),
        "removed": contact_of(session, world.mou, world.cl, last_verified_on=date(2020, 1, 1)),
    }  # fmt: skip
    made["removed"].removed_at = made["removed"].created_at
    session.commit()
    return made


def _run(app, day: date) -> str:
    moment = datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC)
    with time_machine.travel(moment, tick=False), app.app_context():
        result = app.test_cli_runner().invoke(args=["reminders", "run"])
    assert result.exit_code == 0, result.output
    return result.output


def _queued(session) -> list[tuple[str, str, str]]:
    session.rollback()
    rows = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.kind == "contact_verification_due")
        .order_by(OutboxMessage.id)
    )
    return [(m.recipient, m.subject, m.body_text) for m in rows]


def test_nothing_before_a_year_has_passed(app, session, contacts):
    assert "contact_verification: 0 reminders queued" in _run(app, date(2031, 3, 1))
    assert _queued(session) == []


def test_each_coordinator_hears_once_about_their_partys_lapsed_contacts(
    app, session, world, contacts
):
    assert "contact_verification: 3 reminders queued" in _run(app, date(2031, 3, 2))
    queued = _queued(session)
    assert sorted((recipient, subject) for recipient, subject, _ in queued) == [
        (world.coordinator_cl.email, "Puntos de contacto por verificar: CL"),
        (world.coordinator_co.email, "Puntos de contacto por verificar: CO"),
        (world.coordinator_gb.email, "Points of contact to verify: GB"),
    ]
    chile = next(body for recipient, _, body in queued if recipient == world.coordinator_cl.email)
    assert "Matías Contreras Vidal" in chile and "Matías Araya" in chile
    assert "1 de marzo de 2030" in chile
    britain = next(body for recipient, _, body in queued if recipient == world.coordinator_gb.email)
    assert britain.count("Jefe de turno") == 1  # the one verified in September is not due

    # Run again the same day, the next day and a month later: nothing more.
    for day in (date(2031, 3, 2), date(2031, 3, 3), date(2031, 4, 2)):
        assert "contact_verification: 0 reminders queued" in _run(app, day)
    assert len(_queued(session)) == 3
    assert session.scalar(
        select(SentReminder.id).where(SentReminder.job == "contact_verification_due").limit(1)
    )


def test_a_year_later_they_hear_again_unless_someone_verified(app, session, world, contacts):
    _run(app, date(2031, 3, 2))
    contacts["cl_1"].last_verified_on = date(2031, 3, 5)
    contacts["cl_2"].last_verified_on = date(2031, 3, 5)
    session.commit()
    _run(app, date(2032, 3, 2))
    later = [recipient for recipient, _, _ in _queued(session)[3:]]
    assert sorted(later) == sorted([world.coordinator_gb.email, world.coordinator_co.email])
    _run(app, date(2032, 3, 6))  # Chile's were verified a year and a day ago
    assert [recipient for recipient, _, _ in _queued(session)[5:]] == [world.coordinator_cl.email]
    _run(app, date(2032, 3, 6))
    assert len(_queued(session)) == 6


def test_inactive_coordinators_and_other_roles_are_not_reminded(app, session, world, contacts):
    world.coordinator_gb.is_active = False
    session.commit()
    _run(app, date(2031, 3, 2))
    recipients = {recipient for recipient, _, _ in _queued(session)}
    assert recipients == {world.coordinator_cl.email, world.coordinator_co.email}
