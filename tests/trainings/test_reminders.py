"""`flask reminders run` the day before a training: once, to people with a seat, in their
language, with the session's .ics; a moved training is reminded again."""

from datetime import UTC, datetime, timedelta

import time_machine

from portal.trainings.models import RegistrationStatus
from tests import factories
from tests.helpers.trainings import mails

START = datetime(2031, 5, 20, 14, 0, tzinfo=UTC)


def _run(app, moment: datetime) -> str:
    with time_machine.travel(moment, tick=False), app.app_context():
        result = app.test_cli_runner().invoke(args=["reminders", "run"])
    assert result.exit_code == 0, result.output
    return result.output


def _training(world, session, **fields):
    training = factories.make_training(
        session, world.mou, START, capacity=2, title_en="Malware analysis", **fields
    )
    training.title_es = "Análisis de malware"
    factories.make_registration(session, training, world.member_cl)
    factories.make_registration(session, training, world.member_gb)
    factories.make_registration(
        session, training, world.coordinator_gb, RegistrationStatus.WAITLISTED
    )
    factories.make_registration(
        session, training, world.coordinator_cl, RegistrationStatus.CANCELLED
    )
    session.commit()
    return training


def test_the_day_before_once_to_each_seat_in_their_language(app, world, session):
    training = _training(world, session)
    assert "trainings: 0 reminders queued" in _run(app, START - timedelta(hours=25))
    assert mails(session) == []
    assert "trainings: 2 reminders queued" in _run(app, START - timedelta(hours=23))
    reminders = mails(session, "training_reminder")
    assert sorted((m.recipient, m.subject) for m in reminders) == [
        (world.member_cl.email, "Mañana a las 10:00: Análisis de malware"),
        (world.member_gb.email, "Tomorrow at 15:00: Malware analysis"),
    ]
    spanish = next(m for m in reminders if m.recipient == world.member_cl.email)
    # The time in the reader's zone, naming it.
    assert "10:00 (America/Santiago)" in spanish.body_text
    assert all(m.ics_method == "REQUEST" and training.uid in m.ics_content for m in reminders)
    # Cron runs it again and again: nothing more.
    assert "trainings: 0 reminders queued" in _run(app, START - timedelta(hours=22))
    assert "trainings: 0 reminders queued" in _run(app, START - timedelta(minutes=5))
    assert len(mails(session, "training_reminder")) == 2


def test_a_moved_training_is_reminded_again_a_cancelled_one_never(app, world, session):
    training = _training(world, session)
    cancelled = _training(world, session, uid="cancelled@portal.test")
    cancelled.status = "cancelled"
    session.commit()
    _run(app, START - timedelta(hours=20))
    training.starts_at += timedelta(days=1)
    training.ends_at += timedelta(days=1)
    session.commit()
    _run(app, START + timedelta(hours=1))
    reminders = mails(session, "training_reminder")
    assert len(reminders) == 4
    assert all(cancelled.uid not in m.ics_content for m in reminders)
