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
from portal.core.i18n import (
    current_language,
    deferred_time_fillings,
    deferred_times,
    localized,
    show_datetime,
)
from portal.core.kept import HTML_SLOTS, ProcessStore
from portal.polls import access, queries
from portal.polls import services as polls
from portal.polls.forms import ANSWER_LABELS, STATUS_LABELS, PickForm, answer_form
from portal.polls.models import Poll, PollStatus
from portal.polls.queries import PollFacts
from portal.web.forms import options

SHARED = ProcessStore("poll-pages", size=1024)
# The answer and pick forms under the same key, their tokens and marks left as slots.
FORMS = ProcessStore("poll-forms", size=2048)


def poll_page(facts: PollFacts, status: int = 200, **forms):
    """The page from its facts, with a form sent and refused in `forms` (its errors shown,
    422). The poll itself is loaded only to draw what is not kept yet."""
    now = utcnow()
    expired = polls.is_expired(facts, now)
    past = tuple(option.id for option in facts.options if polls.is_past(option, now))
    key = (facts.id, facts.page_version, current_language(), expired, past)
    loaded = _Loaded(facts.id)
    is_open = facts.status == PollStatus.OPEN
    answer_section = pick_section = Markup()
    may_answer = access.answers_poll(current_user, asked=facts.asked, reads_mou=facts.reads_mou)
    if is_open and not expired and may_answer:
        failed = forms.get("answer_form")
        answer_section = _answer_section(loaded, now, key, facts.answers, failed)
    if is_open and access.manages_polls(current_user, reads_mou=facts.reads_mou):
        pick_section = _pick_section(loaded, key, forms.get("pick_form"))
    page = render_template(
        "polls/detail.html",
        title=localized(facts, "title"),
        shared=_shared(loaded, key, now),
        answer_section=answer_section,
        pick_section=pick_section,
    )
    return page, status


class _Loaded:
    """The poll with all its page shows, loaded once by the first drawing that needs it:
    after its version was read (with the facts), so what is drawn is never older."""

    def __init__(self, poll_id: int) -> None:
        self.poll_id = poll_id
        self._poll: Poll | None = None

    def __call__(self) -> Poll:
        if self._poll is None:
            self._poll = queries.load_poll(db.session, self.poll_id)
        return self._poll


def pick_form(poll: Poll, formdata=None) -> PickForm:
    form = PickForm(formdata=formdata, prefix="pick")
    now = utcnow()
    form.option_id.choices = options(
        (o.id, show_datetime(o.starts_at, poll.timezone)) for o in poll.options if o.starts_at > now
    )
    return form


def _shared(loaded: _Loaded, key: tuple, now) -> Markup:
    expired = key[3]

    def draw() -> list[str]:
        poll = loaded()
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

    drawing = SHARED.get(db.session, key, draw)
    return HTML_SLOTS.fill(drawing, deferred_time_fillings())


# Each answer's radio button, where the reader's own mark goes in the kept form.
_RADIO = re.compile(r'(<input [^>]*name="answer-option_(\d+)" type="radio" value="(\w+)")>')


def _answer_section(loaded: _Loaded, now, key: tuple, answers: dict[int, str], failed) -> Markup:
    """The answer form with the reader's answers marked, or the form refused with its errors."""
    if failed is not None:
        return _render("polls/_answer_section.html", poll=loaded(), form=failed, now=now, csrf=None)

    def draw() -> list[str]:
        poll = loaded()
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


def _pick_section(loaded: _Loaded, key: tuple, failed) -> Markup:
    """The pick form, or the form refused with its errors (and the question it asks)."""
    if failed is not None:
        return _render("polls/_pick_section.html", poll=loaded(), form=failed, csrf=None)

    def draw() -> list[str]:
        poll = loaded()
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
