"""STIX 2.1 and MISP: every exported bundle validates with stix2-validator in strict mode;
export then import keeps title, TLP, kind and indicators; bundles that are malformed, of
another spec version, with an unknown marking or a broken pattern are refused, nothing written."""

import io
import json

import pytest
from sqlalchemy import func, select
from stix2validator import ValidationOptions, validate_string

from portal.core.tlp import TLP
from portal.csirt.models import Bulletin, BulletinKind, Indicator, Severity
from tests.conftest import post
from tests.csirt.conftest import INDICATORS

STRICT = ValidationOptions(strict=True, version="2.1")


def _export(client, bulletin_id: int) -> str:
    response = client.get(f"/csirt/bulletins/{bulletin_id}/stix.json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    return response.get_data(as_text=True)


def _import(client, mou_id: int, content: bytes | str):
    body = content.encode() if isinstance(content, str) else content
    return post(
        client,
        f"/mous/{mou_id}/csirt/bulletins/import",
        {"file": (io.BytesIO(body), "bundle.json")},
        token_from="/csirt/bulletins",
        content_type="multipart/form-data",
    )


def _counts(session) -> tuple[int, int]:
    return (
        session.scalar(select(func.count()).select_from(Bulletin)),
        session.scalar(select(func.count()).select_from(Indicator)),
    )


@pytest.mark.parametrize("label", list(TLP), ids=lambda t: t.value)
def test_every_exported_bundle_validates_strictly(label, csirts, make_bulletin, login_as):
    bulletin_id = make_bulletin(
        csirts.member_cl,
        mou=csirts.mou,
        tlp=label,
        kind=BulletinKind.ALERT,
        indicators=INDICATORS,
        readers=[csirts.member_gb],
    )
    bundle = _export(login_as(csirts.member_cl), bulletin_id)
    result = validate_string(bundle, STRICT)
    assert result.is_valid, [str(e) for e in result.errors + result.warnings]
    objects = json.loads(bundle)["objects"]
    types = [o["type"] for o in objects]
    assert types.count("report") == 1 and types.count("identity") == 1
    assert types.count("indicator") == len(INDICATORS) - 1  # the CVE is a vulnerability
    marking = next(o for o in objects if o["type"] == "marking-definition")
    assert marking["name"] == label.label


def test_a_bulletin_without_indicators_validates_too(csirts, make_bulletin, login_as):
    bulletin_id = make_bulletin(csirts.member_cl, mou=csirts.mou, tlp=TLP.CLEAR)
    result = validate_string(_export(login_as(csirts.member_cl), bulletin_id), STRICT)
    assert result.is_valid, [str(e) for e in result.errors + result.warnings]


def test_export_then_import_keeps_title_tlp_kind_and_indicators(
    csirts, make_bulletin, login_as, session
):
    bulletin_id = make_bulletin(
        csirts.member_cl,
        mou=csirts.mou,
        tlp=TLP.AMBER,
        kind=BulletinKind.INCIDENT_REPORT,
        severity=Severity.CRITICAL,
        title="Intrusión en un operador portuario",
        indicators=INDICATORS,
    )
    bundle = _export(login_as(csirts.member_cl), bulletin_id)
    gb = login_as(csirts.member_gb)
    response = _import(gb, csirts.mou.id, bundle)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    session.rollback()
    copy = session.scalars(select(Bulletin).order_by(Bulletin.id.desc())).first()
    original = session.get(Bulletin, bulletin_id)
    assert copy.id != original.id
    assert copy.title == original.title
    assert copy.tlp == TLP.AMBER and copy.kind == BulletinKind.INCIDENT_REPORT
    assert copy.severity == Severity.CRITICAL
    assert {(i.type, i.value) for i in copy.indicators} == {
        (i.type, i.value) for i in original.indicators
    }
    assert copy.owning_party_id == csirts.gb.id


def _valid_bundle(csirts, make_bulletin, login_as) -> dict:
    bulletin_id = make_bulletin(
        csirts.member_cl, mou=csirts.mou, tlp=TLP.GREEN, indicators=INDICATORS[:4]
    )
    return json.loads(_export(login_as(csirts.member_cl), bulletin_id))


def _wrong_spec_version(bundle: dict) -> dict:
    for item in bundle["objects"]:
        item["spec_version"] = "2.0"
    return bundle


def _unknown_marking(bundle: dict) -> dict:
    report = next(o for o in bundle["objects"] if o["type"] == "report")
    report["object_marking_refs"] = ["marking-definition--11111111-2222-4333-8444-555555555555"]
    return bundle


def _broken_pattern(bundle: dict) -> dict:
    indicator = next(o for o in bundle["objects"] if o["type"] == "indicator")
    indicator["pattern"] = "[ipv4-addr:value = '192.0.2.1'"
    return bundle


def _invalid_value(bundle: dict) -> dict:
    indicator = next(o for o in bundle["objects"] if o["type"] == "indicator")
    indicator["pattern"] = "[ipv4-addr:value = '999.0.2.1']"
    return bundle


REFUSALS = {
    "malformed JSON": (lambda bundle: json.dumps(bundle)[:-20], "not valid JSON"),
    "wrong spec version": (lambda b: json.dumps(_wrong_spec_version(b)), "Only STIX 2.1"),
    "unknown marking": (lambda b: json.dumps(_unknown_marking(b)), "not a TLP label"),
    "broken pattern": (lambda b: json.dumps(_broken_pattern(b)), "pattern is broken"),
    "invalid indicator": (lambda b: json.dumps(_invalid_value(b)), "is not valid"),
    "not a bundle": (lambda b: json.dumps({"type": "report"}), "not a STIX bundle"),
}


@pytest.mark.parametrize("case", REFUSALS, ids=str)
def test_bad_bundles_are_refused_and_nothing_written(
    case, csirts, make_bulletin, login_as, session
):
    spoil, message = REFUSALS[case]
    content = spoil(_valid_bundle(csirts, make_bulletin, login_as))
    before = _counts(session)
    response = _import(login_as(csirts.member_gb), csirts.mou.id, content)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    session.rollback()
    assert _counts(session) == before


def test_misp_event_carries_title_tlp_and_attributes(csirts, make_bulletin, login_as):
    bulletin_id = make_bulletin(
        csirts.member_cl, mou=csirts.mou, tlp=TLP.AMBER_STRICT, indicators=INDICATORS
    )
    response = login_as(csirts.member_cl).get(f"/csirt/bulletins/{bulletin_id}/misp.json")
    event = json.loads(response.get_data(as_text=True))["Event"]
    assert event["info"] == "Phishing wave against ministries"
    assert {"name": "tlp:amber+strict"} in event["Tag"]
    values = {a["value"] for a in event["Attribute"]}
    assert values == {value for _, value in INDICATORS}
    assert {a["type"] for a in event["Attribute"]} >= {"ip-dst", "domain", "url", "sha256"}
