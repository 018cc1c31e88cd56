"""Invitations by mail (iMIP): the MIME tree Outlook, Gmail and Apple Mail turn into a meeting."""

from datetime import UTC, datetime
from email import policy
from email.parser import BytesParser

import pytest
from icalendar import Calendar
from sqlalchemy import select

from portal.accounts.models import User
from portal.meetings.ics import meeting_calendar
from portal.notifications.models import OutboxMessage, OutboxStatus
from tests import factories
from tests.notifications.conftest import send, sent_files

ORGANISER = {"organiser_email": "portal@demo.portal", "organiser_name": "Coordinación Chile"}


def _queue_invitation(session, world, method: str = "REQUEST", **fields) -> OutboxMessage:
    meeting = factories.make_meeting(
        session,
        world.group,
        datetime(2026, 9, 3, 14, 0, tzinfo=UTC),
        title_es="Reunión de coordinación: análisis de incidentes",
        description_md="Revisión del año; ¿qué aprendimos?",
    )
    javiera = session.get(User, world.member_cl.id)
    ics = meeting_calendar(meeting, method=method, attendee=javiera, **ORGANISER)
    message = OutboxMessage(
        kind="meeting_invitation",
        recipient=javiera.email,
        recipient_user_id=javiera.id,
        subject="[TLP:AMBER] Invitación: Reunión de coordinación",
        body_text="Estimada Javiera: la invitamos a la reunión.",
        body_html="<p>Estimada Javiera: la invitamos a la reunión.</p>",
        message_id=f"<invitation-{method.lower()}@demo.portal>",
        ics_method=fields.pop("ics_method", method),
        ics_content=ics,
        **fields,
    )
    session.add(message)
    session.commit()
    return message


def parse_bytes(raw: bytes):
    return BytesParser(policy=policy.default).parsebytes(raw)


def _assert_imip(mail, method: str) -> None:
    """Points 1 to 3 of ICALENDAR.md, on a parsed mail."""
    assert mail.get_content_type() == "multipart/mixed"
    alternative, attachment = mail.get_payload()
    assert alternative.get_content_type() == "multipart/alternative"
    plain, html, calendar_part = alternative.get_payload()
    assert plain.get_content_type() == "text/plain"
    assert html.get_content_type() == "text/html"
    assert calendar_part.get_content_type() == "text/calendar"
    assert calendar_part.get_param("method") == method
    assert calendar_part.get_content_charset() == "utf-8"
    assert calendar_part["Content-Transfer-Encoding"] == "base64"
    assert calendar_part.get_content_disposition() is None
    assert not calendar_part.is_attachment()
    inline = calendar_part.get_content()
    assert Calendar.from_ical(inline)["METHOD"] == method
    assert "Reunión de coordinación: análisis de incidentes" in inline

    assert attachment.is_attachment()
    assert attachment.get_filename() == "invite.ics"
    assert attachment.get_content_type() == "application/ics"
    assert attachment["Content-Transfer-Encoding"] == "base64"
    assert attachment.get_content().decode("utf-8") == inline
    assert mail.get_body(("plain",)).get_content().startswith("Estimada Javiera")


@pytest.mark.parametrize("method", ["REQUEST", "CANCEL"])
def test_an_invitation_written_as_eml_carries_its_calendar_inline(app, world, session, method):
    row = _queue_invitation(session, world, method)
    assert "1 sent, 0 failed" in send(app)
    [path] = sent_files(app)
    mail = parse_bytes(path.read_bytes())
    _assert_imip(mail, method)
    assert mail["To"] == world.member_cl.email
    assert mail["Message-ID"] == row.message_id
    session.refresh(row)
    assert row.status == OutboxStatus.SENT
    assert row.ics_content == mail.get_payload()[0].get_payload()[2].get_content()


def test_a_mail_without_calendar_keeps_its_plain_shape(app, world, session):
    _queue_invitation(session, world, ics_method=None)
    send(app)
    mail = parse_bytes(sent_files(app)[0].read_bytes())
    assert [p.get_content_type() for p in mail.walk()] == [
        "multipart/mixed",
        "multipart/alternative",
        "text/plain",
        "text/html",
    ]


def test_an_unknown_method_is_refused_and_the_row_kept(app, world, session):
    _queue_invitation(session, world, ics_method="REQUEST\r\nBcc: x")
    assert "0 sent, 1 failed" in send(app)
    row = session.scalars(select(OutboxMessage)).one()
    session.refresh(row)
    assert row.status == OutboxStatus.FAILED  # a malformed message never gets better
    assert "not an iTIP method" in row.last_error
    assert sent_files(app) == []


def test_an_invitation_over_smtp_arrives_with_the_same_structure(app, world, session, smtp_inbox):
    _queue_invitation(session, world)
    assert "1 sent" in send(app)
    [envelope] = smtp_inbox.envelopes
    assert envelope.rcpt_tos == [world.member_cl.email]
    raw = envelope.original_content or envelope.content
    _assert_imip(parse_bytes(raw), "REQUEST")
    assert b"\r\n" in raw and b"method=REQUEST; charset=UTF-8" in raw
    assert sent_files(app) == []
