"""CSIRT fixtures: the world's CSIRTs, and bulletins made through the real services."""

import io

import pytest

from portal.core.extensions import db
from portal.core.tlp import TLP
from portal.csirt import services
from portal.csirt.models import BulletinKind, CsirtMember, CsirtTeam, IndicatorType, Severity

INDICATORS = [
    (IndicatorType.CVE, "CVE-2024-3094"),
    (IndicatorType.DOMAIN, "malicious.example"),
    (IndicatorType.URL, "https://malicious.example/a?b='c'"),
    (IndicatorType.IPV4, "192.0.2.10"),
    (IndicatorType.IPV4, "198.51.100.0/24"),
    (IndicatorType.IPV6, "2001:db8::10"),
    (IndicatorType.IPV6, "2001:db8::/32"),
    (IndicatorType.EMAIL, "phishing@malicious.example"),
    (IndicatorType.MD5, "098f6bcd4621d373cade4e832627b4f6"),
    (IndicatorType.SHA1, "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3"),
    (IndicatorType.SHA256, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
]


@pytest.fixture
def csirts(world, session):
    """CSIRTs of Chile, the UK and Colombia: member_cl, member_gb and member_co are members."""
    for party, name in ((world.cl, "CSIRT de Gobierno"), (world.gb, "NCSC"), (world.co, "ColCERT")):
        session.add(CsirtTeam(party_id=party.id, name=name))
    for person in (world.member_cl, world.member_gb, world.member_co):
        session.add(CsirtMember(user_id=person.id))
    session.commit()
    return world


@pytest.fixture
def make_bulletin(app):
    """make_bulletin(author, mou=..., tlp=..., ...) -> the bulletin's id, committed."""

    def make(
        author,
        *,
        mou,
        tlp=TLP.GREEN,
        kind=BulletinKind.ADVISORY,
        severity=Severity.MEDIUM,
        title="Phishing wave against ministries",
        body="Check your **logs**.",
        indicators=(),
        readers=(),
        files=(),
        mail=True,
    ) -> int:
        with app.test_request_context():
            data = services.BulletinData(
                kind=kind,
                tlp=tlp,
                severity=severity,
                title=title,
                body_md=body,
                indicators=list(indicators),
                reader_ids=[r.id for r in readers],
            )
            uploads = [services.Upload(io.BytesIO(content), name) for name, content in files]
            publish = services.publish_bulletin if mail else services.store_bulletin
            bulletin = publish(
                db.session, db.session.merge(author), db.session.merge(mou), data, uploads
            )
            db.session.commit()
            return bulletin.id

    return make
