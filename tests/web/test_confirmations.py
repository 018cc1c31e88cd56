"""Destructive actions ask first (issue 16, item 2): a confirmation page that says what will
happen and who will be mailed; nothing is changed or mailed before "Yes" is posted.

The page is refused exactly like the action (the matrix below mirrors the actions' rows in
tests/security and tests/trainings, with 200 where the action answered 302).
"""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, insert, select

from portal.accounts.models import User
from portal.core.extensions import db
from portal.core.tlp import TLP
from portal.documents.models import agenda_item_documents
from portal.meetings import services as scheduling
from portal.meetings.models import AgendaItem, Invitee, Meeting, MeetingStatus
from portal.meetings.recurrence import Frequency, Recurrence
from portal.mous.models import LineOfCooperation, Membership, Signatory, WorkingGroup
from portal.notifications.models import OutboxMessage
from portal.trainings.models import (
    Registration,
    RegistrationStatus,
    Training,
    TrainingStatus,
    training_materials,
)
from tests import factories
from tests.conftest import post
from tests.helpers.matrix import (
    LOGIN,
    Action,
    assert_actions,
    assert_pages,
    each_actor,
    exists_row,
    gone_row,
)
from tests.helpers.notifications import worker_first_step

# What a confirmation page asks and says does not depend on the backend: run once, on
# PostgreSQL when it answers (ONE_BACKEND, tests/conftest.py), so that the suite's time goes
# where the backends differ.
pytestmark = pytest.mark.one_backend

# Columns: anon, admin, coord CL, coord GB, member CL (in group), member CL outside,
#          observer GB, external CL, member CO, coordinator CO.
# fmt: off
MEETING_MANAGERS =      (LOGIN, 200, 200, 200, 403, 404, 403, 404, 404, 404)
CL_MEMBER_MANAGERS =    (LOGIN, 200, 200, 403, 403, 404, 403, 404, 404, 404)
TRAINING_MANAGERS =     (LOGIN, 200, 200, 200, 403, 403, 403, 404, 404, 404)
MOU_EDITORS =           (LOGIN, 200, 403, 403, 403, 403, 403, 404, 404, 404)
# Only member_cl holds a place; the others are sent back to the training ("not registered").
SEAT_HOLDER =           (LOGIN, 302, 302, 302, 200, 302, 302, 404, 404, 404)
# fmt: on

PAGES = {
    "/meetings/{meeting}/cancel": MEETING_MANAGERS,
    "/meetings/{meeting}/invitees/{member_gb_invitee}/remove": MEETING_MANAGERS,
    "/meetings/{meeting}/agenda/{item}/remove": MEETING_MANAGERS,
    "/working-groups/{group}/members/{member_cl_membership}/remove": CL_MEMBER_MANAGERS,
    "/trainings/{training}/cancel": TRAINING_MANAGERS,
    "/trainings/{training}/registrations/{cl_registration}/cancel": TRAINING_MANAGERS,
    "/meetings/{meeting}/agenda/{item}/documents/{document}/remove": MEETING_MANAGERS,
    "/mous/{mou}/signatories/{signatory}/remove": MOU_EDITORS,
    "/mous/{mou}/lines/{line}/remove": MOU_EDITORS,
    "/trainings/{training}/materials/{document}/remove": TRAINING_MANAGERS,
    "/trainings/{training}/registration/cancel": SEAT_HOLDER,
}


def _linked(table, owner: str, owner_key: str):
    """An effect check: is the document still linked (to the agenda item, the training)?"""

    def check(session, ids) -> bool:
        row = select(table).where(
            table.c[owner] == ids[owner_key], table.c.document_id == ids["document"]
        )
        return session.execute(row).first() is None

    return check


def _cancelled(model, key: str):
    status = MeetingStatus.CANCELLED if model is Meeting else TrainingStatus.CANCELLED
    return exists_row(model, id=key, status=status)


