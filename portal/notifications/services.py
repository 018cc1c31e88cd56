"""Queueing emails into the outbox, rendered in the recipient's language, as they chose."""

import itertools
import json
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from email.utils import make_msgid
from typing import Protocol

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import (
    JSON,
    Text,
    bindparam,
    cast,
    func,
    insert,
    inspect,
    literal,
    literal_column,
    select,
)
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.core import ports
from portal.core.db import utcnow
from portal.core.kept import Slots
from portal.core.mail_values import Derived
from portal.core.readership import About
from portal.notifications.categories import category_of
from portal.notifications.models import Delivery, DigestItem, OutboxBatch, OutboxMessage
from portal.notifications.preferences import delivery_for, unsubscribe_url
from portal.web.urls import external_url


def single_line(text: str) -> str:
    """Header values never carry CR or LF, whatever a user typed (no header injection)."""
    return " ".join(text.split())


@ports.queue_email.plug
def queue_email(
    session: Session,
    *,
    kind: str,
    template: str,
    subject,
    recipient: str,
    language: str,
    recipient_user: User | None = None,
    ics: tuple[str, str] | None = None,
    unsubscribe_as: str | None = None,
    about: About | None = None,
    **context: object,
) -> OutboxMessage | None:
    """Render templates/emails/<template>.txt and .html in the recipient's language and queue them.

    `subject` is a lazy string, evaluated in that language too. `ics` is an
    iCalendar invitation to carry, as (METHOD, text). The row joins the caller's
    transaction: it is sent only if the change that caused it commits.

    The person's choice for the kind's category applies: off queues nothing, digest
    keeps a line (subject and `link`) for the daily digest; both return None.
    Mandatory kinds (categories.is_mandatory) are always sent. `unsubscribe_as` names
    what the unsubscribe link turns off when it is not the kind's category (the digest).
    `about` is the object the mail names: when it is sent (or the digest written) the reader
    must still be allowed to open it (notifications/readable.py).
    """
    category = category_of(kind)
    delivery = Delivery.IMMEDIATE
    if category and recipient_user is not None:
        delivery = delivery_for(session, recipient_user.id, category)
    if delivery == Delivery.OFF:
        return None
    with force_locale(language):
        subject_text = single_line(str(subject))[:300]
        if delivery == Delivery.DIGEST:
            link = context.get("link")
            session.add(
                DigestItem(
                    user_id=recipient_user.id,
                    kind=kind,
                    category=category,
                    subject=subject_text,
                    link=str(link)[:500] if link else None,
                    **_naming(about),
                )
            )
            return None
        unsubscribe_target = unsubscribe_as or category
        unsubscribe = (
            unsubscribe_url(recipient_user.id, unsubscribe_target)
            if unsubscribe_target and recipient_user
            else None
        )
        context = {
            "subject": subject_text,
            "recipient_user": recipient_user,
            "unsubscribe_link": unsubscribe,
            "preferences_link": external_url("notifications.preferences") if unsubscribe else None,
            **context,
        }
        body_text = render_template(f"emails/{template}.txt", **context)
        body_html = render_template(f"emails/{template}.html", **context)
        if unsubscribe:
            body_text += render_template("emails/_unsubscribe.txt", **context)
    message = OutboxMessage(
        kind=kind,
        recipient=recipient,
        recipient_user_id=recipient_user.id if recipient_user else None,
        subject=subject_text,
        body_text=body_text,
        body_html=body_html,
        message_id=new_message_id(),
        ics_method=ics[0] if ics else None,
        ics_content=ics[1] if ics else None,
        unsubscribe_url=unsubscribe,
        **_naming(about),
    )
    session.add(message)
    return message


def _naming(about: About | None) -> dict[str, object]:
    return {
        "subject_kind": about.kind if about else None,
        "subject_id": about.id if about else None,
    }


def new_message_id() -> str:
    """A Message-ID fixed when the mail is queued: every retry carries the same one."""
    sender_domain = current_app.config["MAIL_DEFAULT_SENDER"].rpartition("@")[2] or "portal"
    return make_msgid(domain=sender_domain)


# Many recipients at once ------------------------------------------------------------------------
# A meeting of 500 invitees queues 500 mails in the request that schedules it. People who read
# the same language in the same zone read the same text but for a few values of their own
# (name, links, their ATTENDEE line). So the templates are rendered once per such group with
# slots where those values go (the slots of portal/core/kept, with a random token: plain-text
# mail is not escaped) and kept as one batch row; each person's row holds only their values,
# and the outbox worker fills them in when it sends (OutboxMessage.body_text and the rest).
# A value that costs to make (a signed link) is kept as what it is made from, Derived, and
# made when the mail is read (portal/core/mail_values.py): the request signs nothing.

