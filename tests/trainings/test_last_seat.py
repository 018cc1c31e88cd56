"""The last seat is taken exactly once (SECURITY.md 38), on PostgreSQL with real threads.

Eight people, each on their own thread with their own database session and connection,
ask for the one seat of a training at the same instant (a barrier lines them up); thirty
trainings in a row. Every time exactly one gets the seat and the seven others are on the
waiting list, numbered in the order their requests were decided.
"""

import threading
from datetime import timedelta

from sqlalchemy import select

from portal.accounts.models import Role, User
from portal.core.extensions import db
from portal.trainings import registrations as seats
from portal.trainings.models import Registration, RegistrationStatus, Training
from tests import factories
from tests.helpers.backends import postgres_only  # noqa: F401  (a fixture)
from tests.helpers.trainings import in_days

PEOPLE = 8
ROUNDS = 30


def _ask_for_seats(app, user_id: int, training_ids: list[int], barrier, failures: list) -> None:
    """One person's thread: for each training, wait for the others, then register."""
    for training_id in training_ids:
        barrier.wait(timeout=60)
        try:
            with app.test_request_context():
                person = db.session.get(User, user_id)
                training = db.session.get(Training, training_id)
                participant = seats.Participant(organisation="CSIRT", sector="public")
                seats.register(db.session, person, training, person, participant)
                db.session.commit()
        except Exception as error:  # reported by the assertion on `failures`
            failures.append(repr(error))


def test_eight_people_racing_for_the_last_seat_get_one_seat(
    postgres_only,  # noqa: F811
    app,
    world,
    session,
):
    people = [
        factories.make_user(session, world.cl, Role.MEMBER, name=f"Racer {n}")
        for n in range(PEOPLE)
    ]
    trainings = [
        factories.make_training(session, world.mou, in_days(20) + timedelta(hours=n), capacity=1)
        for n in range(ROUNDS)
    ]
    session.commit()
    training_ids = [t.id for t in trainings]
    barrier = threading.Barrier(PEOPLE)
    failures: list[str] = []
    threads = [
        threading.Thread(
            target=_ask_for_seats, args=(app, person.id, training_ids, barrier, failures)
        )
        for person in people
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []

    session.rollback()
    for training_id in training_ids:
        rows = session.scalars(
            select(Registration)
            .where(Registration.training_id == training_id)
            .order_by(Registration.queue_number)
        ).all()
        statuses = [r.status for r in rows]
        assert statuses == [RegistrationStatus.CONFIRMED] + [RegistrationStatus.WAITLISTED] * (
            PEOPLE - 1
        ), training_id
        assert [r.queue_number for r in rows] == list(range(1, PEOPLE + 1))
        assert len({r.user_id for r in rows}) == PEOPLE
        assert session.get(Training, training_id).registrations_taken == PEOPLE
