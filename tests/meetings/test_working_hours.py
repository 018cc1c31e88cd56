"""Scheduling on a party's public holiday or outside its working hours asks first, naming the
holiday or the local time, and writes and mails nothing until confirmed."""

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from portal.accounts.models import Party, PartyKind
from portal.meetings.models import Meeting
from portal.notifications.models import OutboxMessage
from tests import factories
from tests.conftest import post
from tests.helpers.notifications import worker_first_step
from tests.helpers.working_hours import keep_demo_hours

pytestmark = pytest.mark.usefixtures("clock_before_2026")


@pytest.fixture
def hours(world, session):
    keep_demo_hours(session, world.cl, world.gb, world.co)
    return world


def _form(**overrides):
    data = {
        "title_en": "Quarterly review",
        "title_es": "Revisión trimestral",
        "start_local": "2026-09-18T10:00",  # Friday 18 September: 14:00 in London (BST)
        "end_local": "2026-09-18T11:00",
        "timezone": "America/Santiago",
        "tlp": "amber",
        "repeat": "none",
        "interval": "1",
    }
    data.update(overrides)
    return data


def _schedule(browser, group, **overrides):
    path = f"/working-groups/{group.id}/meetings/new"
    response = post(browser, path, _form(**overrides), token_from=path)
    worker_first_step(browser.application)  # the invitations are mailed
    return response


def _question(response) -> str:
    """The question the page asks, as its form posts it back with the confirmation."""
    found = re.search(
        r'name="off_hours_question" type="hidden" value="(\w+)"', response.get_data(as_text=True)
    )
    assert found, "no question asked"
    return found.group(1)


def _count(session, model):
    session.rollback()
    return session.scalar(select(func.count()).select_from(model))


def test_a_meeting_on_a_holiday_asks_and_writes_nothing_until_confirmed(hours, login_as, session):
    browser = login_as(hours.coordinator_gb)  # reads English
    response = _schedule(browser, hours.group)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Friday 18 September is Independence Day in Chile." in page
    assert "Keep this time all the same." in page
    assert _count(session, Meeting) == 0
    assert _count(session, OutboxMessage) == 0
    question = _question(response)

    # Ticking the box confirms the question asked, not another time.
    christmas = {"start_local": "2026-12-25T10:00", "end_local": "2026-12-25T11:00"}
    response = _schedule(
        browser, hours.group, confirm_off_hours="y", off_hours_question=question, **christmas
    )
    assert response.status_code == 422
    assert "Friday 25 December is Christmas Day in Chile." in response.get_data(as_text=True)
    assert _count(session, Meeting) == 0
    # Nor does a box ticked without the question.
    assert _schedule(browser, hours.group, confirm_off_hours="y").status_code == 422
    assert _count(session, Meeting) == 0

    response = _schedule(browser, hours.group, confirm_off_hours="y", off_hours_question=question)
    assert response.status_code == 302
    meeting = session.scalars(select(Meeting)).one()
    assert meeting.starts_at == datetime(2026, 9, 18, 13, 0, tzinfo=UTC)
    assert _count(session, OutboxMessage) == 4  # the group's members are invited


def test_the_question_in_spanish_names_the_holiday_in_spanish(hours, login_as, session):
    browser = login_as(hours.coordinator_cl)  # reads Spanish
    response = _schedule(browser, hours.group)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Viernes 18 de septiembre es Día de la Independencia en Chile." in page
    assert "Mantener esta hora de todos modos." in page
    assert _count(session, Meeting) == 0


def test_outside_a_partys_working_hours_names_the_local_time(hours, login_as, session):
    # Chile–Colombia: 09:00 in Santiago (UTC−3 in December) is 07:00 in Bogotá.
    group = hours.group_cl_co
    start = {"start_local": "2026-12-03T09:00", "end_local": "2026-12-03T10:00"}
    spanish = login_as(hours.coordinator_cl)
    response = _schedule(spanish, group, **start)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "07:00 en Bogotá está fuera del horario de trabajo de Colombia (08:00–17:00)." in page
    assert _count(session, Meeting) == 0
    assert _count(session, OutboxMessage) == 0
    # An hour later both are at work: scheduled at once.
    later = {"start_local": "2026-12-03T10:00", "end_local": "2026-12-03T11:00"}
    assert _schedule(spanish, group, **later).status_code == 302
    assert _count(session, Meeting) == 1


