"""What trainings ask of the reader on the dashboard: registrations about to close.

One training links to its page (where one registers), several to the list of trainings;
the sentence says how many, never which.
"""

from flask import url_for
from flask_babel import ngettext

from portal.accounts.models import User
from portal.trainings import queries
from portal.web.features import Attention, AttentionItem


def registrations_closing(session, reader: User) -> list[AttentionItem]:
    waiting = queries.registration_closing_soon(session, reader)
    if not waiting.count:
        return []
    text = ngettext(
        "Registration for %(num)d training closes within %(days)d days",
        "Registration for %(num)d trainings closes within %(days)d days",
        waiting.count,
        days=queries.CLOSING_SOON.days,
    )
    if waiting.count == 1:
        url = url_for("trainings.detail", training_id=waiting.first)
    else:
        url = url_for("trainings.training_list")
    return [AttentionItem(waiting.count, text, url)]


ATTENTION = (Attention(registrations_closing, order=50),)
