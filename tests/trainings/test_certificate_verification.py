"""The public verification page: the facts for a right code, one and the same answer for any
wrong one, and throttled form posts."""

import re

import pytest
from sqlalchemy import select

from portal.trainings.certificates import Certificate, display_code, new_code
from portal.trainings.models import AttendanceMark
from tests.conftest import csrf_token, post
from tests.helpers.training_followup import make_training, register

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="[^"]+"')


@pytest.fixture
def certificate(world, session, login_as) -> Certificate:
    training = make_training(session, world.mou)
    register(session, training, world.member_gb, attendance=AttendanceMark.PRESENT)
    session.commit()
    post(login_as(world.coordinator_gb), f"/trainings/{training.id}/certificates/issue")
    session.rollback()
    return session.scalar(select(Certificate))


def _body(response) -> str:
    """The page without what differs per request (the form token and the typed code)."""
    return TOKEN.sub("", response.get_data(as_text=True))


def test_a_right_code_shows_who_attended_what_and_when(certificate, client):
    for typed in (
        certificate.code,
        certificate.display_code,
        certificate.display_code.lower(),
        " ".join(certificate.code),
    ):
        response = client.post(
            "/certificates/verify",
            data={"code": typed, "csrf_token": csrf_token(client, "/certificates/verify")},
        )
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "This code is valid." in page
        assert "Emily Clarke" in page
        assert "Incident response for CSIRTs" in page
        assert "Tuesday, March 3, 2026, 10:00–13:30 (America/Santiago)" in page
    by_link = client.get(f"/certificates/verify/{certificate.display_code}")
    assert by_link.status_code == 200
    assert "Emily Clarke" in by_link.get_data(as_text=True)


WRONG_CODES = [
    new_code(),
    display_code(new_code()),
    "AAAAA-AAAAA-AAAAA-AAAA",
    "0" * 20,
    "' OR 1=1 --",
    "x" * 5000,
    "../../etc/passwd",
    "Ω≈ç√∫",
]


def test_every_wrong_code_gets_the_same_answer_revealing_nothing(certificate, client):
    wrong = [*WRONG_CODES, certificate.code[:-1] + ("A" if certificate.code[-1] != "A" else "B")]
    answers = set()
    for typed in wrong:
        response = client.post(
            "/certificates/verify",
            data={"code": typed, "csrf_token": csrf_token(client, "/certificates/verify")},
        )
        body = _body(response)
        answers.add((response.status_code, re.sub(r'value="[^"]*"', "", body)))
        assert "Emily Clarke" not in body and "Incident" not in body
    assert len(answers) == 1
    status, body = answers.pop()
    assert status == 200
    assert "This code is not valid." in body


def test_every_wrong_link_gets_the_same_answer(certificate, client):
    shapes = set()
    for typed in [*WRONG_CODES[:4], "nothing", "%3Cscript%3E"]:
        response = client.get(f"/certificates/verify/{typed}")
        body = _body(response)
        shapes.add((response.status_code, re.sub(r'value="[^"]*"', "", body)))
        assert "Emily Clarke" not in body
    assert len(shapes) == 1
    assert shapes.pop()[0] == 200


def test_an_empty_code_is_asked_for_and_checks_nothing(client):
    response = client.post(
        "/certificates/verify",
        data={"code": "  ", "csrf_token": csrf_token(client, "/certificates/verify")},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Enter the code printed on the certificate." in page
    assert "not valid" not in page


def test_the_verification_form_needs_its_token(client):
    assert client.post("/certificates/verify", data={"code": new_code()}).status_code == 400


class TestThrottled:
    @pytest.fixture
    def app_overrides(self):
        return {"LOGIN_RATE_LIMIT": "3 per minute"}

    def test_too_many_checks_from_one_address_are_refused(self, client):
        token = csrf_token(client, "/certificates/verify")
        answers = [
            client.post(
                "/certificates/verify", data={"code": new_code(), "csrf_token": token}
            ).status_code
            for _ in range(4)
        ]
        assert answers == [200, 200, 200, 429]
