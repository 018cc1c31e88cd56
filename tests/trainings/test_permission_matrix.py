"""The permission matrix for trainings: every actor on every training route, and its effect.

{course} is under the Chile–UK MoU, open to external participants, and external_cl is
invited to it; {other} is under the same MoU without them; {started} began an hour ago
with member_gb in a seat. The materials are a TLP:GREEN document of the MoU and a
TLP:AMBER one of its working group.
"""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.core.tlp import TLP
from portal.trainings.models import (
    AttendanceMark,
    Registration,
    RegistrationStatus,
    Training,
    TrainingInvitation,
    TrainingStatus,
    training_materials,
)
from tests import factories
from tests.helpers.matrix import (
    LOGIN,
    Action,
    assert_actions,
    assert_hidden_like_missing,
    assert_pages,
    each_actor,
    fill,
    outcome,
    token_for,
)
from tests.helpers.trainings import FOLLOWUP_POSTS, REGISTRATION, in_days, training_form

# Columns: anon, admin, coord CL, coord GB, member CL (in group), member CL outside group,
#          observer GB, external CL (invited to {course}), member CO, coordinator CO.
# fmt: off
PAGES = {
    "/trainings/":                             (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "/trainings/?when=past":                   (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "/trainings/{course}":                     (LOGIN, 200, 200, 200, 200, 200, 200, 200, 404, 404),
    "/trainings/{other}":                      (LOGIN, 200, 200, 200, 200, 200, 200, 404, 404, 404),
    "/trainings/{course}/edit":                (LOGIN, 200, 200, 200, 403, 403, 403, 403, 404, 404),
    "/trainings/{other}/edit":                 (LOGIN, 200, 200, 200, 403, 403, 403, 404, 404, 404),
    "/trainings/{course}/roster":              (LOGIN, 200, 200, 200, 403, 403, 403, 403, 404, 404),
    "/trainings/{course}/register-person":     (LOGIN, 200, 200, 200, 403, 403, 403, 403, 404, 404),
    "/trainings/{course}/invite":              (LOGIN, 200, 200, 200, 403, 403, 403, 403, 404, 404),
    "/trainings/{course}/materials/add":       (LOGIN, 200, 200, 200, 403, 403, 403, 403, 404, 404),
    "/mous/{mou}/trainings/new":               (LOGIN, 200, 200, 200, 403, 403, 403, 404, 404, 404),
    "/trainings/{course}/materials/{green}":   (LOGIN, 200, 200, 200, 200, 200, 200, 200, 404, 404),
    "/trainings/{course}/materials/{amber}":   (LOGIN, 200, 200, 200, 200, 404, 200, 404, 404, 404),
    "/trainings/{other}/materials/{green}":    (LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, 404),
}

# 302 means the change was made (and must show in the database); any other answer means
# nothing changed. coordinator_gb registering a Chilean is refused by the form (422): the
# person is not among those it may choose.
ACTION_ANSWERS = {
    "register oneself":                        (LOGIN, 403, 302, 302, 302, 302, 403, 302, 404, 404),
    "register member_cl":                      (LOGIN, 302, 302, 422, 403, 403, 403, 403, 404, 404),
    "cancel member_gb's place":                (LOGIN, 302, 302, 302, 403, 403, 403, 403, 404, 404),
    "create training":                         (LOGIN, 302, 302, 302, 403, 403, 403, 404, 404, 404),
    "edit training":                           (LOGIN, 302, 302, 302, 403, 403, 403, 403, 404, 404),
    "invite external":                         (LOGIN, 302, 302, 302, 403, 403, 403, 403, 404, 404),
    "attach material":                         (LOGIN, 302, 302, 302, 403, 403, 403, 403, 404, 404),
    "remove material":                         (LOGIN, 302, 302, 302, 403, 403, 403, 403, 404, 404),
    "record attendance":                       (LOGIN, 302, 302, 302, 403, 403, 403, 404, 404, 404),
    "cancel training":                         (LOGIN, 302, 302, 302, 403, 403, 403, 404, 404, 404),
}
# fmt: on


def _count(session, statement) -> int:
    return session.scalar(select(func.count()).select_from(statement.subquery()))


def _self_registered(session, ids) -> bool:
    query = select(Registration.id).where(
        Registration.training_id == ids["course"],
        Registration.user_id == Registration.registered_by_id,
    )
    return _count(session, query) > 0


def _registered_by_someone_else(session, ids) -> bool:
    query = select(Registration.id).where(
        Registration.training_id == ids["course"],
        Registration.user_id == ids["member_cl"],
        Registration.registered_by_id != ids["member_cl"],
    )
    return _count(session, query) > 0


def _material(document: str):
    def attached(session, ids) -> bool:
        query = select(training_materials.c.document_id).where(
            training_materials.c.training_id == ids["course"],
            training_materials.c.document_id == ids[document],
        )
        return _count(session, query) > 0

    return attached


def _row(model, key: str, **values):
    def check(session, ids) -> bool:
        row = session.get(model, ids[key])
        return all(getattr(row, name) == value for name, value in values.items())

    return check


ACTIONS = {
    "register oneself": Action("/trainings/{course}/register", REGISTRATION, _self_registered),
    "register member_cl": Action(
        "/trainings/{course}/register-person",
        {**REGISTRATION, "user_id": "{member_cl}"},
        _registered_by_someone_else,
    ),
    "cancel member_gb's place": Action(
        "/trainings/{course}/registrations/{gb_registration}/cancel",
        {"confirmed": "1"},
        _row(Registration, "gb_registration", status=RegistrationStatus.CANCELLED),
    ),
    "create training": Action(
        "/mous/{mou}/trainings/new",
        training_form("Matrix training"),
        lambda session, ids: (
            _count(session, select(Training.id).where(Training.title_en == "Matrix training")) > 0
        ),
    ),
    "edit training": Action(
        "/trainings/{course}/edit",
        training_form("Matrix renamed"),
        _row(Training, "course", title_en="Matrix renamed"),
    ),
    "invite external": Action(
        "/trainings/{course}/invite",
        {"email": "analyst@bank.example", "language": "es"},
        lambda session, ids: (
            _count(
                session,
                select(TrainingInvitation.id).where(
                    TrainingInvitation.email == "analyst@bank.example"
                ),
            )
            > 0
        ),
    ),
    "attach material": Action(
        "/trainings/{course}/materials", {"document_id": "{clear}"}, _material("clear")
    ),
    "remove material": Action(
        "/trainings/{course}/materials/{green}/remove",
        {"confirmed": "1"},
        lambda session, ids: not _material("green")(session, ids),
    ),
    "record attendance": Action(
        "/trainings/{started}/attendance",
        {"registration_{started_registration}": "present"},
        _row(Registration, "started_registration", attendance=AttendanceMark.PRESENT),
    ),
    "cancel training": Action(
        "/trainings/{other}/cancel",
        {"confirmed": "1"},
        _row(Training, "other", status=TrainingStatus.CANCELLED),
    ),
}


@pytest.fixture
def ids(world, session, make_document) -> dict:
    training = factories.make_training(
        session, world.mou, in_days(10), capacity=10, allow_external=True
    )
    training.invitations.append(TrainingInvitation(email=world.external_cl.email))
    other = factories.make_training(session, world.mou, in_days(12), title_en="Other course")
    started = factories.make_training(
        session, world.mou, in_days(0) - timedelta(hours=1), title_en="Started course"
    )
    gb_registration = factories.make_registration(session, training, world.member_gb)
    started_registration = factories.make_registration(session, started, world.member_gb)
    session.commit()
    documents = {
        "green": make_document(world.member_cl, mou=world.mou, tlp=TLP.GREEN, title="Green"),
        "amber": make_document(
            world.member_cl, mou=world.mou, group=world.group, tlp=TLP.AMBER, title="Amber"
        ),
        "clear": make_document(world.member_cl, mou=world.mou, tlp=TLP.CLEAR, title="Clear"),
    }
    session.execute(
        training_materials.insert(),
        [{"training_id": training.id, "document_id": documents[k]} for k in ("green", "amber")],
    )
    session.commit()
    return {
        "mou": world.mou.id,
        "course": training.id,
        "other": other.id,
        "started": started.id,
        "gb_registration": gb_registration.id,
        "started_registration": started_registration.id,
        "member_cl": world.member_cl.id,
        **documents,
    }


@each_actor
def test_training_pages(actor, ids, browser_for):
    assert_pages(browser_for, actor, PAGES, ids)


@each_actor
def test_training_changes_and_their_effect(actor, ids, browser_for, session):
    assert_actions(browser_for, session, actor, ACTIONS, ACTION_ANSWERS, ids)


def test_every_training_change_is_in_the_matrix(app):
    posted = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("trainings.") and "POST" in rule.methods
    }
    # Giving up one's own place is tested in test_waiting_list.py, on a place one holds;
    # certificates, feedback and verification in test_followup_matrix.py.
    assert len(ACTIONS) == len(posted - {"trainings.cancel_own_registration", *FOLLOWUP_POSTS})


def test_a_hidden_training_looks_exactly_like_a_missing_one(ids, login_as, world):
    pages = ("/trainings/{course}", "/trainings/{course}/roster")
    assert_hidden_like_missing(login_as(world.member_co), pages, ids, "course")


@pytest.mark.parametrize("actor", ["member_co", "coordinator_co", "external_cl"])
def test_the_list_never_shows_what_the_reader_may_not_open(actor, ids, world, login_as):
    page = login_as(getattr(world, actor)).get("/trainings/").get_data(as_text=True)
    assert f'/trainings/{ids["other"]}"' not in page
    assert (f'/trainings/{ids["course"]}"' in page) == (actor == "external_cl")


@pytest.mark.parametrize("actor", ["anonymous", "member_co", "coordinator_co", "external_cl"])
def test_giving_up_a_place_in_a_hidden_training_is_refused(actor, ids, browser_for, session):
    browser = browser_for(actor)
    response = browser.post(
        fill("/trainings/{other}/registration/cancel", ids),
        data={"csrf_token": token_for(browser, actor)},
    )
    assert outcome(response) == (LOGIN if actor == "anonymous" else 404)
    session.rollback()
    assert session.get(Registration, ids["gb_registration"]).status == RegistrationStatus.CONFIRMED
