"""Bad input on every document form (422, a clear message, nothing written); TLP changes
(tighten, loosen, audited); the new-version mail to followers."""

import io

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.core.tlp import TLP
from portal.documents.models import Document, DocumentVersion
from portal.notifications.models import OutboxMessage
from tests.conftest import csrf_token
from tests.documents.conftest import upload_form


def _count(session, model) -> int:
    session.rollback()
    return session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "", "title_es": ""}, "Write the title in English, in Spanish or in both."),
        ({"title": "x" * 10_000}, "Use at most 300 characters."),
        ({"title": "Two\r\nlines"}, "Use a single line of plain text."),
        ({"tlp": "purple"}, "Choose one of the options in the list."),
        ({"category": "gossip"}, "Choose one of the options in the list."),
        ({"language": "klingon"}, "Choose one of the options in the list."),
        ({"tags": ", ".join(f"t{n}" for n in range(11))}, "Use at most 10 tags."),
        ({"tags": "<script>"}, "Each tag is a word"),
        ({"description_md": "d" * 20_001}, "Use at most 20000 characters."),
        ({"file": None}, "Choose a file to upload."),
        ({"reader_ids": "999999"}, "Choose one of the options in the list."),
    ],
)
def test_the_upload_form_refuses_bad_input(changes, message, world, login_as, session):
    browser = login_as(world.member_gb)  # English
    path = f"/working-groups/{world.group.id}/documents/new"
    data = upload_form(**changes)
    data = {key: value for key, value in data.items() if value is not None}
    data["csrf_token"] = csrf_token(browser, path)
    response = browser.post(path, data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _count(session, Document) == 0


def test_someone_of_another_mou_cannot_be_named(world, login_as, session):
    browser = login_as(world.member_cl)
    path = f"/working-groups/{world.group.id}/documents/new"
    data = upload_form(tlp="red", reader_ids=str(world.member_co.id))
    data["csrf_token"] = csrf_token(browser, path)
    response = browser.post(path, data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert _count(session, Document) == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"change_note": "Fixed", "file": None}, "Choose a file to upload."),
        ({"change_note": ""}, "This field is required."),
        ({"change_note": "a\r\nBcc: x@example.org"}, "Use a single line of plain text."),
        ({"change_note": "n" * 501}, "Use at most 500 characters."),
        ({"change_note": "Fixed", "file": "empty"}, "The file is empty."),
    ],
)
def test_the_new_version_form_refuses_bad_input(
    data, message, world, login_as, session, make_document
):
    document_id = make_document(world.member_gb, mou=world.mou)
    browser = login_as(world.member_gb)  # English
    path = f"/documents/{document_id}/versions/new"
    body = {"file": (io.BytesIO(b"new text"), "v2.txt"), **data}
    if body.get("file") == "empty":
        body["file"] = (io.BytesIO(b""), "empty.txt")
    body = {key: value for key, value in body.items() if value is not None}
    body["csrf_token"] = csrf_token(browser, path)
    response = browser.post(path, data=body, content_type="multipart/form-data")
    assert response.status_code == 422
    assert message in response.get_data(as_text=True).replace("&#39;", "'")
    assert _count(session, DocumentVersion) == 1


def _edit(browser, document_id: int, **changes):
    path = f"/documents/{document_id}/edit"
    data = {
        "title": "Protocol",
        "language": "en",
        "category": "protocol",
        "tlp": "amber",
        "description_md": "",
        "tags": "",
        "csrf_token": csrf_token(browser, path),
        **changes,
    }
    return browser.post(path, data=data)


def _tlp_changes(session, document_id: int) -> list[tuple[str, str]]:
    session.rollback()
    events = session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.action == "document.tlp_changed", AuditEvent.object_id == str(document_id)
        )
        .order_by(AuditEvent.id)
    )
    return [(e.details["before"], e.details["after"]) for e in events]


def test_an_editor_may_tighten_only_the_owning_coordinator_may_loosen(
    world, login_as, session, make_document
):
    document_id = make_document(world.member_cl, mou=world.mou, group=world.group, tlp=TLP.GREEN)
    author = login_as(world.member_cl)
    assert _edit(author, document_id, tlp="amber").status_code == 302
    refused = _edit(author, document_id, tlp="clear")
    assert refused.status_code == 422
    assert "Solo la coordinación de la parte propietaria" in refused.get_data(as_text=True)
    coordinator = login_as(world.coordinator_cl)
    assert _edit(coordinator, document_id, tlp="green").status_code == 302
    assert _tlp_changes(session, document_id) == [
        ("TLP:GREEN", "TLP:AMBER"),
        ("TLP:AMBER", "TLP:GREEN"),
    ]
    # The other party's coordinator may not even edit it.
    assert _edit(login_as(world.coordinator_gb), document_id, tlp="red").status_code == 403


def test_tightening_to_red_keeps_the_editor_among_the_named(world, login_as, make_document):
    document_id = make_document(world.member_cl, mou=world.mou, group=world.group)
    author = login_as(world.member_cl)
    assert _edit(author, document_id, tlp="red").status_code == 302
    assert author.get(f"/documents/{document_id}").status_code == 200
    assert login_as(world.member_gb).get(f"/documents/{document_id}").status_code == 404


def test_descriptions_are_sanitised_markdown(world, login_as, make_document):
    document_id = make_document(
        world.member_cl,
        mou=world.mou,
        description="**Bold** <script>alert(1)</script> [x](javascript:alert(1))",
    )
    page = login_as(world.member_gb).get(f"/documents/{document_id}").get_data(as_text=True)
    assert "<strong>Bold</strong>" in page
    assert "<script>alert(1)" not in page
    assert 'href="javascript:' not in page


@pytest.mark.parametrize("label", [TLP.AMBER, TLP.RED], ids=lambda t: t.value)
def test_followers_are_mailed_new_versions_in_their_language(
    label, world, login_as, session, make_document
):
    document_id = make_document(
        world.member_cl,
        mou=world.mou,
        group=world.group,
        tlp=label,
        title="Hidden title",
        readers=[world.member_gb],
    )
    follower = login_as(world.member_gb)  # English
    token = csrf_token(follower, f"/documents/{document_id}")
    assert (
        follower.post(f"/documents/{document_id}/follow", data={"csrf_token": token}).status_code
        == 302
    )
    author = login_as(world.member_cl)
    path = f"/documents/{document_id}/versions/new"
    response = author.post(
        path,
        data={
            "file": (io.BytesIO(b"second"), "v2.txt"),
            "change_note": "Annex added",
            "csrf_token": csrf_token(author, path),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    session.rollback()
    (mail,) = session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "document_new_version")
    )
    assert mail.recipient == world.member_gb.email
    assert mail.subject.startswith(f"[{label.label}]")
    assert f"/documents/{document_id}" in mail.body_text
    if label == TLP.RED:
        assert "Hidden title" not in mail.subject + mail.body_text + mail.body_html
        assert "Annex added" not in mail.body_text + mail.body_html
    else:
        assert "Hidden title" in mail.subject and "Annex added" in mail.body_text
