"""The report's period (from the query string: a GET, no CSRF) and the PDF's language."""

from flask_babel import lazy_gettext as _l
from wtforms.validators import Optional

from portal.core.i18n import LANGUAGE_NAMES
from portal.web.forms import PeriodForm, choice_field, options


class ReportPeriodForm(PeriodForm):
    language = choice_field(
        _l("Language of the PDF"),
        default="",
        choices=options([("", _l("Mine")), *LANGUAGE_NAMES.items()]),
        validators=[Optional()],
    )
