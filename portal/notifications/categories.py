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

# Delivered whatever the person chose: losing them locks someone out or hides a meeting.
MANDATORY_KINDS = frozenset({"invitation", "password_reset", "meeting_invitation"})
MANDATORY_PREFIXES = ("security_",)


def is_mandatory(kind: str) -> bool:
    return kind in MANDATORY_KINDS or kind.startswith(MANDATORY_PREFIXES)


def category_of(kind: str) -> str | None:
    """The category a person may choose for, or None for mail outside every category."""
    if is_mandatory(kind):
        return None
    return next(
        (category for prefix, category in CATEGORY_PREFIXES.items() if kind.startswith(prefix)),
        None,
    )
