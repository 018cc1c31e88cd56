"""Poll pages: a group's polls, proposing times, the poll page, answering, picking, cancelling."""

from dataclasses import dataclass
from datetime import datetime

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from wtforms.fields.choices import SelectChoice

from portal.calendar.localtime import AmbiguousLocalTime
from portal.core.db import utcnow
from portal.core.errors import Conflict, Forbidden, ValidationError
from portal.core.extensions import db
from portal.core.i18n import current_language, localized
from portal.core.kept import ProcessStore
from portal.core.tlp import TLP
from portal.meetings.working_hours import OffHours
from portal.mous import services as mous
from portal.mous.kept_pages import keep_page, kept_page, reader_key
from portal.polls import access, bp, confirmations, queries
from portal.polls import services as polls
from portal.polls.answer_links import participant_from_token
from portal.polls.forms import (
    ANSWER_LABELS,
    SLOTS,
    STATUS_LABELS,
    PollForm,
    answer_form,
    answers_of,
)
from portal.polls.models import Answer, PollStatus
from portal.polls.page import pick_form, poll_page
from portal.web.confirm import confirmation_page, is_confirmed
from portal.web.forms import form_page, page_number, show_service_error
from portal.web.public import public

# A page of a group's polls, kept under everything it shows: its rows, which of them have
# expired, the language. Drawn from what each request reads: never stale.
LIST_ROWS = ProcessStore("group-poll-rows", size=1024)


@dataclass(frozen=True)
class _KeptList:
    """A page of a group's polls as kept for its reader: the title, the content, and when the
    first of its open polls expires (None: none will), after which it is made anew."""

    title: str
    content: Markup
    changes_at: datetime | None


@bp.route("/working-groups/<int:group_id>/polls")
def group_polls(group_id: int):
    """Kept whole for the reader (portal/mous/kept_pages.py, as the group's meetings list), to
    the minute: one short statement finds it. Within the minute an open poll of the page
    expires in, it is made anew from then on. Else the group is read (404, 403) and the page
    made."""
    number = page_number(request.args)
    key = reader_key(db.session, current_user, "group-polls", (group_id, number))
    kept = kept_page(db.session, key)
    if kept is None:
        kept = keep_page(db.session, key, lambda: _group_polls_page(group_id, number))
    if kept.changes_at is not None and kept.changes_at <= utcnow():
        kept = _group_polls_page(group_id, number)
    return render_template("polls/list.html", title=kept.title, content=kept.content)


def _group_polls_page(group_id: int, number: int) -> _KeptList:
    group = mous.get_working_group(db.session, current_user, group_id, members=False)
    page = queries.group_polls(db.session, group, page=number)
    now = utcnow()
    open_polls = [p for p in page.items if p.status == PollStatus.OPEN]
    expired = frozenset(p.id for p in open_polls if p.expires_at <= now)
    changes_at = min((p.expires_at for p in open_polls if p.expires_at > now), default=None)

    def rows() -> Markup:
        html = render_template(
            "polls/_rows.html",
            group=group,
            page=page,
            expired=expired,
            status_labels=STATUS_LABELS,
        )
        return Markup(html)  # noqa: S704 - rendered by the template, escaped  # nosec B704

    key = (group.id, current_language(), page.shown, expired)
    html = render_template(
        "polls/_list_content.html",
        group=group,
        rows=LIST_ROWS.get(db.session, key, rows),
        can_propose=access.can_manage_polls(current_user, group),
    )
    content = Markup(html)  # noqa: S704 - rendered by the template, escaped  # nosec B704
    title = f"{_('Meeting time polls')} · {localized(group, 'name')}"
    return _KeptList(title, content, changes_at)


def _details(form: PollForm) -> polls.PollDetails:
    return polls.PollDetails(
        title_en=form.title_en.data,
        title_es=form.title_es.data,
        timezone=form.timezone.data,
        duration_minutes=form.duration_minutes.data,
        expires_on=form.expires_on.data,
        starts_local=form.starts(),
        folds=form.folds(),
        place=form.place.data or "",
        tlp=TLP(form.tlp.data),
    )


def _ask_which(form: PollForm, error: AmbiguousLocalTime, asked: set[int]) -> None:
    """The local time happens twice: ask under each proposed time showing it."""
    first, second = error.offsets()
    for number in SLOTS:
        if form[f"start_{number}"].data != error.local:
            continue
        asked.add(number)
        fold = form[f"fold_{number}"]
        fold.choices = [
            SelectChoice("0", _("The first time (%(offset)s)", offset=first)),
            SelectChoice("1", _("The second time (%(offset)s)", offset=second)),
        ]
        fold.errors = [
            _(
                "On that day the clocks go back: %(time)s happens twice in %(zone)s. "
                "Choose which one you mean.",
                time=error.local.strftime("%H:%M"),
                zone=error.zone,
            )
        ]


