"""The demo data command, the production settings guard, and behaviour with the database down."""

import secrets
from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from config import DEFAULT_SECRET_KEY, ProductionConfig
from portal import create_app
from portal.accounts.models import Party, User
from portal.core.extensions import db
from portal.mous.models import Mou
from tests.conftest import CSRF_FIELD, build_app, login
from tests.helpers.demo import DEMO_PASSWORD, run_cli, seed_demo

DEMO_ACCOUNTS = {
    "admin@demo.portal",
    "coordinator.cl@demo.portal",
    "coordinator.gb@demo.portal",
    "coordinator.co@demo.portal",
    "member.cl@demo.portal",
    "member.gb@demo.portal",
    "member.co@demo.portal",
    "observer.gb@demo.portal",
}
CHILE_UK = "Memorandum of Understanding on Cybersecurity between Chile and the United Kingdom"
PRODUCTION_HOST = "portal.example.org"
PRODUCTION_URL = f"https://{PRODUCTION_HOST}"
DOWN_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:1/nothing"


def _row_counts(engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table.name: connection.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables
        }


def _password_hashes(engine) -> dict[str, str]:
    with engine.connect() as connection:
        return dict(connection.execute(select(User.email, User.password_hash)).all())


def _mou(session, *codes) -> list[Mou]:
    mous = session.scalars(select(Mou)).all()
    return [m for m in mous if sorted(p.code for p in m.parties) == sorted(codes)]


# seed-demo ------------------------------------------------------------------------------


def test_seed_demo_loads_the_model_agreements(app, session):
    result = seed_demo(app)
    assert result.exit_code == 0, result.output
    for email in DEMO_ACCOUNTS:
        assert email in result.output

    codes = set(session.scalars(select(Party.code)))
    assert codes == {"CL", "GB", "CO", "ES", "IL", "AR", "EC", "OAS"}

    [chile_uk] = _mou(session, "CL", "GB")
    assert chile_uk.title_en == CHILE_UK
    assert chile_uk.signed_on == date(2019, 9, 11)
    assert chile_uk.signing_place == "London"
    assert {s.name for s in chile_uk.signatories} == {"Felipe Larraín", "Andrew Stephenson"}
    assert len(chile_uk.lines) == 4
    assert [g.name_en for g in chile_uk.working_groups] == ["Binational Working Group"]

    [chile_colombia] = _mou(session, "CL", "CO")
    assert len(chile_colombia.working_groups) == 5
    assert len(chile_colombia.lines) == 5

    others = [m for m in session.scalars(select(Mou)) if m not in (chile_uk, chile_colombia)]
    assert len(others) == 5
    assert all(m.working_groups == [] for m in others)
    assert {p.code for m in others for p in m.parties} == {"CL", "ES", "IL", "AR", "EC", "OAS"}

    assert set(session.scalars(select(User.email))) == DEMO_ACCOUNTS


def test_seed_demo_twice_changes_nothing(app, engine):
    assert seed_demo(app).exit_code == 0
    counts, hashes = _row_counts(engine), _password_hashes(engine)
    assert counts["parties"] == 8 and counts["users"] == 8

    again = seed_demo(app)
    assert again.exit_code == 0, again.output
    assert "member.cl@demo.portal" in again.output
    assert _row_counts(engine) == counts
    assert _password_hashes(engine) == hashes


def test_seed_demo_without_a_password_is_a_usage_error(app, engine, monkeypatch):
    monkeypatch.delenv("PORTAL_DEMO_PASSWORD", raising=False)
    result = run_cli(app, "seed-demo")
    assert result.exit_code == 2
    assert "Usage:" in result.output
    assert "--password" in result.output
    assert _row_counts(engine)["parties"] == 0


def test_demo_accounts_can_log_in_with_the_given_password(app):
    assert seed_demo(app).exit_code == 0
    browser = app.test_client()
    login(browser, SimpleNamespace(email="member.cl@demo.portal"), DEMO_PASSWORD)
    page = browser.get("/").get_data(as_text=True)
    assert "Javiera Soto" in page
    assert "Memorándum de Entendimiento sobre Ciberseguridad entre Chile y el Reino Unido" in page


# Production settings --------------------------------------------------------------------


@pytest.fixture
def production_settings(database_url, tmp_path, monkeypatch) -> dict:
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    return {
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DEBUG": False,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "TRUSTED_HOSTS": [PRODUCTION_HOST],
        "INSTANCE_PATH": str(tmp_path / "production-instance"),
    }


