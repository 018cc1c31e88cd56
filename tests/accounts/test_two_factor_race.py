"""The same code sent at the same instant from several places is accepted once (SECURITY 6),
on PostgreSQL with real threads, each with its own session and connection."""

import threading

from sqlalchemy import update

from portal.accounts import totp, two_factor
from portal.accounts.models import User
from portal.core.db import utcnow
from portal.core.extensions import db
from tests.factories import TOTP_SECRET
from tests.helpers.backends import postgres_only  # noqa: F401  (a fixture)

PLACES = 4
ROUNDS = 10


def _send_code(app, user_id: int, code: str, barrier, accepted: list, failures: list):
    for round_number in range(ROUNDS):
        barrier.wait(timeout=60)
        try:
            with app.test_request_context():
                person = db.session.get(User, user_id)
                if two_factor.check_second_factor(db.session, person, code):
                    accepted.append(round_number)
                db.session.commit()
        except Exception as error:  # reported by the assertion on `failures`
            failures.append(repr(error))
        barrier.wait(timeout=60)


def test_a_code_sent_from_four_places_at_once_is_accepted_once(
    postgres_only,  # noqa: F811
    app,
    world,
    session,
):
    user_id = world.coordinator_cl.id
    code = totp.code_at(TOTP_SECRET, totp.time_step(utcnow()) + 1)

    def forget_used_steps():
        """Between rounds, while every thread waits: the code is new again, to race again."""
        session.execute(update(User).where(User.id == user_id).values(totp_last_step=None))
        session.commit()

    accepted, failures = [], []
    barrier = threading.Barrier(PLACES, action=forget_used_steps)
    threads = [
        threading.Thread(target=_send_code, args=(app, user_id, code, barrier, accepted, failures))
        for _ in range(PLACES)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sorted(accepted) == list(range(ROUNDS))  # once in each round, never twice
