"""Bulletins as MISP events, in the JSON of MISP's documented event format (an "Event" with its
"Attribute" list and TLP tags), written here rather than with PyMISP: that library brings an
HTTP client and many other packages for what is one JSON document."""

import json
import uuid

from portal.csirt.models import Bulletin, IndicatorType, Severity

# MISP's threat levels: 1 high, 2 medium, 3 low.
THREAT_LEVELS = {
    Severity.CRITICAL: "1",
    Severity.HIGH: "1",
    Severity.MEDIUM: "2",
    Severity.LOW: "3",
}
# (MISP attribute type, category) of each indicator type.
ATTRIBUTES = {
    IndicatorType.CVE: ("vulnerability", "External analysis"),
    IndicatorType.DOMAIN: ("domain", "Network activity"),
    IndicatorType.URL: ("url", "Network activity"),
    IndicatorType.IPV4: ("ip-dst", "Network activity"),
    IndicatorType.IPV6: ("ip-dst", "Network activity"),
    IndicatorType.EMAIL: ("email-src", "Payload delivery"),
    IndicatorType.MD5: ("md5", "Payload delivery"),
    IndicatorType.SHA1: ("sha1", "Payload delivery"),
    IndicatorType.SHA256: ("sha256", "Payload delivery"),
}


def event_for(bulletin: Bulletin, team_name: str) -> str:
    """The bulletin as a MISP event (JSON text)."""
    namespace = uuid.UUID(bulletin.uuid)
    attributes = []
    for indicator in bulletin.indicators:
        kind, category = ATTRIBUTES[indicator.type]
        attributes.append(
            {
                "uuid": str(uuid.uuid5(namespace, f"attribute-{indicator.position}")),
                "type": kind,
                "category": category,
                "value": indicator.value,
                "to_ids": indicator.type != IndicatorType.CVE,
                "distribution": "5",
                "comment": "",
            }
        )
    event = {
        "Event": {
            "uuid": bulletin.uuid,
            "info": bulletin.title,
            "date": bulletin.created_at.date().isoformat(),
            "timestamp": str(int(bulletin.created_at.timestamp())),
            "threat_level_id": THREAT_LEVELS[bulletin.severity],
            "analysis": "2",
            "distribution": "0",
            "published": True,
            "Orgc": {"name": team_name or f"CSIRT {bulletin.owning_party.code}"},
            "Tag": [
                {"name": bulletin.tlp.label.lower()},
                {"name": f'csirt:kind="{bulletin.kind.value}"'},
            ],
            "Attribute": attributes,
        }
    }
    return json.dumps(event, indent=2, ensure_ascii=False)