@pytest.fixture
def production_app(production_settings):
    app = create_app(ProductionConfig(), production_settings)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize(
    ("override", "complaint"),
    [
        ({"SECRET_KEY": DEFAULT_SECRET_KEY}, "SECRET_KEY"),
        ({"SECRET_KEY": "short-but-not-empty"}, "SECRET_KEY"),
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"DEBUG": True}, "DEBUG"),
        ({"SQLALCHEMY_DATABASE_URI": None}, "DATABASE_URL"),
        ({"TRUSTED_HOSTS": []}, "TRUSTED_HOSTS"),
    ],
    ids=["default-key", "short-key", "empty-key", "debug", "no-database", "no-trusted-hosts"],
)
def test_production_refuses_unsafe_settings(production_settings, override, complaint):
    with pytest.raises(RuntimeError, match=complaint):
        create_app(ProductionConfig(), {**production_settings, **override})


def test_production_refuses_flask_debug_from_the_environment(production_settings, monkeypatch):
    monkeypatch.setenv("FLASK_DEBUG", "1")
    with pytest.raises(RuntimeError, match="DEBUG"):
        create_app(ProductionConfig(), production_settings)


def test_production_cookies_are_secure_and_hsts_is_sent(production_app, world):
    browser = production_app.test_client()
    page = browser.get("/auth/login", base_url=PRODUCTION_URL)
    assert page.status_code == 200
    assert page.headers["Strict-Transport-Security"].startswith("max-age=")
    assert int(page.headers["Strict-Transport-Security"].split(";")[0].split("=")[1]) >= 15552000
    token = CSRF_FIELD.search(page.get_data(as_text=True))
    response = browser.post(
        "/auth/login",
        base_url=PRODUCTION_URL,
        headers={"Referer": f"{PRODUCTION_URL}/auth/login"},  # checked on HTTPS, as browsers send
        data={
            "email": world.member_gb.email,
            "password": "correct horse battery staple",
            "csrf_token": token.group(1) or token.group(2),
        },
    )
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("session=")
    assert "; Secure" in cookie
    assert "HttpOnly" in cookie
    assert browser.get("/", base_url=PRODUCTION_URL).status_code == 200


def test_production_refuses_a_forged_host(production_app):
    browser = production_app.test_client()
    assert browser.get("/auth/login", base_url=PRODUCTION_URL).status_code == 200
    forged = browser.get("/auth/login", base_url="https://evil.example")
    assert forged.status_code == 400
    assert "evil.example" not in forged.get_data(as_text=True)
    header = browser.get("/auth/forgot", base_url=PRODUCTION_URL, headers={"Host": "evil.example"})
    assert header.status_code == 400


def test_seed_demo_refuses_under_production(production_app, engine):
    result = seed_demo(production_app)
    assert result.exit_code != 0
    assert "production" in result.output
    assert _row_counts(engine)["parties"] == 0


# The database is down -------------------------------------------------------------------


@pytest.fixture
def app_without_database(tmp_path):
    app = build_app(
        DOWN_DATABASE,
        tmp_path / "instance",
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True, "connect_args": {"connect_timeout": 2}},
    )
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_healthz_reports_the_database_down(app_without_database):
    response = app_without_database.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.is_json
    assert response.get_json() == {"status": "unavailable", "database": "down"}


def test_healthz_reports_the_database_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "up"}


def test_login_page_needs_no_database(app_without_database):
    response = app_without_database.test_client().get("/auth/login")
    assert response.status_code == 200
    assert 'name="password"' in response.get_data(as_text=True)


def test_pages_answer_a_503_page_while_the_database_is_down(app_without_database):
    browser = app_without_database.test_client()
    with browser.session_transaction() as cookie_session:
        cookie_session["_user_id"] = "1"
        cookie_session["sid"] = "a-session-token-from-before-the-outage"
    for path in ("/", "/mous/", "/mous/1"):
        response = browser.get(path)
        assert response.status_code == 503, path
        page = response.get_data(as_text=True)
        assert "The portal is briefly unavailable" in page
        assert "Traceback" not in page
        assert "OperationalError" not in page
        assert response.headers["X-Request-ID"] in page


def test_login_attempt_while_the_database_is_down_answers_503(app_without_database):
    browser = app_without_database.test_client()
    page = browser.get("/auth/login").get_data(as_text=True)
    token = CSRF_FIELD.search(page)
    response = browser.post(
        "/auth/login",
        data={
            "email": "member.cl@demo.portal",
            "password": DEMO_PASSWORD,
            "csrf_token": token.group(1) or token.group(2),
        },
    )
    assert response.status_code == 503
    assert "The portal is briefly unavailable" in response.get_data(as_text=True)
