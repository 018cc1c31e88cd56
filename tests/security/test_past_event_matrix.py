"""The past-event rules in the permission matrix (issue 13, item 4): every action on a past
meeting or training, by every role, and its effect in the database.

{past} ended an hour ago (invitees: the group's members); {upcoming} starts tomorrow.
{ended} is a training that ended yesterday, member_gb in a seat; {running} began an hour
ago, member_cl in a seat. 302 means the change was made and must show in the database;
any other answer means nothing was written: 409 is the past-event refusal, with its message.
"""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from portal.core.db import utcnow
from portal.meetings.models import AgendaItem, Invitee, Meeting, MeetingStatus, Reply
from portal.notifications.models import OutboxMessage
from portal.trainings.models import (
    AttendanceMark,
    Registration,
    RegistrationStatus,
    Training,
    TrainingStatus,
)
from tests import factories
from tests.helpers.matrix import LOGIN, Action, assert_actions, each_actor, exists_row
from tests.helpers.trainings import REGISTRATION, in_days, training_form

# Columns: anon, admin, coord CL, coord GB, member CL (in group), member CL outside group,
#          observer GB, external CL, member CO, coordinator CO.
# fmt: off
ANSWERS = {
    "reply to a past meeting":              (LOGIN, 403, 409, 409, 409, 404, 403, 404, 404, 404),
    "cancel a past meeting":                (LOGIN, 409, 409, 409, 403, 404, 403, 404, 404, 404),
    "record attendance, past meeting":      (LOGIN, 302, 302, 302, 403, 404, 403, 404, 404, 404),
    "record attendance before the start":   (LOGIN, 422, 422, 422, 403, 404, 403, 404, 404, 404),
    "add agenda item, past meeting":        (LOGIN, 302, 302, 302, 403, 404, 403, 404, 404, 404),
    "schedule a past meeting, unconfirmed": (LOGIN, 422, 422, 422, 403, 404, 403, 404, 404, 404),
    "record a past meeting":                (LOGIN, 302, 302, 302, 403, 404, 403, 404, 404, 404),
    "cancel a place, training started":     (LOGIN, 409, 409, 409, 403, 403, 403, 404, 404, 404),
    "register, training ended":             (LOGIN, 403, 422, 422, 422, 422, 403, 404, 404, 404),
    "cancel an ended training":             (LOGIN, 409, 409, 409, 403, 403, 403, 404, 404, 404),
    "record attendance, training ended":    (LOGIN, 302, 302, 302, 403, 403, 403, 404, 404, 404),
    "create a past training, unconfirmed":  (LOGIN, 422, 422, 422, 403, 403, 403, 404, 404, 404),
    "record a past training":               (LOGIN, 302, 302, 302, 403, 403, 403, 404, 404, 404),
}
# fmt: on


def _meeting_form(title: str, **extra) -> dict:
    start = (utcnow() - timedelta(days=1)).astimezone(ZoneInfo("America/Santiago"))
    return {
        "title_en": title,
        "title_es": title,
        "start_local": start.strftime("%Y-%m-%dT%H:%M"),
        "end_local": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "timezone": "America/Santiago",
        "tlp": "amber",
        "repeat": "none",
        **extra,
    }


def _past_training_form(title: str, **extra) -> dict:
    day, before = in_days(-2).strftime("%Y-%m-%d"), in_days(-4).strftime("%Y-%m-%d")
    return {
        **training_form(title),
        "start_local": f"{day}T10:00",
        "end_local": f"{day}T13:00",
        "registration_closes_local": f"{before}T18:00",
        **extra,
    }


def _titled(model, title: str):
    def check(session, ids) -> bool:
        return session.scalar(select(func.count()).where(model.title_en == title)) > 0

    return check


def _replied(session, ids) -> bool:
    query = select(func.count()).where(
        Invitee.meeting_id == ids["past"], Invitee.reply != Reply.NEEDS_ACTION
    )
    return session.scalar(query) > 0


def _attendance(key: str):
    return lambda session, ids: session.get(Invitee, ids[key]).attendance.value == "present"


def _registration(key: str, **values):
    def check(session, ids) -> bool:
        row = session.get(Registration, ids[key])
        return all(getattr(row, name) == value for name, value in values.items())

    return check


def _registered_oneself(session, ids) -> bool:
    query = select(func.count()).where(
        Registration.training_id == ids["ended"], Registration.user_id != ids["member_gb"]
    )
    return session.scalar(query) > 0