Value = str | Derived
_SCALARS = (str, Derived)  # (a tuple: isinstance is slower with a union, once per person)
Personal = Mapping[str, Value | Mapping[str, Value]]
# Template variables a caller makes of a group's personal slots (links around a token's slot).
Slotted = Callable[[dict], dict]


class CalendarForMany(Protocol):
    """A calendar written once for a group, with an ATTENDEE slot (portal/calendar/ics.py)."""

    def parts(self, slots: Slots) -> list[str]: ...


@dataclass(frozen=True)
class Addressee:
    """One recipient of a mail queued for many: the person and the values that are theirs
    alone (a string or Derived, or a dict of them, per template variable)."""

    user: User
    personal: Personal = field(default_factory=dict)


def queue_emails(
    session: Session,
    *,
    kind: str,
    template: str,
    subject: Callable[[str], object],
    addressees: Sequence[Addressee],
    about: About | None = None,
    ics_method: str | None = None,
    calendar: Callable[[str], CalendarForMany] | None = None,
    slotted: Slotted | None = None,
    **context: object,
) -> int:
    """queue_email() for many people at once: one batch per group of readers, one small row
    per person, in two INSERTs; returns how many mails.

    `subject(language)` gives the (lazy) subject for readers of that language;
    `calendar(language)` the invitation (METHOD `ics_method`) each carries, their own ATTENDEE
    line filled in. `slotted(variables)`: more template variables made of the personal
    values' slots. Preferences apply as in queue_email(): off queues nothing, digest keeps
    a line for the daily digest, mandatory kinds always go.
    """
    category = category_of(kind)
    subjects: dict[str, str] = {}

    def subject_in(language: str) -> str:
        if language not in subjects:
            with force_locale(language):
                subjects[language] = single_line(str(subject(language)))[:300]
        return subjects[language]

    groups: dict[tuple, list[Addressee]] = defaultdict(list)
    digest_rows = []
    for addressee in addressees:
        person = addressee.user
        delivery = delivery_for(session, person.id, category) if category else Delivery.IMMEDIATE
        if delivery == Delivery.OFF:
            continue
        if delivery == Delivery.DIGEST:
            link = context.get("link")
            digest_rows.append(
                {
                    "user_id": person.id,
                    "kind": kind,
                    "category": category,
                    "subject": subject_in(person.language),
                    "link": str(link)[:500] if link else None,
                    **_naming(about),
                }
            )
            continue
        key = (person.language, person.timezone, _shape(addressee.personal))
        groups[key].append(addressee)
    if digest_rows:
        session.execute(insert(DigestItem), digest_rows)
    if not groups:
        return 0
    calendars: dict[str, CalendarForMany] = {}
    mails = []
    for (language, zone, _), members in groups.items():
        if calendar is not None and language not in calendars:
            calendars[language] = calendar(language)
        ics = calendars.get(language)
        subject_text = subject_in(language)
        personal = members[0].personal
        mails.append(
            _GroupMail(
                template, language, zone, subject_text, category, context, personal, ics, slotted
            )
        )
    batch_ids = session.scalars(
        insert(OutboxBatch).returning(OutboxBatch.id, sort_by_parameter_order=True),
        [mail.batch() for mail in mails],
    ).all()
    rows, message_ids = [], _message_ids()
    for mail, batch_id, members in zip(mails, batch_ids, groups.values(), strict=True):
        rows.extend(mail.row(member, next(message_ids), batch_id) for member in members)
    shared = {
        "kind": kind,
        "stored_text": "",
        "stored_html": "",
        "ics_method": ics_method,
        **_naming(about),
    }
    insert_rows(session, OutboxMessage, rows, shared)
    return len(rows)


