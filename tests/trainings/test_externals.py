"""External participants: invited by email, they see their trainings and those trainings'
TLP:CLEAR and TLP:GREEN materials, and get 404 on everything else in the portal."""

import re

import pytest
from sqlalchemy import select

from portal.accounts.models import Invitation, Role, User
from portal.core.tlp import TLP
from portal.trainings.models import TrainingInvitation, training_materials
from tests import factories
from tests.conftest import csrf_token, post
from tests.factories import PASSWORD
from tests.helpers.bad_input import shown_errors
from tests.helpers.trainings import REGISTRATION, in_days, mails

NEWCOMER = "analyst@bank.example"


def _invite(login_as, coordinator, training, email=NEWCOMER, language="en"):
    browser = login_as(coordinator)
    page = f"/trainings/{training.id}/invite"
    return post(browser, page, {"email": email, "language": language}, token_from=page)


def _accept(client, session) -> User:
    """Open the link of the invitation mail and create the account, as the person would."""
    [mail] = mails(session, "invitation", NEWCOMER)
    link = re.search(r"http://portal\.test(/auth/invitation/\S+)", mail.body_text).group(1)
    data = {
        "name": "Ana Analyst",
        "password": PASSWORD,
        "confirm": PASSWORD,
        "language": "en",
        "timezone": "Europe/London",
        "csrf_token": csrf_token(client, link),
    }
    assert client.post(link, data=data).status_code == 302
    session.rollback()
    return session.scalar(select(User).where(User.email == NEWCOMER))


@pytest.fixture
def materials(world, session, make_document, training) -> dict[TLP, int]:
    """One document per label, all given as materials of the training."""
    ids = {
        label: make_document(
            world.member_gb,
            mou=world.mou,
            group=world.group,
            tlp=label,
            title=f"Slides {label.label}",
        )
        for label in (TLP.CLEAR, TLP.GREEN, TLP.AMBER, TLP.AMBER_STRICT)
    }
    session.execute(
        training_materials.insert(),
        [{"training_id": training.id, "document_id": i} for i in ids.values()],
    )
    session.commit()
    return ids


def test_an_invited_newcomer_gets_an_account_that_sees_the_training_and_registers(
    world, session, login_as, client, training, materials
):
    other = factories.make_training(session, world.mou, in_days(11), title_en="Other course")
    session.commit()
    assert _invite(login_as, world.coordinator_gb, training).status_code == 302
    [mail] = mails(session, "invitation", NEWCOMER)
    assert mail.subject == f"Invitation to a training: {training.title_en}"
    assert training.title_en in mail.body_text and "Create your account" in mail.body_text

    person = _accept(client, session)
    assert person.role == Role.EXTERNAL and person.party_id is None  # of no delegation
    invitation = session.scalar(select(Invitation).where(Invitation.email == NEWCOMER))
    assert invitation.party_id is None and invitation.invited_by_id == world.coordinator_gb.id
    assert client.get("/").headers["Location"] == "/trainings/"
    listing = client.get("/trainings/").get_data(as_text=True)
    assert f'/trainings/{training.id}"' in listing and f'/trainings/{other.id}"' not in listing
    page = client.get(f"/trainings/{training.id}").get_data(as_text=True)
    assert "Slides TLP:CLEAR" in page and "Slides TLP:GREEN" in page
    assert "Slides TLP:AMBER" not in page
    for label, document_id in materials.items():
        response = client.get(f"/trainings/{training.id}/materials/{document_id}")
        expected = 200 if label in (TLP.CLEAR, TLP.GREEN) else 404
        assert response.status_code == expected, label
        response.close()

    page = f"/trainings/{training.id}"
    response = client.post(
        f"{page}/register",
        data={**REGISTRATION, "sector": "private", "csrf_token": csrf_token(client, page)},
    )
    assert response.status_code == 302
    [confirmed] = mails(session, "training_confirmed", NEWCOMER)
    assert confirmed.ics_method == "REQUEST"
    assert client.get(f"/trainings/{other.id}").status_code == 404


def test_an_existing_external_account_is_told_of_one_more_training(
    world, session, login_as, training
):
    browser = login_as(world.external_cl)
    assert browser.get(f"/trainings/{training.id}").status_code == 404
    assert _invite(login_as, world.coordinator_cl, training, world.external_cl.email).status_code
    [mail] = mails(session, "training_invited", world.external_cl.email)
    assert mail.ics_method == "REQUEST"
    assert browser.get(f"/trainings/{training.id}").status_code == 200
    assert mails(session, "invitation") == []


