"""What the outbox asks of administrators on the dashboard: failed mails to look at."""

from flask import url_for
from flask_babel import ngettext

from portal.accounts.models import User
from portal.notifications import queries
from portal.notifications.models import OutboxStatus
from portal.web.features import Attention, AttentionItem


def failed_mails(session, reader: User) -> list[AttentionItem]:
    count = queries.failed_mail_count(session, reader)
    if not count:
        return []
    text = ngettext("%(num)d mail could not be sent", "%(num)d mails could not be sent", count)
    url = url_for("notifications.outbox", status=OutboxStatus.FAILED.value)
    return [AttentionItem(count, text, url)]


# The outbox worker writes its rows past the ORM: counted every time, never kept.
ATTENTION = (Attention(failed_mails, order=70, live=True),)
