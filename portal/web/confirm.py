"""Destructive actions ask first: one confirmation page for all of them.

The endpoint of a destructive action answers a GET, and a POST without `confirmed=1`, with
the confirmation page, changing and mailing nothing; only the page's own "Yes" button posts
the confirmation. The feature looks up the object and refuses exactly as the action would
before it asks, and supplies the words and the people its action will mail.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from flask import render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from wtforms import HiddenField

from portal.core.i18n import localized
from portal.web.forms import BaseForm


class ConfirmForm(BaseForm):
    """The "Yes" button of a confirmation page: its CSRF token and `confirmed=1`."""

    confirmed = HiddenField(_l("Confirmed"))


def is_confirmed() -> bool:
    """Whether this request is a POST from a confirmation page's "Yes" button."""
    form = ConfirmForm()
    return form.validate_on_submit() and form.confirmed.data == "1"


@dataclass(frozen=True)
class Mailed:
    """Who the action mails, and what, e.g. `Mailed(_("a cancellation"), invitees)`."""

    what: str
    people: Iterable


@dataclass(frozen=True)
class Confirmation:
    """What the page says: its title, what will happen, who will be mailed, the "Yes" button's
    words, where "No" goes back to, and form values carried over to the action (a scope)."""

    title: str
    consequences: list[str]
    mailed: Mailed | None
    button: str
    back_url: str
    carried: dict[str, str] = field(default_factory=dict)


def recipients_summary(mailed: Mailed | None) -> str:
    """E.g. "14 people will be mailed a cancellation: Chile 8, United Kingdom 6."."""
    people = list(mailed.people) if mailed else []
    if not people:
        return _("Nobody will be mailed.")
    sentence = ngettext(
        "%(num)d person will be mailed %(what)s",
        "%(num)d people will be mailed %(what)s",
        len(people),
        what=mailed.what,
    )
    return f"{sentence}: {', '.join(_delegation_counts(people))}."


def _delegation_counts(people: list) -> list[str]:
    counts = Counter(localized(p.party, "name") if p.party else None for p in people)
    named = sorted((name, count) for name, count in counts.items() if name is not None)
    parts = [f"{name} {count}" for name, count in named]
    if counts[None]:
        parts.append(_("external participants %(count)d", count=counts[None]))
    return parts


def confirmation_page(confirmation: Confirmation) -> str:
    """The confirmation page (200): nothing has been changed or mailed."""
    return render_template(
        "confirm.html",
        confirmation=confirmation,
        recipients=recipients_summary(confirmation.mailed),
        form=ConfirmForm(formdata=None),
    )
