"""Certificates: issued for the attendance recorded, mailed once, downloaded only by their
holder and the training's managers, and readable as a PDF with the right facts."""

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from portal.core.db import utcnow
from portal.notifications.models import OutboxMessage
from portal.trainings.certificates import Certificate, normalize_code
from portal.trainings.models import AttendanceMark, RegistrationStatus
from tests.conftest import post
from tests.helpers.pdf import pdf_text
from tests.helpers.training_followup import make_training, register

PRESENT, PARTIAL, ABSENT = AttendanceMark.PRESENT, AttendanceMark.PARTIAL, AttendanceMark.ABSENT


@pytest.fixture
def ended(world, session):
    """An ended session: two present, one partial, one absent, one still on the waiting list."""
    training = make_training(session, world.mou)
    regs = {
        "member_cl": register(session, training, world.member_cl, attendance=PRESENT),
        "member_gb": register(session, training, world.member_gb, attendance=PRESENT),
        "coordinator_gb": register(session, training, world.coordinator_gb, attendance=PARTIAL),
        "external_cl": register(session, training, world.external_cl, attendance=ABSENT),
        "member_cl_outside_group": register(
            session, training, world.member_cl_outside_group, status=RegistrationStatus.WAITLISTED
        ),
    }
    session.commit()
    return training, regs


def _issue(browser, training):
    return post(browser, f"/trainings/{training.id}/certificates/issue")


def _certificates(session, training) -> dict[str, Certificate]:
    session.rollback()
    rows = session.scalars(select(Certificate)).all()
    return {c.registration.user.email: c for c in rows if c.registration.training_id == training.id}


def test_the_present_get_a_certificate_and_everyone_who_came_is_asked_for_feedback(
    ended, world, login_as, session
):
    training, _ = ended
    response = _issue(login_as(world.coordinator_cl), training)
    assert response.status_code == 302
    issued = _certificates(session, training)
    assert set(issued) == {world.member_cl.email, world.member_gb.email}
    assert all(normalize_code(c.code) == c.code for c in issued.values())
    assert len({c.code for c in issued.values()}) == 2
    mails = session.execute(select(OutboxMessage.kind, OutboxMessage.recipient)).all()
    assert sorted(mails) == sorted(
        [
            ("training_certificate_available", world.member_cl.email),
            ("training_certificate_available", world.member_gb.email),
            ("training_feedback_requested", world.member_cl.email),
            ("training_feedback_requested", world.member_gb.email),
            ("training_feedback_requested", world.coordinator_gb.email),
        ]
    )
    spanish = session.scalar(
        select(OutboxMessage).where(
            OutboxMessage.recipient == world.member_cl.email,
            OutboxMessage.kind == "training_certificate_available",
        )
    )
    assert "Respuesta a incidentes para CSIRT" in spanish.subject
    assert issued[world.member_cl.email].display_code in spanish.body_text


def test_issuing_again_issues_and_mails_nothing_new(ended, world, login_as, session):
    training, _ = ended
    browser = login_as(world.coordinator_gb)
    _issue(browser, training)
    first = {e: c.code for e, c in _certificates(session, training).items()}
    mails = session.scalar(select(func.count()).select_from(OutboxMessage))
    _issue(browser, training)
    assert {e: c.code for e, c in _certificates(session, training).items()} == first
    assert session.scalar(select(func.count()).select_from(OutboxMessage)) == mails


def test_a_certificate_lists_name_title_hours_dates_parties_and_code_in_the_holders_language(
    ended, world, login_as, session
):
    training, _ = ended
    _issue(login_as(world.coordinator_cl), training)
    issued = _certificates(session, training)

    spanish = issued[world.member_cl.email]
    text = pdf_text(
        login_as(world.member_cl).get(f"/trainings/{training.id}/certificates/{spanish.id}.pdf")
    )
    assert "Certificado de asistencia" in text
    assert "Javiera Soto" in text
    assert "Respuesta a incidentes para CSIRT" in text
    assert "Horas: 3,5" in text
    assert "10:00–13:30 (America/Santiago)" in text
    assert "País CL" in text and "País GB" in text
    assert spanish.display_code in text

    english = issued[world.member_gb.email]
    text = pdf_text(
        login_as(world.member_gb).get(f"/trainings/{training.id}/certificates/{english.id}.pdf")
    )
    assert "Certificate of attendance" in text
    assert "Emily Clarke" in text
    assert "Incident response for CSIRTs" in text
    assert "Hours: 3.5" in text
    assert "Country CL" in text and "Country GB" in text


