"""The dashboard: the reader's next meetings and open action items, nothing of anyone else's.

The Chilean readers of the test world read Spanish, the British English.
"""

from datetime import UTC, date, datetime, timedelta

from portal.actions.models import ActionStatus
from portal.meetings.models import MeetingStatus, Reply
from tests import factories

SOON = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)


def _meeting(session, group, starts_at, title: str, **fields):
    return factories.make_meeting(
        session, group, starts_at, title_en=title, title_es=title, **fields
    )


def _dashboard(browser) -> str:
    response = browser.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_next_meetings_are_the_readers_invitations_soonest_first(world, session, login_as):
    javiera, emily = [world.member_cl], [world.member_gb]
    _meeting(session, world.group, SOON + timedelta(days=3), "Later", invitees=javiera)
    _meeting(session, world.group, SOON, "Sooner", invitees=javiera)
    declined = _meeting(session, world.group, SOON, "Declined", invitees=javiera)
    declined.invitees[0].reply = Reply.DECLINED
    cancelled = MeetingStatus.CANCELLED
    _meeting(session, world.group, SOON, "Called off", invitees=javiera, status=cancelled)
    _meeting(session, world.group, SOON - timedelta(days=9), "Over", invitees=javiera)
    _meeting(session, world.group, SOON, "Not invited", invitees=emily)
    session.commit()

    page = _dashboard(login_as(world.member_cl))

    assert page.index("Sooner") < page.index("Later")
    for absent in ("Declined", "Called off", "Over", "Not invited"):
        assert absent not in page
    assert "(America/Santiago)" in page


def test_a_long_agenda_shows_five_meetings_and_how_many_more(world, session, login_as):
    for day in range(7):
        _meeting(
            session,
            world.group,
            SOON + timedelta(days=day),
            f"Session {day}",
            invitees=[world.member_cl],
        )
    session.commit()

    page = _dashboard(login_as(world.member_cl))

    assert [f"Session {day}" in page for day in range(7)] == [True] * 5 + [False] * 2
    assert "y 2 reuniones más" in page


def test_open_action_items_are_the_readers_own_and_active(world, session, login_as):
    today = date.today()
    make = factories.make_action
    make(session, world.group, [world.member_cl], today - timedelta(days=2), title="Late report")
    make(session, world.group, [world.member_cl], today + timedelta(days=5), title="Draft taxonomy")
    make(
        session,
        world.group,
        [world.member_cl],
        today,
        title="Finished work",
        status=ActionStatus.DONE,
    )
    make(session, world.group, [world.member_gb], today, title="Emily's task")
    session.commit()

    page = _dashboard(login_as(world.member_cl))

    assert page.index("Late report") < page.index("Draft taxonomy")
    assert "Finished work" not in page and "Emily&#39;s task" not in page
    assert page.count("Vencida") == 1
    assert "Ver todas (2)" in page


def test_another_delegation_sees_nothing_of_the_mou_it_is_not_party_to(world, session, login_as):
    _meeting(session, world.group, SOON, "CL-GB", invitees=[world.member_cl, world.member_co])
    factories.make_action(session, world.group, [world.member_co], date.today(), title="Leak")
    session.commit()

    page = _dashboard(login_as(world.member_co))

    assert "CL-GB" not in page and "Leak" not in page
    assert "No tiene reuniones próximas." in page
    assert "No tiene tareas abiertas a su cargo." in page


def test_the_dashboard_speaks_english_too(world, session, login_as):
    factories.make_meeting(session, world.group, SOON, invitees=[world.member_gb])
    factories.make_action(session, world.group, [world.member_gb], date.today() - timedelta(days=1))
    session.commit()

    page = _dashboard(login_as(world.member_gb))

    assert "Your next meetings" in page and "Your open action items" in page
    assert "Working group meeting" in page and "(Europe/London)" in page
    assert "Overdue" in page and "See all (1)" in page


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def _training(session, world, starts_at, title: str, **fields):
    return factories.make_training(
        session, world.mou, starts_at, title_en=title, title_es=title, **fields
    )


def test_next_trainings_are_those_the_reader_holds_a_place_in(world, session, login_as):
    from portal.trainings.models import RegistrationStatus, TrainingStatus

    register = factories.make_registration
    seat = _training(session, world, SOON + timedelta(days=1), "Forensics course")
    waiting = _training(session, world, SOON, "Malware workshop")
    gave_up = _training(session, world, SOON, "Given up")
    called_off = _training(session, world, SOON, "Called off", status=TrainingStatus.CANCELLED)
    over = _training(session, world, SOON - timedelta(days=9), "Already held")
    _training(session, world, SOON, "Not registered")
    register(session, seat, world.member_cl)
    register(session, waiting, world.member_cl, RegistrationStatus.WAITLISTED)
    register(session, gave_up, world.member_cl, RegistrationStatus.CANCELLED)
    register(session, called_off, world.member_cl)
    register(session, over, world.member_cl)
    session.commit()

    page = _dashboard(login_as(world.member_cl))

    section = page[page.index('id="next-trainings"') : page.index('id="open-actions"')]
    assert section.index("Malware workshop") < section.index("Forensics course")
    assert section.count("Lista de espera") == 1
    for absent in ("Given up", "Called off", "Already held", "Not registered"):
        assert absent not in section


def test_another_delegations_training_never_shows(world, session, login_as):
    training = _training(session, world, SOON, "CL-GB course")
    factories.make_registration(
        session, training, world.member_co
    )  # one the rules would refuse: hidden even so
    session.commit()

    page = _dashboard(login_as(world.member_co))

    assert "CL-GB course" not in page
    assert "No está inscrito(a) en ninguna capacitación próxima." in page
