"""The outbox in plain words: each kind of mail a label in the reader's language, the person
it goes to and the object it names linked to their pages."""

import ast
import pathlib
import re

from flask_babel import force_locale

from portal.accounts.notifications import SecurityEvent
from portal.csirt.notifications import MAIL_KINDS as CSIRT_MAIL_KINDS
from portal.meetings.minutes_notifications import MINUTES_SUBJECTS
from portal.notifications.models import OutboxMessage
from portal.web.features import mail_kind_labels
from tests.helpers.notifications import queue_plain

QUEUEING = {"queue_email", "queue_emails"}
EMAILS = pathlib.Path("templates/emails")
# Kinds built from a variable the scan cannot follow: the values that variable takes.
KNOWN_VARIABLES = {
    "portal/meetings/minutes_notifications.py": set(MINUTES_SUBJECTS),
    "portal/accounts/notifications.py": {f"security_{event.value}" for event in SecurityEvent},
    "portal/csirt/notifications.py": set(CSIRT_MAIL_KINDS),
}


def _keyword(call: ast.Call, name: str):
    return next((k.value for k in call.keywords if k.arg == name), None)


def _mail_templates(folder: str) -> set[str]:
    """The mails of a folder of templates/emails (partials, starting with _, are not mails)."""
    return {p.stem for p in (EMAILS / folder).glob("*.txt") if not p.name.startswith("_")}


def _template_name(template, kinds: set[str]) -> set[str]:
    """The templates a call uses: a constant, or one per kind for f"meetings/{kind}"."""
    if isinstance(template, ast.Constant):
        return {template.value}
    return {template.values[0].value + kind for kind in kinds}


def _calls() -> list[tuple[str, ast.Call]]:
    return [
        (str(path), node)
        for path in pathlib.Path("portal").rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Call)
        and getattr(getattr(node, "func", None), "id", "") in QUEUEING
        and _keyword(node, "kind") is not None
    ]


def _queued_kinds() -> set[str]:
    """Every kind a queue_email() call may queue: a constant, a variable this test knows, or
    a prefix and the name of its template (f"meeting_{kind}" with f"meetings/{kind}"), for
    each mail template of the folder no other call claims."""
    kinds, claimed, by_template = set(), set(), []
    for path, call in _calls():
        kind, template = _keyword(call, "kind"), _keyword(call, "template")
        known = {kind.value} if isinstance(kind, ast.Constant) else KNOWN_VARIABLES.get(path)
        if known is not None:
            kinds |= known
            claimed |= _template_name(template, known)
        else:
            assert isinstance(kind, ast.JoinedStr) and isinstance(template, ast.JoinedStr), (
                f"{path}:{call.lineno}: tell this test how to find the kinds it queues"
            )
            by_template.append((kind.values[0].value, template.values[0].value))
    for prefix, folder in by_template:
        names = _mail_templates(folder.rstrip("/"))
        kinds |= {prefix + name for name in names if folder + name not in claimed}
    return kinds


def test_every_kind_queued_anywhere_has_a_label_in_both_languages(app):
    queued = _queued_kinds()
    assert {"meeting_invitation", "action_overdue", "training_promoted", "digest"} <= queued
    labels = mail_kind_labels(app)
    assert queued - set(labels) == set()
    with app.test_request_context(), force_locale("es"):
        untranslated = [kind for kind, label in labels.items() if str(label) == label._args[0]]
    assert untranslated == []


def _queue(session, world, kind, subjects: list[tuple[str, int]]) -> None:
    """Mails of `kind` to Emily, one about each (subject kind, id)."""
    for message_id, (subject_kind, subject_id) in zip(
        queue_plain(session, len(subjects), kind=kind), subjects, strict=True
    ):
        message = session.get(OutboxMessage, message_id)
        message.recipient_user_id = world.member_gb.id
        message.recipient = world.member_gb.email
        message.subject_kind, message.subject_id = subject_kind, subject_id
    session.commit()


def test_the_outbox_shows_kinds_in_words_and_links_people_and_objects(world, session, login_as):
    _queue(session, world, "meeting_invitation", [("meeting", 7)])
    spanish = login_as(world.admin).get("/admin/outbox/").get_data(as_text=True)
    assert "Invitación a reunión" in spanish
    assert f'<a href="/admin/accounts/{world.member_gb.id}">Emily Clarke</a>' in spanish
    assert '<a href="/meetings/7">Reunión 7</a>' in spanish
    world.admin.language = "en"
    session.commit()
    english = login_as(world.admin).get("/admin/outbox/").get_data(as_text=True)
    assert "Meeting invitation" in english and '<a href="/meetings/7">Meeting 7</a>' in english
    assert 'value="meeting_invitation" label="Meeting invitation"' in english  # the filter's list


def test_each_kind_of_object_links_to_its_page(world, session, login_as):
    pages = {
        "action": "/actions/3",
        "document_red": "/documents/4",
        "working_group": f"/working-groups/{world.group.id}",
        "training": "/trainings/5",
    }
    subjects = [(kind, int(address.rsplit("/", 1)[1])) for kind, address in pages.items()]
    _queue(session, world, "action_overdue", subjects)
    page = login_as(world.admin).get("/admin/outbox/").get_data(as_text=True)
    for address in pages.values():
        assert f'<a href="{address}">' in page


def test_an_address_without_an_account_and_an_unknown_kind_show_as_they_are(
    world, session, login_as
):
    queue_plain(session, 1, kind="retired_kind")
    page = login_as(world.admin).get("/admin/outbox/").get_data(as_text=True)
    assert '<code class="small">retired_kind</code>' in page
    assert "person0@example.org" in page
    assert not re.search(r"/admin/accounts/\d", page)
