"""Every form refuses bad input with 422, a message on the page, and no write at all.

Each test sends the bad variants of one form, then the good one: the good one must be
accepted, so a refusal is due to the bad value and not to the rest of the payload.
"""

from datetime import timedelta

import pytest

from portal.accounts.models import Invitation, PasswordReset, Role
from portal.core.db import utcnow
from portal.core.tokens import new_token
from tests.factories import PASSWORD
from tests.helpers.bad_input import EMPTY, LONG, check_form

# Which input a form refuses, and that it writes nothing, does not depend on the backend:
# run once, on PostgreSQL when it answers (ONE_BACKEND, tests/conftest.py), which also
# enforces the columns' lengths, so that the suite's time goes where the backends differ.
pytestmark = pytest.mark.one_backend

NEW_PASSWORD = "a sound new passphrase"
WEAK = "abcdefghijk"  # 11 characters
COMMON = "qwerty123456"  # in the shipped list of common passwords, 12 characters


@pytest.fixture
def admin(world, session, login_as):
    """The administrator, reading English (their party's default is Spanish)."""
    world.admin.language = "en"
    session.commit()
    return login_as(world.admin)


# Anonymous forms ----------------------------------------------------------------------------


def test_login_form(app, world, session):
    valid = {"email": world.member_gb.email, "password": PASSWORD}
    cases = [
        (EMPTY, {}, "This field is required."),
        ("long email", {"email": LONG}, "Use at most 254 characters."),
        ("long password", {"password": LONG}, "Field cannot be longer than 1024 characters."),
    ]
    written = check_form(session, app.test_client(), "/auth/login", valid, cases)
    assert "user_sessions" in written


def test_forgot_password_form(app, world, session):
    valid = {"email": world.member_gb.email}
    cases = [
        (EMPTY, {}, "This field is required."),
        ("long", {"email": LONG + "@example.org"}, "Use at most 254 characters."),
        ("wrong type", {"email": "yesterday"}, "Enter a valid email address."),
        (
            "CR/LF",
            {"email": "member.gb@example.org\r\nBcc: spy@evil.example"},
            "Enter a valid email address.",
        ),
    ]
    written = check_form(session, app.test_client(), "/auth/forgot", valid, cases)
    assert {"password_resets", "outbox_messages"} <= set(written)


def test_reset_password_form(app, world, session):
    token, token_hash = new_token()
    session.add(
        PasswordReset(
            user_id=world.member_gb.id,
            token_hash=token_hash,
            expires_at=utcnow() + timedelta(hours=1),
        )
    )
    session.commit()
    valid = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    cases = [
        (EMPTY, {}, "This field is required."),
        ("weak", {"password": WEAK, "confirm": WEAK}, "Use at least 12 characters."),
        (
            "common",
            {"password": COMMON, "confirm": COMMON},
            "This password is too common; choose another.",
        ),
        (
            "the email",
            {"password": world.member_gb.email, "confirm": world.member_gb.email},
            "The password must not be your email address.",
        ),
        ("mismatch", {"confirm": NEW_PASSWORD + "!"}, "The two passwords do not match."),
        ("long", {"password": LONG, "confirm": LONG}, "Use at most 128 characters."),
    ]
    written = check_form(session, app.test_client(), f"/auth/reset/{token}", valid, cases)
    assert {"users", "password_resets"} <= set(written)