@bp.route("/working-groups/<int:group_id>/polls/new", methods=["GET", "POST"])
def new_poll(group_id: int):
    group = mous.get_working_group(db.session, current_user, group_id)
    polls.require_manager(current_user, group)
    form = PollForm()
    if request.method == "GET":
        form.timezone.data = current_user.timezone
    asked: set[int] = set()
    if form.validate_on_submit():
        try:
            poll = polls.propose_times(db.session, current_user, group, _details(form))
        except AmbiguousLocalTime as error:
            _ask_which(form, error, asked)
        except ValidationError as error:
            show_service_error(form, error)
        else:
            page = url_for("polls.detail", poll_id=poll.id)
            form.claim("poll", poll, page)
            flash(_("The times have been proposed and the members asked."), "success")
            return redirect(page)
    return form_page("polls/form.html", form, group=group, asked=asked, slots=SLOTS)


# The poll page ----------------------------------------------------------------------------------


@bp.route("/polls/<int:poll_id>")
def detail(poll_id: int):
    return poll_page(queries.get_poll_facts(db.session, current_user, poll_id))


def _refused(poll, **form):
    """The page again with the form sent and refused (422, nothing written)."""
    return poll_page(queries.get_poll_facts(db.session, current_user, poll.id), 422, **form)


@bp.route("/polls/<int:poll_id>/answer", methods=["POST"])
def answer(poll_id: int):
    poll = queries.get_poll(db.session, current_user, poll_id)
    if not access.can_answer_poll(current_user, poll):
        raise Forbidden(_("Only the people asked answer this poll."))
    form = answer_form(poll, formdata=request.form, prefix="answer")
    if form.validate_on_submit():
        try:
            polls.answer_poll(db.session, current_user, poll, answers_of(form, poll))
        except ValidationError as error:
            show_service_error(form, error)
        else:
            flash(_("Your answers have been saved."), "success")
            return redirect(url_for("polls.detail", poll_id=poll.id))
    return _refused(poll, answer_form=form)


@bp.route("/polls/<int:poll_id>/pick", methods=["POST"])
def pick(poll_id: int):
    poll = queries.get_poll(db.session, current_user, poll_id)
    polls.require_manager(current_user, poll.working_group)
    polls.require_open(poll)
    form = pick_form(poll, formdata=request.form)
    if form.validate_on_submit():
        try:
            meeting = polls.pick_time(
                db.session,
                current_user,
                poll,
                form.option_id.data,
                confirm_off_hours=form.off_hours_question.data
                if form.confirm_off_hours.data
                else False,
            )
        except OffHours as error:
            # Shown above the box, unticked, with the question it answers.
            form.confirm_off_hours.errors = error.reasons
            form.confirm_off_hours.data = False
            form.off_hours_question.data = error.fingerprint
        except ValidationError as error:
            show_service_error(form, error)
        else:
            flash(_("The meeting has been scheduled and the invitations sent."), "success")
            return redirect(url_for("meetings.detail", meeting_id=meeting.id))
    return _refused(poll, pick_form=form)


@bp.route("/polls/<int:poll_id>/cancel", methods=["GET", "POST"])
def cancel(poll_id: int):
    poll = queries.get_poll(db.session, current_user, poll_id)
    polls.require_manager(current_user, poll.working_group)
    polls.require_open(poll)
    if not is_confirmed():
        return confirmation_page(confirmations.cancel_poll(poll))
    polls.cancel_poll(db.session, current_user, poll)
    flash(_("The poll has been cancelled and the members told."), "success")
    return redirect(url_for("polls.detail", poll_id=poll.id))


# Answering from a mail ---------------------------------------------------------------------------


@bp.route("/polls/answer/<token>", methods=["GET", "POST"])
@public
def answer_by_link(token: str):
    """The link in a poll mail: a page with a button, so mail scanners that open links change
    nothing; no login needed, the signed token names the one person asked and the one poll."""
    participant = participant_from_token(db.session, token)
    poll = queries.load_poll(db.session, participant.poll_id)
    person = participant.user
    g.preferred_language = person.language
    allowed = access.may_answer_by_link(person, poll)
    closed = None
    if not allowed:
        closed = _("This link no longer lets you answer.")
    elif poll.status != PollStatus.OPEN or polls.is_expired(poll):
        try:
            polls.require_answers_open(poll)
        except Conflict as error:
            closed = error.message
    current = queries.current_answers(poll, person)
    if request.method == "GET":
        chosen = {
            option.id: request.args.get(f"option_{option.id}")
            for option in poll.options
            if request.args.get(f"option_{option.id}") in {a.value for a in Answer}
        }
        form = answer_form(poll, formdata=None, current={**current, **chosen})
        return _link_page(poll, person, form, closed)
    form = answer_form(poll, formdata=request.form)
    if closed is not None:
        return _link_page(poll, person, form, closed, 409)
    if form.validate_on_submit():
        try:
            polls.answer_poll(db.session, person, poll, answers_of(form, poll))
        except ValidationError as error:
            show_service_error(form, error)
        else:
            return render_template("polls/answer_done.html", poll=poll, person=person)
    return _link_page(poll, person, form, closed, 422 if form.errors else 200)


def _link_page(poll, person, form, closed, status: int = 200):
    return render_template(
        "polls/answer.html",
        poll=poll,
        person=person,
        form=form,
        closed=closed,
        answer_labels=ANSWER_LABELS,
        now=utcnow(),
    ), status
