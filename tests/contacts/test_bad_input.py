"""Every point-of-contact form refuses bad input with 422, a clear message, and no write."""

from datetime import date, timedelta

import pytest

from tests.helpers.bad_input import CHOOSE, EMPTY, LONG, check_post

# Which input a form refuses, and that it writes nothing, does not depend on the backend:
# run once, on PostgreSQL when it answers (ONE_BACKEND, tests/conftest.py), which also
# enforces the columns' lengths, so that the suite's time goes where the backends differ.
pytestmark = pytest.mark.one_backend

ONE_LINE = "Use a single line of plain text."
V4 = "7F3A9C210B4E5D6F8A1B2C3D4E5F60718293A4B5"


def _valid(email="focal@interior.example.cl") -> dict:
    return {
        "kind": "mou",
        "given_name": "Valentina",
        "family_name": "Araya Fuentes",
        "role": "Punto focal del MdE",
        "organisation": "Ministerio del Interior",
        "email": email,
        "phone": "+56 2 2486 3850",
        "availability": "office_hours",
        "office_days": ["0", "1", "2", "3", "4"],
        "office_start": "09:00",
        "office_end": "18:00",
        "timezone": "America/Santiago",
        "pgp_fingerprint": V4,
        "last_verified_on": (date.today() - timedelta(days=2)).isoformat(),  # past everywhere
    }


CASES = [
    (EMPTY, {}, "This field is required."),
    ("long given name", {"given_name": LONG}, "Use at most 100 characters."),
    ("long role", {"role": LONG}, "Use at most 200 characters."),
    ("CR/LF in the role", {"role": "Jefe\r\nBcc: x@evil.example"}, ONE_LINE),
    ("right-to-left override", {"family_name": "Araya\u202eevil"}, ONE_LINE),
    ("not an email", {"email": "focal at interior"}, "Enter a valid email address."),
    ("national phone", {"phone": "2 2486 3850"},
     "Write the number in international format, starting with + and the country code, "
     "e.g. +56 2 2345 6789."),
    ("impossible phone", {"phone": "+56 2 24"},
     "This is not a valid phone number for its country code; check its digits."),
    ("v3 fingerprint", {"pgp_fingerprint": "0123456789ABCDEF" * 2},
     "A PGP key fingerprint has 40 hexadecimal digits (version 4 keys) or 64 (version 5 and 6 "
     "keys); this one has 32."),
    ("not hexadecimal", {"pgp_fingerprint": V4.replace("7F", "ZZ")},
     "A PGP key fingerprint has only the digits 0–9 and the letters A–F (spaces are allowed)."),
    ("unknown kind", {"kind": "boss"}, CHOOSE),
    ("unknown availability", {"availability": "sometimes"}, CHOOSE),
    ("no such day", {"office_days": ["7"]}, CHOOSE),
    ("time zone on Mars", {"timezone": "Mars/Olympus"}, "Choose a time zone from the list."),
    ("no office days", {"office_days": []}, "Choose the days of the office hours."),
    ("no start", {"office_start": ""}, "Give the times the office hours start and end."),
    ("time in words", {"office_start": "nine"}, "Enter the time as HH:MM, e.g. 09:00."),
    ("end before start", {"office_end": "08:00"}, "The office hours must end after they start."),
    ("date in words", {"last_verified_on": "yesterday"}, "Enter the date as YYYY-MM-DD."),
    ("verified in 1900", {"last_verified_on": "1900-01-01"},
     "Choose a date between 2000 and today."),
    ("verified tomorrow", {"last_verified_on": (date.today() + timedelta(2)).isoformat()},
     "Choose a date between 2000 and today."),
]  # fmt: skip


def test_new_contact_form(world, session, login_as):
    path = f"/mous/{world.mou.id}/parties/{world.gb.id}/contacts/new"
    check_post(session, login_as(world.coordinator_gb), path, path, _valid(), CASES)


def test_edit_contact_form(world, session, login_as, contact_of):
    contact = contact_of(session, world.mou, world.gb)
    session.commit()
    path = f"/contacts/{contact.id}/edit"
    check_post(session, login_as(world.coordinator_gb), path, path, _valid(), CASES)
