"""The month calendar, the private feed, the .ics download, and constant query counts."""

from datetime import UTC, datetime, timedelta

from portal.core.tlp import TLP
from portal.meetings.models import Invitee
from tests.conftest import post
from tests.factories import make_meeting, make_user
from tests.helpers.statements import counted_queries


def test_month_calendar_shows_visible_meetings_on_their_local_day(login_as, world, session):
    # 02:00 UTC on 3 Dec is still 2 Dec in Santiago (23:00, -03).
    make_meeting(
        session,
        world.group,
        datetime(2026, 12, 3, 2, tzinfo=UTC),
        title_en="Late call",
        title_es="Llamada tardía",
    )
    make_meeting(
        session,
        world.group_cl_co,
        datetime(2026, 12, 10, 15, tzinfo=UTC),
        title_en="Colombian call",
        title_es="Llamada colombiana",
    )
    session.commit()
    page = login_as(world.member_gb).get("/calendar?month=2026-12").get_data(as_text=True)
    assert "December 2026" in page
    assert "Late call" in page
    assert "Colombian call" not in page  # not a party to that MoU
    spanish = login_as(world.member_cl).get("/calendar?month=2026-12").get_data(as_text=True)
    assert "Diciembre de 2026" in spanish
    day_2 = spanish.index('"calendar-day-number">2</span>')
    day_3 = spanish.index('"calendar-day-number">3</span>')
    assert day_2 < spanish.index("mié 2 dic 2026, 23:00 – jue 3 dic 2026, 00:00 Santiago") < day_3
    assert day_2 < spanish.index("Llamada tardía") < day_3
    assert login_as(world.member_gb).get("/calendar?month=nonsense").status_code == 200


def test_private_feed_lists_only_visible_meetings_and_answers_304(login_as, client, world, session):
    make_meeting(
        session, world.group, datetime(2030, 1, 8, 10, tzinfo=UTC), title_en="Visible call"
    )
    make_meeting(
        session, world.group_cl_co, datetime(2030, 1, 9, 10, tzinfo=UTC), title_en="Hidden call"
    )
    session.commit()
    browser = login_as(world.member_gb)
    assert post(browser, "/calendar/feed", token_from="/calendar").status_code == 302
    page = browser.get("/calendar").get_data(as_text=True)
    url = page.split("<code>")[1].split("</code>")[0].removeprefix("http://portal.test")
    first = client.get(url)
    assert first.status_code == 200
    assert first.headers["Content-Type"] == "text/calendar; charset=utf-8"
    body = first.get_data(as_text=True)
    assert "Visible call" in body and "Hidden call" not in body
    again = client.get(url)
    assert again.get_data() == first.get_data()
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    # A new address ends the old one.
    post(browser, "/calendar/feed", token_from="/calendar")
    assert client.get(url).status_code == 404
    page = browser.get("/calendar").get_data(as_text=True)
    renewed = page.split("<code>")[1].split("</code>")[0].removeprefix("http://portal.test")
    assert renewed != url and client.get(renewed).status_code == 200
    assert client.get("/calendar/feed/1-forged.ics").status_code == 404


def test_meeting_download_is_an_attachment_with_publish(login_as, world, session):
    meeting = make_meeting(session, world.group, datetime(2030, 1, 8, 10, tzinfo=UTC))
    session.commit()
    response = login_as(world.member_gb).get(f"/meetings/{meeting.id}/calendar.ics")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "METHOD:PUBLISH" in response.get_data(as_text=True)


def _queries_for(browser, engine, path) -> list[str]:
    browser.get(path)  # warm: the first request of a session loads more than the next
    with counted_queries(engine) as statements:
        assert browser.get(path).status_code == 200
    return statements


def _invite(session, meeting, people):
    meeting.invitees.extend(Invitee(user=person) for person in people)
    session.commit()


def test_meeting_page_runs_as_many_queries_for_200_invitees_as_for_10(
    login_as, world, session, engine
):
    people = [
        make_user(session, world.gb if i % 2 else world.cl, name=f"Person {i:03d}")
        for i in range(200)
    ]
    meeting = make_meeting(
        session, world.group, datetime(2030, 1, 8, 10, tzinfo=UTC), invitees=people[:10]
    )
    session.commit()
    browser = login_as(world.coordinator_cl)
    path = f"/meetings/{meeting.id}"
    with_10 = _queries_for(browser, engine, path)
    _invite(session, meeting, people[10:])
    with_200 = _queries_for(browser, engine, path)
    assert len(with_200) == len(with_10), (with_10, with_200)
    assert "Person 199" in browser.get(path).get_data(as_text=True)


def test_month_calendar_runs_as_many_queries_for_200_meetings_as_for_10(
    login_as, world, session, engine
):
    start = datetime(2026, 12, 1, 12, tzinfo=UTC)
    for i in range(10):
        make_meeting(session, world.group, start + timedelta(hours=3 * i), tlp=TLP.GREEN)
    session.commit()
    browser = login_as(world.member_gb)
    path = "/calendar?month=2026-12"
    with_10 = _queries_for(browser, engine, path)
    for i in range(10, 200):
        make_meeting(session, world.group, start + timedelta(hours=3 * i), tlp=TLP.GREEN)
    session.commit()
    with_200 = _queries_for(browser, engine, path)
    assert len(with_200) == len(with_10), (with_10, with_200)
