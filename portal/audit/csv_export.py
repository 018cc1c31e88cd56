"""Audit events as CSV, safe to open in a spreadsheet, times in the reader's zone with offset."""

import json
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from portal.audit.forms import kind_label, object_label
from portal.audit.models import AuditEvent
from portal.core.spreadsheet import csv_text


def events_csv(events: Iterable[AuditEvent], zone: str) -> str:
    tz = ZoneInfo(zone)
    header = [
        _("When (%(zone)s)", zone=zone),
        _("Person"),
        _("Email"),
        _("Delegation"),
        _("Kind"),
        _("Kind code"),
        _("Object"),
        _("Object number"),
        _("Address"),
        _("Request"),
        _("Details"),
    ]
    rows = (
        (
            event.occurred_at.astimezone(tz).isoformat(timespec="seconds"),
            event.actor.name if event.actor else "",
            event.actor.email if event.actor else "",
            event.actor.party.code if event.actor and event.actor.party else "",
            kind_label(event.action),
            event.action,
            object_label(event.object_type),
            event.object_id,
            event.ip_address,
            event.request_id,
            json.dumps(event.details, ensure_ascii=False, sort_keys=True) if event.details else "",
        )
        for event in events
    )
    return csv_text([header, *rows])
