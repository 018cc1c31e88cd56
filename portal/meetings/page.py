"""The meeting page: the same reading page for everyone, taken from the readers' store.

The page is rendered once per language and kept (page_cache.py); each viewer gets it with
the times put in their zone, their own reply, the documents they may open, and, for those
who manage the meeting or work on its minutes, their buttons: one query beyond the login's
for every viewer, which reads what decides the buttons too. Managing the meeting is a page
of its own (manage.py).
"""

from functools import cache

from flask import current_app, render_template, url_for
from flask_babel import force_locale, get_locale
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy import Select, and_, bindparam, select
from sqlalchemy.orm import Session, aliased

from portal.accounts.models import Role
from portal.core import access as core_access
from portal.core import past_events
from portal.core.errors import Denied, NotFound
from portal.core.extensions import db
from portal.core.i18n import current_language, deferred_time_fillings, deferred_times, localized
from portal.core.kept import HTML_SLOTS, ProcessStore, layout_of
from portal.meetings import access, attachments, participation, pending, queries
from portal.meetings.forms import ATTENDANCE_LABELS, REPLY_CHOICES, REPLY_LABELS
from portal.meetings.minutes_actions import minutes_actions
from portal.meetings.minutes_reading import buttons_for, minutes_summary
from portal.meetings.models import (
    Invitee,
    Meeting,
    MeetingPage,
    MeetingStatus,
    Minutes,
)
from portal.meetings.page_cache import PAGES

# The page's slots (templates/meetings/_page.html) besides its times: the viewer's reply
# form, each agenda item's documents (which ones a viewer may open depends on the viewer),
# the button to the management page, and the minutes' buttons the viewer may use.
REPLY_SLOT, ATTACHMENTS_SLOT = "reply", "attachments"
MANAGE_SLOT, MINUTES_ACTIONS_SLOT = "manage", "minutes_actions"


def render_body(meeting: Meeting) -> str:
    """The readers' page with its slots (times, reply, attachments, the viewer's buttons)."""
    over = past_events.is_over(meeting)
    with deferred_times():
        return render_template(
            "meetings/_page.html",
            meeting=meeting,
            group=meeting.working_group,
            over=over,
            # Translated once here rather than at each of their many uses on the page.
            reply_labels=_translated(REPLY_LABELS),
            attendance_labels=_translated(ATTENDANCE_LABELS),
            replies=participation.counts_by_party(meeting, "reply"),
            attendance=participation.counts_by_party(meeting, "attendance"),
            invitees=sorted(
                meeting.invitees, key=lambda i: (i.user.party.code, i.user.name.lower())
            ),
            invitations_pending=not meeting.invitees
            and pending.waiting_for_invitations(db.session, meeting),
            zones=meeting.clock_zones,
            minutes_summary=minutes_summary(db.session, None, meeting),
            minutes_actions_slot=HTML_SLOTS.slot(MINUTES_ACTIONS_SLOT),
        )


def _translated(labels: dict) -> dict:
    return {key: str(label) for key, label in labels.items()}


def _page(title: str, body: str, reply: Markup, attachments, controls, status: int = 200):
    """The stored body with the viewer's reply, attachments and buttons, times filled in."""
    manage, minutes_actions = controls
    fillings = {
        REPLY_SLOT: reply,
        ATTACHMENTS_SLOT: lambda item_id: attachments(int(item_id)),
        MANAGE_SLOT: manage,
        MINUTES_ACTIONS_SLOT: minutes_actions,
        **deferred_time_fillings(),
    }
    body = HTML_SLOTS.fill(body, fillings)
    return render_template("meetings/detail.html", title=title, body=body), status


def _reply_section(meeting_id: int, series_id, invitee, reply_form=None) -> Markup:
    """The viewer's reply form, filled with their reply, or with what they sent and its errors."""
    action = url_for("meetings.reply", meeting_id=meeting_id)
    if reply_form is not None:
        return _render_reply(
            action=action,  # escaped by the template, like everything below
            csrf=generate_csrf(),
            series=series_id is not None,
            current=invitee.reply,
            reconfirm=invitee.reconfirm,
            chosen=reply_form.reply.data,
            comment=reply_form.comment.data or "",
            following=reply_form.following.data,
            errors=reply_form.errors,
        )
    chosen = invitee.reply.value if invitee.replied_at else None
    state = (series_id is not None, invitee.reply, chosen, invitee.reconfirm)
    skeleton = REPLY_FORMS.get(
        db.session, (get_locale().language, *state), lambda: _reply_skeleton(*state)
    )
    fillings = {"action": action, "csrf": generate_csrf(), "comment": invitee.comment}
    return HTML_SLOTS.fill(skeleton, fillings)


