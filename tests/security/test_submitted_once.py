"""A form sent twice creates one object (issue 14 item 5, SECURITY.md 37).

Each create form carries a one-time token; the second submission of the same showing of the
form, one after the other or at the same instant, answers with the first one's object.
"""

import io
import logging
import re
import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import NamedTuple

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from portal.accounts.models import Invitation, Party
from portal.actions.models import ActionComment, ActionItem
from portal.core.db import utcnow
from portal.core.tlp import TLP
from portal.documents.models import Document, DocumentVersion
from portal.meetings.models import AgendaItem, Invitee, Meeting
from portal.mous.models import LineOfCooperation, Membership, Mou, Signatory, WorkingGroup
from portal.notifications.models import OutboxMessage
from portal.trainings.feedback import TrainingFeedback
from portal.trainings.models import (
    AttendanceMark,
    Registration,
    RegistrationStatus,
    Training,
    TrainingInvitation,
)
from tests import factories
from tests.helpers.notifications import worker_first_step

# The reader's language: Chile's people read Spanish, the UK's English.
ALREADY_SUBMITTED = ("This was already submitted:", "Esto ya se había enviado:")
NOT_YOURS = (
    "This form was opened by another account or has been altered",
    "Este formulario se abrió con otra cuenta o fue alterado",
)
CSRF = re.compile(r'name="(?:[\w-]+-)?csrf_token" type="hidden" value="([^"]+)"')


def _token_field(prefix: str) -> re.Pattern:
    name = f"{prefix}-submission_token" if prefix else "submission_token"
    return re.compile(rf'name="{re.escape(name)}" type="hidden" value="([^"]+)"')


def shown_form(browser, page: str, prefix: str = "") -> dict:
    """The hidden fields of a create form as the browser got them with the page."""
    html = browser.get(page).get_data(as_text=True)
    token = _token_field(prefix).search(html)
    assert token, f"no submission token on {page}"
    name = f"{prefix}-submission_token" if prefix else "submission_token"
    return {"csrf_token": CSRF.search(html).group(1), name: token.group(1)}


def count(session, model) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


def in_days(days: int) -> str:
    return (date.today() + timedelta(days)).isoformat()


def meeting_form(world) -> dict:
    return {
        "title_en": "Quarterly review",
        "title_es": "Revisión trimestral",
        "start_local": f"{in_days(30)}T10:00",
        "end_local": f"{in_days(30)}T11:00",
        "timezone": "America/Santiago",
        "tlp": "amber",
        "repeat": "none",
        "interval": "1",
    }


def action_form(world) -> dict:
    return {
        "title": "Share the taxonomy",
        "owner_ids": [world.member_cl.id, world.member_gb.id],
        "party_id": world.cl.id,
        "due_on": in_days(14),
        "priority": "high",
        "line_id": 0,
    }


def training_form(world) -> dict:
    return {
        "title_en": "Incident response",
        "title_es": "Respuesta a incidentes",
        "audience": "both",
        "format": "online",
        "link": "https://video.example.org/course",
        "start_local": f"{in_days(60)}T10:00",
        "end_local": f"{in_days(60)}T13:00",
        "registration_closes_local": f"{in_days(57)}T18:00",
        "timezone": "America/Santiago",
        "language": "es",
        "capacity": "10",
        "working_group_id": "0",
    }


def document_form(world) -> dict:
    return {
        "title": "National cybersecurity strategy",
        "language": "es",
        "category": "national_strategy",
        "tlp": "green",
        "file": (io.BytesIO(b"Estrategia nacional de ciberseguridad"), "estrategia.txt"),
    }


def mou_form(world) -> dict:
    return {
        "title_en": "MoU Colombia–United Kingdom",
        "title_es": "MdE Colombia–Reino Unido",
        "party_ids": [str(world.gb.id), str(world.co.id)],
        "status": "in_force",
    }


