"""The management page of a meeting: its agenda and the documents on it, its invitees, the
attendance, changing or cancelling it, and the minutes' buttons of whoever manages it.

Only those who manage the meeting open it (access.can_manage_meetings). It is rendered for
each request, never stored; a small form that failed is shown again here with its errors.
What the page offers follows the meeting's time as the actions do: attendance from the
start on, cancelling until the end.
"""

from flask import render_template, request
from flask_login import current_user

from portal.core import past_events
from portal.core.extensions import db
from portal.meetings import attachments, queries
from portal.meetings.forms import (
    ATTENDANCE_LABELS,
    REPLY_LABELS,
    SCOPE_LABELS,
    AgendaItemForm,
    CancelMeetingForm,
    InviteeForm,
    attendance_form,
)
from portal.meetings.minutes_reading import minutes_summary
from portal.meetings.models import Meeting
from portal.meetings.services import require_manager
from portal.web.forms import options


def managed_meeting(meeting_id: int) -> Meeting:
    """The meeting, refused as managing it is: 404 to whoever may not see it, else 403."""
    meeting = queries.get_meeting(db.session, current_user, meeting_id, queries.MANAGE_OPTIONS)
    require_manager(current_user, meeting.working_group)
    return meeting


def manage_page(meeting: Meeting, status: int = 200, **forms):
    """The page; a form in `forms` that failed shows its errors (422, nothing written)."""
    attach_form = forms.pop("attach_form", None)
    attach_item_id = forms.pop("attach_item_id", None)
    invitees = sorted(meeting.invitees, key=lambda i: (i.user.party.code, i.user.name.lower()))
    return render_template(
        "meetings/manage.html",
        meeting=meeting,
        group=meeting.working_group,
        over=past_events.is_over(meeting),
        reply_labels=REPLY_LABELS,
        attendance_labels=ATTENDANCE_LABELS,
        scope_labels=SCOPE_LABELS,
        invitees=invitees,
        attached=attachments.agenda_documents(
            db.session, current_user, meeting, search=request.values.get("documents", "")
        ),
        max_candidates=attachments.MAX_CANDIDATES,
        attach_form=attach_form,
        attach_item_id=attach_item_id,
        minutes_summary=minutes_summary(db.session, current_user, meeting),
        **{**_forms(meeting), **forms},
    ), status


def _forms(meeting: Meeting) -> dict:
    """The forms the meeting's time allows: attendance from the start on, cancelling until
    the end."""
    forms = {"agenda_form": AgendaItemForm(prefix="agenda"), "invitee_form": invitee_form(meeting)}
    if past_events.has_started(meeting):
        forms["attendance_form"] = attendance_form(meeting.invitees)
    if not past_events.is_over(meeting) and not meeting.is_cancelled:
        forms["cancel_form"] = CancelMeetingForm()
    return forms


def invitee_form(meeting: Meeting, formdata=None) -> InviteeForm:
    """The invitee picker: whoever may be invited and is not yet (the page is the managers')."""
    form = InviteeForm(prefix="invitee", formdata=formdata)
    form.user_id.choices = options(queries.invitation_choices(db.session, meeting))
    return form