# The same posts as the actions, without `confirmed`: never done, whoever posts.
UNCONFIRMED = {
    "cancel meeting": Action(
        "/meetings/{meeting}/cancel", {"scope": "this"}, _cancelled(Meeting, "{meeting}")
    ),
    "withdraw member_gb": Action(
        "/meetings/{meeting}/invitees/{member_gb_invitee}/remove",
        {},
        gone_row(Invitee, "{member_gb_invitee}"),
    ),
    "remove agenda item": Action(
        "/meetings/{meeting}/agenda/{item}/remove", {}, gone_row(AgendaItem, "{item}")
    ),
    "remove member_cl": Action(
        "/working-groups/{group}/members/{member_cl_membership}/remove",
        {},
        gone_row(Membership, "{member_cl_membership}"),
    ),
    "cancel training": Action(
        "/trainings/{training}/cancel", {}, _cancelled(Training, "{training}")
    ),
    "cancel member_cl's place": Action(
        "/trainings/{training}/registrations/{cl_registration}/cancel",
        {},
        exists_row(Registration, id="{cl_registration}", status=RegistrationStatus.CANCELLED),
    ),
    "detach a document": Action(
        "/meetings/{meeting}/agenda/{item}/documents/{document}/remove",
        {},
        _linked(agenda_item_documents, "agenda_item_id", "item"),
    ),
    "remove signatory": Action(
        "/mous/{mou}/signatories/{signatory}/remove", {}, gone_row(Signatory, "{signatory}")
    ),
    "remove line": Action(
        "/mous/{mou}/lines/{line}/remove", {}, gone_row(LineOfCooperation, "{line}")
    ),
    "remove material": Action(
        "/trainings/{training}/materials/{document}/remove",
        {},
        _linked(training_materials, "training_id", "training"),
    ),
    # Answers only: the others' 302 is "not registered" (see test_cancelling_my_own_place).
    "cancel my own place": Action("/trainings/{training}/registration/cancel", {}, None),
}
UNCONFIRMED_ANSWERS = {
    "cancel meeting": MEETING_MANAGERS,
    "withdraw member_gb": MEETING_MANAGERS,
    "remove agenda item": MEETING_MANAGERS,
    "remove member_cl": CL_MEMBER_MANAGERS,
    "cancel training": TRAINING_MANAGERS,
    "cancel member_cl's place": TRAINING_MANAGERS,
    "detach a document": MEETING_MANAGERS,
    "remove signatory": MOU_EDITORS,
    "remove line": MOU_EDITORS,
    "remove material": TRAINING_MANAGERS,
    "cancel my own place": SEAT_HOLDER,
}


@pytest.fixture
def ids(app, world, session) -> dict:
    invited = [world.coordinator_cl, world.coordinator_gb, world.member_cl, world.member_gb]
    meeting = factories.make_meeting(
        session, world.group, datetime(2030, 3, 4, 13, tzinfo=UTC), invitees=invited
    )
    meeting.agenda.append(AgendaItem(position=1, title="Welcome"))
    training = factories.make_training(
        session, world.mou, datetime(2030, 5, 6, 14, tzinfo=UTC), capacity=1
    )
    seat = factories.make_registration(session, training, world.member_cl)
    waiting = factories.make_registration(
        session, training, world.member_gb, status=RegistrationStatus.WAITLISTED
    )
    signatory = Signatory(
        party_id=world.cl.id, name="Ana Pérez", office_en="Minister", office_es="Ministra"
    )
    world.mou.signatories.append(signatory)
    session.commit()  # the document is uploaded through the app's own session
    document = factories.make_document(
        app, world.member_cl, world.mou, title="Threat report", tlp=TLP.GREEN
    )
    session.execute(
        insert(agenda_item_documents).values(
            agenda_item_id=meeting.agenda[0].id, document_id=document
        )
    )
    session.execute(
        insert(training_materials).values(training_id=training.id, document_id=document)
    )
    result = {
        "group": world.group.id,
        "mou": world.mou.id,
        "signatory": signatory.id,
        "line": world.mou.lines[0].id,
        "document": document,
        "meeting": meeting.id,
        "item": meeting.agenda[0].id,
        "member_gb_invitee": next(
            i.id for i in meeting.invitees if i.user_id == world.member_gb.id
        ),
        "member_cl_membership": next(
            m.id for m in world.group.memberships if m.user_id == world.member_cl.id
        ),
        "training": training.id,
        "cl_registration": seat.id,
        "gb_registration": waiting.id,
    }
    session.commit()
    return result