def party_form(world) -> dict:
    return {
        "code": "AR",
        "kind": "country",
        "name_en": "Argentina",
        "name_es": "Argentina",
        "timezone": "America/Argentina/Buenos_Aires",
        "language": "es",
    }


REGISTRATION = {"organisation": "CSIRT de Gobierno", "sector": "public"}


def _meeting(world, session, app):
    return factories.make_meeting(session, world.group, utcnow() + timedelta(30))


def _action(world, session, app):
    return factories.make_action(session, world.group, [world.member_gb], date.today())


def _training(world, session, app):
    return factories.make_training(
        session, world.mou, utcnow() + timedelta(20), allow_external=True, organiser=world.admin
    )


def _attended_training(world, session, app):
    training = factories.make_training(session, world.mou, datetime(2026, 3, 3, 13, tzinfo=UTC))
    factories.make_registration(
        session,
        training,
        world.member_gb,
        RegistrationStatus.CONFIRMED,
        attendance=AttendanceMark.PRESENT,
    )
    return training


def _document(world, session, app):
    document_id = factories.make_document(
        app, world.member_gb, world.mou, title="Protocol", tlp=TLP.GREEN
    )
    return SimpleNamespace(id=document_id)


def _mou(world, session, app):
    return world.mou


def _group(world, session, app):
    return world.group


class Case(NamedTuple):
    actor: str
    make: Callable | None  # what the form is about, made first
    page: Callable  # (world, made) -> the page that shows the form
    action: Callable | None  # (world, made) -> where it posts, when not to the page itself
    prefix: str
    data: Callable  # world -> the fields
    counted: type


