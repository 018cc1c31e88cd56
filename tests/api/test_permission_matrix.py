"""The API's permission matrix: every endpoint, every actor, with a read-write token each.

The answers are the pages' (the same access rules): the other delegation's objects answer
404, anonymous requests and the external participant (who may hold no token) 401. Every list
holds exactly the objects whose own address answers 200 to that actor.
"""

from sqlalchemy import select

from portal.actions.models import ActionItem, ActionStatus
from tests.api.conftest import bearer
from tests.helpers.matrix import ACTORS, fill

# Columns: anon, admin, coord CL, coord GB, member CL (in group), member CL outside,
#          observer GB, external CL, member CO, coordinator CO.
# fmt: off
OBJECTS = {
    "mous":           {"{mou}":         (401, 200, 200, 200, 200, 200, 200, 401, 404, 404),
                       "{mou_cl_co}":   (401, 200, 200, 404, 200, 200, 404, 401, 200, 200)},
    "working-groups": {"{group}":       (401, 200, 200, 200, 200, 404, 200, 401, 404, 404),
                       "{group_cl_co}": (401, 200, 200, 404, 404, 404, 404, 401, 200, 200)},
    "meetings":       {"{meeting}":     (401, 200, 200, 200, 200, 404, 200, 401, 404, 404),
                       "{meeting_co}":  (401, 200, 200, 404, 404, 404, 404, 401, 200, 200)},
    "action-items":   {"{item}":        (401, 200, 200, 200, 200, 404, 200, 401, 404, 404),
                       "{item_co}":     (401, 200, 200, 404, 404, 404, 404, 401, 200, 200)},
    "documents":      {"{green}":       (401, 200, 200, 200, 200, 200, 200, 401, 404, 404),
                       "{strict}":      (401, 200, 200, 404, 200, 404, 404, 401, 404, 404),
                       "{red}":         (401, 404, 200, 404, 200, 404, 404, 401, 404, 404)},
    "trainings":      {"{training}":    (401, 200, 200, 200, 200, 200, 200, 401, 404, 404),
                       "{training_co}": (401, 200, 200, 404, 200, 200, 404, 401, 200, 200)},
    "commitments":    {"{commitment}":    (401, 200, 200, 200, 200, 200, 200, 401, 404, 404),
                       "{commitment_co}": (401, 200, 200, 404, 200, 200, 404, 401, 200, 200)},
}
# Creating an item in the Chile–UK group, and moving one owned by the Chilean member to
# "in progress": the group's workers create, its owners and the coordinators move it.
CREATE = (401, 201, 201, 201, 201, 404, 403, 401, 404, 404)
MOVE = (401, 200, 200, 200, 200, 404, 403, 401, 404, 404)
# fmt: on


def _answers(client, token, ids):
    answers, listed = {}, {}
    for collection, objects in OBJECTS.items():
        response = client.get(f"/api/v1/{collection}?limit=100", headers=bearer(token))
        listed[collection] = (
            {item["id"] for item in response.get_json()["items"]}
            if response.status_code == 200
            else response.status_code
        )
        for key in objects:
            detail = client.get(f"/api/v1/{collection}/{fill(key, ids)}", headers=bearer(token))
            answers[(collection, key)] = detail.status_code
            assert detail.content_type == (
                "application/json" if detail.status_code == 200 else "application/problem+json"
            )
    return answers, listed


def test_every_endpoint_answers_each_actor_as_the_pages_rules_say(app, session, api_world):
    client = app.test_client()
    ids = api_world.ids
    for index, actor in enumerate(ACTORS):
        token = api_world.tokens.get(actor)
        answers, listed = _answers(client, token, ids)
        expected = {
            (collection, key): row[index]
            for collection, objects in OBJECTS.items()
            for key, row in objects.items()
        }
        assert answers == expected, actor
        for collection, objects in OBJECTS.items():
            ours = {fill(key, ids) for key in objects}
            visible = {fill(key, ids) for key, row in objects.items() if row[index] == 200}
            got = listed[collection]
            assert (got if got == 401 else got & ours) == (401 if token is None else visible), (
                actor,
                collection,
            )


def test_creating_and_moving_action_items_follows_the_actions_rules(app, session, api_world):
    client = app.test_client()
    w, ids = api_world.world, api_world.ids
    for index, actor in enumerate(ACTORS):
        token = api_world.tokens.get(actor)
        title = f"Share the incident playbook ({actor})"
        created = client.post(
            "/api/v1/action-items",
            json={
                "working_group_id": ids["group"],
                "title_en": title,
                "owner_ids": [ids["member_cl"]],
                "responsible_party": "CL",
                "due_on": "2030-05-01",
            },
            headers=bearer(token),
        )
        session.rollback()
        made = session.scalar(select(ActionItem).where(ActionItem.title_en == title))
        assert (created.status_code, made is not None) == (CREATE[index], CREATE[index] == 201)
        if created.status_code == 201:
            assert created.get_json()["owner_ids"] == [ids["member_cl"]]

        item = session.get(ActionItem, ids["item"])
        item.status = ActionStatus.OPEN
        session.commit()
        moved = client.post(
            f"/api/v1/action-items/{ids['item']}/status",
            json={"status": "in_progress"},
            headers=bearer(token),
        )
        session.expire_all()
        status = session.get(ActionItem, ids["item"]).status
        assert (moved.status_code, status) == (
            MOVE[index],
            ActionStatus.IN_PROGRESS if MOVE[index] == 200 else ActionStatus.OPEN,
        ), actor
    assert w.member_cl.id == ids["member_cl"]
