"""Arbitrary text in the CSIRT forms (publish, answer, the list's filters, a STIX bundle):
never a 500; refused input writes nothing."""

import io

import pytest
from hypothesis import given
from sqlalchemy import func, select

from portal.core.tlp import TLP
from portal.csirt.models import Acknowledgement, Bulletin
from tests.conftest import csrf_token
from tests.helpers.fuzz import FUZZ, TEXT

# How a form answers arbitrary text does not depend on the backend:
# run once, on PostgreSQL when it answers (ONE_BACKEND, tests/conftest.py), so that
# the suite's time goes where the backends differ.
pytestmark = pytest.mark.one_backend


@pytest.fixture
def publisher(csirts, login_as):
    return login_as(csirts.member_gb)


def _bulletins(session) -> int:
    session.rollback()
    return session.scalar(select(func.count()).select_from(Bulletin))


@FUZZ
@given(title=TEXT, body=TEXT, indicators=TEXT, kind=TEXT, tlp=TEXT)
def test_the_publish_form_survives_any_text(
    publisher, csirts, session, title, body, indicators, kind, tlp
):
    path = f"/mous/{csirts.mou.id}/csirt/bulletins/new"
    before = _bulletins(session)
    data = {
        "title": title,
        "body_md": body,
        "indicators": indicators,
        "kind": kind,
        "tlp": tlp,
        "severity": "low",
        "csrf_token": csrf_token(publisher, path),
    }
    response = publisher.post(path, data=data)
    assert response.status_code in (302, 422), response.status_code
    assert _bulletins(session) == before + (response.status_code == 302)


@FUZZ
@given(content=TEXT)
def test_the_import_form_survives_any_bundle_text(publisher, csirts, session, content):
    path = f"/mous/{csirts.mou.id}/csirt/bulletins/import"
    before = _bulletins(session)
    data = {
        "file": (io.BytesIO(content.encode("utf-8", "surrogatepass")), "bundle.json"),
        "csrf_token": csrf_token(publisher, path),
    }
    response = publisher.post(path, data=data, content_type="multipart/form-data")
    assert response.status_code == 422, response.status_code
    assert _bulletins(session) == before


@FUZZ
@given(answer=TEXT, note=TEXT, query=TEXT)
def test_the_answer_form_and_filters_survive_any_text(
    csirts, make_bulletin, login_as, session, answer, note, query
):
    browser = login_as(csirts.member_gb)
    bulletin = make_bulletin(csirts.member_cl, mou=csirts.mou, tlp=TLP.GREEN, mail=False)
    page = f"/csirt/bulletins/{bulletin}"
    response = browser.post(
        f"{page}/acknowledge",
        data={"answer": answer, "note": note, "csrf_token": csrf_token(browser, page)},
    )
    assert response.status_code in (302, 422), response.status_code
    session.rollback()
    answered = session.scalar(select(func.count()).select_from(Acknowledgement))
    assert answered == (1 if response.status_code == 302 else answered)
    listing = browser.get("/csirt/bulletins", query_string={"kind": query, "mou": query})
    assert listing.status_code in (200, 422)
