"""Issue 13 item 7: words that match the moment and the reader.

Every label and choice of every form reads in the reader's language (none fixed in English
when its module was imported), counts take plural forms, and reminders say "today at",
"tomorrow at" or "in one hour" in each reader's zone and language.
"""

import importlib
import pkgutil
from datetime import UTC, datetime

import pytest
from babel.messages.pofile import read_po
from flask import render_template
from flask_babel import force_locale
from sqlalchemy import delete, select
from wtforms import SelectFieldBase

import portal
from portal.accounts.models import User
from portal.core.extensions import db
from portal.core.i18n import LANGUAGE_NAMES
from portal.meetings.models import Meeting
from portal.meetings.reminders import queue_meeting_reminders
from portal.mous.models import WorkingGroup
from portal.notifications.models import OutboxMessage
from portal.web.forms import BaseForm
from tests import factories
from tests.helpers.i18n import CATALOGUE

# The pages' words do not depend on the backend: run once, on PostgreSQL when it answers
# (ONE_BACKEND, tests/conftest.py), so that the suite's time goes where the backends differ.
pytestmark = pytest.mark.one_backend


def _all_forms() -> list[type]:
    """Every form of the portal (forms that tests define for themselves are not shown to anyone)."""
    for module in pkgutil.walk_packages(portal.__path__, "portal."):
        importlib.import_module(module.name)
    found, pending = [], [BaseForm]
    while pending:
        for subclass in pending.pop().__subclasses__():
            if subclass.__module__.startswith("portal."):
                found.append(subclass)
            pending.append(subclass)
    return found


def _english_with_spanish() -> set[str]:
    """The English texts the catalogue translates into something else."""
    with CATALOGUE.open("rb") as po:
        catalogue = read_po(po, locale="es")
    return {
        m.id for m in catalogue if isinstance(m.id, str) and m.id and m.string and m.string != m.id
    }


def _texts(form) -> list[str]:
    texts = []
    for field in form:
        texts.append(str(field.label.text))
        if isinstance(field, SelectFieldBase) and getattr(field, "choices", None):
            for choice in field.choices:
                label = choice[1] if isinstance(choice, tuple) else choice.label
                texts.append(str(label))
    return texts


def test_every_form_label_and_choice_reads_in_spanish(app):
    english = _english_with_spanish()
    forms = _all_forms()
    assert len(forms) > 20
    left_in_english = []
    with app.test_request_context(), force_locale("es"):
        for form_class in forms:
            try:
                form = form_class(formdata=None)
            except TypeError:  # built with arguments of its own by its view
                continue
            left_in_english += [
                f"{form_class.__module__}.{form_class.__name__}: {text!r}"
                for text in _texts(form)
                if text not in LANGUAGE_NAMES.values()  # each language named in itself
                and (text in english or any(f" · {e}" in text for e in english))
            ]
    assert left_in_english == [], "\n".join(left_in_english)


# Reminders say when on each reader's own clock ------------------------------------------------


def _reminders_for(app, session, world, starts_at, now) -> dict[str, OutboxMessage]:
    people = [world.member_cl, world.coordinator_gb]  # Spanish in Santiago, English in London
    meeting = factories.make_meeting(session, world.group, starts_at, invitees=people)
    session.commit()
    with app.app_context():
        queue_meeting_reminders(db.session, now)
        db.session.commit()
    session.expire_all()
    rows = session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "meeting_reminder")
    ).all()
    session.execute(delete(OutboxMessage))
    session.delete(session.get(Meeting, meeting.id))
    session.commit()
    return {row.recipient: row for row in rows}


def test_a_reminder_says_today_tomorrow_or_in_one_hour_on_each_readers_clock(app, session, world):
    chile, britain = world.member_cl.email, world.coordinator_gb.email

    # 18:00 UTC: 14:00 in Santiago, 19:00 in London, later the same day for both.
    later_today = _reminders_for(
        app,
        session,
        world,
        datetime(2030, 5, 14, 18, tzinfo=UTC),
        datetime(2030, 5, 14, 9, tzinfo=UTC),
    )
    assert later_today[chile].subject == "[TLP:AMBER] Hoy a las 14:00: Reunión del grupo de trabajo"
    assert "es hoy a las 14:00" in later_today[chile].body_text
    assert later_today[britain].subject == "[TLP:AMBER] Today at 19:00: Working group meeting"
    assert "is today at 19:00" in later_today[britain].body_text

    # 02:00 UTC on the 15th: still the 14th in Santiago (22:00), the 15th in London (03:00).
    tonight = _reminders_for(
        app,
        session,
        world,
        datetime(2030, 5, 15, 2, tzinfo=UTC),
        datetime(2030, 5, 14, 12, tzinfo=UTC),
    )
    assert tonight[chile].subject.startswith("[TLP:AMBER] Hoy a las 22:00:")
    assert tonight[britain].subject.startswith("[TLP:AMBER] Tomorrow at 03:00:")
    assert "is tomorrow at 03:00" in tonight[britain].body_text

    soon = _reminders_for(
        app,
        session,
        world,
        datetime(2030, 5, 14, 18, tzinfo=UTC),
        datetime(2030, 5, 14, 17, 10, tzinfo=UTC),
    )
    assert soon[chile].subject.startswith("[TLP:AMBER] En una hora:")
    assert soon[britain].subject.startswith("[TLP:AMBER] In one hour:")
    assert "starts in one hour" in soon[britain].body_text


def test_spanish_mails_name_a_group_naturally(app, session, world):
    world.member_co.language = "es"
    mails = _reminders_for(
        app,
        session,
        world,
        datetime(2030, 5, 14, 18, tzinfo=UTC),
        datetime(2030, 5, 14, 9, tzinfo=UTC),
    )
    assert (
        "Su reunión del grupo «Grupo de Trabajo Binacional» es hoy"
        in mails[world.member_cl.email].body_text
    )
    with app.test_request_context(), force_locale("es"):
        group = db.session.get(WorkingGroup, world.group_cl_co.id)
        meeting = factories.make_meeting(db.session, group, datetime(2030, 5, 14, 18, tzinfo=UTC))
        text = render_template(
            "emails/meetings/invitation.txt",
            meeting=meeting,
            recipient_user=db.session.get(User, world.member_co.id),
            zones=meeting.clock_zones,
            link="",
            reply_links={},
            series=None,
        )
        db.session.rollback()
    assert "una reunión del grupo «Buenas prácticas»" in text


# Counts take plural forms ----------------------------------------------------------------------


def test_counts_take_plural_forms_in_both_languages(app):
    from portal.notifications.digests import _subject

    with app.test_request_context():
        with force_locale("en"):
            assert str(_subject(1)) == "Your daily summary: 1 notification"
            assert str(_subject(2)) == "Your daily summary: 2 notifications"
        with force_locale("es"):
            assert str(_subject(1)) == "Su resumen diario: 1 notificación"
            assert str(_subject(2)) == "Su resumen diario: 2 notificaciones"
