"""Bulletins as STIX 2.1 bundles, built with the stix2 library, and bundles read back.

A bundle holds the FIRST TLP 2.0 marking definitions (the OASIS "tlp_2_0" extension), the
publishing CSIRT as an `identity`, a `report` naming the bulletin's objects, one `indicator`
with a STIX pattern per network or file indicator and a `vulnerability` per CVE (STIX
patterns have no CVE object). The bulletin's kind and severity travel as report labels.

Reading a bundle writes nothing: it returns a draft, or BundleRefused with a sentence for
the person who sent it (malformed JSON, another spec version, a marking that is not TLP, a
broken or unsupported pattern, an indicator that is not valid).
"""

import json
import re
import uuid
from dataclasses import dataclass, field

import stix2
from flask_babel import lazy_gettext as _l
from stix2.exceptions import InvalidValueError
from stix2patterns.validator import run_validator

from portal.core.tlp import TLP
from portal.csirt.indicators import InvalidIndicator, clean_indicator
from portal.csirt.models import Bulletin, BulletinKind, IndicatorType, Severity

TLP2_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
TLP2_CREATED = "2022-10-01T00:00:00.000Z"
TLP2_IDS = {
    TLP.CLEAR: "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    TLP.GREEN: "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    TLP.AMBER: "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    TLP.AMBER_STRICT: "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    TLP.RED: "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}
# TLP 1.0 markings of STIX 2.1 itself, read as their TLP 2.0 successors.
TLP1_IDS = {
    stix2.TLP_WHITE.id: TLP.CLEAR,
    stix2.TLP_GREEN.id: TLP.GREEN,
    stix2.TLP_AMBER.id: TLP.AMBER,
    stix2.TLP_RED.id: TLP.RED,
}
TLP_BY_ID = {**{v: k for k, v in TLP2_IDS.items()}, **TLP1_IDS}
NAMESPACE = uuid.UUID("8c0f52a3-2b7c-4d0b-9d0e-6f0c1c2a4e11")
MAX_BUNDLE_SIZE = 1024 * 1024
KIND_LABEL = "csirt-kind:"
SEVERITY_LABEL = "severity:"

# (STIX object type, property path) of each type's pattern; CVEs are vulnerabilities.
PATTERNS = {
    IndicatorType.DOMAIN: ("domain-name", "value"),
    IndicatorType.URL: ("url", "value"),
    IndicatorType.IPV4: ("ipv4-addr", "value"),
    IndicatorType.IPV6: ("ipv6-addr", "value"),
    IndicatorType.EMAIL: ("email-addr", "value"),
    IndicatorType.MD5: ("file", "hashes.MD5"),
    IndicatorType.SHA1: ("file", "hashes.'SHA-1'"),
    IndicatorType.SHA256: ("file", "hashes.'SHA-256'"),
}
_FROM_PATTERN = {v: k for k, v in PATTERNS.items()}
_SIMPLE_PATTERN = re.compile(r"\[([a-z0-9-]+):([A-Za-z0-9_.'-]+) = '((?:[^'\\]|\\.)*)'\]")


class BundleRefused(ValueError):
    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass
class BundleDraft:
    title: str
    description: str
    tlp: TLP
    kind: BulletinKind = BulletinKind.ADVISORY
    severity: Severity = Severity.MEDIUM
    indicators: list[tuple[IndicatorType, str]] = field(default_factory=list)


# Writing -------------------------------------------------------------------------------------


def marking_definition(label: TLP) -> stix2.v21.MarkingDefinition:
    value = label.value.replace("_", "+")
    return stix2.v21.MarkingDefinition(
        id=TLP2_IDS[label],
        created=TLP2_CREATED,
        name=label.label,
        extensions={TLP2_EXTENSION: {"extension_type": "property-extension", "tlp_2_0": value}},
    )


def _quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace("'", "\\'")


def pattern_of(kind: IndicatorType, value: str) -> str:
    object_type, path = PATTERNS[kind]
    if kind in (IndicatorType.IPV4, IndicatorType.IPV6) and "/" not in value:
        value += "/32" if kind == IndicatorType.IPV4 else "/128"
    return f"[{object_type}:{path} = '{_quote(value)}']"


def stable_uuid4(namespace: uuid.UUID, name: str) -> str:
    """The same identifier at every export, shaped as the UUIDv4 STIX 2.1 asks for SDOs."""
    return str(uuid.UUID(bytes=uuid.uuid5(namespace, name).bytes, version=4))


def _id(bulletin: Bulletin, what: str) -> str:
    return stable_uuid4(uuid.UUID(bulletin.uuid), what)


def bundle_for(bulletin: Bulletin, team_name: str) -> str:
    """The bulletin as a STIX 2.1 bundle (JSON text)."""
    marking = marking_definition(bulletin.tlp)
    markings = [marking.id]
    party = bulletin.owning_party
    author = stix2.v21.Identity(
        id=f"identity--{stable_uuid4(NAMESPACE, 'csirt-' + party.code)}",
        created="2020-01-01T00:00:00.000Z",
        modified="2020-01-01T00:00:00.000Z",
        name=team_name or f"CSIRT {party.code}",
        identity_class="organization",
        sectors=["government-national"],
        object_marking_refs=markings,
    )
    when = bulletin.created_at
    common = {
        "created": when,
        "modified": when,
        "created_by_ref": author.id,
        "object_marking_refs": markings,
    }
    objects = []
    for indicator in bulletin.indicators:
        if indicator.type == IndicatorType.CVE:
            objects.append(
                stix2.v21.Vulnerability(
                    id=f"vulnerability--{_id(bulletin, f'vulnerability-{indicator.position}')}",
                    name=indicator.value,
                    description=indicator.value,
                    external_references=[{"source_name": "cve", "external_id": indicator.value}],
                    **common,
                )
            )
        else:
            objects.append(
                stix2.v21.Indicator(
                    id=f"indicator--{_id(bulletin, f'indicator-{indicator.position}')}",
                    name=f"{indicator.type.value}: {indicator.value}",
                    description=bulletin.title,
                    indicator_types=["malicious-activity"],
                    pattern=pattern_of(indicator.type, indicator.value),
                    pattern_type="stix",
                    valid_from=when,
                    **common,
                )
            )
    report = stix2.v21.Report(
        id=f"report--{bulletin.uuid}",
        name=bulletin.title,
        description=bulletin.body_md or bulletin.title,
        published=when,
        report_types=["threat-report"],
        labels=[KIND_LABEL + bulletin.kind.value, SEVERITY_LABEL + bulletin.severity.value],
        object_refs=[o.id for o in objects] or [author.id],
        **common,
    )
    bundle = stix2.v21.Bundle(
        id=f"bundle--{_id(bulletin, 'bundle')}", objects=[marking, author, *objects, report]
    )
    return bundle.serialize(pretty=True)


# Reading -------------------------------------------------------------------------------------


def read_bundle(text: bytes | str) -> BundleDraft:
    """A draft bulletin from a STIX 2.1 bundle, or BundleRefused saying why not."""
    if len(text) > MAX_BUNDLE_SIZE:
        raise BundleRefused(_l("The file is too large (at most 1 MB)."))
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError) as error:
        raise BundleRefused(_l("The file is not valid JSON.")) from error
    if not isinstance(data, dict) or data.get("type") != "bundle":
        raise BundleRefused(_l("The file is not a STIX bundle."))
    objects = data.get("objects")
    if not isinstance(objects, list) or not all(isinstance(o, dict) for o in objects):
        raise BundleRefused(_l("The bundle has no list of objects."))
    if "spec_version" in data or any(o.get("spec_version") != "2.1" for o in objects):
        raise BundleRefused(_l("Only STIX 2.1 bundles are accepted."))
    try:
        bundle = stix2.parse(data, allow_custom=False, version="2.1")
    except InvalidValueError as error:
        if error.prop_name == "pattern":
            raise BundleRefused(
                _l("An indicator's pattern is broken: %(problem)s", problem=error.reason[:200])
            ) from error
        raise BundleRefused(
            _l("The bundle is not valid STIX 2.1: %(problem)s", problem=str(error)[:300])
        ) from error
    except Exception as error:  # the library raises many kinds for a malformed object
        raise BundleRefused(
            _l("The bundle is not valid STIX 2.1: %(problem)s", problem=str(error)[:300])
        ) from error
    by_id = {o.id: o for o in bundle.objects}
    reports = [o for o in bundle.objects if o.type == "report"]
    if len(reports) != 1:
        raise BundleRefused(_l("The bundle must hold exactly one report."))
    report = reports[0]
    draft = BundleDraft(
        title=report.name,
        description=report.get("description", ""),
        tlp=_label_of(report, by_id),
    )
    kinds = {k.value: k for k in BulletinKind}
    severities = {v.value: v for v in Severity}
    for label in report.get("labels", []):
        if label.startswith(KIND_LABEL):
            draft.kind = kinds.get(label.removeprefix(KIND_LABEL), draft.kind)
        if label.startswith(SEVERITY_LABEL):
            draft.severity = severities.get(label.removeprefix(SEVERITY_LABEL), draft.severity)
    for ref in report.object_refs:
        item = by_id.get(ref)
        if item is None or item.type not in ("indicator", "vulnerability"):
            continue
        draft.indicators.extend(_indicators_of(item))
    draft.indicators = list(dict.fromkeys(draft.indicators))
    return draft