def _outbox(session) -> int:
    session.rollback()  # read what the app committed
    return session.scalar(select(func.count()).select_from(OutboxMessage))


def _text(response) -> str:
    return " ".join(response.get_data(as_text=True).split())


@each_actor
def test_the_pages_are_refused_like_their_actions_and_change_nothing(
    actor, ids, browser_for, session
):
    """GET each confirmation page, then POST each action without the confirmation."""
    before = _outbox(session)
    assert_pages(browser_for, actor, PAGES, ids)
    assert_actions(browser_for, session, actor, UNCONFIRMED, UNCONFIRMED_ANSWERS, ids)
    assert _outbox(session) == before


def test_every_destructive_action_has_its_page():
    assert len(PAGES) == len(UNCONFIRMED) == len(UNCONFIRMED_ANSWERS)


# What each page says, and that "Yes" then does what the action did ------------------------


def _confirm(browser, path: str, data: dict | None = None):
    return post(browser, path, {**(data or {}), "confirmed": "1"}, token_from="/account/")


def test_cancelling_a_meeting_says_who_is_mailed_then_cancels(ids, login_as, world, session):
    browser = login_as(world.coordinator_gb)
    path = f"/meetings/{ids['meeting']}/cancel"
    before = _outbox(session)
    page = _text(browser.get(path))
    assert "Cancel the meeting?" in page
    assert "The meeting “Working group meeting” of" in page
    assert "4 people will be mailed a cancellation: Country CL 2, Country GB 2." in page
    assert "Yes, cancel the meeting" in page and "No, go back" in page
    assert f'href="/meetings/{ids["meeting"]}/manage"' in page
    assert 'name="confirmed" value="1"' in page
    # The meeting page's button posts without the confirmation: the same page, nothing done.
    shown = post(browser, path, {"scope": "this"}, token_from="/account/")
    assert shown.status_code == 200 and "Yes, cancel the meeting" in _text(shown)
    assert _outbox(session) == before
    assert session.get(Meeting, ids["meeting"]).status != MeetingStatus.CANCELLED

    assert _confirm(browser, path, {"scope": "this"}).status_code == 302
    assert _outbox(session) == before + 4
    assert session.get(Meeting, ids["meeting"]).status == MeetingStatus.CANCELLED


def test_withdrawing_an_invitation_names_the_person(ids, login_as, world, session):
    browser = login_as(world.coordinator_gb)
    path = f"/meetings/{ids['meeting']}/invitees/{ids['member_gb_invitee']}/remove"
    before = _outbox(session)
    page = _text(browser.get(path))
    assert "Emily Clarke will no longer be invited to “Working group meeting”" in page
    assert "1 person will be mailed a cancellation: Country GB 1." in page
    assert _outbox(session) == before
    assert _confirm(browser, path).status_code == 302
    assert _outbox(session) == before + 1
    assert session.get(Invitee, ids["member_gb_invitee"]) is None


def test_removing_an_agenda_item_mails_nobody(ids, login_as, world, session):
    browser = login_as(world.coordinator_gb)
    path = f"/meetings/{ids['meeting']}/agenda/{ids['item']}/remove"
    page = _text(browser.get(path))
    assert "The item “Welcome” will be removed from the agenda" in page
    assert "Nobody will be mailed." in page
    assert _confirm(browser, path).status_code == 302
    assert session.get(AgendaItem, ids["item"]) is None


def test_removing_a_member_says_so_in_spanish(ids, login_as, world, session):
    browser = login_as(world.coordinator_cl)  # Chile's coordinator reads Spanish
    path = f"/working-groups/{ids['group']}/members/{ids['member_cl_membership']}/remove"
    page = _text(browser.get(path))
    assert "¿Quitar a la persona del grupo de trabajo?" in page
    assert "Javiera Soto dejará de ser integrante de" in page
    assert "No se enviará ningún correo." in page
    assert "Sí, quitar del grupo" in page and "No, volver" in page
    assert _confirm(browser, path).status_code == 302
    assert session.get(Membership, ids["member_cl_membership"]) is None


