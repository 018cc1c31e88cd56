"""Which category a kind of mail belongs to, and which kinds nobody can turn off.

Each feature declares its own (portal.web.features): the categories people choose for, each
with the prefixes of its kinds (`action_` covers `action_assigned`, `action_overdue`...), its
calendar kinds and its other mandatory kinds. These functions read the running app's
declarations; the first matching prefix wins.

Calendar kinds are the mails whose iCalendar part puts an event in a calendar, moves it or
takes it out: one of them missed leaves a meeting at its old time, or a cancelled one, in the
person's calendar. They are delivered whatever the person chose and carry no unsubscribe link.
Reminders, certificates and feedback requests repeat what the calendar already holds.
"""

from flask import current_app

from portal.web import features


def categories() -> tuple[str, ...]:
    """Every category, in the order the preferences page lists them."""
    return tuple(category.name for category in features.mail_categories(current_app))


def category_labels() -> dict[str, str]:
    return {category.name: category.label for category in features.mail_categories(current_app)}


def calendar_kinds() -> frozenset[str]:
    return features.calendar_kinds(current_app)


def is_mandatory(kind: str) -> bool:
    return (
        kind in features.mandatory_kinds(current_app)
        or kind in features.calendar_kinds(current_app)
        or kind.startswith(features.mandatory_prefixes(current_app))
    )


def category_of(kind: str) -> str | None:
    """The category a person may choose for, or None for mail outside every category."""
    if is_mandatory(kind):
        return None
    return next(
        (
            category.name
            for category in features.mail_categories(current_app)
            if kind.startswith(category.prefixes)
        ),
        None,
    )
