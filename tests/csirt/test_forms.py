"""Bad input on every CSIRT form: 422, a clear message, nothing written; the valid form passes;
Markdown is sanitised as minutes are; the list's filters refuse forged values."""

import io

import pytest

from portal.core.tlp import TLP
from tests.conftest import csrf_token
from tests.helpers.bad_input import CHOOSE, EMPTY, changed_tables, check_post, snapshot


def _publish_form(**changes) -> dict:
    fields = {
        "kind": "alert",
        "tlp": "amber",
        "severity": "high",
        "sectors": "energy",
        "title": "Campaña de phishing",
        "body_md": "Revise sus **registros**.",
        "indicators": "ipv4 192.0.2.10\ndomain malicious.example",
    }
    fields.update(changes)
    return {key: value for key, value in fields.items() if value is not None}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "This field is required."),
        ({"title": "x" * 10_000}, "Use at most 300 characters."),
        ({"title": "Two\r\nlines"}, "Use a single line of plain text."),
        ({"title": "Direction \u202eoverride"}, "Use a single line of plain text."),
        ({"kind": "rumour"}, CHOOSE),
        ({"kind": ""}, "Choose one of the options."),
        ({"tlp": "purple"}, CHOOSE),
        ({"severity": "apocalyptic"}, CHOOSE),
        ({"sectors": "casinos"}, CHOOSE),
        ({"body_md": "d" * 20_001}, "Use at most 20000 characters."),
        ({"indicators": "ipv4 999.1.1.1"}, "Line 1: This is not an IPv4 address"),
        ({"indicators": "domain bücher.example"}, "Line 1: Use plain ASCII characters"),
        ({"indicators": "sha256 " + "a" * 5000}, "Line 1: The value is too long"),
        ({"indicators": "mac 00:11:22:33:44:55"}, "Line 1: start with the type"),
        ({"indicators": "x" * 100_001}, "Use at most 100000 characters."),
        ({"reader_ids": "999999", "tlp": "red"}, CHOOSE),
    ],
)
def test_the_publish_form_refuses_bad_input(changes, message, csirts, login_as, session):
    browser = login_as(csirts.member_gb)  # English
    path = f"/mous/{csirts.mou.id}/csirt/bulletins/new"
    before = snapshot(session)
    data = {**_publish_form(**changes), "csrf_token": csrf_token(browser, path)}
    response = browser.post(path, data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert changed_tables(before, snapshot(session)) == []


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "The file is empty."),
        (
            "page.pdf",
            b"<html><script>alert(1)</script></html>",
            "This kind of file is not accepted",
        ),
    ],
)
def test_the_publish_form_refuses_bad_files(name, content, message, csirts, login_as, session):
    browser = login_as(csirts.member_gb)  # English
    path = f"/mous/{csirts.mou.id}/csirt/bulletins/new"
    before = snapshot(session)
    data = {
        **_publish_form(),
        "files": (io.BytesIO(content), name),
        "csrf_token": csrf_token(browser, path),
    }
    response = browser.post(path, data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert changed_tables(before, snapshot(session)) == []


def test_hostile_markdown_never_reaches_the_page(csirts, login_as, session):
    browser = login_as(csirts.member_gb)  # English
    path = f"/mous/{csirts.mou.id}/csirt/bulletins/new"
    body = "<script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)>"
    data = {**_publish_form(body_md=body, tlp="green"), "csrf_token": csrf_token(browser, path)}
    response = browser.post(path, data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "<script>alert" not in page and 'href="javascript:' not in page
    assert "<img src=x" not in page


def test_the_import_form_refuses_a_missing_file(csirts, login_as, session):
    browser = login_as(csirts.member_gb)  # English
    path = f"/mous/{csirts.mou.id}/csirt/bulletins/import"
    before = snapshot(session)
    response = browser.post(path, data={"csrf_token": csrf_token(browser, path)})
    assert response.status_code == 422
    assert "Choose a file to upload." in response.get_data(as_text=True)
    assert changed_tables(before, snapshot(session)) == []


def test_the_answer_form_refuses_bad_input(csirts, make_bulletin, login_as, session):
    bulletin = make_bulletin(csirts.member_cl, mou=csirts.mou, tlp=TLP.GREEN)
    page = f"/csirt/bulletins/{bulletin}"
    check_post(
        session,
        login_as(csirts.member_gb),
        f"{page}/acknowledge",
        page,
        {"answer": "received", "note": "Recibido."},
        [
            (EMPTY, {}, "Choose one of the options."),
            ("forged answer", {"answer": "ignored"}, CHOOSE),
            ("long note", {"note": "n" * 1001}, "Use at most 1000 characters."),
        ],
    )


def test_forged_filters_show_the_list_with_a_message(csirts, login_as):
    response = login_as(csirts.member_gb).get("/csirt/bulletins?kind=rumour&mou=abc")
    assert response.status_code == 422
    assert CHOOSE in response.get_data(as_text=True)
