"""The permission matrix of certificates, feedback, reports and verification: every actor on
every route, and its effect.

{t} has ended: member_cl was present (and holds {cert}), member_gb partial,
external_cl present too (an external participant sees the trainings they registered for).
{fresh} has ended with the same attendance and no certificate issued yet.
"""

import re

import pytest
from sqlalchemy import select

from portal.trainings.certificates import Certificate, issue_certificates
from portal.trainings.feedback import TrainingFeedback
from portal.trainings.models import AttendanceMark
from tests.helpers.matrix import (
    LOGIN,
    Action,
    assert_actions,
    assert_pages,
    column,
    each_actor,
    exists_row,
    fill,
)
from tests.helpers.training_followup import make_training, register
from tests.helpers.trainings import FOLLOWUP_POSTS

# Columns: anon, admin, coord CL, coord GB, member CL (present), member CL outside group,
#          observer GB, external CL (present), member CO, coordinator CO.
# {t} is the course, {cert} member_cl's certificate of it, {o} the other training,
# {mou_co} the Chile–Colombia MoU.
# fmt: off
PAGES = {
    "/trainings/{t}/certificates":            (LOGIN, 200, 200, 200, 200, 200, 200, 200, 404, 404),
    "/trainings/{t}/certificates/{cert}.pdf": (LOGIN, 200, 200, 200, 200, 404, 404, 404, 404, 404),
    "/trainings/{o}/certificates/{cert}.pdf": (LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    "/trainings/{t}/feedback":                (LOGIN, 200, 200, 200, 200, 200, 200, 200, 404, 404),
    "/trainings/{t}/report":                  (LOGIN, 200, 200, 200, 403, 403, 403, 403, 404, 404),
    "/trainings/{t}/report.csv":              (LOGIN, 200, 200, 200, 403, 403, 403, 403, 404, 404),
    "/mous/{mou}/trainings/report":           (LOGIN, 200, 200, 200, 403, 403, 403, 404, 404, 404),
    "/mous/{mou}/trainings/report.csv":       (LOGIN, 200, 200, 200, 403, 403, 403, 404, 404, 404),
    "/mous/{mou_co}/trainings/report":        (LOGIN, 200, 200, 404, 403, 403, 404, 404, 403, 200),
    "/certificates/verify":                   (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "/certificates/verify/{code}":            (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
}

ACTION_ANSWERS = {
    "issue certificates": (LOGIN, 302, 302, 302, 403, 403, 403, 403, 404, 404),
    "give feedback":      (LOGIN, 403, 403, 403, 302, 403, 403, 302, 404, 404),
    "verify a code":      (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
}
# fmt: on


def _feedback_given(session, ids) -> bool:
    return exists_row(TrainingFeedback, registration_id="{fresh_member_cl}")(
        session, ids
    ) or exists_row(TrainingFeedback, registration_id="{fresh_external_cl}")(session, ids)


ACTIONS = {
    "issue certificates": Action(
        "/trainings/{fresh}/certificates/issue",
        {},
        exists_row(Certificate, registration_id="{fresh_member_cl}"),
    ),
    "give feedback": Action("/trainings/{fresh}/feedback", {"rating": "4"}, _feedback_given),
    "verify a code": Action("/certificates/verify", {"code": "{code}"}, lambda s, ids: False),
}
TOKEN = re.compile(r'name="csrf_token" (type="hidden" )?value="[^"]+"')


@pytest.fixture
def ids(world, session, app) -> dict:
    present, partial = AttendanceMark.PRESENT, AttendanceMark.PARTIAL
    course = make_training(session, world.mou)
    fresh = make_training(session, world.mou, title_en="Fresh course")
    other = make_training(session, world.mou, title_en="Other course")
    registrations = {}
    for training in (course, fresh):
        registrations[training.id] = {
            "member_cl": register(session, training, world.member_cl, attendance=present),
            "member_gb": register(session, training, world.member_gb, attendance=partial),
            "external_cl": register(session, training, world.external_cl, attendance=present),
        }
    session.commit()
    with app.test_request_context():
        issue_certificates(session, world.coordinator_cl, course)
    session.commit()
    certificate = session.scalar(
        select(Certificate).where(
            Certificate.registration_id == registrations[course.id]["member_cl"].id
        )
    )
    return {
        "mou": world.mou.id,
        "mou_co": world.mou_cl_co.id,
        "t": course.id,
        "fresh": fresh.id,
        "o": other.id,
        "cert": certificate.id,
        "code": certificate.display_code,
        "fresh_member_cl": registrations[fresh.id]["member_cl"].id,
        "fresh_external_cl": registrations[fresh.id]["external_cl"].id,
    }


@each_actor
def test_followup_pages(actor, ids, browser_for):
    assert_pages(browser_for, actor, PAGES, ids)


@each_actor
def test_followup_changes_and_their_effect(actor, ids, browser_for, session):
    # Verifying changes nothing: its answer is a page (200, never 302), for everyone.
    assert column(ACTION_ANSWERS, actor)["verify a code"] == 200
    assert_actions(browser_for, session, actor, ACTIONS, ACTION_ANSWERS, ids)


def test_every_followup_change_is_in_the_matrix(app):
    posted = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods
        and app.view_functions[rule.endpoint].__module__ == "portal.trainings.followup_views"
    }
    assert posted == FOLLOWUP_POSTS
    assert len(ACTIONS) == len(FOLLOWUP_POSTS)


def test_a_hidden_certificate_looks_exactly_like_a_missing_one(ids, login_as, world):
    browser = login_as(world.member_gb)
    same_request_id = {"X-Request-ID": "leak-check-0002"}
    existing = fill("/trainings/{t}/certificates/{cert}.pdf", ids)
    missing = fill("/trainings/{t}/certificates/987654.pdf", ids)
    denied = browser.get(existing, headers=same_request_id)
    absent = browser.get(missing, headers=same_request_id)
    assert denied.status_code == absent.status_code == 404

    def page(response, path: str) -> str:  # the form token's time stamp may tick in between
        return TOKEN.sub("", response.get_data(as_text=True).replace(path, "{path}"))

    assert page(denied, existing) == page(absent, missing)
