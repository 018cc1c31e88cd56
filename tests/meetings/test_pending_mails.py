"""A new meeting's invitation mails are written by the outbox worker, not by the request
(issue 19, point 5): the request writes the meeting and its invitees, so its pages list them
at once, and records the mails as pending; the worker's first step writes them before it
sends anything, and any write that touches the meeting before then writes them first, so the
invitation always goes before a later mail and describes the meeting as it was scheduled."""

from sqlalchemy import func, select

from portal.meetings.models import Invitee, Meeting, PendingInvitationMails
from portal.notifications.models import OutboxMessage
from tests.conftest import post
from tests.helpers.mail import send_outbox, text_of
from tests.helpers.notifications import worker_first_step

NEW = "/working-groups/{}/meetings/new"
FORM = {
    "title_en": "Incident review",
    "title_es": "Revisión del incidente",
    "start_local": "2030-01-08T10:00",
    "end_local": "2030-01-08T11:00",
    "timezone": "Europe/London",
    "tlp": "amber",
    "repeat": "none",
}


def _schedule(browser, world) -> None:
    path = NEW.format(world.group.id)
    assert post(browser, path, FORM, token_from=path).status_code == 302


def _only_meeting(session) -> Meeting:
    session.expire_all()
    return session.scalars(select(Meeting)).one()


def _mails(session) -> list[tuple[str, str, str]]:
    rows = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
    return [(row.kind, row.recipient, row.subject) for row in rows]


def _pending(session) -> int:
    return session.scalar(select(func.count()).select_from(PendingInvitationMails))


def test_the_request_lists_the_invitees_and_the_worker_mails_them(app, login_as, world, session):
    coordinator = login_as(world.coordinator_gb)
    _schedule(coordinator, world)
    meeting = _only_meeting(session)
    invitees = session.scalars(select(Invitee).where(Invitee.meeting_id == meeting.id)).all()
    invited = {invitee.user.email for invitee in invitees}
    assert {world.member_cl.email, world.member_gb.email} <= invited
    assert "Emily Clarke" in coordinator.get(f"/meetings/{meeting.id}/manage").text
    assert _mails(session) == [] and _pending(session) == 1

    assert worker_first_step(app) == 1
    mails = _mails(session)
    assert {recipient for _, recipient, _ in mails} == invited
    assert {kind for kind, _, _ in mails} == {"meeting_invitation"}
    assert _pending(session) == 0 and worker_first_step(app) == 0

    sent = {message["To"]: message for message in send_outbox(app)}
    assert set(sent) == invited
    assert "Revisión del incidente" in sent[world.member_cl.email]["Subject"]
    assert f"/meetings/{meeting.id}" in text_of(sent[world.member_gb.email])


def test_a_change_before_the_worker_runs_mails_the_invitation_first(login_as, world, session):
    coordinator = login_as(world.coordinator_gb)
    _schedule(coordinator, world)
    meeting = _only_meeting(session)
    edit = f"/meetings/{meeting.id}/edit"
    changed = {**FORM, "title_en": "Incident review, moved", "start_local": "2030-01-08T15:00",
               "end_local": "2030-01-08T16:00", "scope": "this"}  # fmt: skip
    assert post(coordinator, edit, changed, token_from=edit).status_code == 302

    mails = _mails(session)
    people = len(mails) // 2
    assert people >= 4 and _pending(session) == 0
    invitations, changes = mails[:people], mails[people:]
    assert {kind for kind, _, _ in invitations} == {"meeting_invitation"}
    assert {kind for kind, _, _ in changes} == {"meeting_change"}
    english = [subject for _, to, subject in invitations if to == world.member_gb.email]
    assert english == ["[TLP:AMBER] Invitation: Incident review"]
    assert "moved" in next(s for _, to, s in changes if to == world.member_gb.email)


def test_cancelling_before_the_worker_runs_sends_the_invitation_then_the_cancellation(
    login_as, world, session
):
    coordinator = login_as(world.coordinator_gb)
    _schedule(coordinator, world)
    meeting = _only_meeting(session)
    page = f"/meetings/{meeting.id}/manage"
    cancel = post(
        coordinator, f"/meetings/{meeting.id}/cancel", {"confirmed": "1"}, token_from=page
    )
    assert cancel.status_code == 302
    kinds = [kind for kind, _, _ in _mails(session)]
    people = len(kinds) // 2
    assert kinds == ["meeting_invitation"] * people + ["meeting_cancellation"] * people
    assert _pending(session) == 0
