"""Signed links in poll mails that do one thing: answer one poll as the one person asked.

The token names the poll and the participant (signed for this purpose only, so a meeting
reply link or any other signed token is refused here). It is refused once the poll is no
longer open to answers; the page then says why.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from portal.core.errors import NotFound
from portal.core.tokens import read_signed_token, signed_token
from portal.polls.models import PollParticipant

PURPOSE = "poll-answer"


def answer_token(participant: PollParticipant) -> str:
    return signed_token(PURPOSE, {"poll": participant.poll_id, "participant": participant.id})


def participant_from_token(session: Session, token: str) -> PollParticipant:
    data = read_signed_token(PURPOSE, token)
    if data is None:
        raise NotFound(str(_l("This answer link is not valid.")))
    participant = session.get(PollParticipant, data.get("participant"))
    if participant is None or participant.poll_id != data.get("poll"):
        raise NotFound(str(_l("This answer link is not valid any more.")))
    return participant
