"""Bad input for the forms: post each bad variant, see it refused with its message, and
compare every table before and after to prove nothing was written."""

import html
import re

from sqlalchemy import Text, cast, func, literal, select, tuple_, union_all
from sqlalchemy.dialects.postgresql import aggregate_order_by

from portal.core.extensions import db
from tests.conftest import csrf_token

LONG = "x" * 10_000
EMPTY = "(empty submission)"
CHOOSE = "Choose one of the options in the list."
ERROR = re.compile(
    r'class="(?:invalid-feedback|text-danger small|alert alert-danger)"[^>]*>([^<]*)<'
)


# What any request may write as it reads: the login session's last use, written once a minute
# (portal/accounts/sessions.py), so a slow run (a fuzz test's many examples) crosses it.
BOOKKEEPING = {"user_sessions": {"last_seen_at"}}


def snapshot(session) -> dict[str, object]:
    """What every table holds, as the test's own session reads it now (but for the
    bookkeeping columns above): comparable with another snapshot by changed_tables. On
    PostgreSQL a digest of each table's rows, all tables in one statement (a fuzz test takes
    two snapshots per example: sixty round trips each were most of its time); on SQLite the
    rows themselves."""
    if session.get_bind().dialect.name == "postgresql":
        digests = {name: digest for name, digest in session.execute(_digest_statement())}
        session.rollback()
        return digests
    rows = {
        table.name: [
            tuple(row)
            for row in session.execute(
                select(*_compared_columns(table)).order_by(*table.primary_key.columns)
            )
        ]
        for table in db.metadata.sorted_tables
    }
    session.rollback()
    return rows


def _digest_statement():
    """(table, md5 of its rows as text in primary-key order) for every table."""
    return union_all(
        *(
            select(
                literal(table.name).label("name"),
                func.md5(
                    func.coalesce(
                        func.string_agg(
                            cast(tuple_(*_compared_columns(table), literal(0)), Text),
                            aggregate_order_by(literal("\n"), *table.primary_key.columns),
                        ),
                        "",
                    )
                ).label("digest"),
            ).select_from(table)
            for table in db.metadata.sorted_tables
        )
    )


def _compared_columns(table) -> list:
    ignored = BOOKKEEPING.get(table.name, set())
    return [column for column in table.columns if column.name not in ignored]


def changed_tables(before: dict, after: dict) -> list[str]:
    return [name for name in before if before[name] != after[name]]


def shown_errors(response) -> list[str]:
    return [html.unescape(e).strip() for e in ERROR.findall(response.get_data(as_text=True))]


def check_form(session, client, path, valid, cases, *, csrf_field="csrf_token"):
    """Post each bad variant (refused, nothing written), then the valid data (accepted)."""
    problems = []
    for label, changes, message in cases:
        if label == EMPTY:
            data = {k: v if k == "form" else "" for k, v in valid.items()}
        else:
            data = {**valid, **changes}
        token = csrf_token(client, path)
        before = snapshot(session)
        response = client.post(path, data={csrf_field: token, **data})
        errors = shown_errors(response)
        if response.status_code != 422:
            problems.append(f"{label}: answered {response.status_code}, not 422")
        if message not in errors:
            problems.append(f"{label}: {message!r} not among the errors shown {errors}")
        written = changed_tables(before, snapshot(session))
        if written:
            problems.append(f"{label}: wrote to {written}")
    assert not problems, "\n".join(problems)

    before = snapshot(session)
    response = client.post(path, data={csrf_field: csrf_token(client, path), **valid})
    assert response.status_code == 302, shown_errors(response)
    return changed_tables(before, snapshot(session))


def check_post(session, client, path, page, valid, cases):
    """Each bad variant is refused with its message and writes nothing; the valid data passes."""
    problems = []
    for label, changes, message in cases:
        data = {k: "" for k in valid} if label == EMPTY else {**valid, **changes}
        before = snapshot(session)
        response = client.post(path, data={"csrf_token": csrf_token(client, page), **data})
        if response.status_code != 422:
            problems.append(f"{label}: answered {response.status_code}, not 422")
        if message not in shown_errors(response):
            problems.append(f"{label}: {message!r} not in {shown_errors(response)}")
        if written := changed_tables(before, snapshot(session)):
            problems.append(f"{label}: wrote to {written}")
    assert not problems, "\n".join(problems)
    response = client.post(path, data={"csrf_token": csrf_token(client, page), **valid})
    assert response.status_code == 302, shown_errors(response)