def _label_of(report, by_id: dict) -> TLP:
    labels = set()
    for ref in report.get("object_marking_refs", []):
        if ref not in TLP_BY_ID:
            raise BundleRefused(
                _l("The report carries a marking that is not a TLP label: %(ref)s", ref=ref[:100])
            )
        labels.add(TLP_BY_ID[ref])
    if not labels:
        raise BundleRefused(_l("The report carries no TLP label."))
    return max(labels, key=lambda label: label.rank)


def _indicators_of(item) -> list[tuple[IndicatorType, str]]:
    if item.type == "vulnerability":
        cves = [
            r.external_id
            for r in item.get("external_references", [])
            if r.get("source_name") == "cve" and r.get("external_id")
        ]
        return [(IndicatorType.CVE, _clean(IndicatorType.CVE, cve)) for cve in cves]
    if item.pattern_type != "stix":
        raise BundleRefused(
            _l("Only STIX patterns are accepted (not %(type)s).", type=item.pattern_type[:40])
        )
    if run_validator(item.pattern, stix_version="2.1"):
        raise BundleRefused(
            _l("An indicator's pattern is broken: %(problem)s", problem=item.pattern[:200])
        )
    match = _SIMPLE_PATTERN.fullmatch(item.pattern.strip())
    kind = _FROM_PATTERN.get((match.group(1), match.group(2))) if match else None
    if kind is None:
        raise BundleRefused(
            _l(
                "An indicator's pattern is not one this portal reads (one comparison of an "
                "address, domain, URL, e-mail or file hash): %(pattern)s",
                pattern=item.pattern[:200],
            )
        )
    value = re.sub(r"\\(.)", r"\1", match.group(3))
    if kind in (IndicatorType.IPV4, IndicatorType.IPV6):
        value = value.removesuffix("/32" if kind == IndicatorType.IPV4 else "/128")
    return [(kind, _clean(kind, value))]


def _clean(kind: IndicatorType, value: str) -> str:
    try:
        return clean_indicator(kind, value)
    except InvalidIndicator as error:
        raise BundleRefused(
            _l(
                "An indicator is not valid (%(value)s): %(problem)s",
                value=value[:100],
                problem=error.message,
            )
        ) from error
