"""Every document route for every actor, on a TLP:GREEN document of the Chile–UK working group
uploaded by member_cl (so owned by Chile); and what each action changed."""

import io

import pytest
from sqlalchemy import select

from portal.core.tlp import TLP
from portal.documents.models import Document, DocumentVersion, document_followers
from tests.helpers.matrix import LOGIN, Action, assert_actions, assert_pages, each_actor

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
    "/documents/":                             (LOGIN, 200, 200, 200, 200, 200, 200, 404, 200, 200),
    "/documents/new":                          (LOGIN, 200, 200, 200, 200, 200, 403, 404, 200, 200),
}
ACTION_ANSWERS = {
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


def _second_file() -> tuple:
    """A fresh file per request: file streams are read once."""
    return (io.BytesIO(b"Second text"), "second.txt")


def _followed(session, ids) -> bool:
    return bool(session.execute(select(document_followers)).first())


def _renamed(session, ids) -> bool:
    return session.get(Document, ids["document"]).title == "Renamed protocol"


def _second_version(session, ids) -> bool:
    return session.scalar(select(DocumentVersion).where(DocumentVersion.number == 2)) is not None


def _uploaded(session, ids) -> bool:
    return session.scalar(select(Document).where(Document.title == "Uploaded")) is not None


ACTIONS = {
    "follow": Action("/documents/{document}/follow", {}, _followed),
    "edit": Action("/documents/{document}/edit", EDIT, _renamed),
    "new version": Action(
        "/documents/{document}/versions/new",
        lambda: {"file": _second_file(), "change_note": "Typos fixed"},
        _second_version,
    ),
    "upload to mou": Action(
        "/mous/{mou}/documents/new",
        lambda: {**EDIT, "title": "Uploaded", "file": _second_file()},
        _uploaded,
    ),
}


@pytest.fixture
def ids(world, make_document) -> dict:
    document = make_document(
        world.member_cl, mou=world.mou, group=world.group, tlp=TLP.GREEN, title="Protocol"
    )
    return {"mou": world.mou.id, "group": world.group.id, "document": document}


@each_actor
def test_document_pages(actor, ids, browser_for):
    assert_pages(browser_for, actor, PAGES, ids)


@each_actor
def test_document_actions_and_their_effect(actor, ids, browser_for, session):
    assert_actions(browser_for, session, actor, ACTIONS, ACTION_ANSWERS, ids)


def test_every_document_action_is_in_the_matrix():
    assert ACTIONS.keys() == ACTION_ANSWERS.keys()
