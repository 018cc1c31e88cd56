"""What a mail names is checked against its reader's rights again when it is sent (SECURITY 14).

Each mail is queued by the feature's own notification code while both readers may open its
object; then one of them loses access (the party left the MoU, removed from the group, the
document tightened to AMBER+STRICT) before the worker runs against a real SMTP server.
"""

from datetime import date, timedelta

import pytest
from sqlalchemy import delete, select

from portal.accounts.models import User
from portal.actions import notifications as action_mails
from portal.actions.models import ActionItem, ActionStatus
from portal.core.db import utcnow
from portal.core.extensions import db
from portal.core.tlp import TLP
from portal.documents import notifications as document_mails
from portal.documents.models import Document
from portal.meetings import minutes_notifications as minutes_mails
from portal.meetings import notifications as meeting_mails
from portal.meetings.models import Meeting, Minutes
from portal.meetings.reminders import queue_meeting_reminders
from portal.mous.models import Membership, Mou, WorkingGroup
from portal.notifications.models import (
    Delivery,
    DigestItem,
    NotificationPreference,
    OutboxMessage,
    OutboxStatus,
)
from portal.notifications.services import queue_email
from portal.trainings import notifications as training_mails
from portal.trainings.models import Training, TrainingInvitation
from tests import factories
from tests.helpers.notifications import run_worker
from tests.helpers.statements import count_statements
from tests.notifications.conftest import parse_bytes, raw, send

SOON = timedelta(hours=20)


def _party_leaves_the_mou(session, world, party_code="GB"):
    mou = session.get(Mou, world.mou.id)
    mou.parties = [p for p in mou.parties if p.code != party_code]
    session.commit()


def _removed_from_group(session, world, person):
    session.execute(
        delete(Membership).where(
            Membership.working_group_id == world.group.id, Membership.user_id == person.id
        )
    )
    session.commit()


def _queue(app, produce):
    """Run a feature's notification code in a request of its own, as a service would."""
    with app.test_request_context():
        produce(db.session)
        db.session.commit()


def _readers(app, world):
    """member_cl keeps access in every case; member_gb loses it."""
    return db.session.get(User, world.member_cl.id), db.session.get(User, world.member_gb.id)


def _recipients(smtp_inbox) -> set[str]:
    return {address for envelope in smtp_inbox.envelopes for address in envelope.rcpt_tos}


def _statuses(session) -> dict[str, OutboxStatus]:
    session.expire_all()
    return {row.recipient: row.status for row in session.scalars(select(OutboxMessage))}


# Meetings and minutes ---------------------------------------------------------------------


@pytest.fixture
def meeting(session, world):
    starts = utcnow() + SOON
    found = factories.make_meeting(
        session, world.group, starts, invitees=[world.member_cl, world.member_gb]
    )
    session.commit()
    return found


def _meeting_mail(kind: str):
    def produce(session, world, meeting_id):
        meeting = session.get(Meeting, meeting_id)
        if kind == "invitation":
            meeting_mails.meeting_scheduled(session, meeting, meeting.invitees)
        elif kind == "change":
            meeting_mails.meeting_changed(session, meeting, ["time"])
        elif kind == "cancellation":
            meeting_mails.meeting_cancelled(session, meeting)
        elif kind == "reminder":
            queue_meeting_reminders(session, utcnow())
        elif kind == "minutes_approved":
            minutes = Minutes(meeting=meeting, body_md="Agreed.")
            session.add(minutes)
            session.flush()
            minutes_mails.minutes_approved(session, meeting, minutes)

    return produce


MEETING_MAILS = ["invitation", "change", "cancellation", "reminder", "minutes_approved"]


@pytest.mark.parametrize("kind", MEETING_MAILS)
def test_a_meeting_mail_is_withdrawn_when_the_readers_party_leaves_the_mou(
    kind, app, world, meeting, session, smtp_inbox
):
    _queue(app, lambda s: _meeting_mail(kind)(s, world, meeting.id))
    assert len(_statuses(session)) == 2
    _party_leaves_the_mou(session, world)

    assert "1 sent, 0 failed, 1 withdrawn" in send(app)
    assert _recipients(smtp_inbox) == {world.member_cl.email}
    statuses = _statuses(session)
    assert statuses[world.member_gb.email] == OutboxStatus.WITHDRAWN
    assert "0 sent" in send(app)  # never retried