def test_no_invitation_to_a_training_closed_to_external_participants(
    world, session, login_as, training
):
    training.allow_external = False
    session.commit()
    browser = login_as(world.coordinator_gb)
    page = f"/trainings/{training.id}/invite"
    response = post(browser, page, {"email": NEWCOMER, "language": "en"}, token_from=page)
    assert response.status_code == 422
    assert shown_errors(response) == ["This training is not open to external participants."]
    session.rollback()
    assert session.scalars(select(TrainingInvitation)).all() == []
    assert mails(session) == []


# Isolation ---------------------------------------------------------------------------------


# Every URL argument, filled with an object of the portal that exists.
def _values(world, session, make_document, training) -> dict:
    from datetime import UTC, date, datetime

    meeting = factories.make_meeting(
        session,
        world.group,
        datetime(2030, 1, 8, 10, tzinfo=UTC),
        invitees=[world.member_cl],
        tlp=TLP.CLEAR,
    )
    item = factories.make_action(session, world.group, [world.member_cl], date(2030, 1, 15))
    hidden = factories.make_training(session, world.mou, in_days(12), title_en="Hidden course")
    registration = factories.make_registration(session, hidden, world.member_cl)
    session.commit()
    document = make_document(world.member_cl, mou=world.mou, tlp=TLP.GREEN)
    return {
        "mou_id": world.mou.id,
        "group_id": world.group.id,
        "party_id": world.cl.id,
        "user_id": world.member_cl.id,
        "meeting_id": meeting.id,
        "item_id": item.id,
        "document_id": document,
        "number": 1,
        "training_id": hidden.id,
        "registration_id": registration.id,
        "membership_id": 1,
        "signatory_id": 1,
        "line_id": 1,
        "message_id": 1,
        "direction": "up",
        "answer": "accepted",
    }


def test_an_external_participant_gets_404_everywhere_but_their_trainings(
    app, world, session, login_as, make_document, training
):
    training.invitations.append(TrainingInvitation(email=world.external_cl.email))
    session.commit()
    values = _values(world, session, make_document, training)
    browser = login_as(world.external_cl)
    token = csrf_token(browser, "/account/")
    allowed = {
        "main.set_language_choice",
        "accounts.logout",
        "accounts.profile",
        "accounts.change_password",
        "accounts.two_factor_overview",  # their own second factor, optional for them
        "accounts.two_factor_setup",
        "accounts.renew_recovery_codes",
        "accounts.disable_two_factor",
        "accounts.change_email",
        "accounts.confirm_email_change",
        "accounts.sessions",
        "accounts.end_session",
        "accounts.end_other_sessions",
        "notifications.preferences",
    }
    checked, wrong = [], []
    with app.app_context():
        rules = [
            r
            for r in app.url_map.iter_rules()
            if not r.endpoint.endswith("static")
            and r.endpoint not in allowed
            and not getattr(app.view_functions[r.endpoint], "is_public", False)
        ]
    for rule in rules:
        arguments = {name: values.get(name, 1) for name in rule.arguments}
        _, url = rule.build(arguments)
        for method in sorted({"GET", "POST"} & rule.methods):
            if method == "GET":
                response = browser.get(url)
            else:
                response = browser.post(url, data={"csrf_token": token})
            checked.append(f"{method} {url}")
            expected = {"main.index": 302, "trainings.training_list": 200}.get(rule.endpoint, 404)
            if response.status_code != expected:
                wrong.append((method, url, response.status_code))
            response.close()
    assert wrong == []
    # The walk reached meetings, documents, actions, MoUs, others' trainings and admin pages.
    for seen in (
        f"GET /meetings/{values['meeting_id']}",
        f"GET /documents/{values['document_id']}/edit",
        f"GET /actions/{values['item_id']}",
        f"GET /mous/{values['mou_id']}",
        f"GET /trainings/{values['training_id']}",
        f"POST /trainings/{values['training_id']}/register",
        "GET /admin/audit/",
    ):
        assert seen in checked
    # Their own training still opens.
    assert browser.get(f"/trainings/{training.id}").status_code == 200


def test_the_navigation_bar_of_an_external_participant_shows_only_trainings(world, login_as):
    page = login_as(world.external_cl).get("/trainings/").get_data(as_text=True)
    bar = page[page.index("<nav") : page.index("</nav>")]
    assert "/trainings/" in bar
    for elsewhere in ("/mous/", "/calendar", "/actions/", "/documents/search"):
        assert elsewhere not in bar
