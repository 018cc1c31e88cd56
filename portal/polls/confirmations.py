"""What the confirmation page of cancelling a poll says (portal/web/confirm.py)."""

from flask import url_for
from flask_babel import gettext as _

from portal.core.i18n import localized
from portal.polls.models import Poll
from portal.polls.notifications import people_told
from portal.web.confirm import Confirmation, Mailed


def cancel_poll(poll: Poll) -> Confirmation:
    return Confirmation(
        title=_("Cancel this poll?"),
        consequences=[
            _(
                "The poll “%(title)s” will be closed without a meeting: nobody can answer it "
                "any more.",
                title=localized(poll, "title"),
            ),
            _("The answers given are kept and still shown on its page."),
        ],
        mailed=Mailed(_("that the poll is cancelled"), people_told(poll)),
        button=_("Yes, cancel the poll"),
        back_url=url_for("polls.detail", poll_id=poll.id),
    )
