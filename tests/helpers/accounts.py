"""Accounts through their pages: a password reset from the mail to the new password, and
enrolment in the second factor as a person would do it."""

import re

import pyotp

from tests.conftest import csrf_token, login, post
from tests.factories import PASSWORD
from tests.helpers.mail import link_in, send_outbox

RESET_PASSWORD = "another long passphrase here"


def forgot_password(client, email):
    return client.post(
        "/auth/forgot",
        data={"email": email, "csrf_token": csrf_token(client, "/auth/forgot")},
        follow_redirects=True,
    )


def reset_link(app, client, user) -> str:
    response = forgot_password(client, user.email)
    assert response.status_code == 200
    (mail,) = send_outbox(app)
    assert mail["To"] == user.email
    return link_in(app, mail, "/auth/reset/")


def set_password(client, link, password=RESET_PASSWORD, confirm=None):
    return client.post(
        link,
        data={
            "password": password,
            "confirm": password if confirm is None else confirm,
            "csrf_token": csrf_token(client, link),
        },
    )


def secret_on_the_page(page: str) -> str:
    return re.search(r'<code class="user-select-all">([A-Z2-7 ]+)</code>', page).group(1)


def enrol_through_the_pages(app, user) -> list[str]:
    """Log in, set up the app as the person would, return the recovery codes shown."""
    browser = app.test_client()
    login(browser, user)
    page = browser.get("/account/two-factor/setup").get_data(as_text=True)
    secret = secret_on_the_page(page).replace(" ", "")
    data = {"password": PASSWORD, "code": pyotp.TOTP(secret).now()}
    shown = post(browser, "/account/two-factor/setup", data, token_from="/account/two-factor/setup")
    assert shown.status_code == 200, shown.get_data(as_text=True)[:2000]
    return re.findall(r"<li>([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4})</li>", shown.text)