CREATE_FORMS = {
    "meeting": Case(
        "coordinator_cl",
        None,
        lambda w, o: f"/working-groups/{w.group.id}/meetings/new",
        None,
        "",
        meeting_form,
        Meeting,
    ),
    "agenda item": Case(
        "coordinator_cl",
        _meeting,
        lambda w, o: f"/meetings/{o.id}/manage",
        lambda w, o: f"/meetings/{o.id}/agenda",
        "agenda",
        lambda w: {"agenda-title": "Welcome"},
        AgendaItem,
    ),
    "invitee": Case(
        "coordinator_cl",
        _meeting,
        lambda w, o: f"/meetings/{o.id}/manage",
        lambda w, o: f"/meetings/{o.id}/invitees",
        "invitee",
        lambda w: {"invitee-user_id": w.member_gb.id},
        Invitee,
    ),
    "action item": Case(
        "member_gb",
        None,
        lambda w, o: f"/working-groups/{w.group.id}/actions/new",
        None,
        "",
        action_form,
        ActionItem,
    ),
    "action update": Case(
        "member_gb",
        _action,
        lambda w, o: f"/actions/{o.id}",
        lambda w, o: f"/actions/{o.id}/comments",
        "comment",
        lambda w: {"comment-body": "Draft sent to both teams."},
        ActionComment,
    ),
    "document": Case(
        "member_gb",
        None,
        lambda w, o: f"/working-groups/{w.group.id}/documents/new",
        None,
        "",
        document_form,
        Document,
    ),
    "document version": Case(
        "member_gb",
        _document,
        lambda w, o: f"/documents/{o.id}/versions/new",
        None,
        "",
        lambda w: {
            "change_note": "Second reading",
            "file": (io.BytesIO(b"Protocol, second version."), "protocol.txt"),
        },
        DocumentVersion,
    ),
    "training": Case(
        "coordinator_cl",
        None,
        lambda w, o: f"/mous/{w.mou.id}/trainings/new",
        None,
        "",
        training_form,
        Training,
    ),
    "registration": Case(
        "member_gb",
        _training,
        lambda w, o: f"/trainings/{o.id}",
        lambda w, o: f"/trainings/{o.id}/register",
        "",
        lambda w: REGISTRATION,
        Registration,
    ),
    "registration of another person": Case(
        "coordinator_cl",
        _training,
        lambda w, o: f"/trainings/{o.id}/register-person",
        None,
        "",
        lambda w: {**REGISTRATION, "user_id": w.member_cl.id},
        Registration,
    ),
    "external participant invited": Case(
        "coordinator_cl",
        _training,
        lambda w, o: f"/trainings/{o.id}/invite",
        None,
        "",
        lambda w: {"email": "ana@csirt.example.org", "language": "es"},
        TrainingInvitation,
    ),
    "training feedback": Case(
        "member_gb",
        _attended_training,
        lambda w, o: f"/trainings/{o.id}/feedback",
        None,
        "",
        lambda w: {"rating": "4", "comments": "Clear and useful."},
        TrainingFeedback,
    ),
    "MoU": Case("admin", None, lambda w, o: "/mous/new", None, "", mou_form, Mou),
    "signatory": Case(
        "admin",
        _mou,
        lambda w, o: f"/mous/{o.id}/manage",
        None,
        "signatory",
        lambda w: {
            "form": "signatory",
            "signatory-party_id": w.cl.id,
            "signatory-name": "Ana Pérez",
            "signatory-office_en": "Minister",
            "signatory-office_es": "Ministra",
        },
        Signatory,
    ),
    "line of cooperation": Case(
        "admin",
        _mou,
        lambda w, o: f"/mous/{o.id}/manage",
        None,
        "line",
        lambda w: {"form": "line", "line-title_en": "Exercises", "line-title_es": "Ejercicios"},
        LineOfCooperation,
    ),
    "working group": Case(
        "admin",
        _mou,
        lambda w, o: f"/mous/{o.id}/working-groups/new",
        None,
        "",
        lambda w: {"name_en": "Exercises", "name_es": "Ejercicios"},
        WorkingGroup,
    ),
    "working group member": Case(
        "coordinator_cl",
        _group,
        lambda w, o: f"/working-groups/{o.id}",
        None,
        "",
        lambda w: {"user_id": w.member_cl_outside_group.id},
        Membership,
    ),
    "party": Case("admin", None, lambda w, o: "/admin/parties/new", None, "", party_form, Party),
    "invitation": Case(
        "coordinator_cl",
        None,
        lambda w, o: "/invitations/new",
        None,
        "",
        lambda w: {
            "email": "new.person@example.org",
            "party_id": w.cl.id,
            "role": "member",
            "language": "es",
        },
        Invitation,
    ),
}


@pytest.mark.parametrize("name", CREATE_FORMS)
def test_the_same_form_sent_twice_creates_one_object(name, app, world, session, login_as):
    case = CREATE_FORMS[name]
    made = case.make(world, session, app) if case.make else None
    session.commit()
    browser = login_as(getattr(world, case.actor))
    before = count(session, case.counted)
    form_page = case.page(world, made)
    shown = shown_form(browser, form_page, case.prefix)
    target = case.action(world, made) if case.action else form_page

    first = browser.post(target, data={**shown, **case.data(world)})
    assert first.status_code == 302, first.get_data(as_text=True)[:3000]
    mails = count(session, OutboxMessage)
    second = browser.post(target, data={**shown, **case.data(world)})

    assert second.status_code == 302
    assert second.headers["Location"] == first.headers["Location"]
    assert count(session, case.counted) == before + 1
    assert count(session, OutboxMessage) == mails
    shown = browser.get(second.headers["Location"]).get_data(as_text=True)
    assert any(message in shown for message in ALREADY_SUBMITTED)


def test_a_series_sent_twice_is_scheduled_once(world, session, login_as):
    browser = login_as(world.coordinator_cl)
    path = f"/working-groups/{world.group.id}/meetings/new"
    series = {**meeting_form(world), "repeat": "weekly", "count": "3"}
    shown = shown_form(browser, path)

    answers = [browser.post(path, data={**shown, **series}) for _ in range(2)]

    assert [a.status_code for a in answers] == [302, 302]
    assert answers[0].headers["Location"] == answers[1].headers["Location"]
    assert count(session, Meeting) == 3
    worker_first_step(browser.application)  # the outbox worker writes the invitations
    assert count(session, OutboxMessage) == 4  # one invitation per person for the series


