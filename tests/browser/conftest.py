"""A live server on a free loopback port and Debian's Chromium driven by Playwright."""

import threading

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

# The browser tests drive the whole stack through a real server and a real browser: each
# module is marked one_backend (tests/conftest.py), so they run once per run, on PostgreSQL
# when the run has it. The server-side tests cover both backends.

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture(scope="session")
def chromium():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(locale="en-GB")
    yield context.new_page()
    context.close()
