"""What CSIRT bulletins ask of a reader at the top of the dashboard."""

from flask import url_for
from flask_babel import ngettext

from portal.csirt import queries
from portal.web.features import Attention, AttentionItem


def _items(session, reader):
    count = queries.unanswered_count(session, reader)
    if count:
        yield AttentionItem(
            count,
            ngettext(
                "%(num)d CSIRT bulletin awaits your CSIRT's answer",
                "%(num)d CSIRT bulletins await your CSIRT's answer",
                count,
            ),
            url_for("csirt.bulletin_list", unanswered="1"),
        )


ATTENTION = (Attention(_items, order=45),)
