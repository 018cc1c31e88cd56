"""The permission matrix (SECURITY.md 13, 14): every actor on every route, and what it changes.

Each actor logs in once per test and walks a whole row of the matrix, so a failure shows
the full table of answers for that actor at once.
"""

import pytest
from sqlalchemy import select

from portal.accounts.models import Invitation, Party, Role, User
from portal.audit.models import AuditEvent
from portal.mous.models import LineOfCooperation, Membership, Mou, Signatory, WorkingGroup
from tests import factories
from tests.conftest import csrf_token
from tests.helpers.matrix import (
    LOGIN,
    Action,
    assert_actions,
    assert_pages,
    each_actor,
    exists_row,
    fill,
    gone_row,
)
from tests.helpers.pages import LEAK_CHECK_HEADERS, assert_looks_missing, page_title

# Columns, in the order of ACTORS:
#   anon, admin, coordinator CL, coordinator GB, member CL (in the group),
#   member CL outside the group, observer GB, external CL, member CO, coordinator CO.
# {mou} is the CL-GB MoU and {group} its working group; {mou_cl_co} and {group_cl_co}
# belong to Chile and Colombia (member_co is in that group).

# fmt: off
PAGES = {
    "/":                              (LOGIN, 200, 200, 200, 200, 200, 200, 302, 200, 200),
    "/mous/":                         (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200, 200),
    "/mous/{mou}":                    (LOGIN, 200, 200, 200, 200, 200, 200, 404, 404, 404),
    "/mous/{mou_cl_co}":              (LOGIN, 200, 200, 404, 200, 200, 404, 404, 200, 200),
    "/mous/{mou}/edit":               (LOGIN, 200, 403, 403, 403, 403, 403, 404, 404, 404),
    "/mous/{mou}/manage":             (LOGIN, 200, 403, 403, 403, 403, 403, 404, 404, 404),
    "/mous/new":                      (LOGIN, 200, 403, 403, 403, 403, 403, 404, 403, 403),
    "/mous/{mou}/working-groups/new": (LOGIN, 200, 403, 403, 403, 403, 403, 404, 404, 404),
    "/working-groups/{group}":        (LOGIN, 200, 200, 200, 200, 404, 200, 404, 404, 404),
    "/working-groups/{group_cl_co}":  (LOGIN, 200, 200, 404, 404, 404, 404, 404, 200, 200),
    "/working-groups/{group}/edit":   (LOGIN, 200, 403, 403, 403, 404, 403, 404, 404, 404),
    "/admin/parties/":                (LOGIN, 200, 403, 403, 403, 403, 403, 404, 403, 403),
    "/admin/parties/new":             (LOGIN, 200, 403, 403, 403, 403, 403, 404, 403, 403),
    "/admin/parties/{cl}":            (LOGIN, 200, 403, 403, 403, 403, 403, 404, 403, 403),
    "/admin/accounts/":               (LOGIN, 200, 403, 403, 403, 403, 403, 404, 403, 403),
    "/admin/accounts/{member_cl}":    (LOGIN, 200, 403, 403, 403, 403, 403, 404, 403, 403),
    "/invitations/":                  (LOGIN, 200, 200, 200, 403, 403, 403, 404, 403, 200),
    "/invitations/new":               (LOGIN, 200, 200, 200, 403, 403, 403, 404, 403, 200),
    "/admin/audit/":                  (LOGIN, 200, 200, 200, 403, 403, 403, 404, 403, 200),
    "/account/":                      (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "/account/password":              (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "/account/two-factor":            (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "/account/two-factor/setup":      (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "/admin/accounts/{coordinator_gb}/two-factor/reset":
                                      (LOGIN, 200, 403, 403, 403, 403, 403, 404, 403, 403),
    "/admin/accounts/{admin}/two-factor/reset":
                                      (LOGIN, 403, 403, 403, 403, 403, 403, 404, 403, 403),
    # Only a visitor who has just passed the password step is asked for the code.
    "/auth/second-factor":            (302, 302, 302, 302, 302, 302, 302, 302, 302, 302),
}

# 302 means the action was done (and must show in the database); any other answer means
# nothing changed. coordinator_gb adding a Chilean is refused by the form (422): the
# person is not among the people it may choose.
ACTION_ANSWERS = {
    "add member_cl_outside_group":    (LOGIN, 302, 302, 422, 403, 404, 403, 404, 404, 404),
    "make colleague_cl co-chair":     (LOGIN, 302, 302, 403, 403, 404, 403, 404, 404, 404),
    "remove member_cl":               (LOGIN, 302, 302, 403, 403, 404, 403, 404, 404, 404),
    "remove signatory":               (LOGIN, 302, 403, 403, 403, 403, 403, 404, 404, 404),
    "remove line":                    (LOGIN, 302, 403, 403, 403, 403, 403, 404, 404, 404),
    "add line":                       (LOGIN, 302, 403, 403, 403, 403, 403, 404, 404, 404),
    "edit MoU":                       (LOGIN, 302, 403, 403, 403, 403, 403, 404, 404, 404),
    "create working group":           (LOGIN, 302, 403, 403, 403, 403, 403, 404, 404, 404),
    "edit working group":             (LOGIN, 302, 403, 403, 403, 404, 403, 404, 404, 404),
    "create party":                   (LOGIN, 302, 403, 403, 403, 403, 403, 404, 403, 403),
    "invite a Chilean member":        (LOGIN, 302, 302, 422, 403, 403, 403, 404, 403, 422),
    "make member_cl an observer":     (LOGIN, 302, 403, 403, 403, 403, 403, 404, 403, 403),
    "reset coordinator_gb's 2FA":     (LOGIN, 302, 403, 403, 403, 403, 403, 404, 403, 403),
}
# fmt: on


ACTIONS = {
    "add member_cl_outside_group": Action(
        "/working-groups/{group}",
        {"user_id": "{member_cl_outside_group}"},
        exists_row(Membership, working_group_id="{group}", user_id="{member_cl_outside_group}"),
    ),
    "make colleague_cl co-chair": Action(
        "/working-groups/{group}/members/{colleague_membership}/co-chair",
        {},
        exists_row(Membership, id="{colleague_membership}", is_co_chair=True),
    ),
    "remove member_cl": Action(
        "/working-groups/{group}/members/{member_cl_membership}/remove",
        {"confirmed": "1"},
        gone_row(Membership, "{member_cl_membership}"),
    ),
    "remove signatory": Action(
        "/mous/{mou}/signatories/{signatory}/remove",
        {"confirmed": "1"},
        gone_row(Signatory, "{signatory}"),
    ),
    "remove line": Action(
        "/mous/{mou}/lines/{line}/remove", {"confirmed": "1"}, gone_row(LineOfCooperation, "{line}")
    ),
    "add line": Action(
        "/mous/{mou}/manage",
        {"form": "line", "line-title_en": "Joint exercises", "line-title_es": "Ejercicios"},
        exists_row(LineOfCooperation, mou_id="{mou}", title_en="Joint exercises"),
    ),
    "edit MoU": Action(
        "/mous/{mou}/edit",
        {
            "title_en": "MoU CL–GB (amended)",
            "title_es": "MdE CL–GB (enmendado)",
            "party_ids": ["{cl}", "{gb}"],
            "signed_on": "2019-09-11",
            "areas": ["cybersecurity"],
            "status": "in_force",
        },
        exists_row(Mou, id="{mou}", title_en="MoU CL–GB (amended)"),
    ),
    "create working group": Action(
        "/mous/{mou}/working-groups/new",
        {"name_en": "Threat intelligence", "name_es": "Inteligencia de amenazas"},
        exists_row(WorkingGroup, mou_id="{mou}", name_en="Threat intelligence"),
    ),
    "edit working group": Action(
        "/working-groups/{group}/edit",
        {"name_en": "Renamed group", "name_es": "Grupo renombrado"},
        exists_row(WorkingGroup, id="{group}", name_en="Renamed group"),
    ),
    "create party": Action(
        "/admin/parties/new",
        {
            "code": "AR",
            "kind": "country",
            "name_en": "Argentina",
            "name_es": "Argentina",
            "timezone": "America/Argentina/Buenos_Aires",
            "language": "es",
        },
        exists_row(Party, code="AR"),
    ),
    "invite a Chilean member": Action(
        "/invitations/new",
        {"email": "new.person@example.org", "party_id": "{cl}", "role": "member", "language": "es"},
        exists_row(Invitation, email="new.person@example.org"),
    ),
    "make member_cl an observer": Action(
        "/admin/accounts/{member_cl}",
        {"role": "observer", "is_active": "y"},
        exists_row(User, id="{member_cl}", role=Role.OBSERVER),
    ),
    "reset coordinator_gb's 2FA": Action(
        "/admin/accounts/{coordinator_gb}/two-factor/reset",
        {},
        exists_row(User, id="{coordinator_gb}", totp_enabled_at=None),
    ),
}


@pytest.fixture
def ids(world, session) -> dict:
    """The world plus a Chilean colleague in the group and a signatory; every id by name."""
    colleague = factories.make_user(session, world.cl, name="Colleague CL")
    colleague_membership = Membership(user=colleague)
    world.group.memberships.append(colleague_membership)
    signatory = Signatory(
        party_id=world.cl.id, name="Ana Pérez", office_en="Minister", office_es="Ministra"
    )
    world.mou.signatories.append(signatory)
    session.flush()
    member_cl_membership = next(m for m in world.group.memberships if m.user == world.member_cl)
    result = {
        "mou": world.mou.id,
        "mou_cl_co": world.mou_cl_co.id,
        "group": world.group.id,
        "group_cl_co": world.group_cl_co.id,
        "cl": world.cl.id,
        "gb": world.gb.id,
        "member_cl": world.member_cl.id,
        "member_cl_outside_group": world.member_cl_outside_group.id,
        "coordinator_gb": world.coordinator_gb.id,
        "admin": world.admin.id,
        "member_cl_membership": member_cl_membership.id,
        "colleague_membership": colleague_membership.id,
        "signatory": signatory.id,
        "line": world.mou.lines[0].id,
    }
    session.commit()
    return result


# The matrix ------------------------------------------------------------------------------


@each_actor
def test_pages(actor, ids, browser_for):
    assert_pages(browser_for, actor, PAGES, ids)


@each_actor
def test_actions_and_their_effect(actor, ids, browser_for, session):
    assert_actions(browser_for, session, actor, ACTIONS, ACTION_ANSWERS, ids)


def test_every_action_is_in_the_matrix():
    assert ACTIONS.keys() == ACTION_ANSWERS.keys()


def test_a_coordinator_moves_only_their_own_delegation(ids, login_as, world, session):
    """The brief's example, spelled out: GB may not remove a Chilean, CL may."""
    path = fill("/working-groups/{group}/members/{member_cl_membership}/remove", ids)
    still_there = exists_row(Membership, id="{member_cl_membership}")

    gb = login_as(world.coordinator_gb)
    refused = gb.post(path, data={"csrf_token": csrf_token(gb, "/account/"), "confirmed": "1"})
    assert refused.status_code == 403
    session.rollback()
    assert still_there(session, ids)

    cl = login_as(world.coordinator_cl)
    done = cl.post(path, data={"csrf_token": csrf_token(cl, "/account/"), "confirmed": "1"})
    assert done.status_code == 302
    assert done.headers["Location"] == fill("/working-groups/{group}", ids)
    session.rollback()
    assert not still_there(session, ids)


# Denied objects: audited, and indistinguishable from missing ones -----------------------

DENIALS = [
    ("member_co", "GET", "/mous/{mou}", "mou", "mou"),
    ("member_cl_outside_group", "GET", "/working-groups/{group}", "working_group", "group"),
    (
        "coordinator_co",
        "POST",
        "/working-groups/{group}/members/{member_cl_membership}/remove",
        "working_group",
        "group",
    ),
]


def _request(browser, method: str, path: str, **kwargs):
    if method == "GET":
        return browser.get(path, **kwargs)
    return browser.post(path, data={"csrf_token": csrf_token(browser, "/account/")}, **kwargs)


@pytest.mark.parametrize(("actor", "method", "path", "object_type", "key"), DENIALS)
def test_a_denied_object_is_a_404_with_an_audit_event(
    actor, method, path, object_type, key, ids, world, login_as, session
):
    browser = login_as(getattr(world, actor))
    response = _request(browser, method, fill(path, ids))
    assert response.status_code == 404
    session.rollback()
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "access.denied"))
    assert [(e.actor_id, e.object_type, e.object_id) for e in events] == [
        (getattr(world, actor).id, object_type, str(ids[key]))
    ]


MISSING_ID = 987654


@pytest.mark.parametrize(("actor", "method", "path", "object_type", "key"), DENIALS)
def test_a_denied_object_looks_exactly_like_a_missing_one(
    actor, method, path, object_type, key, ids, world, login_as
):
    browser = login_as(getattr(world, actor))
    existing_path = fill(path, ids)
    missing_path = fill(path, {**ids, key: MISSING_ID})
    denied = _request(browser, method, existing_path, headers=LEAK_CHECK_HEADERS)
    missing = _request(browser, method, missing_path, headers=LEAK_CHECK_HEADERS)

    assert page_title(denied.get_data(as_text=True)) == page_title(missing.get_data(as_text=True))
    assert_looks_missing(denied, existing_path, missing, missing_path)


# Lists show only what the reader may open ----------------------------------------------

# actor -> [(page, objects it must list, objects it must not mention)]
LISTS = {
    "member_co": [
        ("/mous/", ["mou_cl_co"], ["mou"]),
        ("/", ["mou_cl_co", "group_cl_co"], ["mou", "group"]),
    ],
    "coordinator_gb": [
        ("/mous/", ["mou"], ["mou_cl_co"]),
        ("/", ["mou", "group"], ["mou_cl_co", "group_cl_co"]),
    ],
    "member_cl_outside_group": [
        ("/", ["mou", "mou_cl_co"], ["group", "group_cl_co"]),
        ("/mous/{mou}", ["mou"], ["group"]),
        ("/mous/{mou_cl_co}", ["mou_cl_co"], ["group_cl_co"]),
    ],
}


def _mentions(page: str, thing) -> bool:
    if isinstance(thing, Mou):
        names, link = (thing.title_en, thing.title_es), f'href="/mous/{thing.id}"'
    else:
        names, link = (thing.name_en, thing.name_es), f'href="/working-groups/{thing.id}"'
    return link in page or any(name in page for name in names)


@pytest.mark.parametrize("actor", LISTS)
def test_lists_never_include_what_the_reader_may_not_open(actor, ids, world, login_as):
    browser = login_as(getattr(world, actor))
    for path, shown, hidden in LISTS[actor]:
        response = browser.get(fill(path, ids))
        assert response.status_code == 200, path
        page = response.get_data(as_text=True)
        assert [t for t in shown if not _mentions(page, getattr(world, t))] == [], path
        assert [t for t in hidden if _mentions(page, getattr(world, t))] == [], path


def test_an_external_participant_sees_no_mou_at_all(world, login_as):
    """Their portal is their trainings (tests/trainings/test_externals.py): the MoU list
    answers 404, and the dashboard sends them to their trainings."""
    browser = login_as(world.external_cl)
    assert browser.get("/mous/").status_code == 404
    assert browser.get("/").headers["Location"] == "/trainings/"
