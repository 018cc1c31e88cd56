"""The management page of a meeting: its agenda and the documents on it, its invitees, the
attendance, changing or cancelling it, and the minutes' buttons of whoever manages it.

Only those who manage the meeting open it (access.can_manage_meetings). Its body is the same
for every manager: it is rendered with slots for what is each manager's own (form tokens,
times in their zone, the people and documents they may pick, their minutes' buttons) and
kept per language (manage_kept.py); `fill` puts those in for each request. A small form
that failed is shown again here with its errors, in a body rendered for it and never kept.
What the page offers follows the meeting's time as the actions do: attendance from the
start on, cancelling until the end.

A meeting has up to hundreds of invitees: the page shows one page of them (by delegation,
then name), and its attendance form holds that page's people only (recording them leaves
the others as they are). The invitee picker offers the first MAX_PEOPLE of those who may
still be invited, by name, or those whose name holds the words searched.
"""

from dataclasses import dataclass

from flask import get_template_attribute, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from portal.core import past_events
from portal.core.errors import Denied, NotFound
from portal.core.extensions import db
from portal.core.i18n import (
    current_language,
    deferred_time_fillings,
    deferred_times,
    localized,
    select_timezone,
)
from portal.core.kept import HTML_SLOTS, ProcessStore
from portal.meetings import (
    access,
    attachments,
    manage_documents,
    manage_queries,
    pending,
    queries,
)
from portal.meetings.forms import (
    ATTENDANCE_LABELS,
    REPLY_LABELS,
    SCOPE_LABELS,
    AgendaItemForm,
    InviteeForm,
)
from portal.meetings.manage_documents import option_tags
from portal.meetings.minutes_actions import minutes_actions
from portal.meetings.minutes_reading import (
    awaiting_approval_in_group,
    buttons_for,
    minutes_summary,
)
from portal.meetings.models import Meeting
from portal.meetings.services import require_manager, require_managing
from portal.web.forms import options, page_number
from portal.web.submissions import new_submission_token

MAX_PEOPLE = 50  # people offered by the invitee picker at once
MAX_PEOPLE_SEARCH = 100  # characters of the words a manager searches people by

# The body's slots besides its times (templates/meetings/_manage.html), and the picker's token.
CSRF, AGENDA_SUBMISSION, PICKER, DOCUMENTS = "csrf", "agenda_submission", "picker", "documents"
ATTACHED, MINUTES_ACTIONS, PREVIOUS = "attached", "minutes_actions", "previous"
PICKER_SUBMISSION = "picker_submission"
PARTS = "meetings/_manage_parts.html"


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


def managed_facts(meeting_id: int):
    """manage_queries.manage_facts for the current user, refused as managed_meeting is."""
    facts = manage_queries.manage_facts(db.session, current_user, meeting_id, current_language())
    if facts is None:
        raise NotFound()
    if not facts.visible:
        raise Denied("meeting", meeting_id)
    require_managing(current_user, reads_mou=facts.reads_mou)
    return facts


def documents_search() -> str:
    """The words the documents to attach were narrowed by (?documents=)."""
    return " ".join(request.values.get("documents", "").split())[: attachments.MAX_SEARCH]


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
    """The page with a form that failed in `forms`, showing its errors (422, nothing
    written): rendered for this request, never kept."""
    facts = managed_facts(meeting.id)
    body = render_body(
        meeting,
        page=page_number(request.values),
        agenda_form=forms.get("agenda_form"),
        attendance_form=forms.get("attendance_form"),
    )
    return fill(facts, localized(meeting, "title"), body, status, **forms)


