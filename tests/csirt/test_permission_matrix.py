"""Every CSIRT route for every actor, on a TLP:GREEN bulletin of the Chile–UK MoU published
by member_cl (a member of Chile's CSIRT; member_gb and member_co are members of theirs), and
what each action changed."""

import io

import pytest
from sqlalchemy import select

from portal.core.tlp import TLP
from portal.csirt.models import Acknowledgement, Bulletin, CsirtMember
from tests.helpers.matrix import LOGIN, Action, assert_actions, assert_pages, each_actor

# Columns: anon, admin, coord CL, coord GB, member CL (CSIRT, author), member CL outside,
#          observer GB, external CL, member CO (CSIRT CO), coordinator CO.
# fmt: off
PAGES = {
    "/csirt/bulletins": (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200, 200),
    "/csirt/bulletins?kind=alert&tlp=green&page=2": (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200, 200),  # noqa: E501
    "/csirt/bulletins/{bulletin}": (LOGIN, 200, 200, 200, 200, 200, 200, 404, 404, 404),
    "/csirt/bulletins/{bulletin}/stix.json": (LOGIN, 200, 200, 200, 200, 200, 200, 404, 404, 404),
    "/csirt/bulletins/{bulletin}/misp.json": (LOGIN, 200, 200, 200, 200, 200, 200, 404, 404, 404),
    "/csirt/bulletins/{bulletin}/attachments/{attachment}": (LOGIN, 200, 200, 200, 200, 200, 200, 404, 404, 404),  # noqa: E501
    "/csirt/bulletins/{bulletin}/attachments/999999": (LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, 404),  # noqa: E501
    "/csirt/bulletins/999999": (LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    "/mous/{mou}/csirt/bulletins/new": (LOGIN, 403, 403, 403, 200, 403, 403, 404, 404, 404),
    "/mous/{mou}/csirt/bulletins/import": (LOGIN, 403, 403, 403, 200, 403, 403, 404, 404, 404),
    "/mous/{mou_cl_co}/csirt/bulletins/new": (LOGIN, 403, 403, 404, 200, 403, 404, 404, 200, 403),
    "/csirt/bulletins/publish?mou={mou}&how=write": (LOGIN, 403, 403, 403, 302, 403, 403, 404, 404, 404),  # noqa: E501
    "/csirt/bulletins/publish?mou={mou_cl_co}&how=import": (LOGIN, 403, 403, 404, 302, 403, 404, 404, 302, 403),  # noqa: E501
    "/csirt/bulletins/publish?mou=999999": (LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    "/csirt/team": (LOGIN, 200, 200, 200, 404, 404, 404, 404, 404, 200),
    "/csirt/team?party={gb}": (LOGIN, 200, 404, 200, 404, 404, 404, 404, 404, 404),
    "/csirt/team/{outside}/unmark": (LOGIN, 200, 200, 404, 404, 404, 404, 404, 404, 404),
}
ACTION_ANSWERS = {
    "acknowledge":   (LOGIN, 403, 403, 403, 403, 403, 403, 404, 404, 404),
    "publish":       (LOGIN, 403, 403, 403, 302, 403, 403, 404, 404, 404),
    "mark":          (LOGIN, 302, 302, 404, 404, 404, 404, 404, 404, 404),
    "unmark author": (LOGIN, 302, 302, 404, 404, 404, 404, 404, 404, 404),
}
# fmt: on


def _acknowledged(session, ids) -> bool:
    return session.scalar(select(Acknowledgement.id)) is not None


def _published(session, ids) -> bool:
    return session.scalar(select(Bulletin.id).where(Bulletin.title == "Published")) is not None


def _marked(session, ids) -> bool:
    return session.get(CsirtMember, ids["outside"]) is not None


def _unmarked(session, ids) -> bool:
    return session.get(CsirtMember, ids["author"]) is None


ACTIONS = {
    "acknowledge": Action(
        "/csirt/bulletins/{bulletin}/acknowledge", {"answer": "received"}, _acknowledged
    ),
    "publish": Action(
        "/mous/{mou}/csirt/bulletins/new",
        lambda: {
            "kind": "advisory",
            "tlp": "green",
            "severity": "low",
            "title": "Published",
            "indicators": "ipv4 192.0.2.1",
            "files": (io.BytesIO(b"Informe"), "informe.txt"),
        },
        _published,
    ),
    "mark": Action("/csirt/team/{outside}/mark", {}, _marked),
    "unmark author": Action("/csirt/team/{author}/unmark", {"confirmed": "1"}, _unmarked),
}


@pytest.fixture
def ids(csirts, make_bulletin, session) -> dict:
    bulletin = make_bulletin(
        csirts.member_cl, mou=csirts.mou, tlp=TLP.GREEN, files=[("a.txt", b"Informe")]
    )
    attachment = session.get(Bulletin, bulletin).attachments[0].id
    return {
        "mou": csirts.mou.id,
        "mou_cl_co": csirts.mou_cl_co.id,
        "bulletin": bulletin,
        "attachment": attachment,
        "gb": csirts.gb.id,
        "outside": csirts.member_cl_outside_group.id,
        "author": csirts.member_cl.id,
    }


@each_actor
def test_csirt_pages(actor, ids, browser_for):
    assert_pages(browser_for, actor, PAGES, ids)


@each_actor
def test_csirt_actions_and_their_effect(actor, ids, browser_for, session):
    assert_actions(browser_for, session, actor, ACTIONS, ACTION_ANSWERS, ids)


def test_every_csirt_action_is_in_the_matrix():
    assert ACTIONS.keys() == ACTION_ANSWERS.keys()


def test_the_receiving_csirt_member_answers(csirts, make_bulletin, login_as, session):
    bulletin = make_bulletin(csirts.member_cl, mou=csirts.mou, tlp=TLP.AMBER)
    browser = login_as(csirts.member_gb)
    from tests.conftest import post

    response = post(
        browser,
        f"/csirt/bulletins/{bulletin}/acknowledge",
        {"answer": "not_relevant", "note": "No usamos ese producto."},
    )
    assert response.status_code == 302
    answer = session.scalar(select(Acknowledgement))
    assert (answer.answer, answer.note, answer.party_id) == (
        "not_relevant",
        "No usamos ese producto.",
        csirts.gb.id,
    )
    sender = login_as(csirts.member_cl).get(f"/csirt/bulletins/{bulletin}").get_data(as_text=True)
    assert "Emily Clarke" in sender and "No aplica" in sender  # member_cl reads Spanish
    assert "No usamos ese producto." in sender
