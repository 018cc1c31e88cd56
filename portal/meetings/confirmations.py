"""What the confirmation pages of the meetings' destructive actions say (portal/web/confirm.py):
cancelling a meeting, withdrawing an invitation, removing an agenda item, detaching a
document from it. "No" goes back to the management page, where each is asked."""

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.orm import Session

from portal.core.i18n import localized, show_datetime
from portal.documents.models import Document
from portal.meetings import cancelling
from portal.meetings.models import AgendaItem, Invitee, Meeting
from portal.meetings.services import Scope
from portal.web.confirm import Confirmation, Mailed


def _meeting_url(meeting: Meeting, anchor: str = "") -> str:
    return url_for("meetings.manage", meeting_id=meeting.id) + anchor


def _when(meeting: Meeting) -> str:
    return show_datetime(meeting.starts_at)


def cancel_meeting(session: Session, meeting: Meeting, scope: Scope) -> Confirmation:
    title = localized(meeting, "title")
    if meeting.series is None:
        what = _(
            "The meeting “%(title)s” of %(when)s will be cancelled.",
            title=title,
            when=_when(meeting),
        )
    elif scope == Scope.THIS:
        what = _(
            "Only the meeting of %(when)s of the series “%(title)s” will be cancelled; "
            "the other meetings of the series stay as they are.",
            title=title,
            when=_when(meeting),
        )
    elif cancelling.cancels_whole_series(meeting, scope):
        count = len(cancelling.meetings_to_cancel(meeting, scope))
        what = ngettext(
            "The whole series “%(title)s” will be cancelled: %(num)d meeting.",
            "The whole series “%(title)s” will be cancelled: %(num)d meetings.",
            count,
            title=title,
        )
    else:
        count = len(cancelling.meetings_to_cancel(meeting, scope))
        what = ngettext(
            "The meeting of %(when)s of the series “%(title)s” will be cancelled "
            "(%(num)d meeting); the earlier meetings stay as they are.",
            "The meeting of %(when)s of the series “%(title)s” and the following ones will be "
            "cancelled (%(num)d meetings); the earlier meetings stay as they are.",
            count,
            title=title,
            when=_when(meeting),
        )
    return Confirmation(
        title=_("Cancel the meeting?"),
        consequences=[what, _("Invitees' calendars will show the cancellation.")],
        mailed=Mailed(
            _("a cancellation"), cancelling.cancellation_recipients(session, meeting, scope)
        ),
        button=_("Yes, cancel the meeting"),
        back_url=_meeting_url(meeting),
        carried={"scope": scope.value},
    )


def remove_invitee(meeting: Meeting, invitee: Invitee) -> Confirmation:
    return Confirmation(
        title=_("Withdraw the invitation?"),
        consequences=[
            _(
                "%(name)s will no longer be invited to “%(title)s” of %(when)s.",
                name=invitee.user.name,
                title=localized(meeting, "title"),
                when=_when(meeting),
            )
        ],
        mailed=Mailed(_("a cancellation"), [invitee.user]),
        button=_("Yes, withdraw the invitation"),
        back_url=_meeting_url(meeting, "#invitees"),
    )


def remove_agenda_item(meeting: Meeting, item: AgendaItem) -> Confirmation:
    return Confirmation(
        title=_("Remove the agenda item?"),
        consequences=[
            _(
                "The item “%(item)s” will be removed from the agenda of “%(title)s”, "
                "with the documents attached to it (the documents stay in the library).",
                item=item.title,
                title=localized(meeting, "title"),
            )
        ],
        mailed=None,
        button=_("Yes, remove the agenda item"),
        back_url=_meeting_url(meeting, "#agenda"),
    )


def detach_document(meeting: Meeting, item: AgendaItem, document: Document) -> Confirmation:
    return Confirmation(
        title=_("Detach the document?"),
        consequences=[
            _(
                "The document “%(document)s” will no longer be attached to the agenda item "
                "“%(item)s” of “%(title)s” (the document stays in the library).",
                document=document.title,
                item=item.title,
                title=localized(meeting, "title"),
            )
        ],
        mailed=None,
        button=_("Yes, detach the document"),
        back_url=_meeting_url(meeting, "#agenda"),
    )
