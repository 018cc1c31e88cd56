"""Poll mails through the outbox, one per person, in their language and zone."""

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.notifications.readable import about
from portal.notifications.services import queue_email
from portal.polls.access import can_answer_poll
from portal.polls.answer_links import answer_token
from portal.polls.models import Answer, Poll, PollOption
from portal.web.urls import external_url

MAIL_KINDS = {
    "poll_opened": _l("Meeting time poll"),
    "poll_closed": _l("Meeting time chosen"),
    "poll_cancelled": _l("Meeting time poll cancelled"),
}
SUBJECTS = {
    "opened": _l("[%(tlp)s] When can you meet? %(title)s"),
    "closed": _l("[%(tlp)s] Time chosen: %(title)s"),
    "cancelled": _l("[%(tlp)s] Poll cancelled: %(title)s"),
}


def title_in(poll: Poll, language: str) -> str:
    return poll.title_es if language == "es" and poll.title_es else poll.title_en


def _send(session: Session, kind: str, poll: Poll, person: User, **context) -> None:
    queue_email(
        session,
        kind=f"poll_{kind}",
        template=f"polls/{kind}",
        subject=_l(SUBJECTS[kind], tlp=poll.tlp.label, title=title_in(poll, person.language)),
        recipient=person.email,
        recipient_user=person,
        language=person.language,
        about=about("poll", poll.id),
        poll=poll,
        title=title_in(poll, person.language),
        zones=poll.clock_zones,
        link=external_url("polls.detail", poll_id=poll.id),
        **context,
    )


def people_told(poll: Poll) -> list[User]:
    """Who the outcome or the cancellation is mailed to: the people asked, still allowed."""
    return [p.user for p in poll.participants if can_answer_poll(p.user, poll)]


def poll_opened(session: Session, poll: Poll) -> None:
    """Each person asked gets the times in their zone and signed links answering for them."""
    for participant in poll.participants:
        token = answer_token(participant)
        links = {
            option.id: {
                answer.value: external_url(
                    "polls.answer_by_link", token=token, **{f"option_{option.id}": answer.value}
                )
                for answer in Answer
            }
            for option in poll.options
        }
        _send(
            session,
            "opened",
            poll,
            participant.user,
            answer_link=external_url("polls.answer_by_link", token=token),
            answer_links=links,
        )


def poll_closed(session: Session, poll: Poll, option: PollOption) -> None:
    for person in people_told(poll):
        _send(session, "closed", poll, person, option=option)


def poll_cancelled(session: Session, poll: Poll) -> None:
    for person in people_told(poll):
        _send(session, "cancelled", poll, person)
