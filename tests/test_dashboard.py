"""The dashboard: the reader's next meetings and open action items, nothing of anyone else's.

The Chilean readers of the test world read Spanish, the British English.
"""

from datetime import UTC, date, datetime, time, timedelta

import time_machine

from portal.actions.models import ActionStatus
from portal.meetings import summaries
from portal.meetings.models import MeetingStatus, Reply
from portal.web import pagination
from tests import factories
from tests.helpers.statements import count_statements

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


def test_each_next_meeting_names_its_working_group_and_each_group_its_mou(world, session, login_as):
    other = factories.make_group(
        session, world.mou, [(world.member_cl, False)], name_en="Forensics", name_es="Forense"
    )
    _meeting(session, other, SOON, "Forensics sync", invitees=[world.member_cl])
    session.commit()

    page = _dashboard(login_as(world.member_cl))

    meetings = page[page.index('id="next-meetings"') : page.index('id="next-trainings"')]
    assert "Forensics sync" in meetings and "Forense" in meetings
    assert "Grupo de Trabajo Binacional" not in meetings
    groups = page[page.index('id="your-groups"') : page.index('id="your-mous"')]
    assert groups.index("Grupo de Trabajo Binacional") < groups.index("Forense")
    assert groups.count(world.mou.title_es) == 2


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


def test_the_kept_panels_follow_every_change_a_day_and_the_zone(world, session, login_as):
    """The panels are kept under the rows they show (main.dashboard.PANELS): a change to one,
    a day passing (an item falls overdue) or another zone shows at once."""
    meeting = _meeting(session, world.group, SOON, "Before", invitees=[world.member_gb])
    factories.make_action(session, world.group, [world.member_gb], date.today(), title="Today's")
    session.commit()
    late_evening = datetime.combine(date.today(), time(23, 50), UTC)
    with time_machine.travel(late_evening, tick=False):
        browser = login_as(world.member_gb)
        assert "Before" in _dashboard(browser) and "Overdue" not in _dashboard(browser)
        meeting.title_en, world.group.name_en = "After", "Renamed group"
        session.commit()
        page = _dashboard(browser)
        assert "After" in page and "Before" not in page and page.count("Renamed group") == 2
    with time_machine.travel(late_evening + timedelta(minutes=15), tick=False):
        assert "Overdue" in _dashboard(browser)
        world.member_gb.timezone = "America/Santiago"
        session.commit()
        assert "(America/Santiago)" in _dashboard(browser)


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


# With years of data -------------------------------------------------------------------------


def _grow(app, session, world, times: int) -> None:
    """`times` rounds of what the dashboard counts and previews for Emily (member_gb): meetings
    she has not answered, open action items, trainings she holds a place in, documents
    added by another delegation."""
    for n in range(times * 3):
        _meeting(session, world.group, SOON + timedelta(hours=n), f"Round {n}",
                 invitees=[world.member_gb])  # fmt: skip
        factories.make_action(session, world.group, [world.member_gb], date.today())
        training = _training(session, world, SOON + timedelta(days=3, hours=n), f"Course {n}")
        factories.make_registration(session, training, world.member_gb)
    session.commit()
    for n in range(times):
        factories.make_document(app, world.coordinator_cl, world.mou, world.group, title=f"D{n}")


def test_the_dashboard_runs_as_many_statements_with_five_times_the_data(
    app, world, session, login_as
):
    _grow(app, session, world, 1)
    browser = login_as(world.member_gb)
    _dashboard(browser)
    _grow(app, session, world, 1)  # each growth raises the generation: neither read is kept
    with count_statements(app) as few:
        _dashboard(browser)
    _grow(app, session, world, 3)
    with count_statements(app) as many:
        page = _dashboard(browser)

    assert len(many) == len(few), (few, many)
    assert "15 meetings wait for your reply" in page
    assert "and 10 more meetings: see the calendar." in page
    assert "See all (15)" in page and "and 10 more trainings." in page


def test_past_its_limit_the_dashboard_says_more_than(world, session, login_as, monkeypatch):
    """The counts stop early: what is counted up to a limit says "more than" past it."""
    monkeypatch.setattr(pagination, "PREVIEW_COUNT_LIMIT", 7)
    monkeypatch.setattr(summaries, "AWAITING_REPLY_LIMIT", 6)
    for n in range(9):
        _meeting(session, world.group, SOON + timedelta(hours=n), f"Round {n}",
                 invitees=[world.member_gb, world.member_cl])  # fmt: skip
        factories.make_action(session, world.group, [world.member_gb], date.today())
    session.commit()

    english = _dashboard(login_as(world.member_gb))
    spanish = _dashboard(login_as(world.member_cl))

    assert "More than 6 meetings wait for your reply" in english
    assert "and more than 2 other meetings: see the calendar." in english
    assert "See all (more than 7)" in english
    assert [f"Round {n}" in english for n in range(9)] == [True] * 5 + [False] * 4
    assert "Más de 6 reuniones esperan su respuesta" in spanish
    assert "y más de 2 reuniones adicionales: vea el calendario." in spanish
    # At the limit itself the numbers are exact.
    monkeypatch.setattr(pagination, "PREVIEW_COUNT_LIMIT", 9)
    monkeypatch.setattr(summaries, "AWAITING_REPLY_LIMIT", 9)
    exact = _dashboard(login_as(world.member_gb))
    assert "9 meetings wait for your reply" in exact and "More than" not in exact
    assert "and 4 more meetings: see the calendar." in exact and "See all (9)" in exact
