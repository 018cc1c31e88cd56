"""The API's world: the matrix world's people with a token each, and one object of every kind
the API serves, in the Chile–UK MoU and in the Chile–Colombia one."""

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest

from portal.accounts.models import User
from portal.api.models import TokenScope
from portal.api.services import TokenRequest, create_token
from portal.core.extensions import db
from portal.core.tlp import TLP
from tests import factories
from tests.helpers.commitments import make_commitment
from tests.helpers.matrix import ACTORS

START = datetime(2030, 3, 10, 13, 0, tzinfo=UTC)


def issue_token(app, user, scope=TokenScope.READ_WRITE, days: int = 30) -> str:
    """A token of `user`, made through the service as the profile page makes it."""
    with app.test_request_context():
        person = db.session.get(User, user.id)
        _token, secret = create_token(db.session, person, TokenRequest("test", scope, days))
        db.session.commit()
    return secret


def bearer(secret: str | None) -> dict:
    return {"Authorization": f"Bearer {secret}"} if secret else {}


@pytest.fixture
def api_world(app, session, world):
    w = world
    meeting = factories.make_meeting(session, w.group, START)
    meeting_co = factories.make_meeting(session, w.group_cl_co, START)
    item = factories.make_action(session, w.group, [w.member_cl], date(2030, 4, 1))
    item_co = factories.make_action(session, w.group_cl_co, [w.member_co], date(2030, 4, 1))
    training = factories.make_training(session, w.mou, START)
    training_co = factories.make_training(session, w.mou_cl_co, START)
    commitment = make_commitment(session, w.mou)
    commitment_co = make_commitment(session, w.mou_cl_co)
    session.commit()
    ids = {
        "commitment": commitment.id,
        "commitment_co": commitment_co.id,
        "mou": w.mou.id,
        "mou_cl_co": w.mou_cl_co.id,
        "group": w.group.id,
        "group_cl_co": w.group_cl_co.id,
        "meeting": meeting.id,
        "meeting_co": meeting_co.id,
        "item": item.id,
        "item_co": item_co.id,
        "training": training.id,
        "training_co": training_co.id,
        "green": factories.make_document(app, w.coordinator_cl, w.mou, tlp=TLP.GREEN),
        "strict": factories.make_document(
            app, w.coordinator_cl, w.mou, w.group, tlp=TLP.AMBER_STRICT
        ),
        "red": factories.make_document(
            app, w.coordinator_cl, w.mou, tlp=TLP.RED, reader_ids=[w.member_cl.id]
        ),
        "cl": w.cl.id,
        "member_cl": w.member_cl.id,
        "member_co": w.member_co.id,
    }
    tokens = {
        actor: issue_token(app, getattr(w, actor))
        for actor in ACTORS
        if actor not in ("anonymous", "external_cl")
    }
    return SimpleNamespace(ids=ids, tokens=tokens, world=w, later=timedelta(days=31))