@pytest.mark.parametrize("name", ["meeting", "action item"])
def test_the_form_shown_again_creates_another_object(name, world, session, login_as):
    """A new showing of the form is a new submission: only a repeat is refused."""
    case = CREATE_FORMS[name]
    browser, path = login_as(getattr(world, case.actor)), case.page(world, None)
    for _ in range(2):
        payload = {**shown_form(browser, path), **case.data(world)}
        assert browser.post(path, data=payload).status_code == 302
    assert count(session, case.counted) == 2


def test_a_token_shown_to_another_account_is_refused(world, session, login_as):
    path = f"/working-groups/{world.group.id}/meetings/new"
    theirs = shown_form(login_as(world.coordinator_gb), path)
    browser = login_as(world.coordinator_cl)
    payload = {
        **meeting_form(world),
        "submission_token": theirs["submission_token"],
        "csrf_token": shown_form(browser, path)["csrf_token"],
    }
    response = browser.post(path, data=payload)
    assert response.status_code == 422
    assert any(message in response.get_data(as_text=True) for message in NOT_YOURS)
    assert count(session, Meeting) == 0


def test_a_forged_token_is_refused(world, session, login_as):
    browser = login_as(world.member_gb)
    path = f"/working-groups/{world.group.id}/actions/new"
    payload = {**shown_form(browser, path), **action_form(world), "submission_token": "x.y"}
    response = browser.post(path, data=payload)
    assert response.status_code == 422
    assert any(message in response.get_data(as_text=True) for message in NOT_YOURS)
    assert count(session, ActionItem) == 0


@pytest.fixture
def postgres_only(backend):
    if backend["name"] != "postgresql":
        pytest.skip("SQLite lets one writer in at a time: the race runs on PostgreSQL")


@pytest.fixture
def slow_commits():
    """Each commit waits a moment, so the second request is surely inside its transaction
    (past the check for an earlier submission) while the first has not committed yet."""

    def wait(session):
        time.sleep(0.3)

    event.listen(Session, "before_commit", wait)
    yield
    event.remove(Session, "before_commit", wait)


def _post_at_once(clients, target: str, payloads: list[dict]) -> list:
    barrier = threading.Barrier(len(clients))
    answers: list = [None] * len(clients)

    def send(index: int) -> None:
        barrier.wait(timeout=30)
        answers[index] = clients[index].post(target, data=payloads[index])

    threads = [threading.Thread(target=send, args=(n,)) for n in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


@pytest.mark.parametrize(("name", "mails"), [("meeting", 4), ("action item", 1)])
def test_the_same_form_sent_twice_at_once_creates_one_object_and_one_set_of_mails(
    name, mails, postgres_only, slow_commits, world, session, login_as, caplog
):
    case = CREATE_FORMS[name]
    path = case.page(world, None)
    clients = [login_as(getattr(world, case.actor)) for _ in range(2)]  # two tabs, one account
    shown = shown_form(clients[0], path)
    payloads = [
        {**case.data(world), **shown, "csrf_token": shown_form(c, path)["csrf_token"]}
        for c in clients
    ]

    with caplog.at_level(logging.INFO, logger="portal.web.submissions"):
        answers = _post_at_once(clients, path, payloads)

    assert [a.status_code for a in answers] == [302, 302]
    assert answers[0].headers["Location"] == answers[1].headers["Location"]
    assert count(session, case.counted) == 1
    worker_first_step(clients[0].application)  # a meeting's invitations are written by it
    assert count(session, OutboxMessage) == mails  # one set of invitations or notices
    assert "sent twice at once: the later one is rolled back" in caplog.text
