"""Revision 0018_externals: external participants leave their delegation going up, and get one
back going down (their inviter's, else the first party), on a populated database."""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from portal.core.extensions import db
from tests.conftest import MIGRATIONS
from tests.helpers.migrations import fresh_app  # noqa: F401  (a fixture)

USER = (
    "INSERT INTO users (id, email, name, password_hash, role, party_id, language, timezone,"
    " is_active, created_at) VALUES (:id, :email, 'Someone', 'x', :role, :party_id, 'en', 'UTC',"
    " TRUE, CURRENT_TIMESTAMP)"
)
INVITATION = (
    "INSERT INTO invitations (email, party_id, role, language, token_hash, invited_by_id,"
    " created_at, expires_at, accepted_at) VALUES (:email, :party_id, 'external', 'en', :token,"
    " 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, :accepted_at)"
)


PARTY_IDS = {
    "users": "SELECT email, party_id FROM users ORDER BY email",
    "invitations": "SELECT email, party_id FROM invitations ORDER BY email",
}


def _party_ids(table: str) -> dict[str, int | None]:
    rows = db.session.execute(text(PARTY_IDS[table]))
    return dict(rows.all())


def _populate() -> None:
    """CL (1) and GB (2); a GB coordinator invited one external, another came otherwise."""
    for party_id, code in ((1, "CL"), (2, "GB")):
        db.session.execute(
            text(
                "INSERT INTO parties (id, code, kind, name_en, name_es, timezone, language)"
                " VALUES (:id, :code, 'country', :code, :code, 'UTC', 'en')"
            ),
            {"id": party_id, "code": code},
        )
    people = [
        (1, "coord.gb@example.org", "coordinator", 2),
        (2, "invited@example.org", "external", 1),
        (3, "uninvited@example.org", "external", 1),
    ]
    for user_id, email, role, party_id in people:
        db.session.execute(
            text(USER), {"id": user_id, "email": email, "role": role, "party_id": party_id}
        )
    db.session.execute(
        text(INVITATION),
        {"email": "invited@example.org", "party_id": 1, "token": "a" * 64, "accepted_at": None},
    )
    db.session.execute(
        text(INVITATION),
        {"email": "open@example.org", "party_id": 1, "token": "b" * 64, "accepted_at": None},
    )
    db.session.execute(
        text("UPDATE invitations SET accepted_at = CURRENT_TIMESTAMP WHERE token_hash = :t"),
        {"t": "a" * 64},
    )
    db.session.commit()


def test_externals_leave_their_party_going_up_and_get_their_inviters_back_going_down(
    fresh_app,  # noqa: F811
):
    with fresh_app.app_context():
        upgrade(directory=MIGRATIONS, revision="0017_series")
        _populate()

        upgrade(directory=MIGRATIONS)
        assert _party_ids("users") == {
            "coord.gb@example.org": 2,
            "invited@example.org": None,
            "uninvited@example.org": None,
        }
        assert _party_ids("invitations") == {"invited@example.org": None, "open@example.org": None}
        db.session.commit()
        with pytest.raises(IntegrityError, match="party_by_role"):
            db.session.execute(
                text(USER), {"id": 9, "email": "m@example.org", "role": "member", "party_id": None}
            )
        db.session.rollback()

        downgrade(directory=MIGRATIONS, revision="0017_series")
        # The inviting coordinator's party; without an inviter, the first party.
        assert _party_ids("users") == {
            "coord.gb@example.org": 2,
            "invited@example.org": 2,
            "uninvited@example.org": 1,
        }
        assert _party_ids("invitations") == {"invited@example.org": 2, "open@example.org": 2}
        db.session.commit()
        with pytest.raises(IntegrityError):
            db.session.execute(
                text(USER), {"id": 9, "email": "m@example.org", "role": "member", "party_id": None}
            )
        db.session.rollback()

        upgrade(directory=MIGRATIONS)
        assert _party_ids("users")["invited@example.org"] is None
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
