"""Revision 0020_working_hours: existing parties get Monday–Friday 09:00–18:00 (Israel Sunday
to Thursday) and, for a country, its own holidays; going down drops the columns and keeps
every party, on a populated database."""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from portal.core.extensions import db
from tests.conftest import MIGRATIONS
from tests.helpers.migrations import fresh_app  # noqa: F401  (a fixture)

PARTY = (
    "INSERT INTO parties (id, code, kind, name_en, name_es, timezone, language)"
    " VALUES (:id, :code, :kind, :code, :code, 'UTC', 'en')"
)
USER = (
    "INSERT INTO users (id, email, name, password_hash, role, party_id, language, timezone,"
    " is_active, created_at) VALUES (:id, :email, 'Someone', 'x', 'member', :party_id, 'en',"
    " 'UTC', TRUE, CURRENT_TIMESTAMP)"
)
WORKING_TIME = (
    "SELECT code, work_days, work_start_minute, work_end_minute, holiday_country,"
    " holiday_subdivision FROM parties ORDER BY code"
)


def _populate() -> None:
    parties = [(1, "CL", "country"), (2, "IL", "country"), (3, "OAS", "organisation")]
    for party_id, code, kind in parties:
        db.session.execute(text(PARTY), {"id": party_id, "code": code, "kind": kind})
    for user_id, party_id in ((1, 1), (2, 2), (3, 3)):
        db.session.execute(
            text(USER), {"id": user_id, "email": f"u{user_id}@x.org", "party_id": party_id}
        )
    db.session.commit()


def _columns() -> set[str]:
    return {column["name"] for column in inspect(db.engine).get_columns("parties")}


def test_parties_get_working_time_going_up_and_lose_it_going_down(fresh_app):  # noqa: F811
    with fresh_app.app_context():
        upgrade(directory=MIGRATIONS, revision="0018_externals")
        _populate()

        upgrade(directory=MIGRATIONS, revision="0020_working_hours")
        assert db.session.execute(text(WORKING_TIME)).all() == [
            ("CL", "12345", 540, 1080, "CL", None),
            ("IL", "71234", 540, 1080, "IL", None),
            ("OAS", "12345", 540, 1080, None, None),  # follows the meeting's host
        ]
        db.session.commit()
        with pytest.raises(IntegrityError, match="working_hours"):
            db.session.execute(text("UPDATE parties SET work_end_minute = 480 WHERE code = 'CL'"))
        db.session.rollback()
        with pytest.raises(IntegrityError, match="working_hours"):
            db.session.execute(text("UPDATE parties SET work_days = NULL WHERE code = 'CL'"))
        db.session.rollback()

        downgrade(directory=MIGRATIONS, revision="0018_externals")
        assert "work_days" not in _columns() and "holiday_country" not in _columns()
        codes = db.session.execute(text("SELECT code FROM parties ORDER BY code")).scalars()
        assert list(codes) == ["CL", "IL", "OAS"]
        assert db.session.execute(text("SELECT count(*) FROM users")).scalar() == 3
        db.session.commit()

        upgrade(directory=MIGRATIONS)
        assert "work_days" in _columns()
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
