"""Action item mails through the outbox, each in its recipient's language.

Nobody gets a mail about an item they may not open (access.can_view_action).
"""

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.actions import access
from portal.actions.forms import STATUS_LABELS
from portal.actions.models import ActionItem, ActionStatus
from portal.core.bilingual import labelled_text
from portal.mous.models import WorkingGroup
from portal.notifications.readable import about
from portal.notifications.services import queue_email
from portal.web.urls import external_url

SUBJECTS = {
    "assigned": _l("Action item assigned to you: %(title)s"),
    "status_changed": _l("Action item status changed: %(title)s"),
    "due_soon": _l("Action item due soon: %(title)s"),
    "overdue": _l("Action item overdue: %(title)s"),
}
# What the outbox page calls each kind of mail queued here.
MAIL_KINDS = {
    "action_assigned": _l("Action item assigned"),
    "action_status_changed": _l("Action item status changed"),
    "action_due_soon": _l("Action item due soon"),
    "action_overdue": _l("Action item overdue"),
    "action_weekly_summary": _l("Weekly summary of overdue action items"),
}


def send_about_item(
    session: Session, kind: str, item: ActionItem, person: User, **context: object
) -> None:
    if not access.can_view_action(person, item):
        return
    queue_email(
        session,
        kind=f"action_{kind}",
        template=f"actions/{kind}",
        subject=_l(SUBJECTS[kind], title=labelled_text(item, "title", person.language)),
        recipient=person.email,
        recipient_user=person,
        language=person.language,
        item=item,
        about=about("action", item.id),
        link=external_url("actions.detail", item_id=item.id),
        **context,
    )


def assigned(session: Session, item: ActionItem, people: list[User], actor: User) -> None:
    for person in people:
        if person.id != actor.id:
            send_about_item(session, "assigned", item, person)


def status_changed(session: Session, item: ActionItem, old: ActionStatus, actor: User) -> None:
    """To the owners and to whoever follows the item (its author)."""
    followers = [*item.owners, *([item.created_by] if item.created_by else [])]
    seen = set()
    for person in followers:
        if person.id in seen or person.id == actor.id:
            continue
        seen.add(person.id)
        send_about_item(
            session,
            "status_changed",
            item,
            person,
            old=old,
            actor=actor,
            status_labels=STATUS_LABELS,
        )


def weekly_summary(
    session: Session, group: WorkingGroup, person: User, items: list[ActionItem], total: int
) -> None:
    queue_email(
        session,
        kind="action_weekly_summary",
        template="actions/weekly_summary",
        subject=lazy_ngettext(
            "%(num)d overdue action item this week", "%(num)d overdue action items this week", total
        ),
        recipient=person.email,
        recipient_user=person,
        language=person.language,
        group=group,
        items=items,
        total=total,
        about=about("working_group", group.id),
        link=external_url("actions.action_list", group=group.id, overdue="y"),
    )