def insert_rows(
    session: Session, model: type, rows: list[dict], shared: Mapping | None = None
) -> None:
    """INSERT the rows (dicts of the same attributes, values JSON can carry), each with the
    `shared` values too, in one statement.

    An INSERT given a list is executed once per row by the driver (psycopg pipelines 500
    executions: the bulk of scheduling a meeting for 500 people). On PostgreSQL the rows go
    as one JSON document read by json_populate_recordset into a single INSERT ... SELECT
    (one string to send, parsed in C at both ends; arrays a column each cost more, each
    element escaped in Python), the shared values once as parameters; elsewhere (SQLite) the
    driver's executemany is as good."""
    if not rows:
        return
    shared = shared or {}
    if session.get_bind().dialect.name != "postgresql":
        session.execute(insert(model), [row | shared for row in rows])
        return
    attributes = inspect(model).column_attrs
    names = {name: attributes[name].columns[0].name for name in rows[0]}
    if any(name != column for name, column in names.items()):
        rows = [{names[name]: value for name, value in row.items()} for row in rows]
    table = model.__table__
    records = func.json_populate_recordset(
        literal_column(f"NULL::{table.name}"),
        cast(bindparam(None, json.dumps(rows), type_=Text), JSON),
    ).table_valued(*names.values())
    constants = {
        attributes[name].columns[0].name: literal(value, attributes[name].columns[0].type)
        for name, value in shared.items()
    }
    session.execute(
        insert(table).from_select(
            [*constants, *names.values()], select(*constants.values(), *records.columns)
        )
    )


def _message_ids() -> Iterator[str]:
    """new_message_id() for many mails: one made, then numbered (as unique, and as fixed)."""
    local, _, domain = new_message_id()[1:-1].rpartition("@")
    return (f"<{local}.{number}@{domain}>" for number in itertools.count(1))


def _shape(personal: Personal) -> tuple:
    """What a template may branch on: which personal values are there (not what they say)."""
    return tuple(
        (name, bool(value) if isinstance(value, _SCALARS) else tuple(sorted(value)))
        for name, value in sorted(personal.items())
    )


class _Reader:
    """`recipient_user` in a mail rendered for a group: their zone, and a slot for the name."""

    def __init__(self, name: str, timezone: str) -> None:
        self.name = name
        self.timezone = timezone

    def __getattr__(self, attribute: str):
        # Not AttributeError: Jinja would quietly render an empty string.
        raise RuntimeError(f"recipient_user.{attribute} is not available to a mail for many")


class _GroupMail:
    """The mail of one group (language, zone, shape of personal values): its batch of parts
    with slots, and each person's row of values."""

    def __init__(
        self, template, language, zone, subject_text, category, context, personal, ics, slotted
    ):
        self.subject, self.category = subject_text, category
        slots = Slots.private()
        variables = _personal_slots(slots, personal)
        if slotted is not None:
            variables |= slotted(variables)
        with force_locale(language):
            context = {
                "subject": subject_text,
                "recipient_user": _Reader(slots.slot("name"), zone),
                "unsubscribe_link": slots.slot("unsubscribe") if category else None,
                "preferences_link": (
                    external_url("notifications.preferences") if category else None
                ),
                **context,
                **variables,
            }
            text = render_template(f"emails/{template}.txt", **context)
            html = render_template(f"emails/{template}.html", **context)
            if category:
                text += render_template("emails/_unsubscribe.txt", **context)
        self.parts = {
            "token": slots.token,
            "text_parts": slots.split(text),
            "html_parts": slots.split(html),
            "ics_parts": ics.parts(slots) if ics is not None else None,
        }

    def batch(self) -> dict:
        return {"created_at": utcnow(), **self.parts}

    def row(self, addressee: Addressee, message_id: str, batch_id: int) -> dict:
        person = addressee.user
        unsubscribe = unsubscribe_url(person.id, self.category) if self.category else None
        # The unsubscribe slot is filled from the row's unsubscribe_url (OutboxBatch.fill).
        values = {"name": person.name}
        for name, value in addressee.personal.items():
            if isinstance(value, _SCALARS):
                values[name] = value
            else:
                values.update({f"{name}.{key}": text for key, text in value.items()})
        return {
            "recipient": person.email,
            "recipient_user_id": person.id,
            "subject": self.subject,
            "message_id": message_id,
            "unsubscribe_url": unsubscribe,
            "personal": values,
            "batch_id": batch_id,
        }


def _personal_slots(slots: Slots, personal: Personal) -> dict[str, str | dict[str, str]]:
    """Template variables standing for one group's personal values (empty stays empty)."""
    variables: dict[str, str | dict[str, str]] = {}
    for name, value in personal.items():
        if isinstance(value, _SCALARS):
            variables[name] = slots.slot(name) if value else ""
        else:
            variables[name] = {key: slots.slot(f"{name}.{key}") for key in value}
    return variables