def render_body(meeting: Meeting, *, page: int = 1, agenda_form=None, attendance_form=None):
    """The body every manager sees, with its slots (the module's docstring)."""
    invitee_page = manage_queries.invitee_page(db.session, meeting.id, page=page)
    started = past_events.has_started(meeting)
    with deferred_times():
        return render_template(
            "meetings/_manage.html",
            meeting=meeting,
            group=meeting.working_group,
            over=past_events.is_over(meeting),
            # Translated once here rather than at each of their uses.
            reply_labels={reply: str(label) for reply, label in REPLY_LABELS.items()},
            scope_labels={scope: str(label) for scope, label in SCOPE_LABELS.items()},
            invitees=_invitee_lines(invitee_page.items),
            invitee_page=invitee_page,
            invitations_pending=not invitee_page.items
            and pending.waiting_for_invitations(db.session, meeting),
            csrf=HTML_SLOTS.slot(CSRF),
            agenda_form_html=_agenda_form(meeting.id, agenda_form),
            picker_slot=HTML_SLOTS.slot(PICKER),
            documents_slot=HTML_SLOTS.slot(DOCUMENTS),
            attached_slot=lambda item_id: HTML_SLOTS.slot(ATTACHED, str(item_id)),
            attendance_open=started,
            attendance_options=_attendance_options() if started else {},
            attendance_form=attendance_form,
            cancel_open=not past_events.is_over(meeting) and not meeting.is_cancelled,
            minutes_summary=minutes_summary(db.session, None, meeting),
            minutes_actions_slot=HTML_SLOTS.slot(MINUTES_ACTIONS),
            previous_slot=HTML_SLOTS.slot(PREVIOUS),
        )


def fill(facts, title: str, body: str, status: int = 200, *, picker: str | None = None, **failed):
    """The page: the body's slots filled for this request and this manager (`failed`: the
    picker or the attaching form sent and refused, shown with their errors; `picker`: the
    picker's first list kept (default_picker), shown when nothing was searched)."""
    fillings = {**_fillings(facts, failed, picker), **deferred_time_fillings()}
    body = HTML_SLOTS.fill(body, fillings)
    return render_template("meetings/manage.html", title=title, body=body), status


def _fillings(facts, failed: dict, kept_picker: str | None) -> dict:
    """What is the manager's own, each read only if the body has its slot."""
    session, viewer, csrf = db.session, current_user, generate_csrf()
    read = {}

    def candidates() -> manage_documents.Candidates:
        if "candidates" not in read:
            search = documents_search()
            if not search:
                drawn = manage_documents.kept_candidates(session, viewer, facts)
            else:
                found = attachments.candidate_documents(session, viewer, facts.mou_id, search)
                drawn = manage_documents.drawn(found)
            read["candidates"] = drawn
        return read["candidates"]

    def attached_here(item_id: int) -> list:
        if "attached" not in read:
            read["attached"] = (
                attachments.visible_attachments(session, viewer, facts.id)
                if facts.has_attachments
                else {}
            )
        return read["attached"].get(item_id, [])

    def attached(argument: str) -> Markup:
        """An item's documents and the form attaching one; for an item with none (most),
        that form drawn once for every item, its address and the item's id put in."""
        item_id, failed_here = int(argument), failed.get("attach_item_id") == int(argument)
        drawn = candidates()
        if attached_here(item_id) or failed_here:
            here = attached_here(item_id)
            return manage_documents.attached_list(
                facts.id, item_id, here, drawn.found, drawn.options, failed, csrf=csrf
            )
        action = url_for("meetings.attach_to_agenda_item", meeting_id=facts.id, item_id=item_id)
        fillings = {"item": argument, "action": action, "csrf": csrf}
        return HTML_SLOTS.fill(drawn.attach_form, fillings)

    return {
        CSRF: csrf,
        AGENDA_SUBMISSION: lambda _: new_submission_token(viewer.get_id()),
        PICKER: lambda _: _picker(facts, csrf, failed.get("invitee_form"), kept_picker),
        DOCUMENTS: lambda _: HTML_SLOTS.fill(
            candidates().search_form,
            {"manage_url": url_for("meetings.manage", meeting_id=facts.id)},
        ),
        ATTACHED: attached,
        MINUTES_ACTIONS: lambda _: _minutes_actions(facts),
        PREVIOUS: lambda _: _previous(facts),
    }


def default_picker(meeting_id: int, mou_id: int) -> str:
    """The picker as every manager sees it first (no words searched, the first page of
    invitees), its tokens left as slots: kept with the body (manage_kept.py)."""
    choices, more = manage_queries.people_to_invite(
        db.session, meeting_id, mou_id, limit=MAX_PEOPLE
    )
    return get_template_attribute(PARTS, "picker")(
        meeting_id,
        1,
        "",
        option_tags(choices),
        more,
        MAX_PEOPLE,
        HTML_SLOTS.slot(CSRF),
        HTML_SLOTS.slot(PICKER_SUBMISSION),
    )


