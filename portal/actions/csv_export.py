"""The filtered list as CSV, safe to open in a spreadsheet (no formula injection)."""

import csv
import io
from collections.abc import Iterable
from datetime import date

from flask_babel import gettext as _

from portal.actions.forms import PRIORITY_LABELS, STATUS_LABELS
from portal.actions.queries import ActionRow
from portal.core.bilingual import text_in
from portal.core.i18n import current_language
from portal.core.spreadsheet import safe_cell

__all__ = ["actions_csv", "safe_cell"]


def actions_csv(rows: Iterable[ActionRow], today: date) -> str:
    name_column = "group_name_es" if current_language() == "es" else "group_name_en"
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("Number"),
            _("Title"),
            _("Working group"),
            _("Responsible party"),
            _("Status"),
            _("Priority"),
            _("Due date"),
            _("Overdue"),
            _("Owners"),
        ]
    )
    for row in rows:
        writer.writerow(
            safe_cell(value)
            for value in (
                row.id,
                text_in(row, "title", current_language()),
                getattr(row, name_column) or row.group_name_en,
                row.party_code,
                STATUS_LABELS[row.status],
                PRIORITY_LABELS[row.priority],
                row.due_on.isoformat(),
                _("yes") if row.is_overdue(today) else _("no"),
                "; ".join(row.owners),
            )
        )
    return out.getvalue()
