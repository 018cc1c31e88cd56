"""What action items ask of the reader on the dashboard: their own deadlines and, for those
who look after groups, the overdue items of those groups.

Each line links to the action list filtered to what it counts (the list keeps its own
access rules); the sentence says how many, never which.
"""

from datetime import timedelta

from flask import url_for
from flask_babel import gettext, ngettext

from portal.accounts.models import User
from portal.actions import queries, summaries
from portal.web.features import Attention, AttentionItem


def own_deadlines(session, reader: User) -> list[AttentionItem]:
    deadlines = summaries.own_deadlines(session, reader)
    items = []
    if deadlines.overdue:
        if deadlines.overdue_more:
            text = gettext(
                "More than %(num)d of your action items are overdue", num=deadlines.overdue
            )
        else:
            text = ngettext(
                "%(num)d of your action items is overdue",
                "%(num)d of your action items are overdue",
                deadlines.overdue,
            )
        url = url_for("actions.action_list", mine="y", overdue="y")
        items.append(AttentionItem(deadlines.overdue, text, url))
    if deadlines.due_soon:
        if deadlines.due_soon_more:
            text = gettext(
                "More than %(num)d of your action items are due within %(days)d days",
                num=deadlines.due_soon,
                days=summaries.DUE_SOON_DAYS,
            )
        else:
            text = ngettext(
                "%(num)d of your action items is due within %(days)d days",
                "%(num)d of your action items are due within %(days)d days",
                deadlines.due_soon,
                days=summaries.DUE_SOON_DAYS,
            )
        after_horizon = queries.today() + timedelta(days=summaries.DUE_SOON_DAYS + 1)
        url = url_for("actions.action_list", mine="y", due_before=after_horizon.isoformat())
        items.append(AttentionItem(deadlines.due_soon, text, url))
    return items


def overdue_in_groups(session, reader: User) -> list[AttentionItem]:
    overdue = summaries.overdue_in_looked_after_groups(session, reader)
    if not overdue.count:
        return []
    if overdue.more:
        text = gettext(
            "More than %(num)d action items of the groups you look after are overdue",
            num=overdue.count,
        )
    else:
        text = ngettext(
            "%(num)d action item of the groups you look after is overdue",
            "%(num)d action items of the groups you look after are overdue",
            overdue.count,
        )
    if overdue.group_id is None:
        url = url_for("actions.action_list", overdue="y")
    else:
        url = url_for("actions.action_list", group=overdue.group_id, overdue="y")
    return [AttentionItem(overdue.count, text, url)]


ATTENTION = (Attention(own_deadlines, order=30), Attention(overdue_in_groups, order=40))
