"""The check behind every "writes nothing" test (tests/helpers/bad_input.snapshot) sees a
change in any column of any row, on each backend, and only the bookkeeping it is told to
leave out is left out."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from portal.accounts.models import UserSession
from portal.mous.models import WorkingGroup
from tests.factories import make_party
from tests.helpers.bad_input import changed_tables, snapshot


def test_a_changed_value_and_an_added_row_are_seen(app, world, session):
    before, original = snapshot(session), world.group.name_es
    assert changed_tables(before, snapshot(session)) == []

    session.execute(
        update(WorkingGroup).where(WorkingGroup.id == world.group.id).values(name_es="Otro")
    )
    session.commit()
    assert changed_tables(before, snapshot(session)) == ["working_groups"]

    session.execute(
        update(WorkingGroup).where(WorkingGroup.id == world.group.id).values(name_es=original)
    )
    make_party(session, "AR")
    session.commit()
    # (the pages' generations rise with the new party, as at any commit of one)
    assert set(changed_tables(before, snapshot(session))) == {"parties", "kept_generations"}


def test_the_login_sessions_last_use_is_bookkeeping(app, world, session, login_as):
    login_as(world.member_cl)
    before = snapshot(session)
    later = datetime.now(UTC) + timedelta(minutes=5)
    session.execute(update(UserSession).values(last_seen_at=later))
    session.commit()
    assert changed_tables(before, snapshot(session)) == []
