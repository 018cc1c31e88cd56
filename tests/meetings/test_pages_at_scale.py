"""The meeting pages people open most, with years of data behind them: the coordinator's view
of a meeting, a group's meeting list and the month calendar run as many statements with
five times the data, and still show the right rows and buttons."""

from datetime import UTC, datetime, timedelta

from portal.core.db import utcnow
from portal.meetings.models import MeetingStatus, Minutes, MinutesState
from tests.factories import make_meeting, make_user
from tests.helpers.statements import count_statements


def _statements(app, browser, path: str) -> tuple[int, str]:
    browser.get(path)  # the first view of a session and of a page keeps what it renders
    with count_statements(app) as run:
        response = browser.get(path)
    assert response.status_code == 200
    return len(run), response.get_data(as_text=True)


def _history(session, world, times: int, *, start: datetime) -> None:
    """`times` rounds of the group's past: meetings with circulated and approved minutes and
    invitees, each a week apart before `start`, and as many upcoming after it."""
    for n in range(times * 4):
        invitees = [world.member_cl, world.member_gb, make_user(session, world.gb)]
        past = make_meeting(session, world.group, start - timedelta(days=7 * (n + 1)))
        state = MinutesState.CIRCULATED if n % 2 else MinutesState.APPROVED
        session.add(Minutes(meeting=past, state=state, body_md="Notes", body_html="<p>Notes</p>"))
        make_meeting(session, world.group, start + timedelta(days=7 * (n + 1)), invitees=invitees)
    session.commit()


def test_the_coordinators_meeting_page_costs_the_same_with_five_times_the_history(
    app, world, session, login_as
):
    start = utcnow().replace(microsecond=0) - timedelta(days=3)
    meeting = make_meeting(session, world.group, start, title_en="Today's review")
    session.add(
        Minutes(meeting=meeting, state=MinutesState.CIRCULATED, body_md="x", body_html="<p>x</p>")
    )
    session.commit()
    _history(session, world, 1, start=start)
    browser = login_as(world.coordinator_cl)
    path = f"/meetings/{meeting.id}"
    few, page = _statements(app, browser, path)
    _history(session, world, 5, start=start - timedelta(days=1))
    many, page = _statements(app, browser, path)

    assert many == few
    # A co-chair coordinator: the management page, and the approval their party still owes.
    assert f"/meetings/{meeting.id}/manage" in page
    assert f"/meetings/{meeting.id}/minutes/approve" in page
    # A member only reads: neither button.
    _, read = _statements(app, login_as(world.member_gb), path)
    assert f"/meetings/{meeting.id}/manage" not in read
    assert "/minutes/approve" not in read


def test_a_groups_meeting_list_costs_the_same_with_five_times_the_meetings(
    app, world, session, login_as
):
    now = utcnow().replace(microsecond=0)
    # Begun two hours ago and not over: still upcoming. Over an hour ago: past.
    make_meeting(session, world.group, now - timedelta(hours=2), hours=3, title_en="Under way")
    make_meeting(session, world.group, now - timedelta(hours=3), hours=2, title_en="Just over")
    session.commit()
    _history(session, world, 1, start=now)
    browser = login_as(world.member_gb)
    upcoming = f"/working-groups/{world.group.id}/meetings"
    past = f"{upcoming}?when=past"
    few = [_statements(app, browser, path)[0] for path in (upcoming, past)]
    _history(session, world, 5, start=now - timedelta(days=1))
    many_upcoming, page = _statements(app, browser, upcoming)
    many_past, past_page = _statements(app, browser, past)

    assert [many_upcoming, many_past] == few
    # 1 + 4 + 20 upcoming: a page of 20 that starts with the meeting under way, of 2 pages.
    assert page.index("Under way") < page.index("Working group meeting")
    assert "Just over" not in page
    assert "Page 1 of 2" in page
    assert "Just over" in past_page and "Under way" not in past_page
    assert "Page 1 of 2" in past_page  # 1 + 4 + 20 past ones
    # The coordinator of the other party reads the same list.
    coordinator_page = _statements(app, login_as(world.coordinator_gb), upcoming)[1]
    assert "Under way" in coordinator_page and "Page 1 of 2" in coordinator_page


def test_the_month_shows_a_meeting_begun_the_evening_before_it(world, session, login_as):
    # 1 Dec 2026 00:00 in London is 00:00 UTC: a meeting from 23:00 on 30 Nov runs into it.
    first = datetime(2026, 12, 1, tzinfo=UTC)
    make_meeting(session, world.group, first - timedelta(hours=1), hours=2, title_en="Night call")
    make_meeting(session, world.group, first - timedelta(hours=3), hours=2, title_en="Over before")
    make_meeting(
        session,
        world.group,
        first + timedelta(days=9),
        title_en="Called off",
        status=MeetingStatus.CANCELLED,
    )
    session.commit()

    page = login_as(world.member_gb).get("/calendar?month=2026-12").get_data(as_text=True)

    assert "Night call" in page
    assert "Over before" not in page
    assert "Meeting · Cancelled" in page
    assert "Thu 10 Dec 2026, 00:00–01:00 London" in page
