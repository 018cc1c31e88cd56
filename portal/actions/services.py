"""Changing action items: create, update, move through the workflow, comment.

Plain functions taking the session and the acting person; each checks the rule in
portal.actions.access, writes the item's history and queues the mails the change causes.
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from portal.accounts.models import Party, User
from portal.actions import access
from portal.actions import notifications as notify
from portal.actions.forms import STATUS_LABELS
from portal.actions.models import (
    PRIORITY_RANK,
    ActionComment,
    ActionHistory,
    ActionItem,
    ActionStatus,
    Priority,
)
from portal.audit.services import record
from portal.core.db import utcnow
from portal.core.errors import Forbidden, ValidationError
from portal.core.i18n import reader_today
from portal.core.markdown import render_markdown
from portal.meetings.access import can_view_meeting
from portal.meetings.models import Meeting
from portal.mous.models import LineOfCooperation, WorkingGroup

# Which status may follow which; done and cancelled items can only be reopened.
TRANSITIONS = {
    ActionStatus.OPEN: {ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.CANCELLED},
    ActionStatus.IN_PROGRESS: {ActionStatus.DONE, ActionStatus.CANCELLED},
    ActionStatus.DONE: {ActionStatus.OPEN},
    ActionStatus.CANCELLED: {ActionStatus.OPEN},
}
EARLIEST_DUE = date(2000, 1, 1)
LATEST_DUE = date(2100, 12, 31)


@dataclass(frozen=True)
class ActionDetails:
    """Title and description in English, Spanish or both (at least one title)."""

    title_en: str
    title_es: str
    description_md_en: str
    description_md_es: str
    owners: list[User]
    responsible_party: Party
    due_on: date
    priority: Priority
    line: LineOfCooperation | None = None
    meeting_id: int | None = None  # the meeting it was agreed in


def _texts(details: ActionDetails) -> dict[str, str]:
    """The item's columns of its texts, each version's description rendered."""
    if not (details.title_en.strip() or details.title_es.strip()):
        raise ValidationError(
            str(_l("Write the title in English, in Spanish or in both.")), field="title"
        )
    return {
        "title_en": details.title_en.strip(),
        "title_es": details.title_es.strip(),
        "description_md_en": details.description_md_en,
        "description_md_es": details.description_md_es,
        "description_html_en": render_markdown(details.description_md_en),
        "description_html_es": render_markdown(details.description_md_es),
    }


def _both_versions(english: str, spanish: str) -> str:
    """How the history shows a text's two versions."""
    return "\n—\n".join(version for version in (english, spanish) if version)


def require_worker(actor: User, group: WorkingGroup) -> None:
    if not access.can_work_on_actions(actor, group):
        raise Forbidden(
            str(_l("Only the group's members and the coordinators change its action items."))
        )


def _check(details: ActionDetails, group: WorkingGroup) -> None:
    """Rules the form cannot know: owners and party of this MoU, a sensible due date."""
    if not details.owners:
        raise ValidationError(str(_l("Choose at least one owner.")), field="owner_ids")
    if not all(access.can_own_action(person, group) for person in details.owners):
        raise ValidationError(
            str(_l("Owners must be members or coordinators of the MoU's parties.")),
            field="owner_ids",
        )
    if details.responsible_party not in group.mou.parties:
        raise ValidationError(
            str(_l("The responsible party must be a party of the MoU.")), field="party_id"
        )
    if details.line is not None and details.line.mou_id != group.mou_id:
        raise ValidationError(str(_l("Choose a line of cooperation of this MoU.")), field="line_id")
    if not EARLIEST_DUE <= details.due_on <= LATEST_DUE:
        raise ValidationError(str(_l("Choose a due date between 2000 and 2100.")), field="due_on")


def _meeting_of_origin(
    session: Session, actor: User, group: WorkingGroup, meeting_id: int | None
) -> Meeting | None:
    """The chosen meeting: one of the group's that the actor may see (a meeting they may not
    see is refused as if it did not exist)."""
    if not meeting_id:
        return None
    meeting = session.get(Meeting, meeting_id)
    if meeting is None or not can_view_meeting(actor, meeting):
        raise ValidationError(
            str(_l("Choose one of the group's meetings in the list.")), field="meeting_id"
        )
    if meeting.working_group_id != group.id:
        raise ValidationError(
            str(_l("The meeting belongs to another working group.")), field="meeting_id"
        )
    return meeting


def _history(item: ActionItem, actor: User, field: str, before: str, after: str) -> None:
    item.history.append(ActionHistory(actor_id=actor.id, field=field, before=before, after=after))


def _owner_names(owners: list[User]) -> str:
    return ", ".join(sorted(person.name for person in owners))


