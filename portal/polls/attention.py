"""What polls ask of the reader on the dashboard: the polls waiting for their answer."""

from flask import url_for
from flask_babel import ngettext

from portal.accounts.models import User
from portal.polls import queries
from portal.web.features import Attention, AttentionItem


def polls_to_answer(session, reader: User) -> list[AttentionItem]:
    waiting = queries.polls_awaiting_answer(session, reader)
    if not waiting.count:
        return []
    text = ngettext(
        "%(num)d poll waits for your answer",
        "%(num)d polls wait for your answer",
        waiting.count,
    )
    url = url_for("polls.detail", poll_id=waiting.first)
    return [AttentionItem(waiting.count, text, url)]


ATTENTION = (Attention(polls_to_answer, order=25),)
