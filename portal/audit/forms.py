"""The audit log's filters, read from the query string (a GET form changes nothing: no CSRF),
and what the log shows for each kind of event and object."""

import re

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, StringField
from wtforms.validators import Length, Optional, ValidationError

from portal.accounts.models import User
from portal.audit.models import AuditEvent
from portal.core import access as core_access
from portal.web.features import audit_kind_labels, audit_objects
from portal.web.forms import DATE_FORMAT_MESSAGE, choice_field, single_line, strip

# What the audit log shows for each kind of event and object, in the reader's language.
KIND_LABELS = {
    "access.denied": _l("Access denied"),
    "account.activated": _l("Account activated"),
    "account.deactivated": _l("Account deactivated"),
    "action.created": _l("Action item created"),
    "action.status": _l("Action item status changed"),
    "action.updated": _l("Action item changed"),
    "audit.exported": _l("Audit log exported"),
    "calendar_feed.regenerated": _l("Calendar feed address renewed"),
    "document.created": _l("Document uploaded"),
    "document.downloaded": _l("Document downloaded"),
    "document.tlp_changed": _l("Document TLP label changed"),
    "document.version_added": _l("Document version added"),
    "email.change_requested": _l("Email address change requested"),
    "email.changed": _l("Email address changed"),
    "invitation.accepted": _l("Invitation accepted"),
    "invitation.sent": _l("Invitation sent"),
    "login": _l("Logged in"),
    "login.failed": _l("Login failed"),
    "login.locked": _l("Account locked after failed logins"),
    "login.password_accepted": _l("Password accepted, code asked for"),
    "login.second_factor": _l("Logged in with two-step verification"),
    "login.second_factor_failed": _l("Second login step failed"),
    "logout": _l("Logged out"),
    "meeting.agenda_added": _l("Meeting agenda item added"),
    "meeting.agenda_removed": _l("Meeting agenda item removed"),
    "meeting.attendance": _l("Meeting attendance recorded"),
    "meeting.cancelled": _l("Meeting cancelled"),
    "meeting.changed": _l("Meeting changed"),
    "meeting.invitee_added": _l("Meeting invitee added"),
    "meeting.invitee_removed": _l("Meeting invitee removed"),
    "meeting.replied": _l("Meeting reply"),
    "meeting.scheduled": _l("Meeting scheduled"),
    "meeting.series_changed": _l("Meeting series changed"),
    "meeting.series_scheduled": _l("Meeting series scheduled"),
    "meeting.series_split": _l("Meeting series changed from one occurrence on"),
    "minutes.approved": _l("Minutes approved"),
    "minutes.approved_for_party": _l("Minutes approved for a delegation"),
    "minutes.circulated": _l("Minutes circulated"),
    "minutes.reopened": _l("Minutes reopened"),
    "minutes.saved": _l("Minutes saved"),
    "mou.created": _l("MoU created"),
    "mou.line_added": _l("MoU line of cooperation added"),
    "mou.line_removed": _l("MoU line of cooperation removed"),
    "mou.signatory_added": _l("MoU signatory added"),
    "mou.signatory_removed": _l("MoU signatory removed"),
    "mou.updated": _l("MoU changed"),
    "notifications.preferences_changed": _l("Notification preferences changed"),
    "notifications.unsubscribed": _l("Unsubscribed from mails"),
    "outbox.retried": _l("Mail sent again"),
    "party.created": _l("Delegation created"),
    "party.updated": _l("Delegation changed"),
    "password.changed": _l("Password changed"),
    "password_reset.completed": _l("Password reset"),
    "password_reset.requested": _l("Password reset requested"),
    "password_reset.unknown": _l("Password reset asked for an unknown address"),
    "role.changed": _l("Role changed"),
    "session.ended": _l("Session signed out"),
    "session.ended_others": _l("Signed out everywhere else"),
    "training.attendance_recorded": _l("Training attendance recorded"),
    "training.cancelled": _l("Training cancelled"),
    "training.certificates_issued": _l("Training certificates issued"),
    "training.changed": _l("Training changed"),
    "training.created": _l("Training created"),
    "training.external_invited": _l("External participant invited to a training"),
    "training.material_attached": _l("Training material attached"),
    "training.material_downloaded": _l("Training material downloaded"),
    "training.promoted": _l("Promoted from a training's waiting list"),
    "training.registered": _l("Registered for a training"),
    "training.registration_cancelled": _l("Training registration cancelled"),
    "two_factor.disabled": _l("Two-step verification turned off"),
    "two_factor.enabled": _l("Two-step verification turned on"),
    "two_factor.recovery_code_used": _l("Recovery code used"),
    "two_factor.recovery_codes_renewed": _l("New recovery codes made"),
    "two_factor.reset": _l("Two-step verification reset by an administrator"),
    "working_group.co_chair_set": _l("Working group co-chair set"),
    "working_group.created": _l("Working group created"),
    "working_group.member_added": _l("Working group member added"),
    "working_group.member_removed": _l("Working group member removed"),
    "working_group.updated": _l("Working group changed"),
}