def test_any_name_renders_with_the_embedded_font(world, session, login_as):
    name = "Zoë Ñúñez-Łukasiewicz Ørsted Ğül Σοφία Жанна"
    world.member_gb.name = name
    training = make_training(session, world.mou)
    register(session, training, world.member_gb, attendance=PRESENT)
    session.commit()
    _issue(login_as(world.coordinator_gb), training)
    certificate = next(iter(_certificates(session, training).values()))
    response = login_as(world.member_gb).get(
        f"/trainings/{training.id}/certificates/{certificate.id}.pdf"
    )
    assert name in pdf_text(response)
    fonts = PdfReader(io.BytesIO(response.data)).pages[0]["/Resources"]["/Font"]
    assert any("DejaVu" in str(font.get_object()["/BaseFont"]) for font in fonts.values())


# Who may download: the holder and the managers; anyone else gets 404, as for a missing one.
# fmt: off
DOWNLOAD = {
    "anonymous": "login", "admin": 200, "coordinator_cl": 200, "coordinator_gb": 200,
    "member_cl": 200, "member_gb": 404, "member_cl_outside_group": 404, "observer_gb": 404,
    "external_cl": 404, "member_co": 404, "coordinator_co": 404,
}
# fmt: on


@pytest.mark.parametrize("actor", DOWNLOAD)
def test_only_the_holder_and_the_managers_download_a_certificate(
    actor, ended, world, login_as, browser_for, session
):
    training, _ = ended
    _issue(login_as(world.coordinator_cl), training)
    certificate = _certificates(session, training)[world.member_cl.email]
    response = browser_for(actor).get(f"/trainings/{training.id}/certificates/{certificate.id}.pdf")
    expected = DOWNLOAD[actor]
    if expected == "login":
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    else:
        assert response.status_code == expected


def test_a_certificate_of_another_training_is_not_found_under_this_one(
    ended, world, login_as, session
):
    training, _ = ended
    _issue(login_as(world.coordinator_cl), training)
    certificate = _certificates(session, training)[world.member_cl.email]
    other = make_training(session, world.mou, title_en="Other")
    session.commit()
    browser = login_as(world.member_cl)
    elsewhere = f"/trainings/{other.id}/certificates/{certificate.id}.pdf"
    assert browser.get(elsewhere).status_code == 404
    assert browser.get(f"/trainings/{training.id}/certificates/99999.pdf").status_code == 404


def test_certificates_wait_for_the_end_of_the_session(world, session, login_as):
    training = make_training(session, world.mou, utcnow() - timedelta(hours=1), hours=3)
    register(session, training, world.member_cl, attendance=PRESENT)
    session.commit()
    browser = login_as(world.coordinator_cl)
    response = _issue(browser, training)
    assert response.status_code == 302
    assert _certificates(session, training) == {}
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "Los certificados se pueden emitir una vez terminada la capacitación." in page


@pytest.mark.parametrize(
    ("actor", "status"),
    [
        ("member_cl", 403),
        ("observer_gb", 403),
        ("external_cl", 403),
        ("member_co", 404),
        ("coordinator_co", 404),
    ],
)
def test_only_managers_issue_certificates(actor, status, ended, world, login_as, session):
    training, _ = ended
    assert _issue(login_as(getattr(world, actor)), training).status_code == status
    assert _certificates(session, training) == {}


def test_the_holder_sees_their_code_and_the_managers_the_list(ended, world, login_as, session):
    training, _ = ended
    _issue(login_as(world.coordinator_cl), training)
    issued = _certificates(session, training)
    own = login_as(world.member_cl).get(f"/trainings/{training.id}/certificates")
    own_page = own.get_data(as_text=True)
    assert issued[world.member_cl.email].display_code in own_page
    assert issued[world.member_gb.email].display_code not in own_page
    listing = login_as(world.coordinator_gb).get(f"/trainings/{training.id}/certificates")
    page = listing.get_data(as_text=True)
    assert "Javiera Soto" in page and "Emily Clarke" in page
    absent = login_as(world.external_cl)
    assert "No tiene certificado" in absent.get(f"/trainings/{training.id}/certificates").get_data(
        as_text=True
    )