ACTIONS = {
    "reply to a past meeting": Action("/meetings/{past}/reply", {"reply": "accepted"}, _replied),
    "cancel a past meeting": Action(
        "/meetings/{past}/cancel",
        {"scope": "this", "confirmed": "1"},
        exists_row(Meeting, id="{past}", status=MeetingStatus.CANCELLED),
    ),
    "record attendance, past meeting": Action(
        "/meetings/{past}/attendance",
        {"invitee_{past_invitee}": "present"},
        _attendance("past_invitee"),
    ),
    "record attendance before the start": Action(
        "/meetings/{upcoming}/attendance",
        {"invitee_{upcoming_invitee}": "present"},
        _attendance("upcoming_invitee"),
    ),
    "add agenda item, past meeting": Action(
        "/meetings/{past}/agenda",
        {"agenda-title": "What we learnt"},
        exists_row(AgendaItem, meeting_id="{past}", title="What we learnt"),
    ),
    "schedule a past meeting, unconfirmed": Action(
        "/working-groups/{group}/meetings/new",
        _meeting_form("Unconfirmed past meeting"),
        _titled(Meeting, "Unconfirmed past meeting"),
    ),
    "record a past meeting": Action(
        "/working-groups/{group}/meetings/new",
        _meeting_form("Recorded past meeting", record_past="y"),
        _titled(Meeting, "Recorded past meeting"),
    ),
    "cancel a place, training started": Action(
        "/trainings/{running}/registrations/{running_registration}/cancel",
        {"confirmed": "1"},
        _registration("running_registration", status=RegistrationStatus.CANCELLED),
    ),
    "register, training ended": Action(
        "/trainings/{ended}/register", REGISTRATION, _registered_oneself
    ),
    "cancel an ended training": Action(
        "/trainings/{ended}/cancel",
        {"confirmed": "1"},
        lambda session, ids: session.get(Training, ids["ended"]).status == TrainingStatus.CANCELLED,
    ),
    "record attendance, training ended": Action(
        "/trainings/{ended}/attendance",
        {"registration_{ended_registration}": "present"},
        _registration("ended_registration", attendance=AttendanceMark.PRESENT),
    ),
    "create a past training, unconfirmed": Action(
        "/mous/{mou}/trainings/new",
        _past_training_form("Unconfirmed past training"),
        _titled(Training, "Unconfirmed past training"),
    ),
    "record a past training": Action(
        "/mous/{mou}/trainings/new",
        _past_training_form("Recorded past training", record_past="y"),
        _titled(Training, "Recorded past training"),
    ),
}


@pytest.fixture
def ids(world, session) -> dict:
    members = [world.coordinator_cl, world.coordinator_gb, world.member_cl, world.member_gb]
    past = factories.make_meeting(
        session, world.group, utcnow() - timedelta(hours=2), invitees=members
    )
    upcoming = factories.make_meeting(
        session, world.group, utcnow() + timedelta(days=1), invitees=[world.member_gb]
    )
    ended = factories.make_training(session, world.mou, in_days(-1), hours=3)
    running = factories.make_training(session, world.mou, in_days(0) - timedelta(hours=1))
    ended_registration = factories.make_registration(session, ended, world.member_gb)
    running_registration = factories.make_registration(session, running, world.member_cl)
    session.commit()
    return {
        "group": world.group.id,
        "mou": world.mou.id,
        "member_gb": world.member_gb.id,
        "past": past.id,
        "past_invitee": next(i.id for i in past.invitees if i.user_id == world.member_gb.id),
        "upcoming": upcoming.id,
        "upcoming_invitee": upcoming.invitees[0].id,
        "ended": ended.id,
        "running": running.id,
        "ended_registration": ended_registration.id,
        "running_registration": running_registration.id,
    }


@each_actor
def test_every_action_on_past_events_by_every_role_and_its_effect(actor, ids, browser_for, session):
    assert_actions(browser_for, session, actor, ACTIONS, ANSWERS, ids)
    # Whatever was done to the past events, nobody was sent an invitation or a cancellation.
    kinds = set(session.scalars(select(OutboxMessage.kind)))
    assert not kinds & {"meeting_invitation", "meeting_cancellation", "training_cancelled"}


def test_every_past_event_action_is_in_the_matrix():
    assert ACTIONS.keys() == ANSWERS.keys()