def create_action(
    session: Session,
    actor: User,
    group: WorkingGroup,
    details: ActionDetails,
) -> ActionItem:
    require_worker(actor, group)
    _check(details, group)
    meeting = _meeting_of_origin(session, actor, group, details.meeting_id)
    item = ActionItem(
        working_group=group,
        meeting=meeting,
        **_texts(details),
        owners=list(details.owners),
        responsible_party=details.responsible_party,
        due_on=details.due_on,
        priority=details.priority,
        priority_rank=PRIORITY_RANK[details.priority],
        line=details.line,
        created_by=actor,
    )
    session.add(item)
    _history(item, actor, "created", "", _both_versions(details.title_en, details.title_es))
    session.flush()
    record(session, "action.created", actor=actor, object_type="action", object_id=item.id)
    notify.assigned(session, item, details.owners, actor)
    return item


def update_action(
    session: Session, actor: User, item: ActionItem, details: ActionDetails
) -> list[str]:
    """Apply the new details; return the names of the fields that changed."""
    require_worker(actor, item.working_group)
    _check(details, item.working_group)
    meeting = _meeting_of_origin(session, actor, item.working_group, details.meeting_id)
    changed = []
    for field, before, after in (
        (
            "title",
            _both_versions(item.title_en, item.title_es),
            _both_versions(details.title_en, details.title_es),
        ),
        (
            "description",
            _both_versions(item.description_md_en, item.description_md_es),
            _both_versions(details.description_md_en, details.description_md_es),
        ),
        ("due_on", item.due_on.isoformat(), details.due_on.isoformat()),
        ("priority", item.priority.value, details.priority.value),
        ("party", item.responsible_party.code, details.responsible_party.code),
    ):
        if before != after:
            _history(item, actor, field, before, after)
            changed.append(field)
    new_owners = [p for p in details.owners if p not in item.owners]
    if set(details.owners) != set(item.owners):
        _history(item, actor, "owners", _owner_names(item.owners), _owner_names(details.owners))
        changed.append("owners")
    if (item.line_id or None) != (details.line.id if details.line else None):
        changed.append("line")
    if item.meeting_id != (meeting.id if meeting else None):
        changed.append("meeting")
    for name, value in _texts(details).items():
        setattr(item, name, value)
    item.due_on = details.due_on
    item.priority = details.priority
    item.priority_rank = PRIORITY_RANK[details.priority]
    item.responsible_party = details.responsible_party
    item.owners = list(details.owners)
    item.line = details.line
    item.meeting = meeting
    if changed:
        item.updated_at = utcnow()
        record(session, "action.updated", actor=actor, object_type="action", object_id=item.id)
    notify.assigned(session, item, new_owners, actor)
    return changed


def require_status_changer(actor: User, item: ActionItem) -> None:
    if not access.can_change_action_status(actor, item):
        raise Forbidden(str(_l("Only the item's owners and the coordinators change its status.")))


def require_commenter(actor: User, item: ActionItem) -> None:
    if not access.can_comment_on_action(actor, item):
        raise Forbidden(str(_l("Only the item's owners and the coordinators post updates.")))


def change_status(
    session: Session, actor: User, item: ActionItem, new: ActionStatus, reason: str = ""
) -> None:
    require_status_changer(actor, item)
    old = item.status
    if new not in TRANSITIONS[old]:
        raise ValidationError(
            str(
                _l(
                    "This item cannot go from “%(old)s” to “%(new)s”.",
                    old=STATUS_LABELS[old],
                    new=STATUS_LABELS[new],
                )
            ),
            field="status",
        )
    reason = (reason or "").strip()
    if new == ActionStatus.CANCELLED and not reason:
        raise ValidationError(str(_l("Say why the item is cancelled.")), field="reason")
    item.status = new
    item.cancel_reason = reason if new == ActionStatus.CANCELLED else ""
    item.completed_on = reader_today() if new == ActionStatus.DONE else None
    item.updated_at = utcnow()
    _history(item, actor, "status", old.value, new.value)
    if reason and new == ActionStatus.CANCELLED:
        _history(item, actor, "cancel_reason", "", reason)
    record(
        session,
        "action.status",
        actor=actor,
        object_type="action",
        object_id=item.id,
        before=old.value,
        after=new.value,
    )
    notify.status_changed(session, item, old, actor)


def add_comment(session: Session, actor: User, item: ActionItem, body: str) -> ActionComment:
    require_commenter(actor, item)
    comment = ActionComment(author=actor, body_md=body, body_html=render_markdown(body))
    item.comments.append(comment)
    item.updated_at = utcnow()
    return comment