# The reply form differs between readers only by its action, token and comment, filled into
# a form kept per language and state (it is on most readers' pages; rendering it each time
# costs as much as the rest of the page).
REPLY_FORMS = ProcessStore("meeting-reply-forms", size=256)


def _reply_skeleton(series: bool, current, chosen: str | None, reconfirm: bool) -> list[str]:
    html = _render_reply(
        action=HTML_SLOTS.slot("action"),
        csrf=HTML_SLOTS.slot("csrf"),
        series=series,
        current=current,
        reconfirm=reconfirm,
        chosen=chosen,
        comment=HTML_SLOTS.slot("comment"),
        following=False,
        errors={},
    )
    return HTML_SLOTS.split(html)


def _render_reply(**context) -> Markup:
    html = render_template(
        "meetings/_reply.html",
        reply_choices=[(reply.value, str(label)) for reply, label in REPLY_CHOICES.items()],
        reply_labels=_translated(REPLY_LABELS),
        **context,
    )
    return Markup(html)  # noqa: S704 - rendered by the template, escaped  # nosec B704


def _attachments_html(meeting_id: int, item_id: int, documents: list) -> Markup:
    """The documents of an agenda item the viewer may open, as links (attaching and
    detaching are on the management page)."""
    if not documents:
        return Markup()
    html = render_template(
        "documents/_attached_list.html",
        meeting_id=meeting_id,
        item_id=item_id,
        documents_here=documents,
        can_manage=False,
        candidate_options="",
    )
    return Markup(html)  # noqa: S704 - rendered by the template, escaped  # nosec B704


# The readers' page -------------------------------------------------------------------------


def meeting_page(session: Session, viewer, meeting_id: int, reply_form=None, status: int = 200):
    """GET /meetings/<id>: the readers' stored page, with what is the viewer's own filled in;
    with `reply_form`, the reply the viewer sent and its errors."""
    row = _reader_row(session, viewer, meeting_id)
    if row is None:
        raise NotFound()
    if not row.visible:
        raise Denied("meeting", meeting_id)
    title, body = row.title, row.html
    if not PAGES.is_current(row.stored_version, row.layout, row.page_version, stored_layout(row)):
        title, body = refresh_reader_pages(session, meeting_id)[viewer.language]
    reply = Markup()
    if row.invitee_id is not None and past_events.replies_open(_Moment(row)):
        reply = _reply_section(meeting_id, row.series_id, _OwnReply(row), reply_form)
    by_item = {}
    if row.has_attachments:
        by_item = attachments.visible_attachments(session, viewer, meeting_id)

    def attachments_of(item_id: int) -> str:
        return _attachments_html(meeting_id, item_id, by_item.get(item_id, []))

    controls = _viewer_controls(viewer, meeting_id, row)
    return _page(title, body, reply, attachments_of, controls, status)


def _viewer_controls(viewer, meeting_id: int, row):
    """The viewer's buttons: to the management page, and on the minutes; from the page's one
    query (whether the viewer reads the MoU, co-chairs the group, has approved)."""
    if access.reads_meeting_only(viewer, co_chairs_its_group=row.co_chair):
        return Markup(), minutes_actions(meeting_id, {})
    manage = Markup()
    if access.manages_meetings(viewer, reads_mou=row.reads_mou):
        manage = _manage_button(meeting_id, bool(row.untranslated))
    buttons = buttons_for(
        viewer,
        row.minutes_state,
        co_chair=row.co_chair,
        reads_mou=row.reads_mou,
        own_party=row.own_party,
        approved=row.approved,
    )
    return manage, minutes_actions(meeting_id, buttons)


# The button to the management page: the same in a language but for the meeting's address
# and whether a translation is missing, so it is drawn once for each, not per request.
MANAGE_BUTTONS = ProcessStore("manage-buttons", size=8)