def test_cancelling_a_training_counts_seats_and_waiting_list(ids, login_as, world, session):
    browser = login_as(world.coordinator_gb)
    path = f"/trainings/{ids['training']}/cancel"
    before = _outbox(session)
    page = _text(browser.get(path))
    assert "The training “Incident response workshop” of" in page
    assert "2 people will be mailed a cancellation: Country CL 1, Country GB 1." in page
    assert _outbox(session) == before
    assert _confirm(browser, path).status_code == 302
    assert _outbox(session) == before + 2
    assert session.get(Training, ids["training"]).status == TrainingStatus.CANCELLED


def test_cancelling_a_seat_names_who_moves_up(ids, login_as, world, session):
    browser = login_as(world.coordinator_gb)
    seat = f"/trainings/{ids['training']}/registrations/{ids['cl_registration']}/cancel"
    waiting = f"/trainings/{ids['training']}/registrations/{ids['gb_registration']}/cancel"
    assert "1 person will be mailed" in _text(browser.get(waiting))
    before = _outbox(session)
    page = _text(browser.get(seat))
    assert "Javiera Soto will lose their place in “Incident response workshop”." in page
    assert "2 people will be mailed a notice of the change: Country CL 1, Country GB 1." in page
    assert _confirm(browser, seat).status_code == 302
    assert _outbox(session) == before + 2
    promoted = session.get(Registration, ids["gb_registration"])
    assert promoted.status == RegistrationStatus.CONFIRMED


# Series: one occurrence, this and the following ones, the whole series --------------------


def _series(app, world) -> list[int]:
    """A weekly series of three in 2030, its invitees the group's four members."""
    details = scheduling.MeetingDetails(
        title_en="Weekly sync",
        title_es="Sincronización semanal",
        description_md="",
        start_local=datetime(2030, 1, 8, 10, 0),
        end_local=datetime(2030, 1, 8, 11, 0),
        timezone="America/Santiago",
        place="",
        video_url="",
        tlp=TLP.AMBER,
    )
    with app.test_request_context():
        actor = db.session.get(User, world.coordinator_cl.id)
        group = db.session.get(WorkingGroup, world.group.id)
        weekly = Recurrence(Frequency.WEEKLY, until_on=date(2030, 1, 22))
        first = scheduling.schedule_meeting(db.session, actor, group, details, weekly)
        db.session.commit()
        ids = [m.id for m in first.series.meetings]
    worker_first_step(app)  # the invitations are mailed
    return ids


def test_the_series_pages_say_how_much_is_cancelled(app, login_as, world, session):
    first, second, _third = _series(app, world)
    browser = login_as(world.coordinator_gb)
    only = _text(browser.get(f"/meetings/{second}/cancel?scope=this"))
    assert "Only the meeting of" in only and "the other meetings of the series stay" in only
    following = _text(browser.get(f"/meetings/{second}/cancel?scope=following"))
    assert "and the following ones will be cancelled (2 meetings)" in following
    assert 'name="scope" value="following"' in following
    whole = _text(browser.get(f"/meetings/{first}/cancel?scope=following"))
    assert "The whole series “Weekly sync” will be cancelled: 3 meetings." in whole
    assert "4 people will be mailed a cancellation" in whole

    before = _outbox(session)
    assert _confirm(browser, f"/meetings/{first}/cancel", {"scope": "following"}).status_code == 302
    assert _outbox(session) == before + 4
    statuses = session.scalars(select(Meeting.status).where(Meeting.id.in_([first, second])))
    assert set(statuses) == {MeetingStatus.CANCELLED}


def test_a_past_meeting_has_no_confirmation_page(ids, login_as, world, session):
    meeting = session.get(Meeting, ids["meeting"])
    meeting.starts_at = datetime.now(UTC) - timedelta(days=2)
    meeting.ends_at = meeting.starts_at + timedelta(hours=1)
    session.commit()
    browser = login_as(world.coordinator_gb)
    assert browser.get(f"/meetings/{meeting.id}/cancel").status_code == 409


# Detaching, removing from an MoU or a training, giving up one's own place --------------------


