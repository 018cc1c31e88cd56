"""Every document route for every actor, on a TLP:GREEN document of the Chile–UK working group
uploaded by member_cl (so owned by Chile); and what each action changed."""

import io

import pytest
from sqlalchemy import select

from portal.core.tlp import TLP
from portal.documents.models import Document, DocumentVersion, document_followers
from tests.conftest import csrf_token
from tests.security.matrix import ACTORS, LOGIN, column, fill, outcome

# Columns: anon, admin, coord CL, coord GB, member CL (in group, author), member CL outside,
#          observer GB, external CL, member CO, coordinator CO.
# fmt: off
PAGES = {
    "/mous/{mou}/documents":                   (LOGIN, 200, 200, 200, 200, 200, 200, 404, 404, 404),
    "/working-groups/{group}/documents":       (LOGIN, 200, 200, 200, 200, 404, 200, 404, 404, 404),
    "/mous/{mou}/documents/new":               (LOGIN, 200, 200, 200, 200, 200, 403, 404, 404, 404),
    "/working-groups/{group}/documents/new":   (LOGIN, 200, 200, 200, 200, 404, 403, 404, 404, 404),
    "/documents/{document}":                   (LOGIN, 200, 200, 200, 200, 200, 200, 404, 404, 404),
    "/documents/{document}/versions/1/download": (LOGIN, 200, 200, 200, 200, 200, 200, 404, 404, 404),  # noqa: E501
    "/documents/{document}/edit":              (LOGIN, 200, 200, 403, 200, 403, 403, 404, 404, 404),
    "/documents/{document}/versions/new":      (LOGIN, 200, 200, 403, 200, 403, 403, 404, 404, 404),
    "/documents/search?q=protocol":            (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200, 200),
}
ACTIONS = {
    "follow":        (LOGIN, 302, 302, 302, 302, 302, 302, 404, 404, 404),
    "edit":          (LOGIN, 302, 302, 403, 302, 403, 403, 404, 404, 404),
    "new version":   (LOGIN, 302, 302, 403, 302, 403, 403, 404, 404, 404),
    "upload to mou": (LOGIN, 302, 302, 302, 302, 302, 403, 404, 404, 404),
}
# fmt: on

EDIT = {
    "title": "Renamed protocol",
    "language": "en",
    "category": "protocol",
    "tlp": "green",
    "description_md": "",
    "tags": "",
}


def _action(name: str, ids: dict) -> tuple[str, dict]:
    """A fresh request body per call: file streams are read once."""
    file = (io.BytesIO(b"Second text"), "second.txt")
    return {
        "follow": ("/documents/{document}/follow", {}),
        "edit": ("/documents/{document}/edit", EDIT),
        "new version": (
            "/documents/{document}/versions/new",
            {"file": file, "change_note": "Typos fixed"},
        ),
        "upload to mou": ("/mous/{mou}/documents/new", {**EDIT, "title": "Uploaded", "file": file}),
    }[name]


def _done(name: str, session, ids: dict) -> bool:
    session.rollback()
    if name == "follow":
        return bool(session.execute(select(document_followers)).first())
    if name == "edit":
        return session.get(Document, ids["document"]).title == "Renamed protocol"
    if name == "new version":
        return (
            session.scalar(select(DocumentVersion).where(DocumentVersion.number == 2)) is not None
        )
    return session.scalar(select(Document).where(Document.title == "Uploaded")) is not None


@pytest.fixture
def ids(world, make_document) -> dict:
    document = make_document(
        world.member_cl, mou=world.mou, group=world.group, tlp=TLP.GREEN, title="Protocol"
    )
    return {"mou": world.mou.id, "group": world.group.id, "document": document}


@pytest.mark.parametrize("actor", ACTORS)
def test_document_pages(actor, ids, browser_for):
    browser = browser_for(actor)
    answers = {}
    for path in PAGES:
        response = browser.get(fill(path, ids))
        answers[path] = outcome(response)
        response.close()
    assert answers == column(PAGES, actor)


@pytest.mark.parametrize("actor", ACTORS)
def test_document_actions_and_their_effect(actor, ids, browser_for, session):
    browser = browser_for(actor)
    token = csrf_token(browser, "/auth/login" if actor == "anonymous" else "/account/")
    results, expected = {}, {}
    for name in ACTIONS:
        path, data = _action(name, ids)
        response = browser.post(fill(path, ids), data={"csrf_token": token, **data})
        results[name] = (outcome(response), _done(name, session, ids))
        answer = column(ACTIONS, actor)[name]
        expected[name] = (answer, answer == 302)
    assert results == expected
