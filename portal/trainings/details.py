"""The training page's details (when, registration deadline, format, venue, audience,
language, trainers, seats) and its description, rendered once and kept in the process under
every input they show, read with the training: the same for every reader who may see the
training, in a language and a zone. A change of any shown value is another key, so nothing
stale is ever served; nothing in them changes with time alone (times are written as
instants, never as "tomorrow")."""

from flask import render_template
from markupsafe import Markup
from sqlalchemy.orm import Session

from portal.core.i18n import current_language, select_timezone
from portal.core.kept import ProcessStore
from portal.trainings.forms import TEMPLATE_LABELS
from portal.trainings.models import Training

DETAILS = ProcessStore("training-details", size=2048)

# The training's own fields the details show (the template reads no other).
SHOWN_FIELDS = (
    "starts_at",
    "ends_at",
    "registration_closes_at",
    "timezone",
    "format",
    "venue",
    "link",
    "audience",
    "language",
    "trainers",
    "capacity",
    "title_en",
    "title_es",
    "description_html_en",
    "description_html_es",
)


def training_details(session: Session, training: Training, taken: int, waiting: int) -> Markup:
    key = (
        training.id,
        tuple(getattr(training, name) for name in SHOWN_FIELDS),
        tuple(training.clock_zones),
        taken,
        waiting,
        current_language(),
        select_timezone(),
    )
    return DETAILS.get(session, key, lambda: _render(training, taken, waiting))


def _render(training: Training, taken: int, waiting: int) -> Markup:
    html = render_template(
        "trainings/_details.html",
        training=training,
        taken=taken,
        waiting=waiting,
        **TEMPLATE_LABELS,
    )
    return Markup(html)  # noqa: S704 - rendered by the template, escaped  # nosec B704
