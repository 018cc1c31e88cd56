"""Training mails: in the reader's language and zone, text and HTML, each with the session's
.ics (REQUEST or CANCEL), one UID for the session and a SEQUENCE that rises with changes."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar

from tests.conftest import post
from tests.helpers.trainings import REGISTRATION, mails, training_form


def _event(mail):
    calendar = Calendar.from_ical(mail.ics_content)
    [event] = calendar.walk("VEVENT")
    return calendar, event


def test_registration_change_and_cancellation_carry_one_event(world, session, login_as, training):
    training.title_es = "Taller de respuesta a incidentes"
    training.starts_at = datetime(2031, 1, 15, 13, 0, tzinfo=UTC)
    training.ends_at = datetime(2031, 1, 15, 16, 0, tzinfo=UTC)
    training.registration_closes_at = datetime(2031, 1, 10, tzinfo=UTC)
    session.commit()
    page = f"/trainings/{training.id}"
    for person in (world.member_cl, world.member_gb):
        post(login_as(person), f"{page}/register", REGISTRATION, token_from=page)

    spanish, english = mails(session, "training_confirmed")
    assert spanish.recipient == world.member_cl.email
    assert spanish.subject == "Inscripción confirmada: Taller de respuesta a incidentes"
    assert english.subject == f"Registration confirmed: {training.title_en}"
    # Each reads the time in their own zone, named; and both parties' clocks.
    assert "10:00 (America/Santiago)" in spanish.body_text
    assert "13:00 (Europe/London)" in english.body_text
    assert "10:00 Santiago" in english.body_text and "13:00 London" in english.body_text
    assert "Su inscripción está confirmada" in spanish.body_html
    assert spanish.body_html.startswith("<!doctype html>")
    calendar, event = _event(spanish)
    assert str(calendar["METHOD"]) == spanish.ics_method == "REQUEST"
    assert str(event["UID"]) == training.uid and int(event["SEQUENCE"]) == 0
    assert str(event["SUMMARY"]) == "Taller de respuesta a incidentes"
    assert event.decoded("DTSTART") == training.starts_at
    assert str(event["ATTENDEE"]).lower() == f"mailto:{world.member_cl.email}"
    assert str(event["ORGANIZER"]).startswith("mailto:")
    assert "https://video.example.org/training" in str(event["DESCRIPTION"])

    coordinator = login_as(world.coordinator_gb)
    edit = f"{page}/edit"
    later = {
        **training_form(training.title_en),
        "title_es": training.title_es,
        "start_local": "2031-01-16T10:00",
        "end_local": "2031-01-16T13:00",
        "registration_closes_local": "2031-01-10T10:00",
        "capacity": "2",
    }
    assert post(coordinator, edit, later, token_from=edit).status_code == 302
    changed = mails(session, "training_changed")
    assert {m.recipient for m in changed} == {world.member_cl.email, world.member_gb.email}
    _, event = _event(changed[0])
    assert str(event["UID"]) == training.uid and int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == datetime(2031, 1, 16, 13, 0, tzinfo=UTC)

    assert (
        post(coordinator, f"{page}/cancel", {"confirmed": "1"}, token_from=page).status_code == 302
    )
    cancelled = mails(session, "training_cancelled")
    assert len(cancelled) == 2
    calendar, event = _event(cancelled[0])
    assert str(calendar["METHOD"]) == cancelled[0].ics_method == "CANCEL"
    assert str(event["UID"]) == training.uid and int(event["SEQUENCE"]) == 2
    assert str(event["STATUS"]) == "CANCELLED"


def test_a_change_nobody_sees_in_a_calendar_sends_nothing(world, session, login_as, training):
    page = f"/trainings/{training.id}"
    post(login_as(world.member_gb), f"{page}/register", REGISTRATION, token_from=page)
    coordinator = login_as(world.coordinator_gb)
    form = coordinator.get(f"{page}/edit").get_data(as_text=True)
    assert 'name="capacity"' in form
    local = training.starts_at.astimezone(ZoneInfo("America/Santiago"))
    closes = training.registration_closes_at.astimezone(local.tzinfo)
    same = {
        **training_form(training.title_en),
        "title_es": training.title_es,
        "start_local": local.strftime("%Y-%m-%dT%H:%M"),
        "end_local": training.ends_at.astimezone(local.tzinfo).strftime("%Y-%m-%dT%H:%M"),
        "registration_closes_local": closes.strftime("%Y-%m-%dT%H:%M"),
        "link": training.link,
        "capacity": "5",
    }
    assert post(coordinator, f"{page}/edit", same, token_from=page).status_code == 302
    assert mails(session, "training_changed") == []
