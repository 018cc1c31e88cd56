"""The API's page of meetings keeps each item's JSON under the meeting's page_version
(portal/api/kept.py): a change shows on the next page, each reader gets only what they may
see, and nothing an item shows escapes the version."""

from datetime import timedelta

from sqlalchemy import select

from portal.accounts.models import Party
from portal.api.schemas import MeetingOut
from portal.core.extensions import db
from portal.meetings.models import Meeting
from portal.meetings.page_cache import PAGE_VERSION
from tests import factories
from tests.api.conftest import bearer
from tests.helpers.shown_fields import recorded_reads, undeclared

PAGE = "/api/v1/meetings"
PAGE_GAP = timedelta(days=7)


def _items(client, token, **query) -> dict[int, dict]:
    response = client.get(PAGE, headers=token, query_string=query)
    assert response.status_code == 200
    return {item["id"]: item for item in response.get_json()["items"]}


def test_a_change_shows_on_the_next_page_and_each_reader_sees_their_own(app, api_world, session):
    client, ids = app.test_client(), api_world.ids
    chile, britain = (bearer(api_world.tokens[who]) for who in ("coordinator_cl", "coordinator_gb"))
    first = _items(client, chile)
    assert {ids["meeting"], ids["meeting_co"]} <= set(first)
    assert ids["meeting_co"] not in _items(client, britain)  # Chile–Colombia's, kept or not
    again = _items(client, chile)
    assert again == first

    session.get(Meeting, ids["meeting"]).title_en = "Renamed meeting"
    session.get(Party, ids["cl"]).timezone = "America/Punta_Arenas"
    session.commit()
    shown = _items(client, chile)[ids["meeting"]]
    assert shown["title_en"] == "Renamed meeting"
    assert ("CL", "America/Punta_Arenas") in {
        (t["party"], t["timezone"]) for t in shown["local_times"]
    }
    assert _items(client, britain)[ids["meeting"]]["title_en"] == "Renamed meeting"


def test_pages_follow_one_another_by_cursor(app, api_world):
    client, token = app.test_client(), bearer(api_world.tokens["admin"])
    first = client.get(PAGE, headers=token, query_string={"limit": 1}).get_json()
    assert len(first["items"]) == 1 and first["next_cursor"]
    second = client.get(
        PAGE, headers=token, query_string={"limit": 1, "cursor": first["next_cursor"]}
    ).get_json()
    assert second["items"][0]["id"] > first["items"][0]["id"]
    refused = client.get(PAGE, headers=token, query_string={"cursor": "forged"})
    assert refused.status_code == 400


def test_every_field_an_item_shows_raises_the_meetings_version(app, api_world):
    """No hand-kept list can miss a field: an item is dumped with every read recorded, and
    each must be declared to raise Meeting.page_version (portal/meetings/page_cache.py)."""
    with app.test_request_context(), recorded_reads() as reads:
        meeting = db.session.scalar(select(Meeting).where(Meeting.id == api_world.ids["meeting"]))
        shown = MeetingOut().dump(meeting)
        db.session.rollback()
    assert shown["local_times"] and shown["uid"]
    assert undeclared(PAGE_VERSION, reads) == set()


def test_a_page_kept_for_its_reader_follows_their_memberships(app, api_world, session):
    """The page is kept whole for its reader under the group pages' generation: a member who
    leaves the group no longer gets its meetings, a new meeting shows at once."""
    client, ids, world = app.test_client(), api_world.ids, api_world.world
    token = bearer(api_world.tokens["member_cl"])
    assert ids["meeting"] in _items(client, token)
    meeting = session.get(Meeting, ids["meeting"])
    later = factories.make_meeting(session, meeting.working_group, meeting.starts_at + PAGE_GAP)
    session.commit()
    assert {ids["meeting"], later.id} <= set(_items(client, token))
    factories.leave_group(session, world.group, world.member_cl)
    session.commit()
    assert not {ids["meeting"], later.id} & set(_items(client, token))
