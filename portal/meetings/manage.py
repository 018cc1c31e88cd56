"""The management page of a meeting: its agenda and the documents on it, its invitees, the
attendance, changing or cancelling it, and the minutes' buttons of whoever manages it.

Only those who manage the meeting open it (access.can_manage_meetings). It is rendered for
each request, never stored; a small form that failed is shown again here with its errors.
What the page offers follows the meeting's time as the actions do: attendance from the
start on, cancelling until the end.

A meeting has up to hundreds of invitees: the page shows one page of them (by delegation,
then name), and its attendance form holds that page's people only (recording them leaves
the others as they are). The invitee picker offers the first MAX_PEOPLE of those who may
still be invited, by name, or those whose name holds the words searched.
"""

from dataclasses import dataclass

from flask import render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from portal.core import past_events
from portal.core.extensions import db
from portal.core.i18n import current_language
from portal.core.kept import HTML_SLOTS, ProcessStore
from portal.meetings import attachments, manage_queries, queries
from portal.meetings.forms import (
    ATTENDANCE_LABELS,
    REPLY_LABELS,
    SCOPE_LABELS,
    AgendaItemForm,
    InviteeForm,
)
from portal.meetings.minutes_reading import minutes_summary
from portal.meetings.models import Meeting
from portal.meetings.services import require_manager
from portal.web.forms import options, page_number
from portal.web.submissions import new_submission_token

MAX_PEOPLE = 50  # people offered by the invitee picker at once
MAX_PEOPLE_SEARCH = 100  # characters of the words a manager searches people by


@dataclass(frozen=True)
class PartyShown:
    """What the invitee list shows of a delegation (party_badge)."""

    code: str
    name_en: str
    name_es: str


@dataclass(frozen=True)
class InviteeLine:
    """One invitee as the management page shows them."""

    id: int
    name: str
    party: PartyShown | None
    reply: object
    comment: str
    attendance: object


def managed_meeting(meeting_id: int, options: tuple = queries.MANAGE_OPTIONS) -> Meeting:
    """The meeting, refused as managing it is: 404 to whoever may not see it, else 403."""
    meeting = queries.get_meeting(db.session, current_user, meeting_id, options)
    require_manager(current_user, meeting.working_group)
    return meeting


def people_search() -> str:
    """The words the invitee picker was narrowed by (?people=)."""
    return " ".join(request.values.get("people", "").split())[:MAX_PEOPLE_SEARCH]


def _invitee_lines(rows) -> list[InviteeLine]:
    return [
        InviteeLine(
            id=row.id,
            name=row.name,
            party=PartyShown(row.party_code, row.party_name_en, row.party_name_es)
            if row.party_code is not None
            else None,
            reply=row.reply,
            comment=row.comment,
            attendance=row.attendance,
        )
        for row in rows
    ]


def manage_page(meeting: Meeting, status: int = 200, **forms):
    """The page; a form in `forms` that failed shows its errors (422, nothing written)."""
    attach_form = forms.pop("attach_form", None)
    attach_item_id = forms.pop("attach_item_id", None)
    page = manage_queries.invitee_page(db.session, meeting.id, page=page_number(request.values))
    invitees = _invitee_lines(page.items)
    search = people_search()
    return render_template(
        "meetings/manage.html",
        meeting=meeting,
        group=meeting.working_group,
        over=past_events.is_over(meeting),
        # Translated once here rather than at each of their uses.
        reply_labels={reply: str(label) for reply, label in REPLY_LABELS.items()},
        scope_labels={scope: str(label) for scope, label in SCOPE_LABELS.items()},
        invitees=invitees,
        invitee_page=page,
        people_search=search,
        max_people=MAX_PEOPLE,
        attached=attachments.agenda_documents(
            db.session, current_user, meeting, search=request.values.get("documents", "")
        ),
        max_candidates=attachments.MAX_CANDIDATES,
        attach_form=attach_form,
        attach_item_id=attach_item_id,
        minutes_summary=minutes_summary(db.session, current_user, meeting),
        **_forms(meeting, search, forms),
        attendance_form=forms.get("attendance_form"),
    ), status


