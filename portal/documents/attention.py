"""What documents ask of the reader on the dashboard: what was shared since their last visit.

One document links to its page; several to the library, newest first. Only
documents the reader may open are counted (documents.access), and none is named.
"""

from flask import url_for
from flask_babel import ngettext

from portal.accounts.models import User
from portal.documents import summaries
from portal.web.features import Attention, AttentionItem


def new_documents(session, reader: User) -> list[AttentionItem]:
    waiting = summaries.new_since_last_visit(session, reader)
    if not waiting.count:
        return []
    text = ngettext(
        "%(num)d document was shared with you since your last visit",
        "%(num)d documents were shared with you since your last visit",
        waiting.count,
    )
    document_id, _ = waiting.first
    if waiting.count == 1:
        url = url_for("documents.detail", document_id=document_id)
    else:
        url = url_for("documents.landing")
    return [AttentionItem(waiting.count, text, url)]


ATTENTION = (Attention(new_documents, order=60),)
