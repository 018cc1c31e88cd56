"""Rows as the app committed them: counting, and proving a secret is stored nowhere."""

from sqlalchemy import func, select


def count(session, model, *where) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model).where(*where))


def assert_not_stored(session, model, secret: str) -> None:
    """No column of any row of the model's table holds the secret, whole or in part."""
    rows = session.execute(select(model.__table__)).all()
    assert rows
    for row in rows:
        for value in row:
            assert secret not in str(value)
            assert secret[:16] not in str(value)