def test_a_day_off_is_named(hours, login_as, session):
    browser = login_as(hours.coordinator_gb)
    saturday = {"start_local": "2026-12-05T10:00", "end_local": "2026-12-05T11:00"}
    page = _schedule(browser, hours.group, **saturday).get_data(as_text=True)
    assert "Saturday 5 December is not a working day for Chile." in page
    assert "Saturday 5 December is not a working day for United Kingdom." in page
    assert _count(session, Meeting) == 0


def test_a_series_that_crosses_a_holiday_asks(hours, login_as, session):
    browser = login_as(hours.coordinator_gb)
    weekly = {
        "start_local": "2026-12-03T10:00",  # Thursdays; 24 December is Christmas Eve, not a
        "end_local": "2026-12-03T11:00",  # holiday; 25 December is a Friday
        "repeat": "weekly",
        "count": "6",
    }
    response = _schedule(browser, hours.group, **weekly)
    assert response.status_code == 302  # Thursdays 3 Dec – 7 Jan: no holiday on any of them
    friday = {**weekly, "start_local": "2026-12-04T10:00", "end_local": "2026-12-04T11:00"}
    response = _schedule(browser, hours.group, **friday)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Friday 25 December is Christmas Day in Chile." in page
    assert "Friday 25 December is Christmas Day in United Kingdom." in page
    assert "Friday 1 January is New Year&#39;s Day in Chile." in page


def test_moving_a_meeting_onto_a_holiday_asks_and_changes_nothing(hours, login_as, session):
    meeting = factories.make_meeting(
        session,
        hours.group,
        datetime(2026, 9, 17, 13, tzinfo=UTC),
        invitees=[hours.member_cl, hours.member_gb],
        organiser_id=hours.coordinator_cl.id,
    )
    session.commit()
    browser = login_as(hours.coordinator_gb)
    path = f"/meetings/{meeting.id}/edit"
    data = _form(scope="this")
    response = post(browser, path, data, token_from=path)
    assert response.status_code == 422
    assert "Friday 18 September is Independence Day in Chile." in response.get_data(as_text=True)
    session.rollback()
    assert session.get(Meeting, meeting.id).starts_at == datetime(2026, 9, 17, 13, tzinfo=UTC)
    assert _count(session, OutboxMessage) == 0
    confirmation = {"confirm_off_hours": "y", "off_hours_question": _question(response)}
    response = post(browser, path, {**data, **confirmation}, token_from=path)
    assert response.status_code == 302
    session.rollback()
    assert session.get(Meeting, meeting.id).starts_at == datetime(2026, 9, 18, 13, tzinfo=UTC)
    assert _count(session, OutboxMessage) == 2


def test_an_organisation_follows_the_holidays_of_the_host(hours, login_as, session):
    oas = factories.make_party(
        session,
        "OAS",
        kind=PartyKind.ORGANISATION,
        name_en="Organization of American States",
        name_es="Organización de los Estados Americanos",
        timezone="America/New_York",
    )
    keep_demo_hours(session, oas)
    mou = factories.make_mou(session, [hours.cl, oas])
    group = factories.make_group(session, mou, members=[(hours.coordinator_cl, True)])
    session.commit()
    # 18 September, 10:00 in Santiago is 09:00 in New York: inside the OAS's hours.
    page = _schedule(login_as(hours.admin), group).get_data(as_text=True)  # reads Spanish
    assert "Viernes 18 de septiembre es Día de la Independencia en Chile." in page
    assert (
        "Viernes 18 de septiembre es Día de la Independencia en Chile, el anfitrión "
        "(seguido por Organización de los Estados Americanos)." in page
    )
    assert session.scalar(select(Party.holiday_country).where(Party.code == "OAS")) is None


def test_parties_without_working_hours_ask_nothing(world, login_as, session):
    # The factories' parties keep no hours and no holidays: nothing is asked.
    assert _schedule(login_as(world.coordinator_gb), world.group).status_code == 302
