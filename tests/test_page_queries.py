"""The SQL statements of every page `make bench` measures do not grow with the data.

`flask bench-seed` (bench/ministry.py) seeds the same ministry at two scales, ten times
apart; each page of bench/pages.py is opened as the demo member and the demo coordinator,
on the first and the last value their picker gives (objects differ: a training with a
group shows it), each once to warm what a running server keeps and once counted; the most
statements of the two is compared. Run once: on PostgreSQL when the suite has it, else on SQLite.
"""

import shutil

import pytest

from bench.cli import seed_database
from bench.pages import PAGES, ROLES, pick_all
from portal.accounts.models import User
from portal.api.models import TokenScope
from portal.api.services import TokenRequest, create_token
from portal.core.extensions import db
from tests.conftest import build_app, empty_postgres, login
from tests.helpers.statements import count_statements

SCALES = (0.0005, 0.005)
PASSWORD = "bench-queries-2026"
CASES = [(page.name, role) for page in PAGES for role in ROLES if role in page.roles]


def _counts(backend, folder, scale: float) -> dict[tuple[str, str], tuple[int, str, int]]:
    """(page, role) → (most statements of a second request, its path, the statuses)."""
    if backend["name"] == "sqlite":
        copy = folder / f"scale-{scale}.sqlite3"
        shutil.copyfile(backend["template"], copy)
        url = f"sqlite:///{copy}"
    else:
        url = backend["url"]
    app = build_app(url, folder / f"instance-{scale}")
    with app.app_context():
        if backend["name"] == "postgresql":
            empty_postgres()
        seed_database(scale, PASSWORD)
        picked = pick_all()
        tokens = {role: _api_token(email) for role, email in ROLES.items()}
        people = {
            role: db.session.scalar(db.select(User).filter_by(email=e)) for role, e in ROLES.items()
        }
        db.session.remove()
    counted = {}
    for role, person in people.items():
        client = app.test_client()
        login(client, person, PASSWORD)
        for page in PAGES:
            if role not in page.roles:
                continue
            values = picked[role][page.name]
            found = []
            headers = {"Authorization": tokens[role]} if page.by_token else {}
            for value in {values[0], values[-1]}:
                path = page.path % value
                client.get(path, headers=headers)
                with count_statements(app) as statements:
                    status = client.get(path, headers=headers).status_code
                found.append((len(statements), path, status))
            most = max(found)
            statuses = {f[2] for f in found}
            counted[(page.name, role)] = (most[0], most[1], statuses)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return counted


def _api_token(email: str) -> str:
    """The Authorization header of a read token of the person (API pages)."""
    person = db.session.scalar(db.select(User).filter_by(email=email))
    _token, secret = create_token(db.session, person, TokenRequest("queries", TokenScope.READ, 7))
    db.session.commit()
    return f"Bearer {secret}"


@pytest.fixture(scope="module")
def measured(backend, tmp_path_factory):
    folder = tmp_path_factory.mktemp("page-queries")
    return [_counts(backend, folder, scale) for scale in SCALES]


@pytest.mark.one_backend
@pytest.mark.parametrize(("page", "role"), CASES)
def test_statements_do_not_grow_with_the_data(measured, page, role):
    small, large = (scale[(page, role)] for scale in measured)
    assert small[2] == large[2] == {200}, f"{small[1]} → {small[2]}, {large[1]} → {large[2]}"
    assert large[0] <= small[0], (
        f"{page} as {role}: {small[0]} statements at {SCALES[0]}× ({small[1]}), "
        f"{large[0]} at {SCALES[1]}× ({large[1]})"
    )