def _forms(meeting: Meeting, search: str, failed: dict) -> dict:
    """The forms the meeting's time allows: attendance from the start on, cancelling until
    the end. Those that did not fail are drawn from their tokens and options (a form object
    each costs more than the page's data); `failed` holds those sent and refused, shown
    again with their errors (the picker with the people it offers)."""
    choices, more = manage_queries.invitation_choices(
        db.session, meeting, search=search, limit=MAX_PEOPLE
    )
    picker = failed.get("invitee_form")
    if picker is not None:
        picker.user_id.choices = options(choices)
    started = past_events.has_started(meeting)
    return {
        "agenda_form_html": _agenda_form(meeting.id, failed.get("agenda_form")),
        "invitee_form": picker,
        "invitee_submission": new_submission_token(current_user.get_id()),
        "people_options": _options(choices),
        "more_people": more,
        "attendance_open": started,
        "attendance_options": _attendance_options() if started else {},
        "cancel_open": not past_events.is_over(meeting) and not meeting.is_cancelled,
    }


# The form adding an agenda item is the same for every meeting but for its action and tokens:
# kept per language with those as slots while it shows no error.
AGENDA_FORMS = ProcessStore("meeting-agenda-forms", size=8)


def _agenda_form(meeting_id: int, failed: AgendaItemForm | None) -> Markup:
    action = url_for("meetings.add_agenda_item", meeting_id=meeting_id)
    if failed is not None:
        return _render_agenda_form(
            failed, action, generate_csrf(), failed.submission_token._value()
        )
    skeleton = AGENDA_FORMS.get(
        db.session,
        (current_language(),),
        lambda: HTML_SLOTS.split(
            _render_agenda_form(
                AgendaItemForm(prefix="agenda", formdata=None),
                HTML_SLOTS.slot("action"),
                HTML_SLOTS.slot("csrf"),
                HTML_SLOTS.slot("submission"),
            )
        ),
    )
    fillings = {
        "action": action,
        "csrf": generate_csrf(),
        "submission": new_submission_token(current_user.get_id()),
    }
    return HTML_SLOTS.fill(skeleton, fillings)


def _render_agenda_form(form, action, csrf, submission) -> Markup:
    html = render_template(
        "meetings/_agenda_form.html",
        agenda_form=form,
        action=action,
        csrf=csrf,
        submission=submission,
    )
    return Markup(html)  # noqa: S704 - rendered by the template, escaped  # nosec B704


# The selects of a form that did not fail are drawn here, as ChoicesSelect draws them (the
# `field` macro draws each option through WTForms: some 0.3 ms a select, for a page of them).


def _options(choices, selected=None) -> Markup:
    return Markup(  # noqa: S704 - every value and label escaped  # nosec B704
        "".join(
            f'<option{" selected" if value == selected else ""} value="{escape(value)}">'
            f"{escape(label)}</option>"
            for value, label in choices
        )
    )


def _attendance_options() -> dict[str, Markup]:
    """An invitee's attendance choices, by the one selected, in the request's language."""
    labels = [(mark.value, str(label)) for mark, label in ATTENDANCE_LABELS.items()]
    return {value: _options(labels, value) for value, _ in labels}


def invitee_form(meeting: Meeting, formdata=None) -> InviteeForm:
    """The invitee picker as sent: its one choice is the person chosen, if they may be
    invited and are not yet (the page is the managers')."""
    form = InviteeForm(prefix="invitee", formdata=formdata)
    chosen = form.user_id.data if isinstance(form.user_id.data, int) else None
    choices, _ = manage_queries.invitation_choices(db.session, meeting, only=chosen)
    form.user_id.choices = options(choices if chosen is not None else [])
    return form
