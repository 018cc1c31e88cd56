"""What meetings ask of the reader on the dashboard: replies and approvals of minutes.

Each line links to the first meeting waiting (its page holds the reply form, its minutes
page the approval); the sentence says how many, never which.
"""

from flask import url_for
from flask_babel import gettext, ngettext

from portal.accounts.models import User
from portal.meetings import summaries
from portal.web.features import Attention, AttentionItem


def minutes_to_approve(session, reader: User) -> list[AttentionItem]:
    waiting = summaries.minutes_awaiting_approval(session, reader)
    if not waiting.count:
        return []
    text = ngettext(
        "%(num)d set of minutes waits for your delegation's approval",
        "%(num)d sets of minutes wait for your delegation's approval",
        waiting.count,
    )
    url = url_for("meetings.minutes", meeting_id=waiting.first)
    return [AttentionItem(waiting.count, text, url)]


def meetings_to_answer(session, reader: User) -> list[AttentionItem]:
    waiting = summaries.meetings_awaiting_reply(session, reader)
    if not waiting.count:
        return []
    if waiting.more:
        text = gettext("More than %(num)d meetings wait for your reply", num=waiting.count)
    else:
        text = ngettext(
            "%(num)d meeting waits for your reply",
            "%(num)d meetings wait for your reply",
            waiting.count,
        )
    url = url_for("meetings.detail", meeting_id=waiting.first)
    return [AttentionItem(waiting.count, text, url)]


ATTENTION = (Attention(minutes_to_approve, order=10), Attention(meetings_to_answer, order=20))