def test_accept_invitation_form(app, world, session):
    token, token_hash = new_token()
    session.add(
        Invitation(
            email="invited@example.org",
            party_id=world.gb.id,
            role=Role.MEMBER,
            language="en",
            token_hash=token_hash,
            invited_by_id=world.admin.id,
            expires_at=utcnow() + timedelta(days=7),
        )
    )
    session.commit()
    valid = {
        "name": "Invited Person",
        "password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD,
        "language": "en",
        "timezone": "Europe/London",
    }
    cases = [
        (EMPTY, {}, "This field is required."),
        ("long name", {"name": LONG}, "Use at most 200 characters."),
        ("CR/LF in name", {"name": "Invited\r\nPerson"}, "Use a single line of plain text."),
        ("NUL in name", {"name": "Invited\x00Person"}, "Use a single line of plain text."),
        ("unknown zone", {"timezone": "Mars/Olympus"}, "Choose a time zone from the list."),
        ("long zone", {"timezone": LONG}, "Choose a time zone from the list."),
        ("unknown language", {"language": "xx"}, "Choose English or Spanish."),
        ("weak", {"password": WEAK, "confirm": WEAK}, "Use at least 12 characters."),
        (
            "common",
            {"password": COMMON, "confirm": COMMON},
            "This password is too common; choose another.",
        ),
        ("mismatch", {"confirm": "something else entirely"}, "The two passwords do not match."),
        ("long password", {"password": LONG, "confirm": LONG}, "Use at most 128 characters."),
    ]
    written = check_form(session, app.test_client(), f"/auth/invitation/{token}", valid, cases)
    assert {"users", "invitations", "user_sessions"} <= set(written)


# The person's own account ------------------------------------------------------------------


def test_change_password_form(world, session, login_as):
    valid = {"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    cases = [
        (EMPTY, {}, "This field is required."),
        ("weak", {"password": WEAK, "confirm": WEAK}, "Use at least 12 characters."),
        (
            "common",
            {"password": COMMON, "confirm": COMMON},
            "This password is too common; choose another.",
        ),
        ("mismatch", {"confirm": NEW_PASSWORD.upper()}, "The two passwords do not match."),
        ("long", {"password": LONG, "confirm": LONG}, "Use at most 128 characters."),
        (
            "long current",
            {"current_password": LONG},
            "Field cannot be longer than 1024 characters.",
        ),
    ]
    client = login_as(world.member_gb)
    written = check_form(session, client, "/account/password", valid, cases)
    assert {"users", "user_sessions"} <= set(written)


def test_profile_form(world, session, login_as):
    valid = {"name": "Emily Clarke-Jones", "language": "en", "timezone": "Europe/Madrid"}
    cases = [
        (EMPTY, {}, "This field is required."),
        ("long name", {"name": LONG}, "Use at most 200 characters."),
        ("CR/LF in name", {"name": "Emily\r\nClarke"}, "Use a single line of plain text."),
        ("LF in name", {"name": "Emily\nClarke"}, "Use a single line of plain text."),
        ("unknown zone", {"timezone": "Mars/Olympus"}, "Choose a time zone from the list."),
        ("unknown language", {"language": "klingon"}, "Choose English or Spanish."),
    ]
    client = login_as(world.member_gb)
    # A name shows on the working-group and MoU pages kept per reader: their generation rises.
    assert check_form(session, client, "/account/", valid, cases) == ["kept_generations", "users"]


def test_spanish_user_sees_the_errors_in_spanish(world, session, login_as):
    client = login_as(world.member_cl)  # language es
    profile = {"name": "Javiera Soto", "language": "es", "timezone": "America/Santiago"}
    check_form(
        session,
        client,
        "/account/",
        profile,
        [
            (EMPTY, {}, "Este campo es obligatorio."),
            ("long", {"name": LONG}, "Use como máximo 200 caracteres."),
            ("CR/LF", {"name": "Javiera\r\nSoto"}, "Use una sola línea de texto sin formato."),
            (
                "unknown zone",
                {"timezone": "Mars/Olympus"},
                "Seleccione una zona horaria de la lista.",
            ),
        ],
    )
    passwords = {"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    check_form(
        session,
        client,
        "/account/password",
        passwords,
        [
            ("weak", {"password": WEAK, "confirm": WEAK}, "Use al menos 12 caracteres."),
            (
                "common",
                {"password": COMMON, "confirm": COMMON},
                "Esta contraseña es demasiado común; elija otra.",
            ),
            ("mismatch", {"confirm": "otra cosa distinta"}, "Las dos contraseñas no coinciden."),
            (
                "wrong current",
                {"current_password": "no es la contraseña"},
                "La contraseña actual no es correcta.",
            ),
        ],
    )


# Administration ----------------------------------------------------------------------------


