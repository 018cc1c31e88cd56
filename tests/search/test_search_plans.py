"""Search reads many rows through clauses of its own: the meetings' uncorrelated INs must
keep exactly what can_view_meeting lets each actor open, and both ways a kind's hits are
read on PostgreSQL (from few matches, or newest first when a word is common) must give the
same hits."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from portal.accounts.models import User
from portal.core import search_match
from portal.core.tlp import TLP
from portal.meetings.access import can_view_meeting, listed_meetings_clause
from portal.meetings.models import AgendaItem, Meeting, Minutes
from tests.factories import (
    make_action,
    make_document,
    make_group,
    make_meeting,
    make_training,
)
from tests.helpers.matrix import ACTORS
from tests.helpers.statements import count_statements
from tests.search.conftest import WORD

HIT = re.compile(r'<li class="mb-3" data-kind="([a-z_]+)">.*?href="([^"]+)"', re.S)


def _hits(browser, query: str) -> list[tuple[str, str]]:
    response = browser.get("/search", query_string={"q": query})
    assert response.status_code == 200
    return HIT.findall(response.get_data(as_text=True))


def test_the_listed_meetings_clause_agrees_with_the_predicate(world, session):
    other_group = make_group(session, world.mou, members=[(world.coordinator_gb, True)])
    soon = datetime(2026, 6, 1, 14, tzinfo=UTC)
    make_meeting(session, world.group, soon, invitees=[world.member_cl])
    make_meeting(session, other_group, soon, invitees=[world.member_cl_outside_group])
    make_meeting(session, other_group, soon + timedelta(days=1))
    make_meeting(session, world.group_cl_co, soon, invitees=[world.member_co])
    # Invited to a meeting of an MoU their party is not in: still not theirs to open.
    make_meeting(session, world.group_cl_co, soon, invitees=[world.member_gb])
    session.commit()
    meetings = session.scalars(select(Meeting)).all()
    kept_by = {}
    for actor in ACTORS[1:]:
        user = session.get(User, getattr(world, actor).id)
        kept = set(session.scalars(select(Meeting.id).where(listed_meetings_clause(user))))
        assert kept == {m.id for m in meetings if can_view_meeting(user, m)}, actor
        kept_by[actor] = kept
    assert kept_by["member_cl_outside_group"]  # the meeting they are invited to


@pytest.mark.parametrize("matches_read", [0, 10_000])
def test_common_and_rare_words_find_the_same_hits(
    matches_read, backend, world, login_as, found, monkeypatch
):
    # 0: every kind's matches count as many (read newest first); 10,000: as few.
    monkeypatch.setattr(search_match, "MATCHES_READ", matches_read)
    expected = {
        ("meeting", f"/meetings/{found.meeting}"),
        ("agenda_item", f"/meetings/{found.meeting}#agenda"),
        ("minutes", f"/meetings/{found.recorded}/minutes"),
        ("action_item", f"/actions/{found.action}"),
        ("training", f"/trainings/{found.training}"),
        ("document", f"/documents/{found.document}"),
    }
    theirs = {("meeting", f"/meetings/{found.other_meeting}")}
    for actor, sees in ((world.member_gb, expected), (world.member_co, theirs)):
        browser = login_as(actor)
        assert set(_hits(browser, WORD)) == sees
        assert set(_hits(browser, "capacitación")) == sees  # accents folded
        assert _hits(browser, "capacitaciones banana") == []


@pytest.mark.parametrize("matches_read", [0, 10_000])
def test_documents_read_newest_first_are_only_those_matching_that_the_reader_may_open(
    matches_read, backend, app, world, login_as, found, monkeypatch
):
    # 0: the documents are read newest first, each asked whether it matches; 10,000: the
    # matches come from the index. Either way: the matching ones the reader may open, newest
    # first, not the newer document without the word, nor the one of another party.
    monkeypatch.setattr(search_match, "MATCHES_READ", matches_read)
    newer = make_document(
        app, world.member_cl, world.mou, world.group, title=f"Más {WORD}", tlp=TLP.GREEN
    )
    make_document(app, world.member_cl, world.mou, world.group, title="Plan de trabajo")
    documents = [hit for hit in _hits(login_as(world.member_gb), WORD) if hit[0] == "document"]
    assert documents == [
        ("document", f"/documents/{newer}"),
        ("document", f"/documents/{found.document}"),
    ]


def test_more_hits_of_every_kind_take_no_more_statements(app, session, world, login_as, found):
    # Each kind's hits come in one statement with what a hit shows (title, date, group): a
    # column left out and then read would cost a statement per hit.
    browser = login_as(world.member_gb)
    with count_statements(app) as few:
        one_each = _hits(browser, WORD)
    meeting = make_meeting(
        session, world.group, datetime(2026, 3, 20, 14, tzinfo=UTC), title_es=f"Más {WORD}"
    )
    session.add(AgendaItem(meeting=meeting, position=1, title=f"Otras {WORD}"))
    session.add(Minutes(meeting=meeting, body_md=f"Más {WORD}."))
    make_action(session, world.group, [world.member_cl], date(2026, 4, 2), title=f"Más {WORD}")
    make_training(session, world.mou, datetime(2026, 5, 6, 13, tzinfo=UTC), title_es=WORD)
    session.commit()
    make_document(app, world.member_cl, world.mou, world.group, title=WORD, tlp=TLP.GREEN)
    with count_statements(app) as many:
        two_each = _hits(browser, WORD)
    kinds = {"meeting", "agenda_item", "minutes", "action_item", "training", "document"}
    for kind in kinds:
        assert [k for k, _ in two_each].count(kind) == 2, kind
    assert len(two_each) > len(one_each)
    assert len(many) == len(few)