def test_minutes_circulated_are_withdrawn_from_a_co_chair_taken_out_of_the_mou(
    app, world, meeting, session, smtp_inbox
):
    def produce(s):
        minutes_mails.minutes_circulated(s, s.get(Meeting, meeting.id), approvals_withdrawn=False)

    _queue(app, produce)  # to the two co-chairs, coordinators of Chile and the UK
    assert set(_statuses(session)) == {world.coordinator_cl.email, world.coordinator_gb.email}
    _party_leaves_the_mou(session, world)

    send(app)
    assert _recipients(smtp_inbox) == {world.coordinator_cl.email}
    assert _statuses(session)[world.coordinator_gb.email] == OutboxStatus.WITHDRAWN


def test_the_cancellation_to_a_removed_invitee_goes_while_their_party_is_in_the_mou(
    app, world, session, smtp_inbox
):
    outsider = world.member_cl_outside_group  # sees the meeting only through the invitation
    starts = utcnow() + SOON
    meeting = factories.make_meeting(session, world.group, starts, invitees=[outsider])
    session.commit()

    def produce(s):
        found = s.get(Meeting, meeting.id)
        invitee = found.invitees[0]
        found.invitees.remove(invitee)
        s.flush()
        meeting_mails.invitee_removed(s, found, invitee)

    _queue(app, produce)
    send(app)
    assert _recipients(smtp_inbox) == {outsider.email}  # their calendar drops the event


def test_the_cancellation_to_a_removed_invitee_is_withdrawn_once_the_party_left(
    app, world, meeting, session, smtp_inbox
):
    def produce(s):
        found = s.get(Meeting, meeting.id)
        invitee = next(i for i in found.invitees if i.user_id == world.member_gb.id)
        meeting_mails.invitee_removed(s, found, invitee)

    _queue(app, produce)
    _party_leaves_the_mou(session, world)
    send(app)
    assert smtp_inbox.envelopes == []
    assert _statuses(session)[world.member_gb.email] == OutboxStatus.WITHDRAWN


# Action items -------------------------------------------------------------------------------


@pytest.fixture
def action(session, world):
    found = factories.make_action(
        session, world.group, [world.member_cl, world.member_gb], date.today() + timedelta(2)
    )
    session.commit()
    return found


ACTION_MAILS = {
    "assigned": {},
    "due_soon": {},
    "overdue": {},
    "status_changed": {"old": ActionStatus.OPEN, "status_labels": {}},
}


@pytest.mark.parametrize("kind", ACTION_MAILS)
def test_an_action_item_mail_is_withdrawn_when_the_readers_party_leaves_the_mou(
    kind, app, world, action, session, smtp_inbox
):
    def produce(s):
        item = s.get(ActionItem, action.id)
        for person in _readers(app, world):
            context = dict(ACTION_MAILS[kind], actor=s.get(User, world.coordinator_cl.id))
            action_mails.send_about_item(s, kind, item, person, **context)

    _queue(app, produce)
    _party_leaves_the_mou(session, world)
    send(app)
    assert _recipients(smtp_inbox) == {world.member_cl.email}
    assert _statuses(session)[world.member_gb.email] == OutboxStatus.WITHDRAWN


def test_the_weekly_summary_is_withdrawn_from_a_person_removed_from_the_group(
    app, world, action, session, smtp_inbox
):
    def produce(s):
        group, item = s.get(WorkingGroup, world.group.id), s.get(ActionItem, action.id)
        for person in _readers(app, world):
            action_mails.weekly_summary(s, group, person, [item], 1)

    _queue(app, produce)
    _removed_from_group(session, world, world.member_gb)
    send(app)
    assert _recipients(smtp_inbox) == {world.member_cl.email}
    assert _statuses(session)[world.member_gb.email] == OutboxStatus.WITHDRAWN


# Training sessions ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(training_mails.MAILS))
def test_a_training_mail_is_withdrawn_when_the_readers_party_leaves_the_mou(
    kind, app, world, session, smtp_inbox
):
    training = factories.make_training(session, world.mou, utcnow() + SOON)
    session.commit()

    def produce(s):
        found = s.get(Training, training.id)
        for person in _readers(app, world):
            training_mails.send(s, kind, found, person, position=1, code="CL-0001")

    _queue(app, produce)
    _party_leaves_the_mou(session, world)
    send(app)
    assert _recipients(smtp_inbox) == {world.member_cl.email}
    assert _statuses(session)[world.member_gb.email] == OutboxStatus.WITHDRAWN