OBJECT_LABELS = {
    "action": _l("Action item"),
    "document": _l("Document"),
    "email": _l("Email address"),
    "invitation": _l("Invitation"),
    "meeting": _l("Meeting"),
    "mou": _l("MoU"),
    "outbox_message": _l("Mail"),
    "party": _l("Delegation"),
    "series": _l("Meeting series"),
    "training": _l("Training"),
    "user": _l("Account"),
    "working_group": _l("Working group"),
}

# The page of each kind of object; accounts and delegations only for administrators.
_LINKS = {
    "action": ("actions.detail", "item_id"),
    "document": ("documents.detail", "document_id"),
    "meeting": ("meetings.detail", "meeting_id"),
    "mou": ("mous.mou_detail", "mou_id"),
    "training": ("trainings.detail", "training_id"),
    "working_group": ("mous.working_group", "group_id"),
}
_ADMINISTRATORS_LINKS = {
    "party": ("accounts.edit_party", "party_id"),
    "user": ("accounts.edit_account", "user_id"),
}


def kind_labels() -> dict:
    """Every kind the portal records: audit's own list and those the features declare."""
    return {**KIND_LABELS, **audit_kind_labels(current_app)}


def object_labels() -> dict:
    declared = {kind: label for kind, (label, _) in audit_objects(current_app).items()}
    return {**OBJECT_LABELS, **declared}


def kind_label(action: str) -> str:
    """The kind in the reader's language; a kind the portal no longer writes shows its code."""
    label = kind_labels().get(action)
    return str(label) if label is not None else action


def object_label(object_type: str | None) -> str:
    if object_type is None:
        return ""
    label = object_labels().get(object_type)
    return str(label) if label is not None else object_type


def object_link(event: AuditEvent, reader: User) -> str | None:
    """The address of the event's object, when it has a page the reader may be sent to."""
    declared = {kind: link for kind, (_, link) in audit_objects(current_app).items() if link}
    links = {
        **_LINKS,
        **declared,
        **(_ADMINISTRATORS_LINKS if core_access.can_administer(reader) else {}),
    }
    target = links.get(event.object_type or "")
    if target is None or not (event.object_id or "").isdigit():
        return None
    endpoint, argument = target
    return url_for(endpoint, **{argument: int(event.object_id)})


def person_link(person: User, reader: User) -> str | None:
    """The account page of the person who acted, for the administrators who keep accounts."""
    if not core_access.can_administer(reader):
        return None
    return url_for("accounts.edit_account", user_id=person.id)


def kind_prefixes() -> list[str]:
    """What the kind filter suggests: every kind, and each family of kinds by its prefix."""
    kinds = kind_labels()
    families = {action.split(".")[0] for action in kinds}
    return sorted(families | set(kinds))


KIND = re.compile(r"[a-z_]+(\.[a-z_]+)*\.?")
FIRST_YEAR, LAST_YEAR = 1970, 2999


def lower(value):
    return value.lower() if isinstance(value, str) else value


def kind_code(form, field) -> None:
    if field.data and not KIND.fullmatch(field.data):
        raise ValidationError(
            _l("Write a kind as its code, such as minutes or login.failed (letters, _ and dots).")
        )


def object_number(form, field) -> None:
    if field.data and not (field.data.isascii() and field.data.isdigit()):
        raise ValidationError(_l("An object is named by its number, such as 42."))


def plausible_year(form, field) -> None:
    if field.data and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
        raise ValidationError(
            _l("Choose a date between %(first)d and %(last)d.", first=FIRST_YEAR, last=LAST_YEAR)
        )


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    person = StringField(
        _l("Person"),
        filters=[strip],
        validators=[Length(max=254, message=_l("Use at most %(max)d characters.")), single_line],
        description=_l("Part of an email address or a name."),
    )
    party = choice_field(_l("Delegation"), coerce=int, default=0, validators=[Optional()])
    kind = StringField(
        _l("Kind"),
        filters=[strip, lower],
        validators=[Length(max=64, message=_l("Use at most %(max)d characters.")), kind_code],
        description=_l("A kind, or the start of one: minutes finds every minutes event."),
        render_kw={"list": "audit-kinds"},
    )
    object_type = choice_field(
        _l("Object"),
        choices=[],  # every kind of object, the features' declared ones too (views.py)
        default="",
        validators=[Optional()],
    )
    object_id = StringField(
        _l("Object number"),
        filters=[strip],
        validators=[Length(max=64, message=_l("Use at most %(max)d characters.")), object_number],
    )
    since = DateField(
        _l("Since"),
        validators=[Optional(), plausible_year],
        invalid_value_message=DATE_FORMAT_MESSAGE,
    )
    until = DateField(
        _l("Until"),
        validators=[Optional(), plausible_year],
        invalid_value_message=DATE_FORMAT_MESSAGE,
    )

    def validate_until(self, field) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("The end date comes before the start date."))
