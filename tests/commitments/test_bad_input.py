"""Every commitment form refuses bad input with 422, a clear message, and no write."""

from datetime import UTC, date, datetime, timedelta

import pytest

from portal.commitments.models import MeetingLink
from tests.factories import make_meeting, make_training
from tests.helpers.bad_input import CHOOSE, EMPTY, LONG, check_post

# Which input a form refuses, and that it writes nothing, does not depend on the backend:
# run once, on PostgreSQL when it answers (ONE_BACKEND, tests/conftest.py), which also
# enforces the columns' lengths, so that the suite's time goes where the backends differ.
pytestmark = pytest.mark.one_backend

ONE_LINE = "Use a single line of plain text."
SOME_TITLE = "Give the title in English, in Spanish or in both."
TARGET_RANGE = "Choose a target date between 2000 and 2100."


def _details(world) -> dict:
    return {
        "title_en": "Exchange threat bulletins monthly",
        "title_es": "",
        "line_id": str(world.mou.lines[0].id),
        "party_ids": [str(world.gb.id)],
        "target_on": (date.today() + timedelta(days=60)).isoformat(),
    }


def _detail_cases(world) -> list:
    return [
        (EMPTY, {}, SOME_TITLE),
        ("no title at all", {"title_en": "  ", "title_es": ""}, SOME_TITLE),
        ("long English title", {"title_en": LONG}, "Use at most 300 characters."),
        ("CR/LF in the Spanish title", {"title_es": "Compromiso\r\nBcc: x@evil.example"}, ONE_LINE),
        ("right-to-left override", {"title_en": "Bulletins\u202eevil"}, ONE_LINE),
        ("no such line", {"line_id": "987654"}, CHOOSE),
        ("a line of another MoU", {"line_id": str(world.mou_cl_co.lines[0].id)}, CHOOSE),
        ("line in words", {"line_id": "first"}, CHOOSE),
        ("no responsible party", {"party_ids": []}, "Choose the responsible party or parties."),
        ("a party outside the MoU", {"party_ids": [str(world.co.id)]}, CHOOSE),
        ("date in words", {"target_on": "next year"}, "Enter the date as YYYY-MM-DD."),
        ("target in 1900", {"target_on": "1900-01-01"}, TARGET_RANGE),
        ("target in 2200", {"target_on": "2200-01-01"}, TARGET_RANGE),
    ]


def test_new_and_edit_commitment_forms(world, session, login_as, commitment_of):
    browser = login_as(world.coordinator_gb)
    path = f"/mous/{world.mou.id}/commitments/new"
    check_post(session, browser, path, path, _details(world), _detail_cases(world))
    commitment = commitment_of(session, world.mou)
    session.commit()
    path = f"/commitments/{commitment.id}/edit"
    check_post(session, browser, path, path, _details(world), _detail_cases(world))


def test_status_note_and_link_forms(world, session, login_as, commitment_of):
    commitment = commitment_of(session, world.mou)
    meeting = make_meeting(session, world.group, datetime.now(UTC) + timedelta(days=3))
    other = make_training(session, world.mou_cl_co, datetime.now(UTC) + timedelta(days=9))
    own = make_training(session, world.mou, datetime.now(UTC) + timedelta(days=9))
    unlinked = make_meeting(session, world.group, datetime.now(UTC) + timedelta(days=30))
    session.add(MeetingLink(commitment_id=commitment.id, meeting_id=meeting.id))
    session.commit()
    browser = login_as(world.coordinator_gb)  # reads in English
    page = f"/commitments/{commitment.id}"

    status = {"status": "dropped", "reason": "Merged into the regional programme."}
    check_post(session, browser, f"{page}/status", page, status, [
        (EMPTY, {}, "Choose the status."),
        ("unknown status", {"status": "forgotten"}, CHOOSE),
        ("dropped without a reason", {"reason": "   "}, "Say why the commitment is dropped."),
        ("long reason", {"reason": LONG}, "Use at most 500 characters."),
        ("CR/LF in the reason", {"reason": "a\r\nb"}, ONE_LINE),
    ])  # fmt: skip

    past = (date.today() - timedelta(days=2)).isoformat()  # on every clock, even Santiago's
    note = {"noted_on": past, "body": "Two bulletins exchanged."}
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    check_post(session, browser, f"{page}/notes/new", page, note, [
        (EMPTY, {}, "This field is required."),
        ("no text", {"body": "  "}, "This field is required."),
        ("long text", {"body": LONG}, "Use at most 2000 characters."),
        ("a NUL in the text", {"body": "a\x00b"}, "Remove the control characters from the text."),
        ("date in words", {"noted_on": "today"}, "Enter the date as YYYY-MM-DD."),
        ("noted in 1900", {"noted_on": "1900-01-01"}, "Choose a date between 2000 and today."),
        ("noted in the future", {"noted_on": tomorrow}, "Choose a date between 2000 and today."),
    ])  # fmt: skip

    link = f"{page}/links/training/new"
    check_post(session, browser, link, link, {"target": str(own.id)}, [
        (EMPTY, {}, "Choose what to link."),
        ("another MoU's training", {"target": str(other.id)}, CHOOSE),
        ("in words", {"target": "the workshop"}, CHOOSE),
    ])  # fmt: skip
    link = f"{page}/links/meeting/new"
    check_post(session, browser, link, link, {"target": str(unlinked.id)}, [
        ("a meeting already linked", {"target": str(meeting.id)}, CHOOSE),
    ])  # fmt: skip