def test_an_external_participants_training_mail_needs_their_invitation_still_there(
    app, world, session, smtp_inbox
):
    soon = utcnow() + SOON
    kept = factories.make_training(session, world.mou, soon, allow_external=True)
    revoked = factories.make_training(session, world.mou, soon, allow_external=True)
    for training in (kept, revoked):
        session.add(TrainingInvitation(training=training, email=world.external_cl.email))
    session.commit()

    def produce(s):
        person = s.get(User, world.external_cl.id)
        for training in (kept, revoked):
            training_mails.external_invited(s, s.get(Training, training.id), person)

    _queue(app, produce)
    session.execute(delete(TrainingInvitation).where(TrainingInvitation.training_id == revoked.id))
    session.commit()
    assert "1 sent, 0 failed, 1 withdrawn" in send(app)
    [envelope] = smtp_inbox.envelopes
    assert "Taller de respuesta a incidentes" in parse_bytes(raw(envelope))["Subject"]


# Documents -------------------------------------------------------------------------------------


def create_document(
    app, world, *, tlp=TLP.AMBER, title="Joint incident playbook", readers=()
) -> int:
    """An AMBER document of the Chilean coordinator in the binational group: its members are
    told (coordinator_gb, member_cl, member_gb)."""
    return factories.make_document(
        app,
        world.coordinator_cl,
        world.mou,
        world.group,
        title=title,
        tlp=tlp,
        reader_ids=[person.id for person in readers],
    )


def tighten(session, document_id: int, tlp=TLP.AMBER_STRICT) -> None:
    session.get(Document, document_id).tlp = tlp
    session.commit()


def test_a_document_tightened_to_amber_strict_is_not_mailed_to_the_other_party(
    app, world, session, smtp_inbox
):
    document_id = create_document(app, world)
    tighten(session, document_id)

    assert "1 sent, 0 failed, 2 withdrawn" in send(app)
    assert _recipients(smtp_inbox) == {world.member_cl.email}
    statuses = _statuses(session)
    assert statuses[world.member_gb.email] == OutboxStatus.WITHDRAWN
    assert statuses[world.coordinator_gb.email] == OutboxStatus.WITHDRAWN


def test_a_new_version_is_not_mailed_to_a_follower_who_may_no_longer_open_it(
    app, world, session, smtp_inbox
):
    document_id = create_document(app, world)
    send(app)
    smtp_inbox.envelopes.clear()

    def produce(s):
        document = s.get(Document, document_id)
        document.followers = [s.get(User, world.member_cl.id), s.get(User, world.member_gb.id)]
        document_mails.new_version(s, document, s.get(User, world.coordinator_cl.id))

    _queue(app, produce)
    tighten(session, document_id)
    assert "1 sent, 0 failed, 1 withdrawn" in send(app)
    assert _recipients(smtp_inbox) == {world.member_cl.email}


def test_a_red_document_is_not_mailed_to_a_person_no_longer_named_on_it(
    app, world, session, smtp_inbox
):
    named = [world.member_cl, world.member_gb, world.coordinator_cl]
    document_id = create_document(app, world, tlp=TLP.RED, readers=named)
    document = session.get(Document, document_id)
    document.readers = [r for r in document.readers if r.id != world.member_gb.id]
    session.commit()

    assert "1 sent, 0 failed, 1 withdrawn" in send(app)
    assert _recipients(smtp_inbox) == {world.member_cl.email}


def test_a_mail_written_before_the_document_became_red_is_never_sent(
    app, world, session, smtp_inbox
):
    document_id = create_document(app, world)  # AMBER: its title is in the mails
    document = session.get(Document, document_id)
    document.tlp = TLP.RED
    document.readers = [session.get(User, world.member_cl.id)]  # still named, still a reader
    session.commit()

    assert "0 sent, 0 failed, 3 withdrawn" in send(app)
    assert smtp_inbox.envelopes == []


def test_a_document_still_readable_is_mailed_to_everyone(app, world, session, smtp_inbox):
    create_document(app, world)
    assert "3 sent, 0 failed" in send(app)
    assert _recipients(smtp_inbox) == {
        world.member_cl.email,
        world.member_gb.email,
        world.coordinator_gb.email,
    }


