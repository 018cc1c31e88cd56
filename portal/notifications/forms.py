"""The preferences form (one choice per category) and the outbox filter."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from portal.notifications.categories import category_labels
from portal.notifications.models import Delivery, OutboxStatus
from portal.web.forms import BaseForm, choice_field, options, strip

DELIVERY_LABELS = {
    Delivery.IMMEDIATE: _l("Immediately"),
    Delivery.DIGEST: _l("In a daily summary"),
    Delivery.OFF: _l("Never"),
}

STATUS_LABELS = {
    OutboxStatus.PENDING: _l("Pending"),
    OutboxStatus.SENDING: _l("Sending"),
    OutboxStatus.SENT: _l("Sent"),
    OutboxStatus.FAILED: _l("Failed"),
    OutboxStatus.WITHDRAWN: _l("Withdrawn: no longer visible to the recipient"),
}


def preferences_form(current: dict[str, Delivery], formdata=None) -> BaseForm:
    """A form with one radio group per category, named after it; nothing else is read."""

    class PreferencesForm(BaseForm):
        pass

    for category, label in category_labels().items():
        field = RadioField(
            label,
            choices=options((d.value, DELIVERY_LABELS[d]) for d in Delivery),
            validators=[DataRequired(message=_l("Choose how you want to receive these."))],
            invalid_choice_message=_l("Choose one of the options in the list."),
        )
        setattr(PreferencesForm, category, field)
    if formdata is not None:
        return PreferencesForm(formdata=formdata)  # every choice must be in what was sent
    return PreferencesForm(formdata=None, data={c: d.value for c, d in current.items()})


class OutboxFilterForm(BaseForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    status = choice_field(
        _l("Status"),
        choices=options([("", _l("Any")), *((s.value, STATUS_LABELS[s]) for s in OutboxStatus)]),
        validators=[Optional()],
    )
    kind = StringField(
        _l("Kind"),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=64, message=_l("Use at most %(max)d characters.")),
            Regexp(r"^[a-z0-9_]+$", message=_l("Use lower-case letters, digits and _ only.")),
        ],
    )
