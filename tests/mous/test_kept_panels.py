"""The group page's panels kept under the rows they show (portal/mous/panels.py): a change,
a meeting that ends, another zone or other buttons give another rendering at once."""

from datetime import date, timedelta

import time_machine

from portal.core.db import utcnow
from portal.meetings.models import Meeting
from tests.factories import make_action, make_document, make_meeting


def _page(browser, group_id: int) -> str:
    response = browser.get(f"/working-groups/{group_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_renamed_meeting_and_a_new_document_show_at_once(app, world, session, login_as):
    meeting = make_meeting(session, world.group, utcnow() + timedelta(days=2), title_en="Review")
    session.commit()
    browser = login_as(world.member_gb)
    assert "Review" in _page(browser, world.group.id)
    assert "Review" in _page(browser, world.group.id)  # the kept panel
    session.get(Meeting, meeting.id).title_en = "Annual review"
    session.commit()
    make_document(app, world.member_cl, world.mou, world.group, title="Fresh playbook")
    page = _page(browser, world.group.id)
    assert "Annual review" in page
    assert "Fresh playbook" in page


def test_a_meeting_that_ends_leaves_the_next_meetings(world, session, login_as):
    start = utcnow().replace(microsecond=0) + timedelta(days=1)
    make_meeting(session, world.group, start, hours=1, title_en="Short call")
    session.commit()
    with time_machine.travel(start + timedelta(minutes=50), tick=False):
        browser = login_as(world.member_gb)
        assert "Short call" in _page(browser, world.group.id)
    with time_machine.travel(start + timedelta(minutes=70), tick=False):
        assert "Short call" not in _page(browser, world.group.id)


def test_each_reader_gets_the_times_of_their_zone_and_their_own_buttons(
    app, world, session, login_as
):
    make_meeting(session, world.group, utcnow() + timedelta(days=2), title_en="Zoned call")
    world.member_gb.timezone, world.observer_gb.timezone = "Europe/London", "Asia/Tokyo"
    session.commit()
    upload = f"/working-groups/{world.group.id}/documents/new"
    member = _page(login_as(world.member_gb), world.group.id)
    observer = _page(login_as(world.observer_gb), world.group.id)
    assert "(Europe/London)" in member and "(Asia/Tokyo)" not in member
    assert "(Asia/Tokyo)" in observer and "(Europe/London)" not in observer
    assert upload in member and upload not in observer


def test_the_open_action_items_follow_a_change_and_each_readers_button(world, session, login_as):
    world.member_gb.language = world.observer_gb.language = "en"
    session.commit()
    member = login_as(world.member_gb)
    assert "Patch the servers" not in _page(member, world.group.id)
    item = make_action(session, world.group, [world.member_gb], date.today(), title="Patch")
    session.commit()
    assert "Patch" in _page(member, world.group.id)
    item.title_en = "Patch the servers"
    session.commit()
    assert "Patch the servers" in _page(member, world.group.id)
    new_item = f"/working-groups/{world.group.id}/actions/new"
    assert new_item in _page(member, world.group.id)
    assert new_item not in _page(login_as(world.observer_gb), world.group.id)
