"""Which category a kind of mail belongs to, and which kinds nobody can turn off.

Table-driven: a feature that queues a new kind (`action_assigned`, `document_shared`,
`training_registered`...) is covered by its prefix; a new category is one line here.
"""

from flask_babel import lazy_gettext as _l

# Prefix of the kind -> category. The first matching prefix wins.
CATEGORY_PREFIXES: dict[str, str] = {
    "meeting_": "meetings",
    "minutes_": "minutes",
    "action_": "actions",
    "document_": "documents",
    "training_": "trainings",
}

CATEGORY_LABELS = {
    "meetings": _l("Meetings"),
    "minutes": _l("Minutes"),
    "actions": _l("Action items"),
    "documents": _l("Documents"),
    "trainings": _l("Training sessions"),
}

CATEGORIES: tuple[str, ...] = tuple(CATEGORY_LABELS)

# Delivered whatever the person chose: losing them locks someone out.
MANDATORY_KINDS = frozenset({"invitation", "password_reset"})
MANDATORY_PREFIXES = ("security_",)

# The mails whose iCalendar part puts an event in a calendar, moves it or takes it out: one
# of them missed leaves a meeting at its old time, or a cancelled one, in the person's
# calendar. They are delivered whatever the person chose and carry no unsubscribe link.
# Reminders, certificates and feedback requests repeat what the calendar already holds.
CALENDAR_KINDS = frozenset(
    {
        "meeting_invitation",
        "meeting_change",
        "meeting_cancellation",
        "training_invited",
        "training_confirmed",
        "training_waitlisted",
        "training_promoted",
        "training_changed",
        "training_cancelled",
        "training_registration_cancelled",
    }
)


def is_mandatory(kind: str) -> bool:
    return kind in MANDATORY_KINDS or kind in CALENDAR_KINDS or kind.startswith(MANDATORY_PREFIXES)


def category_of(kind: str) -> str | None:
    """The category a person may choose for, or None for mail outside every category."""
    if is_mandatory(kind):
        return None
    return next(
        (category for prefix, category in CATEGORY_PREFIXES.items() if kind.startswith(prefix)),
        None,
    )
