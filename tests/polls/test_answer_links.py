"""Signed answer links in the poll mails: in the reader's language and zone, a GET only shows
a page with a button (a mail scanner changes nothing), a POST records; one link answers one
poll as one person; a forged, foreign or expired link is refused."""

import re
from datetime import timedelta

from sqlalchemy import select

from portal.core.tokens import signed_token
from portal.meetings.models import Invitee
from portal.meetings.reply_links import reply_token
from portal.notifications.models import OutboxMessage
from portal.polls.answer_links import answer_token
from portal.polls.models import Answer, Poll, PollAnswer
from tests import factories
from tests.conftest import post
from tests.helpers.mail import send_outbox, text_of
from tests.helpers.polls import make_poll, poll_form

LINK = re.compile(r"https?://[^\s\"<>]+/polls/answer/[A-Za-z0-9_.\-]+(?:\?[^\s\"<>]*)?")


def _answers(session) -> list[tuple]:
    rows = session.execute(select(PollAnswer.user_id, PollAnswer.option_id, PollAnswer.answer))
    result = sorted(rows.all())
    session.rollback()
    return result


def _mail_to(session, person, kind="poll_opened") -> OutboxMessage:
    return session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.recipient == person.email, OutboxMessage.kind == kind
        )
    ).one()


def _path(app, url: str) -> str:
    return url.replace(app.config["PORTAL_BASE_URL"].rstrip("/"), "").replace("&amp;", "&")


def _proposed(login_as, world):
    browser = login_as(world.coordinator_gb)
    path = f"/working-groups/{world.group.id}/polls/new"
    response = post(browser, path, poll_form(), token_from=path)
    assert response.status_code == 302
    return browser


def test_mails_are_in_the_readers_language_and_zone(app, login_as, world, session):
    _proposed(login_as, world)
    spanish = _mail_to(session, world.member_cl)
    english = _mail_to(session, world.member_gb)
    assert "Ejercicio de incidentes" in spanish.subject
    assert "Incident exercise" in english.subject
    assert "America/Santiago" in spanish.body_text
    assert (
        "Europe/London" in english.body_text
        and "(America/Santiago)" not in english.body_text.split("\n- ")[1]
    )
    # Each proposed time with yes / if need be / no links, signed for that person.
    assert len(LINK.findall(english.body_html)) == 3 * 3 + 1
    assert set(LINK.findall(english.body_html)).isdisjoint(LINK.findall(spanish.body_html))


def test_a_scanners_get_changes_nothing_and_the_button_records(
    app, client, login_as, world, session
):
    _proposed(login_as, world)
    mail = _mail_to(session, world.member_gb)
    yes_first = _path(app, LINK.findall(mail.body_html)[0])
    page = client.get(yes_first)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Send my answers" in text and "Emily Clarke" in text
    assert _answers(session) == []
    # The page preselects what the link said; the button posts it.
    option_field = re.search(
        r'<input checked [^>]*name="(option_\d+)" type="radio" value="yes"', text
    )
    assert option_field, text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', text).group(1)
    done = client.post(yes_first, data={"csrf_token": token, option_field.group(1): "yes"})
    assert done.status_code == 200
    assert "Your answers" in done.get_data(as_text=True)
    option_id = int(option_field.group(1).removeprefix("option_"))
    assert _answers(session) == [(world.member_gb.id, option_id, Answer.YES)]


def test_a_link_answers_only_its_own_poll_as_its_own_person(app, client, world, session):
    poll = make_poll(session, world)
    other = make_poll(session, world, title_en="Another poll")
    session.commit()
    with app.test_request_context():
        mine = next(p for p in poll.participants if p.user_id == world.member_gb.id)
        token = answer_token(mine)
        # A token naming another poll's participant under this poll's id: refused.
        theirs = next(p for p in other.participants if p.user_id == world.member_cl.id)
        crossed = signed_token("poll-answer", {"poll": poll.id, "participant": theirs.id})
    page = client.get(f"/polls/answer/{token}").get_data(as_text=True)
    assert "Exercise planning" in page and "Another poll" not in page
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    # Options of another poll posted through this link are not fields of its form.
    foreign = {f"option_{o.id}": "yes" for o in other.options}
    response = client.post(f"/polls/answer/{token}", data={"csrf_token": csrf, **foreign})
    assert response.status_code == 422
    assert _answers(session) == []
    assert client.get(f"/polls/answer/{crossed}").status_code == 404
    assert client.post(f"/polls/answer/{crossed}", data={"csrf_token": csrf}).status_code == 404


def test_forged_or_foreign_purpose_tokens_are_refused(app, client, world, session):
    poll = make_poll(session, world)
    meeting = factories.make_meeting(
        session, world.group, poll.options[0].starts_at, invitees=[world.member_gb]
    )
    session.commit()
    with app.test_request_context():
        token = answer_token(poll.participants[0])
        meeting_link = reply_token(session.scalars(select(Invitee)).one())
        other_purpose = signed_token(
            "meeting-reply", {"poll": poll.id, "participant": poll.participants[0].id}
        )
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for bad in (tampered, meeting_link, other_purpose, "nonsense"):
        assert client.get(f"/polls/answer/{bad}").status_code == 404, bad
    assert meeting.id  # the meeting link stays a meeting link only


def test_an_expired_link_shows_why_and_records_nothing(app, client, world, session):
    poll = make_poll(session, world)
    poll.expires_at = poll.created_at - timedelta(seconds=1)
    poll.expires_on = poll.expires_at.date()
    option = poll.options[0]
    session.commit()
    with app.test_request_context():
        token = answer_token(next(p for p in poll.participants if p.user_id == world.member_gb.id))
    page = client.get(f"/polls/answer/{token}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "answers are closed" in text and "Send my answers" not in text
    csrf = client.get("/auth/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', csrf).group(1)
    response = client.post(
        f"/polls/answer/{token}", data={"csrf_token": csrf, f"option_{option.id}": "yes"}
    )
    assert response.status_code == 409
    assert _answers(session) == []


def test_the_mails_are_sent_and_the_outcome_follows_the_invitations(app, login_as, world, session):
    browser = _proposed(login_as, world)
    sent = send_outbox(app)
    asked = (world.coordinator_cl, world.coordinator_gb, world.member_cl, world.member_gb)
    assert sorted(m["To"] for m in sent) == sorted(p.email for p in asked)
    spanish = next(m for m in sent if m["To"] == world.member_cl.email)
    assert "¿Cuándo puede reunirse?" in spanish["Subject"]
    assert "Las respuestas se cierran" in text_of(spanish)
    poll = session.scalars(select(Poll)).one()
    option = poll.options[0]
    response = post(
        browser,
        f"/polls/{poll.id}/pick",
        {"pick-option_id": option.id},
        token_from=f"/polls/{poll.id}",
    )
    assert response.status_code == 302
    subjects = [m["Subject"] for m in send_outbox(app)]
    assert len(subjects) == 8  # four invitations (with their calendars) and four outcomes
    assert sum("Time chosen" in s or "Horario elegido" in s for s in subjects) == 4
