"""The poll page: its shared part and its forms kept for every reader, what is theirs put in.

Everyone who opens a poll sees the same heading, answers by time and delegation, and list of
who has not answered; that part is drawn once per language and kept under the poll's
`page_version` (versions.py), whether it has expired and which of its times are past, with
its clocks left as slots for each reader's zone. The answer form (for whoever was asked) and
the pick form (for whoever may schedule) are kept under the same key, with the form token and
the marks of the reader's own answers as slots; a form sent and refused is drawn with its
errors for that request.
"""

import re

from flask import render_template
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from portal.core.db import utcnow
from portal.core.extensions import db
from portal.core.i18n import current_language, deferred_time_fillings, deferred_times, show_datetime
from portal.core.kept import HTML_SLOTS, ProcessStore
from portal.polls import access, queries
from portal.polls import services as polls
from portal.polls.forms import ANSWER_LABELS, STATUS_LABELS, PickForm, answer_form
from portal.polls.models import Poll, PollStatus
from portal.web.forms import options

SHARED = ProcessStore("poll-pages", size=1024)
# The answer and pick forms under the same key, their tokens and marks left as slots.
FORMS = ProcessStore("poll-forms", size=2048)


def poll_page(
    poll: Poll, *, asked: bool, answers: dict[int, str] | None = None, status=200, **forms
):
    """The page, with a form sent and refused in `forms` (its errors shown, 422)."""
    now = utcnow()
    expired = polls.is_expired(poll, now)
    past = tuple(option.id for option in poll.options if polls.is_past(option, now))
    key = (poll.id, poll.page_version, current_language(), expired, past)
    is_open = poll.status == PollStatus.OPEN
    answer_section = pick_section = Markup()
    if is_open and not expired and access.answers_if_asked(current_user, poll, asked=asked):
        answer_section = _answer_section(poll, now, key, answers or {}, forms.get("answer_form"))
    if is_open and access.can_manage_polls(current_user, poll.working_group):
        pick_section = _pick_section(poll, key, forms.get("pick_form"))
    page = render_template(
        "polls/detail.html",
        poll=poll,
        shared=_shared(poll, key, now),
        answer_section=answer_section,
        pick_section=pick_section,
    )
    return page, status


def pick_form(poll: Poll, formdata=None) -> PickForm:
    form = PickForm(formdata=formdata, prefix="pick")
    now = utcnow()
    form.option_id.choices = options(
        (o.id, show_datetime(o.starts_at, poll.timezone)) for o in poll.options if o.starts_at > now
    )
    return form


def _shared(poll: Poll, key: tuple, now) -> Markup:
    expired = key[3]

    def draw() -> list[str]:
        queries.load_results(db.session, poll)
        with deferred_times():
            html = render_template(
                "polls/_shared.html",
                poll=poll,
                results=queries.results(poll, now),
                expired=expired,
                answer_labels=ANSWER_LABELS,
                status_labels=STATUS_LABELS,
            )
        return HTML_SLOTS.split(html)

    # The version is read (with the poll) before load_results reads the data.
    drawing = SHARED.get(db.session, key, draw)
    return HTML_SLOTS.fill(drawing, deferred_time_fillings())


# Each answer's radio button, where the reader's own mark goes in the kept form.
_RADIO = re.compile(r'(<input [^>]*name="answer-option_(\d+)" type="radio" value="(\w+)")>')


def _answer_section(poll: Poll, now, key: tuple, answers: dict[int, str], failed) -> Markup:
    """The answer form with the reader's answers marked, or the form refused with its errors."""
    if failed is not None:
        return _render("polls/_answer_section.html", poll=poll, form=failed, now=now, csrf=None)

    def draw() -> list[str]:
        form = answer_form(poll, formdata=None, prefix="answer")
        with deferred_times():
            html = _render(
                "polls/_answer_section.html",
                poll=poll,
                form=form,
                now=now,
                csrf=HTML_SLOTS.slot("csrf"),
            )
        # On a str: Markup's own substitution would escape the tags it matched.
        return HTML_SLOTS.split(_RADIO.sub(r"\1<!--checked:\2.\3-->>", str(html)))

    def checked(argument: str) -> str:
        option, _, answer = argument.partition(".")
        return " checked" if answers.get(int(option)) == answer else ""

    drawing = FORMS.get(db.session, ("answer", *key), draw)
    fillings = {**deferred_time_fillings(), "csrf": generate_csrf(), "checked": checked}
    return HTML_SLOTS.fill(drawing, fillings)


def _pick_section(poll: Poll, key: tuple, failed) -> Markup:
    """The pick form, or the form refused with its errors (and the question it asks)."""
    if failed is not None:
        return _render("polls/_pick_section.html", poll=poll, form=failed, csrf=None)

    def draw() -> list[str]:
        html = _render(
            "polls/_pick_section.html",
            poll=poll,
            form=pick_form(poll),
            csrf=HTML_SLOTS.slot("csrf"),
        )
        return HTML_SLOTS.split(html)

    drawing = FORMS.get(db.session, ("pick", *key), draw)
    return HTML_SLOTS.fill(drawing, {"csrf": generate_csrf()})


def _render(template: str, **context) -> Markup:
    html = render_template(template, **context)
    return Markup(html)  # noqa: S704 - rendered by the template, escaped  # nosec B704