def _picker(facts, csrf: str, invitee_form: InviteeForm | None, kept: str | None) -> Markup:
    search = people_search()
    if kept is not None and not search and invitee_form is None:
        submission = new_submission_token(current_user.get_id())
        return HTML_SLOTS.fill(kept, {CSRF: csrf, PICKER_SUBMISSION: submission})
    choices, more = manage_queries.people_to_invite(
        db.session, facts.id, facts.mou_id, search=search, limit=MAX_PEOPLE
    )
    if invitee_form is not None:
        invitee_form.user_id.choices = options(choices)
    submission = new_submission_token(current_user.get_id())
    page = page_number(request.values)
    return get_template_attribute(PARTS, "picker")(
        facts.id,
        page,
        search,
        option_tags(choices),
        more,
        MAX_PEOPLE,
        csrf,
        submission,
        invitee_form,
    )


def _minutes_actions(facts) -> Markup:
    buttons = buttons_for(
        current_user,
        facts.minutes_state,
        co_chair=facts.co_chair,
        reads_mou=facts.reads_mou,
        own_party=facts.own_party,
        approved=facts.approved,
    )
    return minutes_actions(facts.id, buttons)


# The group's minutes awaiting approval per manager, and the notes drawn of them (_previous).
AWAITING = ProcessStore("meeting-minutes-awaiting", size=1024)
PREVIOUS_NOTES = ProcessStore("meeting-previous-notes", size=256)


def _previous(facts) -> Markup | str:
    """The note on the latest earlier minutes awaiting approval, for whoever may act on
    minutes. It follows the group's meetings, their minutes and the manager's rights, all of
    which raise the group pages' generation (read with the facts): the group's meetings
    awaiting approval are kept per manager under it, and the previous one found among them."""
    viewer, session = current_user, db.session
    edits = access.edits_minutes(viewer, co_chair=facts.co_chair, reads_mou=facts.reads_mou)
    if not (edits or access.approves_minutes(co_chair=facts.co_chair, reads_mou=facts.reads_mou)):
        return ""

    def read() -> tuple:
        return awaiting_approval_in_group(session, viewer, facts.working_group_id)

    if facts.pages_generation is None:
        awaiting = read()
    else:
        reader = (viewer.id, viewer.role, viewer.party_id)
        key = (facts.working_group_id, facts.pages_generation, *reader)
        awaiting = AWAITING.get(session, key, read)
    previous = next((row for row in awaiting if row.starts_at < facts.starts_at), None)
    if previous is None:
        return ""
    key = (tuple(previous), current_language(), select_timezone())
    note = get_template_attribute(PARTS, "previous_note")
    return PREVIOUS_NOTES.get(session, key, lambda: note(previous))


# The form adding an agenda item is the same for every meeting but for its action and tokens:
# kept per language with those as slots while it shows no error.
AGENDA_FORMS = ProcessStore("meeting-agenda-forms", size=8)


def _agenda_form(meeting_id: int, failed: AgendaItemForm | None) -> Markup:
    """The form, its tokens left as the body's slots."""
    action = url_for("meetings.add_agenda_item", meeting_id=meeting_id)
    csrf = HTML_SLOTS.slot(CSRF)
    if failed is not None:
        return _render_agenda_form(failed, action, csrf, failed.submission_token._value())
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
    fillings = {"action": action, "csrf": csrf, "submission": HTML_SLOTS.slot(AGENDA_SUBMISSION)}
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


def _attendance_options() -> dict[str, Markup]:
    """An invitee's attendance choices, by the one selected, in the request's language."""
    labels = [(mark.value, str(label)) for mark, label in ATTENDANCE_LABELS.items()]
    return {value: option_tags(labels, value) for value, _ in labels}


def invitee_form(meeting: Meeting, formdata=None) -> InviteeForm:
    """The invitee picker as sent: its one choice is the person chosen, if they may be
    invited and are not yet (the page is the managers')."""
    form = InviteeForm(prefix="invitee", formdata=formdata)
    chosen = form.user_id.data if isinstance(form.user_id.data, int) else None
    choices, _ = manage_queries.invitation_choices(db.session, meeting, only=chosen)
    form.user_id.choices = options(choices if chosen is not None else [])
    return form
