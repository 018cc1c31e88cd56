"""The demo says how to log in as an administrator or a coordinator, second factor included."""

import re

from sqlalchemy import select

from portal.accounts.models import User
from tests.conftest import SECOND_FACTOR_PATH, csrf_token
from tests.helpers.demo import DEMO_PASSWORD, run_cli, seed_demo

COORDINATOR = "coordinator.cl@demo.portal"
KEY = "KRUGKIDROVUWG2ZAMJZG653OEBTG66BA"


def test_seed_demo_enrols_the_key_holders_and_prints_how_to_log_in(app, session):
    result = run_cli(app, "seed-demo", "--password", DEMO_PASSWORD, "--totp-secret", KEY)
    assert result.exit_code == 0, result.output
    assert KEY in result.output
    assert "flask demo-code admin@demo.portal" in result.output
    enrolled = dict(session.execute(select(User.email, User.totp_secret)).all())
    assert enrolled[COORDINATOR] == enrolled["admin@demo.portal"] == KEY
    assert enrolled["member.cl@demo.portal"] is None


def test_a_coordinator_logs_in_with_the_code_demo_code_prints(app):
    assert seed_demo(app).exit_code == 0  # a random key this time
    browser = app.test_client()
    data = {"email": COORDINATOR, "password": DEMO_PASSWORD, "csrf_token": csrf_token(browser)}
    assert browser.post("/auth/login", data=data).headers["Location"] == SECOND_FACTOR_PATH
    printed = run_cli(app, "demo-code", COORDINATOR)
    assert printed.exit_code == 0, printed.output
    code = printed.output.strip()
    assert re.fullmatch(r"[0-9]{6}", code)
    token = csrf_token(browser, SECOND_FACTOR_PATH)
    answer = browser.post(SECOND_FACTOR_PATH, data={"code": code, "csrf_token": token})
    assert answer.headers["Location"] == "/"
    assert browser.get("/").status_code == 200
    assert run_cli(app, "demo-code", COORDINATOR).output.strip() != code  # never the same twice


def test_demo_code_refuses_under_production(app):
    assert seed_demo(app).exit_code == 0
    app.config["PORTAL_ENV"] = "production"
    result = run_cli(app, "demo-code", COORDINATOR)
    assert result.exit_code != 0
    assert "production" in result.output