def test_a_deactivated_reader_gets_nothing_about_an_object(app, world, session, smtp_inbox):
    create_document(app, world)
    session.get(User, world.member_gb.id).is_active = False
    session.commit()
    send(app)
    assert world.member_gb.email not in _recipients(smtp_inbox)


# Mails about no object --------------------------------------------------------------------------


def test_a_mail_about_no_object_is_sent_whatever_the_readers_rights(
    app, world, session, smtp_inbox
):
    def produce(s):
        person = s.get(User, world.member_gb.id)
        queue_email(
            s,
            kind="password_reset",
            template="accounts/password_reset",
            subject="Reset",
            recipient=person.email,
            recipient_user=person,
            language=person.language,
            link="http://portal.test/auth/reset/abc",
            expires_at=person.created_at,
        )

    _queue(app, produce)
    _party_leaves_the_mou(session, world)
    assert "1 sent" in send(app)
    assert _recipients(smtp_inbox) == {world.member_gb.email}


def test_a_batch_is_checked_with_one_query_per_kind_of_object(app, world, session):
    """One document or three in a batch: the same number of queries read documents."""
    counts = []
    for how_many in (1, 3):
        session.execute(delete(OutboxMessage))
        session.commit()
        for n in range(how_many):
            create_document(app, world, title=f"Playbook {how_many}.{n}")
        with count_statements(app) as statements:
            run_worker(app)
        counts.append(sum("FROM documents" in sql for sql in statements))
    assert counts[0] == counts[1] > 0


# The daily digest --------------------------------------------------------------------------------


def _digest_of(app, smtp_inbox, person):
    app.config["OUTBOX_DIGEST_LOCAL_HOUR"] = 0  # whatever the hour the suite runs at
    output = app.test_cli_runner().invoke(args=["outbox", "digest"]).output
    send(app)
    mails = [e for e in smtp_inbox.envelopes if e.rcpt_tos == [person.email]]
    return output, [parse_bytes(raw(e)) for e in mails]


def _digest_for_documents(session, person) -> None:
    session.merge(
        NotificationPreference(user_id=person.id, category="documents", delivery=Delivery.DIGEST)
    )
    session.commit()


def test_the_digest_drops_a_document_tightened_before_it_is_written(
    app, world, session, smtp_inbox
):
    _digest_for_documents(session, world.member_gb)
    create_document(app, world, title="Shared playbook")
    hidden = create_document(app, world, title="Playbook the other party must not see")
    tighten(session, hidden)

    _, [mail] = _digest_of(app, smtp_inbox, world.member_gb)
    assert mail["Subject"] == "Your daily summary: 1 notification"
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert "Shared playbook" in text
    assert "must not see" not in text + html
    assert f"/documents/{hidden}" not in text + html
    session.expire_all()
    withdrawn = session.scalars(select(DigestItem).where(DigestItem.withdrawn_at.is_not(None)))
    assert [item.subject_id for item in withdrawn] == [hidden]


def test_a_digest_with_nothing_left_to_tell_is_not_sent(app, world, session, smtp_inbox):
    _digest_for_documents(session, world.member_gb)
    hidden = create_document(app, world, title="Playbook the other party must not see")
    tighten(session, hidden)

    output, mails = _digest_of(app, smtp_inbox, world.member_gb)
    assert "0 digests queued" in output
    assert mails == []
    # Loosened again later, it does not come back in a later digest either.
    tighten(session, hidden, TLP.AMBER)
    output, mails = _digest_of(app, smtp_inbox, world.member_gb)
    assert mails == []


def test_the_digest_keeps_what_the_reader_may_still_open(app, world, session, smtp_inbox):
    _digest_for_documents(session, world.member_cl)
    hidden = create_document(app, world, title="Chilean playbook")
    tighten(session, hidden)  # still Chile's own: Javiera keeps it

    _, [mail] = _digest_of(app, smtp_inbox, world.member_cl)
    assert "Chilean playbook" in mail.get_body(("plain",)).get_content()


def test_administrators_see_a_withdrawn_mail_and_why_with_no_retry(app, world, session, login_as):
    create_document(app, world)
    tighten(session, create_document(app, world, title="Second playbook"))
    send(app)
    admin = login_as(world.admin)
    page = admin.get("/admin/outbox/?status=withdrawn").get_data(as_text=True)
    assert "Retirado: el destinatario ya no puede verlo" in page  # the admin reads Spanish
    assert "may no longer open what it names" in page
    assert world.member_gb.email in page
    assert "/retry" not in page
