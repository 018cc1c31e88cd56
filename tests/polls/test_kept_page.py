"""The poll page's shared part, kept for every reader under the poll's page_version: each
answer, rename and passing time shows at once, and nobody's own form is kept or shown to
another."""

import re
from datetime import timedelta

import time_machine
from sqlalchemy import select

from portal.core.extensions import db
from portal.polls import page
from portal.polls.models import Answer, Poll, PollAnswer
from portal.polls.versions import PAGE_VERSION
from tests.conftest import post
from tests.helpers.polls import days_ahead, make_poll
from tests.helpers.shown_fields import recorded_reads, undeclared
from tests.helpers.statements import counted_queries


def _page(browser, poll) -> str:
    response = browser.get(f"/polls/{poll.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _in_english(world, *people) -> None:
    for person in people:
        getattr(world, person).language = "en"


def _answers(html: str) -> str:
    """The answers table of a poll page."""
    return html.split(">Answers</h2>")[1].split("Not answered yet")[0]


def _version(session, poll) -> int:
    return session.scalar(select(Poll.page_version).where(Poll.id == poll.id))


def test_every_reader_sees_each_answer_and_rename_at_once(login_as, world, session):
    poll = make_poll(session, world)
    _in_english(world, "member_gb", "member_cl", "observer_gb")
    session.commit()
    member_gb, member_cl = login_as(world.member_gb), login_as(world.member_cl)
    observer = login_as(world.observer_gb)
    for browser in (member_gb, member_cl, observer):
        assert world.member_gb.name not in _answers(_page(browser, poll))
    before = _version(session, poll)

    first = poll.options[0]
    data = {f"answer-option_{first.id}": "yes", f"answer-option_{poll.options[1].id}": "no"}
    path = f"/polls/{poll.id}/answer"
    assert post(member_gb, path, data, token_from=f"/polls/{poll.id}").status_code == 302
    assert _version(session, poll) > before
    for browser in (member_cl, observer):
        assert f"Yes: {world.member_gb.name}" in _answers(_page(browser, poll))
    world.member_gb.name = "Emily Renamed"
    session.commit()
    assert "Yes: Emily Renamed" in _answers(_page(observer, poll))


def test_the_shared_part_holds_nobodys_form(login_as, world, session, app):
    poll = make_poll(session, world)
    session.commit()
    session.add(
        PollAnswer(option_id=poll.options[0].id, user_id=world.member_gb.id, answer=Answer.NO)
    )
    session.commit()
    asked, observer = login_as(world.member_gb), login_as(world.observer_gb)
    coordinator = login_as(world.coordinator_cl)
    asked_page, observer_page = _page(asked, poll), _page(observer, poll)
    coordinator_page = _page(coordinator, poll)
    # The person asked gets their form with their answer chosen; the others none of it.
    radios = re.findall(rf'<input [^>]*name="answer-option_{poll.options[0].id}"[^>]*>', asked_page)
    assert [("checked" in radio, 'value="no"' in radio) for radio in radios] == [
        (False, False),
        (False, False),
        (True, True),
    ]
    assert 'name="answer-csrf_token"' in asked_page
    assert 'id="answer"' not in observer_page and "checked" not in observer_page
    assert 'id="pick"' in coordinator_page and 'id="pick"' not in observer_page
    assert 'id="pick"' not in asked_page
    kept = app.extensions[page.SHARED.name]
    drawings = ["".join(drawing) for drawing in kept._entries.values()]
    assert drawings and not any("csrf_token" in drawing for drawing in drawings)


def test_a_time_that_passes_shows_as_past_and_answers_close_at_expiry(login_as, world, session):
    soon, later = days_ahead(1, 13), days_ahead(3, 13)
    poll = make_poll(session, world, options=[soon, later], expires_in_days=2)
    session.commit()
    observer = login_as(world.observer_gb)
    assert "Past" not in _page(observer, poll)
    with time_machine.travel(soon + timedelta(minutes=1)):
        shown = _page(login_as(world.observer_gb), poll)
        assert shown.count('text-bg-secondary">Past') == 1 and "Expired" not in shown
    with time_machine.travel(poll.expires_at + timedelta(minutes=1)):
        shown = _page(login_as(world.member_gb), poll)
        assert "Expired" in shown and 'id="answer"' not in shown


def test_each_reader_reads_the_clocks_in_their_own_zone(login_as, world, session):
    """02:00 in London is 23:00 the day before in Santiago: each reader's page dates the
    other city's clock, the one kept part drawn for both."""
    starts = days_ahead(20, 2)
    poll = make_poll(session, world, options=[starts])
    _in_english(world, "member_gb", "member_cl")
    world.member_gb.timezone, world.member_cl.timezone = "Europe/London", "America/Santiago"
    session.commit()
    london, santiago = (
        _page(login_as(world.member_gb), poll),
        _page(login_as(world.member_cl), poll),
    )
    eve = (starts - timedelta(days=1)).strftime("%a %-d %b")
    day = starts.strftime("%a %-d %b")
    assert re.search(rf"23:00 Santiago \(-0\d\) {eve}", _answers(london))
    assert re.search(r"02:00 London \(\w+\) ·|02:00 London \(\w+\)<", _answers(london))
    assert re.search(rf"02:00 London \(\w+\) {day}", _answers(santiago))
    assert re.search(r"23:00 Santiago \(-0\d\) ·", _answers(santiago))


def test_a_kept_poll_page_reads_no_more_than_the_login_and_the_poll(
    login_as, world, session, engine
):
    poll = make_poll(session, world)
    session.commit()
    observer = login_as(world.observer_gb)
    _page(observer, poll)
    with counted_queries(engine) as statements:
        _page(observer, poll)
    assert len(statements) == 2  # the login's and the poll's own


def test_every_field_the_shared_part_reads_raises_its_version(app, world, session):
    """No hand-kept list can miss a field: the part is drawn with every read recorded, and
    each must be declared to raise Poll.page_version (portal/polls/versions.py)."""
    poll = make_poll(session, world, place="Santiago, Teatinos 180")
    session.add(
        PollAnswer(option_id=poll.options[0].id, user_id=world.member_gb.id, answer=Answer.YES)
    )
    poll.participants[0].answered_at = poll.created_at
    session.commit()
    with app.test_request_context(), recorded_reads() as reads:
        version = db.session.scalar(select(Poll.page_version).where(Poll.id == poll.id))
        key = (poll.id, version, "en", False, ())
        html = page._shared(page._Loaded(poll.id), key, now=poll.created_at)
        db.session.rollback()
    assert world.member_gb.name in html and "Teatinos" in html
    assert undeclared(PAGE_VERSION, reads) == set()
