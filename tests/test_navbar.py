"""The navigation bar, rendered once per language and account: never another person's."""

import re

from flask_login import login_user

from portal.accounts.models import User
from portal.core.extensions import db
from portal.web import navigation
from tests.conftest import post
from tests.helpers.shown_fields import recorded_reads


def _nav(page: str) -> str:
    return page[page.index("<nav") : page.index("</nav>")]


def test_the_bar_shows_each_readers_own_account_and_links(world, login_as, session):
    world.member_gb.language = world.admin.language = "en"
    session.commit()
    member = _nav(login_as(world.member_gb).get("/").get_data(as_text=True))
    admin = _nav(login_as(world.admin).get("/").get_data(as_text=True))
    assert f"{world.member_gb.name} · GB" in member and "Audit log" not in member
    assert "Audit log" in admin and world.member_gb.name not in admin


def test_a_renamed_person_sees_the_new_name_at_once(world, login_as, session):
    browser = login_as(world.member_gb)
    browser.get("/")
    world.member_gb.name = "Emily Renamed"
    session.commit()
    assert "Emily Renamed · GB" in _nav(browser.get("/").get_data(as_text=True))


def test_the_language_switch_returns_to_the_page_it_was_used_on(world, login_as, session):
    world.member_gb.language = "en"
    session.commit()
    browser = login_as(world.member_gb)
    page = browser.get("/mous/?page=1").get_data(as_text=True)
    next_path = re.search(r'name="next" value="([^"]*)"', page).group(1)
    assert next_path == "/mous/?page=1"
    response = post(browser, "/language", {"language": "es", "next": next_path}, token_from="/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/mous/?page=1")
    assert "Cerrar sesión" in _nav(browser.get("/mous/").get_data(as_text=True))


def test_everything_the_bar_reads_of_the_account_is_in_its_key(app, world):
    """The bar is kept per account key: a field it reads but the key lacks would show one
    person's old value after a change, so the rendering is recorded and checked."""
    key_fields = {("User", "id"), ("User", "name"), ("User", "party"), ("User", "role")}
    key_fields |= {("User", "party_id"), ("Party", "code")}
    # The key's language; and only an active account is logged in (else the key is None).
    key_fields |= {("User", "language"), ("User", "is_active")}
    for person in (world.admin, world.coordinator_gb, world.member_gb, world.external_cl):
        with app.test_request_context():
            user = db.session.get(User, person.id)
            login_user(user)
            with recorded_reads() as reads:
                navigation._render_navbar()
        assert {(model.__name__, field) for model, field in reads} <= key_fields