def _manage_button(meeting_id: int, missing: bool) -> Markup:
    def draw() -> list[str]:
        url = HTML_SLOTS.slot("manage_url")
        html = render_template("meetings/_manage_button.html", manage_url=url, missing=missing)
        return HTML_SLOTS.split(html)

    drawing = MANAGE_BUTTONS.get(db.session, (current_language(), missing), draw)
    return HTML_SLOTS.fill(
        drawing, {"manage_url": url_for("meetings.manage", meeting_id=meeting_id)}
    )


class _Moment:
    """The meeting's status and times as past_events reads them, from the page's one query."""

    def __init__(self, row) -> None:
        self.starts_at, self.ends_at = row.starts_at, row.ends_at
        self.is_cancelled = row.status == MeetingStatus.CANCELLED


class _OwnReply:
    """The viewer's invitation as the reply section reads it, from the page's one query."""

    def __init__(self, row) -> None:
        self.reply = row.reply
        self.comment = row.comment
        self.replied_at = row.replied_at
        self.reconfirm = row.reconfirm


def _reader_row(session: Session, viewer, meeting_id: int):
    parameters = {
        "meeting_id": meeting_id,
        **core_access.viewer_parameters(viewer),
        "viewer_language": viewer.language,
    }
    return session.execute(_reader_query(viewer.role), parameters).first()


@cache
def _reader_query(role: Role) -> Select:
    """The page's one query, built once per role: building it costs more than running it."""
    viewer = core_access.ParametricViewer(role)
    own = aliased(Invitee, name="own_invitation")
    return (
        select(
            Meeting.page_version,
            Meeting.status,
            Meeting.starts_at,
            Meeting.ends_at,
            Meeting.series_id,
            access.visible_meetings_clause(viewer).label("visible"),
            access.co_chair_clause(viewer).label("co_chair"),
            attachments.has_attachments_clause().label("has_attachments"),
            MeetingPage.version.label("stored_version"),
            MeetingPage.layout,
            MeetingPage.title,
            MeetingPage.html,
            own.id.label("invitee_id"),
            own.reply,
            own.comment,
            own.replied_at,
            own.reconfirm,
            # What decides the buttons of those who manage it or work on its minutes.
            access.reads_mou_clause(viewer).label("reads_mou"),
            access.own_party_in_mou_clause(viewer).label("own_party"),
            Minutes.state.label("minutes_state"),
            queries.approved_by_party_clause(viewer).label("approved"),
            queries.untranslated_meetings_clause().label("untranslated"),
        )
        .outerjoin(
            MeetingPage,
            and_(MeetingPage.meeting_id == Meeting.id, MeetingPage.language == viewer.language),
        )
        .outerjoin(own, and_(own.meeting_id == Meeting.id, own.user_id == viewer.id))
        .outerjoin(Minutes, Minutes.meeting_id == Meeting.id)
        .where(Meeting.id == bindparam("meeting_id"))
    )


# What a stored page is made of, besides the data (see stored_layout).
LAYOUT_TEMPLATES = (
    "meetings/_page.html",
    "meetings/_times.html",
    "meetings/_minutes_panel.html",
    "_macros.html",
)


def stored_layout(meeting) -> str:
    """What a stored page is made with: the templates and catalogues, and whether the
    meeting was over (a past meeting's page puts its minutes first and takes no replies).
    A page kept from before the end is not served after it."""
    return layout_of(LAYOUT_TEMPLATES)[:15] + ("o" if past_events.is_over(meeting) else "u")


def refresh_reader_pages(session: Session, meeting_id: int) -> dict[str, tuple[str, str]]:
    """Render and keep the readers' page in every language; return {language: (title, html)}.

    A meeting that no longer exists has no pages ({}).
    """
    # The version is read before the data: see portal/core/kept/versions.py.
    version = session.scalar(select(Meeting.page_version).where(Meeting.id == meeting_id))
    if version is None:
        return {}
    return store_reader_pages(session, queries.load_meeting(session, meeting_id), version)


def store_reader_pages(session: Session, meeting: Meeting, version: int) -> dict:
    """Keep the pages of a meeting loaded after `version` was read."""
    pages = {}
    for language in current_app.config["LANGUAGES"]:
        layout = stored_layout(meeting)  # before rendering: the end may pass meanwhile
        with force_locale(language):
            title, html = localized(meeting, "title"), render_body(meeting)
        key = {"meeting_id": meeting.id, "language": language}
        PAGES.keep(session, key, version=version, layout=layout, title=title, html=html)
        pages[language] = (title, html)
    return pages
