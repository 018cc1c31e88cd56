"""The permission matrix for the notification pages: preferences are each person's own, the
outbox is for administrators only, the unsubscribe link needs no login but a valid token."""

import pytest
from sqlalchemy import select

from portal.notifications.models import NotificationPreference, OutboxMessage, OutboxStatus
from tests.helpers.matrix import LOGIN, Action, assert_actions, assert_pages, each_actor
from tests.helpers.notifications import queue_plain

# Columns: anon, admin, coord CL, coord GB, member CL (in group), member CL outside,
#          observer GB, external CL, member CO, coordinator CO.
# fmt: off
PAGES = {
    "/account/notifications":          (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "/admin/outbox/":                  (LOGIN, 200, 403, 403, 403, 403, 403, 404, 403, 403),
    "/admin/outbox/?status=failed":    (LOGIN, 200, 403, 403, 403, 403, 403, 404, 403, 403),
}

ACTION_ANSWERS = {
    "retry failed message":            (LOGIN, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    "documents by digest":             (LOGIN, 302, 302, 302, 302, 302, 302, 302, 302, 302),
}
# fmt: on


def _retried(session, ids) -> bool:
    return session.get(OutboxMessage, ids["failed"]).status == OutboxStatus.PENDING


def _own_choice(session, ids) -> bool:
    """Someone chose a digest for documents (only ever their own: the form names nobody)."""
    query = select(NotificationPreference).where(NotificationPreference.category == "documents")
    return session.scalars(query).first() is not None


ACTIONS = {
    "retry failed message": Action("/admin/outbox/{failed}/retry", {}, _retried),
    "documents by digest": Action(
        "/account/notifications",
        {
            "meetings": "immediate",
            "minutes": "immediate",
            "actions": "immediate",
            "documents": "digest",
            "trainings": "off",
            "polls": "immediate",
            "csirt": "immediate",
            "contacts": "immediate",
        },
        _own_choice,
    ),
}


@pytest.fixture
def ids(world, session) -> dict:
    [failed] = queue_plain(session, 1)
    session.get(OutboxMessage, failed).status = OutboxStatus.FAILED
    session.commit()
    return {"failed": failed}


@each_actor
def test_notification_pages(actor, ids, browser_for):
    assert_pages(browser_for, actor, PAGES, ids)


@each_actor
def test_notification_actions_and_their_effect(actor, ids, browser_for, session, world):
    assert_actions(browser_for, session, actor, ACTIONS, ACTION_ANSWERS, ids)
    if actor != "anonymous":
        person = getattr(world, actor)
        mine = session.get(NotificationPreference, (person.id, "documents"))
        assert mine.delivery.value == "digest"
        assert (
            session.scalars(select(NotificationPreference)).all()
            == session.scalars(
                select(NotificationPreference).where(NotificationPreference.user_id == person.id)
            ).all()
        )


def test_every_notification_action_is_in_the_matrix():
    assert ACTIONS.keys() == ACTION_ANSWERS.keys()


def test_the_outbox_shows_recipients_to_administrators_only(ids, browser_for):
    assert "person0@example.org" in browser_for("admin").get("/admin/outbox/").get_data(
        as_text=True
    )
    page = browser_for("coordinator_cl").get("/admin/outbox/")
    assert page.status_code == 403 and "person0@example.org" not in page.get_data(as_text=True)


def test_unsubscribe_links_answer_404_to_forged_tokens(client):
    assert client.get("/unsubscribe/not-a-token").status_code == 404
    assert client.post("/unsubscribe/not-a-token").status_code == 404
