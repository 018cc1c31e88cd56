"""Minutes through their pages: their route, the form's base revision, writing, circulating
and approving as a co-chair would, and what the app committed."""

import re

from sqlalchemy import select

from portal.meetings.models import Minutes
from portal.notifications.models import OutboxMessage
from tests.conftest import post

REVISION_FIELD = re.compile(r'name="base_revision" type="hidden" value="(\d*)"')


def route(meeting, suffix: str = "") -> str:
    """The path of the meeting's minutes page, or of one of its actions."""
    return f"/meetings/{meeting.id}/minutes{suffix}"


def form_revision(client, meeting, language: str = "en") -> str:
    query = "?language=es" if language == "es" else ""
    page = client.get(route(meeting) + query).get_data(as_text=True)
    match = REVISION_FIELD.search(page)
    assert match, "no minutes form on the page"
    return match.group(1)


def write(client, meeting, body: str, base: str | int | None = None, language: str = "en"):
    """Load the form (unless a base revision is given), then save the text in `language`
    (English by default) as a browser would."""
    if base is None:
        base = form_revision(client, meeting, language)
    data = {"body": body, "base_revision": base, "language": language}
    return post(client, route(meeting), data, route(meeting))


SPANISH_TEXT = "Acuerdo: intercambio de indicadores."


def circulated(login_as, meeting, world, body: str = "Agreed: exchange of indicators."):
    """Minutes written in both languages (they are approved as a pair), then circulated."""
    editor = login_as(world.coordinator_cl)
    assert write(editor, meeting, body).status_code == 302
    assert write(editor, meeting, SPANISH_TEXT, language="es").status_code == 302
    response = post(editor, route(meeting, "/circulate"), token_from=route(meeting))
    assert response.status_code == 302
    return editor


def approve(client, meeting, data: dict | None = None):
    return post(client, route(meeting, "/approve"), data, token_from=route(meeting))


def minutes_of(session, meeting) -> Minutes | None:
    session.expire_all()
    return session.scalar(select(Minutes).where(Minutes.meeting_id == meeting.id))


def queued(session, kind: str) -> list[OutboxMessage]:
    """The committed mails of one kind, oldest first."""
    session.expire_all()
    return list(
        session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
        )
    )