def test_detaching_a_document_mails_nobody_and_keeps_it(ids, login_as, world, session):
    browser = login_as(world.coordinator_gb)
    path = f"/meetings/{ids['meeting']}/agenda/{ids['item']}/documents/{ids['document']}/remove"
    page = _text(browser.get(path))
    assert "Detach the document?" in page
    assert "The document “Threat report” will no longer be attached to the agenda item" in page
    assert "(the document stays in the library)" in page and "Nobody will be mailed." in page
    assert f'href="/meetings/{ids["meeting"]}/manage#agenda"' in page
    assert not _linked(agenda_item_documents, "agenda_item_id", "item")(session, ids)
    answer = _confirm(browser, path)
    assert answer.status_code == 302
    assert answer.location.endswith(f"/meetings/{ids['meeting']}/manage#agenda")
    assert _linked(agenda_item_documents, "agenda_item_id", "item")(session, ids)
    assert browser.get(f"/documents/{ids['document']}").status_code == 200


def test_removing_a_signatory_and_a_line_of_cooperation(ids, login_as, world, session):
    browser = login_as(world.admin)  # reads Spanish
    signatory = f"/mous/{ids['mou']}/signatories/{ids['signatory']}/remove"
    page = _text(browser.get(signatory))
    assert "¿Quitar al firmante?" in page
    assert "Ana Pérez (CL) dejará de figurar como firmante de" in page
    assert "No se enviará ningún correo." in page and f'href="/mous/{ids["mou"]}/manage"' in page
    assert session.get(Signatory, ids["signatory"]) is not None
    assert _confirm(browser, signatory).status_code == 302
    assert session.get(Signatory, ids["signatory"]) is None
    line = f"/mous/{ids['mou']}/lines/{ids['line']}/remove"
    title = session.get(LineOfCooperation, ids["line"]).title_es
    page = _text(browser.get(line))
    assert f"La línea de cooperación “{title}” se quitará de" in page
    assert _confirm(browser, line).status_code == 302
    session.expire_all()
    assert session.get(LineOfCooperation, ids["line"]) is None


def test_a_line_of_cooperation_with_work_under_it_stays(ids, login_as, world, session):
    line = session.get(LineOfCooperation, ids["line"])
    item = factories.make_action(session, world.group, [world.member_cl], date(2027, 3, 1))
    item.line = line
    session.commit()
    browser = login_as(world.admin)  # reads Spanish
    path = f"/mous/{ids['mou']}/lines/{ids['line']}/remove"
    for answer in (browser.get(path), _confirm(browser, path)):
        assert answer.status_code == 409
        assert "no se puede quitar" in _text(answer)
    session.expire_all()
    assert session.get(LineOfCooperation, ids["line"]) is not None
    assert session.get(type(item), item.id).line_id == ids["line"]


def test_removing_a_material_keeps_the_document(ids, login_as, world, session):
    browser = login_as(world.coordinator_cl)  # reads Spanish
    path = f"/trainings/{ids['training']}/materials/{ids['document']}/remove"
    page = _text(browser.get(path))
    assert "¿Quitar el material?" in page and "No se enviará ningún correo." in page
    assert not _linked(training_materials, "training_id", "training")(session, ids)
    assert _confirm(browser, path).status_code == 302
    assert _linked(training_materials, "training_id", "training")(session, ids)
    assert browser.get(f"/documents/{ids['document']}").status_code == 200


def test_cancelling_my_own_place_names_who_moves_up(ids, login_as, world, session):
    world.member_cl.language = "en"
    session.commit()
    browser = login_as(world.member_cl)
    path = f"/trainings/{ids['training']}/registration/cancel"
    before = _outbox(session)
    page = _text(browser.get(path))
    assert "Cancel your registration?" in page
    assert "You will lose your place in “Incident response workshop”." in page
    assert "2 people will be mailed a notice of the change: Country CL 1, Country GB 1." in page
    shown = post(browser, path, {}, token_from="/account/")
    assert shown.status_code == 200 and "Yes, cancel my registration" in _text(shown)
    assert _outbox(session) == before
    assert session.get(Registration, ids["cl_registration"]).status == RegistrationStatus.CONFIRMED
    assert _confirm(browser, path).status_code == 302
    assert _outbox(session) == before + 2
    session.expire_all()
    assert session.get(Registration, ids["cl_registration"]).status == RegistrationStatus.CANCELLED
    promoted = session.get(Registration, ids["gb_registration"])
    assert promoted.status == RegistrationStatus.CONFIRMED