def test_invitation_form(world, session, admin):
    valid = {
        "email": "invited@example.org",
        "party_id": str(world.gb.id),
        "role": Role.MEMBER.value,
        "language": "en",
    }
    cases = [
        (EMPTY, {}, "This field is required."),
        ("long email", {"email": LONG + "@example.org"}, "Use at most 254 characters."),
        ("not an address", {"email": "invited"}, "Enter a valid email address."),
        (
            "CR/LF in email",
            {"email": "invited@example.org\r\nBcc: spy@evil.example"},
            "Enter a valid email address.",
        ),
        ("party not a number", {"party_id": "abc"}, "Choose one of the options in the list."),
        ("unknown party", {"party_id": "99999"}, "Choose one of the options in the list."),
        ("unknown role", {"role": "emperor"}, "Choose one of the options in the list."),
        ("unknown language", {"language": "xx"}, "Choose English or Spanish."),
        (
            "has an account",
            {"email": "MEMBER.GB@EXAMPLE.ORG"},
            "An account with this email already exists.",
        ),
    ]
    written = check_form(session, admin, "/invitations/new", valid, cases)
    assert {"invitations", "outbox_messages", "audit_events"} <= set(written)


def test_party_form(world, session, admin):
    valid = {
        "code": "AR",
        "kind": "country",
        "name_en": "Argentina",
        "name_es": "Argentina",
        "timezone": "America/Argentina/Buenos_Aires",
        "language": "es",
    }
    letters = "Use 2 to 8 letters: the ISO 3166 code of a country, or an acronym."
    cases = [
        (EMPTY, {}, "This field is required."),
        ("long code", {"code": LONG}, letters),
        ("code with digits", {"code": "A1"}, letters),
        ("long name", {"name_en": LONG}, "Use at most 200 characters."),
        ("CR/LF in name", {"name_es": "Argen\r\ntina"}, "Use a single line of plain text."),
        ("unknown kind", {"kind": "planet"}, "Choose one of the options in the list."),
        ("unknown zone", {"timezone": "Mars/Olympus"}, "Choose a time zone from the list."),
        ("unknown language", {"language": "xx"}, "Choose English or Spanish."),
        ("duplicate code", {"code": "gb"}, "Another delegation already uses this code."),
    ]
    written = check_form(session, admin, "/admin/parties/new", valid, cases)
    assert {"parties", "audit_events"} <= set(written)


def test_mou_form(world, session, admin):
    valid = {
        "title_en": "MoU Colombia–United Kingdom",
        "title_es": "MdE Colombia–Reino Unido",
        "summary_en": "Cooperation on incident response.",
        "summary_es": "Cooperación en respuesta a incidentes.",
        "party_ids": [str(world.gb.id), str(world.co.id)],
        "signed_on": "2024-05-01",
        "signing_place": "Bogotá",
        "areas": ["cybersecurity", "cybercrime"],
        "status": "in_force",
        "term_starts_on": "2024-05-01",
        "term_ends_on": "2029-04-30",
    }
    cases = [
        (EMPTY, {}, "Write the title in English, in Spanish or in both."),
        (
            "blank titles",
            {"title_en": " ", "title_es": ""},
            "Write the title in English, in Spanish or in both.",
        ),
        ("long title", {"title_en": LONG}, "Use at most 300 characters."),
        ("long summary", {"summary_es": LONG}, "Use at most 5000 characters."),
        ("long place", {"signing_place": LONG}, "Use at most 200 characters."),
        ("CR/LF in title", {"title_en": "MoU\r\nBcc: x"}, "Use a single line of plain text."),
        ("LF in place", {"signing_place": "Bogotá\nLondon"}, "Use a single line of plain text."),
        (
            "party not a number",
            {"party_ids": ["abc", str(world.gb.id)]},
            "Choose one of the options in the list.",
        ),
        (
            "unknown party",
            {"party_ids": ["99999", str(world.gb.id)]},
            "Choose one of the options in the list.",
        ),
        ("one party", {"party_ids": [str(world.gb.id)]}, "Choose at least two parties."),
        (
            "same party twice",
            {"party_ids": [str(world.gb.id), str(world.gb.id)]},
            "Choose at least two parties.",
        ),
        ("date not a date", {"signed_on": "yesterday"}, "Enter the date as YYYY-MM-DD."),
        ("implausible date", {"signed_on": "1800-01-01"}, "Enter a date between 1945 and 2200."),
        (
            "term ends before it starts",
            {"term_starts_on": "2024-05-01", "term_ends_on": "2024-04-30"},
            "The term cannot end before it starts.",
        ),
        ("unknown status", {"status": "dormant"}, "Choose one of the options in the list."),
        ("unknown area", {"areas": ["space"]}, "Choose one of the options in the list."),
    ]
    written = check_form(session, admin, "/mous/new", valid, cases)
    assert {"mous", "audit_events"} <= set(written)


