"""The permission matrix for commitments: every actor on every route, and its effect.

The commitment belongs to the Chile–UK MoU, another to the Chile–Colombia one. The MoU's
parties' delegations read them; Colombia's people, the external participant and anonymous
visitors learn nothing of the Chile–UK ones; only the coordinators of the MoU's parties and
the administrator change them. The follow-up page of a party is its coordinators'.
"""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from portal.commitments.models import (
    Commitment,
    CommitmentStatus,
    DocumentLink,
    MeetingLink,
    ProgressNote,
    TrainingLink,
)
from portal.core.tlp import TLP
from tests.factories import make_document, make_meeting, make_training
from tests.helpers.matrix import (
    LOGIN,
    Action,
    assert_actions,
    assert_hidden_like_missing,
    assert_pages,
    each_actor,
    exists_row,
    fill,
)

NOBODY = (LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, 404)
EDITORS = (LOGIN, 200, 200, 200, 403, 403, 403, 404, 404, 404)
READERS = (LOGIN, 200, 200, 200, 200, 200, 200, 404, 404, 404)
# Columns: anon, admin, coord CL, coord GB, member CL (in group), member CL outside,
#          observer GB, external CL, member CO, coordinator CO.
# fmt: off
PAGES = {
    "/mous/{mou}/commitments":                                READERS,
    "/mous/{mou}/commitments?line={line}&status=planned&page=2": READERS,
    "/mous/{mou_cl_co}/commitments":           (LOGIN, 200, 200, 404, 200, 200, 404, 404, 200, 200),
    "/mous/{mou}":                                            READERS,
    "/mous/{mou}/commitments/new":                            EDITORS,
    "/commitments/{commitment}":                              READERS,
    "/commitments/{commitment}/edit":                         EDITORS,
    "/commitments/{commitment}/status":                       EDITORS,
    "/commitments/{commitment}/notes/new":                    EDITORS,
    "/commitments/{commitment}/links/meeting/new":            EDITORS,
    "/commitments/{commitment}/links/action/new":             EDITORS,
    "/commitments/{commitment}/links/document/new":           EDITORS,
    "/commitments/{commitment}/links/training/new":           EDITORS,
    "/commitments/{commitment}/links/poll/new":               NOBODY,
    "/commitments/{commitment}/links/meeting/{meeting}/remove": EDITORS,
    "/commitments/{commitment}/links/training/{training}/remove":
                                               (LOGIN, 404, 404, 404, 403, 403, 403, 404, 404, 404),
    "/commitments/{commitment_co}":            (LOGIN, 200, 200, 404, 200, 200, 404, 404, 200, 200),
    "/commitments/{commitment_co}/edit":       (LOGIN, 200, 200, 404, 403, 403, 404, 404, 403, 200),
    "/commitments/987654":                     (LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    "/parties/{cl}/follow-up":                 (LOGIN, 200, 200, 404, 403, 403, 404, 404, 404, 404),
    "/parties/{gb}/follow-up?page=2":          (LOGIN, 200, 404, 200, 404, 404, 403, 404, 404, 404),
    "/parties/987654/follow-up":               (LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, 404),
}

ACTION_ANSWERS = {
    "record":                                  (LOGIN, 302, 302, 302, 403, 403, 403, 404, 404, 404),
    "edit":                                    (LOGIN, 302, 302, 302, 403, 403, 403, 404, 404, 404),
    "change the status":                       (LOGIN, 302, 302, 302, 403, 403, 403, 404, 404, 404),
    "add a progress note":                     (LOGIN, 302, 302, 302, 403, 403, 403, 404, 404, 404),
    "link a training":                         (LOGIN, 302, 302, 302, 403, 403, 403, 404, 404, 404),
    "ask before removing a link":              (LOGIN, 200, 200, 200, 403, 403, 403, 404, 404, 404),
    "remove a link":                           (LOGIN, 302, 302, 302, 403, 403, 403, 404, 404, 404),
    "edit the Chile–Colombia commitment":      (LOGIN, 302, 302, 404, 403, 403, 404, 404, 403, 302),
}
# fmt: on


def _details(title: str, ids_line: str = "{line}") -> dict:
    return {
        "title_en": title,
        "title_es": "",
        "line_id": ids_line,
        "party_ids": ["{cl}"],
        "target_on": (date.today() + timedelta(days=30)).isoformat(),
    }


def _unlinked(session, ids) -> bool:
    link = session.get(MeetingLink, (ids["commitment"], ids["meeting"]))
    return link is None


ACTIONS = {
    "record": Action(
        "/mous/{mou}/commitments/new",
        _details("Matrix commitment"),
        exists_row(Commitment, title_en="Matrix commitment", mou_id="{mou}"),
    ),
    "edit": Action(
        "/commitments/{commitment}/edit",
        _details("Edited by the matrix"),
        exists_row(Commitment, id="{commitment}", title_en="Edited by the matrix"),
    ),
    "change the status": Action(
        "/commitments/{commitment}/status",
        {"status": "achieved", "reason": ""},
        exists_row(Commitment, id="{commitment}", status=CommitmentStatus.ACHIEVED),
    ),
    "add a progress note": Action(
        "/commitments/{commitment}/notes/new",
        # Two days back: in the past on every clock, Santiago's included.
        {"noted_on": (date.today() - timedelta(days=2)).isoformat(), "body": "Matrix note"},
        exists_row(ProgressNote, commitment_id="{commitment}", body="Matrix note"),
    ),
    "link a training": Action(
        "/commitments/{commitment}/links/training/new",
        {"target": "{training}"},
        exists_row(TrainingLink, commitment_id="{commitment}", training_id="{training}"),
    ),
    "ask before removing a link": Action(
        "/commitments/{commitment}/links/meeting/{meeting}/remove", {}, None
    ),
    "remove a link": Action(
        "/commitments/{commitment}/links/meeting/{meeting}/remove", {"confirmed": "1"}, _unlinked
    ),
    "edit the Chile–Colombia commitment": Action(
        "/commitments/{commitment_co}/edit",
        _details("Edited in the other MoU", "{line_co}"),
        exists_row(Commitment, id="{commitment_co}", title_en="Edited in the other MoU"),
    ),
}


@pytest.fixture
def ids(world, session, commitment_of) -> dict:
    commitment = commitment_of(session, world.mou)
    commitment_co = commitment_of(session, world.mou_cl_co, title_en="Compare strategies")
    meeting = make_meeting(session, world.group, datetime.now(UTC) + timedelta(days=5))
    training = make_training(session, world.mou, datetime.now(UTC) + timedelta(days=20))
    session.add(MeetingLink(commitment_id=commitment.id, meeting_id=meeting.id))
    session.flush()
    result = {
        "mou": world.mou.id,
        "mou_cl_co": world.mou_cl_co.id,
        "line": world.mou.lines[0].id,
        "line_co": world.mou_cl_co.lines[0].id,
        "commitment": commitment.id,
        "commitment_co": commitment_co.id,
        "meeting": meeting.id,
        "training": training.id,
        "cl": world.cl.id,
        "gb": world.gb.id,
    }
    session.commit()
    return result


@each_actor
def test_commitment_pages(actor, ids, browser_for):
    assert_pages(browser_for, actor, PAGES, ids)


@each_actor
def test_commitment_changes_and_their_effect(actor, ids, browser_for, session):
    assert_actions(browser_for, session, actor, ACTIONS, ACTION_ANSWERS, ids)


def test_every_commitment_change_is_in_the_matrix():
    assert ACTIONS.keys() == ACTION_ANSWERS.keys()


def test_a_denied_commitment_looks_exactly_like_a_missing_one(ids, login_as, world):
    pages = ("/commitments/{commitment}",)
    assert_hidden_like_missing(login_as(world.member_co), pages, ids, "commitment")


def test_a_link_shows_only_what_the_reader_may_open(ids, app, session, login_as, world):
    """A meeting of the group and a TLP:RED document are linked: a member outside the group
    sees neither, a member of the group the meeting only, and no form offers them either."""
    red = make_document(
        app, world.coordinator_gb, world.mou, title="Red draft", tlp=TLP.RED, reader_ids=[]
    )
    browser = login_as(world.coordinator_cl)
    offered = browser.get(fill("/commitments/{commitment}/links/document/new", ids))
    assert offered.status_code == 200 and "Red draft" not in offered.get_data(as_text=True)

    session.add(DocumentLink(commitment_id=ids["commitment"], document_id=red))
    session.commit()
    path = fill("/commitments/{commitment}", ids)
    meeting_link = fill('href="/meetings/{meeting}"', ids)
    document_link = f'href="/documents/{red}"'

    inside = login_as(world.member_cl).get(path).get_data(as_text=True)
    assert meeting_link in inside and document_link not in inside and "Red draft" not in inside
    outside = login_as(world.member_cl_outside_group).get(path).get_data(as_text=True)
    assert meeting_link not in outside and "Red draft" not in outside
    # The link's own removal page answers as if it did not exist for one who may not open it.
    remove = f"/commitments/{ids['commitment']}/links/document/{red}/remove"
    assert browser.get(remove).status_code == 404
    assert session.scalar(select(func.count()).select_from(DocumentLink)) == 1
