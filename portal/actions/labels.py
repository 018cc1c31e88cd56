"""What people read for each status and priority, in their language."""

from flask_babel import lazy_gettext as _l

from portal.actions.models import ActionStatus, Priority

STATUS_LABELS = {
    ActionStatus.OPEN: _l("Open"),
    ActionStatus.IN_PROGRESS: _l("In progress"),
    ActionStatus.DONE: _l("Done"),
    ActionStatus.CANCELLED: _l("Cancelled"),
}
PRIORITY_LABELS = {
    Priority.HIGH: _l("High"),
    Priority.NORMAL: _l("Normal"),
    Priority.LOW: _l("Low"),
}
# The word for the history's field names.
FIELD_LABELS = {
    "created": _l("Created"),
    "title": _l("Title"),
    "description": _l("Description"),
    "due_on": _l("Due date"),
    "priority": _l("Priority"),
    "party": _l("Responsible party"),
    "owners": _l("Owners"),
    "status": _l("Status"),
    "cancel_reason": _l("Reason for cancelling"),
}