def test_working_group_form(world, session, admin):
    valid = {
        "name_en": "Incident response",
        "name_es": "Respuesta a incidentes",
        "mandate_en": "Share practice.",
        "mandate_es": "Compartir prácticas.",
    }
    cases = [
        (EMPTY, {}, "Write the name in English, in Spanish or in both."),
        (
            "blank names",
            {"name_en": "", "name_es": " "},
            "Write the name in English, in Spanish or in both.",
        ),
        ("long name", {"name_en": LONG}, "Use at most 300 characters."),
        ("long mandate", {"mandate_en": LONG}, "Use at most 5000 characters."),
        ("CR/LF in name", {"name_es": "Respuesta\r\nX"}, "Use a single line of plain text."),
    ]
    path = f"/mous/{world.mou.id}/working-groups/new"
    written = check_form(session, admin, path, valid, cases)
    assert {"working_groups", "audit_events"} <= set(written)


def test_membership_form(world, session, admin):
    valid = {"user_id": str(world.member_cl_outside_group.id), "is_co_chair": ""}
    cases = [
        (EMPTY, {}, "Choose a person."),
        ("not a number", {"user_id": "abc"}, "Choose a person."),
        ("10,000 digits", {"user_id": "1" * 10_000}, "Choose a person."),
        ("unknown person", {"user_id": "99999"}, "Choose one of the options in the list."),
        (
            "party outside the MoU",
            {"user_id": str(world.member_co.id)},
            "Choose one of the options in the list.",
        ),
        (
            "already a member",
            {"user_id": str(world.member_gb.id)},
            "Choose one of the options in the list.",
        ),
    ]
    written = check_form(session, admin, f"/working-groups/{world.group.id}", valid, cases)
    assert {"working_group_members", "audit_events"} <= set(written)


def test_signatory_form(world, session, admin):
    valid = {
        "form": "signatory",
        "signatory-party_id": str(world.gb.id),
        "signatory-name": "Jane Smith",
        "signatory-office_en": "Minister",
        "signatory-office_es": "Ministra",
    }
    cases = [
        (EMPTY, {}, "This field is required."),
        ("long name", {"signatory-name": LONG}, "Use at most 200 characters."),
        ("long office", {"signatory-office_en": LONG}, "Use at most 300 characters."),
        ("CR/LF in name", {"signatory-name": "Jane\r\nSmith"}, "Use a single line of plain text."),
        (
            "party not a number",
            {"signatory-party_id": "abc"},
            "Choose one of the options in the list.",
        ),
        (
            "party outside the MoU",
            {"signatory-party_id": str(world.co.id)},
            "Choose one of the options in the list.",
        ),
    ]
    path = f"/mous/{world.mou.id}/manage"
    written = check_form(session, admin, path, valid, cases, csrf_field="signatory-csrf_token")
    assert {"signatories", "audit_events"} <= set(written)


def test_line_form(world, session, admin):
    valid = {"form": "line", "line-title_en": "Exercises", "line-title_es": "Ejercicios"}
    cases = [
        (EMPTY, {}, "This field is required."),
        ("long title", {"line-title_en": LONG}, "Use at most 300 characters."),
        ("CR/LF in title", {"line-title_es": "Ejer\r\ncicios"}, "Use a single line of plain text."),
    ]
    path = f"/mous/{world.mou.id}/manage"
    written = check_form(session, admin, path, valid, cases, csrf_field="line-csrf_token")
    assert {"lines_of_cooperation", "audit_events"} <= set(written)
