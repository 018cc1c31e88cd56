"""Demo CSIRTs (two members each) and a dozen bulletins between Chile and the UK and Colombia."""

import io
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.core.db import utcnow
from portal.core.tlp import TLP
from portal.csirt import services
from portal.csirt.models import (
    Acknowledgement,
    Answer,
    Bulletin,
    BulletinKind,
    CsirtMember,
    CsirtTeam,
    IndicatorType,
    Sector,
    Severity,
)
from portal.mous.models import Mou, mou_parties
from portal.web.features import DemoData

TEAMS = {
    "CL": ("CSIRT de Gobierno", ("coordinator.cl@demo.portal", "member.cl@demo.portal")),
    "GB": ("NCSC", ("coordinator.gb@demo.portal", "member.gb@demo.portal")),
    "CO": ("ColCERT", ("coordinator.co@demo.portal", "member.co@demo.portal")),
}

K, S, T = BulletinKind, Severity, TLP
# (author, other party, kind, TLP, severity, sectors, title, indicators, attachment, answer)
BULLETINS = [
    ("member.cl", "GB", K.ALERT, T.AMBER, S.CRITICAL, [Sector.GOVERNMENT],
     "Phishing campaign impersonating the treasury",
     [(IndicatorType.DOMAIN, "tesoreria-pagos.example"), (IndicatorType.IPV4, "198.51.100.23"),
      (IndicatorType.EMAIL, "avisos@tesoreria-pagos.example")], True, Answer.ACTING),
    ("member.gb", "GB", K.ADVISORY, T.GREEN, S.HIGH, [Sector.ENERGY, Sector.WATER],
     "Vulnerability in industrial remote-access gateways",
     [(IndicatorType.CVE, "CVE-2024-3400")], False, None),
    ("coordinator.cl", "GB", K.INCIDENT_REPORT, T.AMBER_STRICT, S.MEDIUM, [Sector.HEALTH],
     "Ransomware incident at a regional hospital", [], False, None),
    ("member.gb", "GB", K.LESSONS_LEARNED, T.CLEAR, S.LOW, [Sector.GOVERNMENT],
     "Lessons learned from the 2026 joint exercise", [], True, None),
    ("member.cl", "GB", K.STATISTICS, T.GREEN, S.LOW, [Sector.OTHER],
     "Incidents handled in the third quarter", [], False, Answer.RECEIVED),
    ("coordinator.gb", "GB", K.ALERT, T.RED, S.HIGH, [Sector.FINANCE],
     "Credential theft against correspondent banks",
     [(IndicatorType.SHA256, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")],
     False, None),
    ("member.cl", "CO", K.ALERT, T.AMBER, S.HIGH, [Sector.TELECOMMUNICATIONS],
     "Servidores de mando de una botnet alojados en la región",
     [(IndicatorType.IPV4, "203.0.113.0/24"), (IndicatorType.URL, "http://203.0.113.7/panel"),
      (IndicatorType.MD5, "098f6bcd4621d373cade4e832627b4f6")], True, Answer.RECEIVED),
    ("member.co", "CO", K.ADVISORY, T.GREEN, S.MEDIUM, [Sector.EDUCATION],
     "Gestores de contenidos comprometidos en universidades",
     [(IndicatorType.DOMAIN, "cdn-univ-update.example")], False, None),
    ("coordinator.co", "CO", K.INCIDENT_REPORT, T.AMBER, S.CRITICAL, [Sector.TRANSPORT],
     "Intrusión en la red de un operador portuario",
     [(IndicatorType.IPV6, "2001:db8:85a3::8a2e:370:7334"),
      (IndicatorType.SHA1, "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3")],
     False, Answer.NOT_RELEVANT),
    ("member.cl", "CO", K.LESSONS_LEARNED, T.CLEAR, S.LOW, [Sector.GOVERNMENT],
     "Divulgación coordinada entre CSIRT: lo que funcionó", [], False, None),
    ("member.co", "CO", K.STATISTICS, T.AMBER_STRICT, S.LOW, [Sector.OTHER],
     "Reportes de phishing recibidos en 2026", [], False, None),
    ("coordinator.cl", "CO", K.ALERT, T.GREEN, S.MEDIUM, [Sector.FINANCE],
     "Aplicaciones bancarias falsas distribuidas por SMS",
     [(IndicatorType.DOMAIN, "banco-seguro-app.example")], False, None),
]  # fmt: skip

BODY = (
    "**Summary.** {title}.\n\n"
    "- Check the indicators below against your logs.\n"
    "- Tell us through the portal whether you have seen them.\n"
)


def seed_demo_csirt(session: Session, demo: DemoData) -> None:
    """Add the missing teams, members and bulletins (loading twice changes nothing)."""
    users = demo.users
    for code, (name, emails) in TEAMS.items():
        party = demo.parties.get(code)
        if party is None:
            continue
        if session.scalar(select(CsirtTeam).where(CsirtTeam.party_id == party.id)) is None:
            session.add(CsirtTeam(party_id=party.id, name=name))
        for email in emails:
            user = users.get(email)
            if user is not None and session.get(CsirtMember, user.id) is None:
                session.add(CsirtMember(user_id=user.id))
    session.flush()
    now = utcnow()
    for age, spec in enumerate(BULLETINS):
        author_name, other, kind, tlp, severity, sectors, title, found, attach, answer = spec
        if session.scalar(select(Bulletin.id).where(Bulletin.title == title)) is not None:
            continue
        author = users.get(f"{author_name}@demo.portal")
        mou = _mou_between(session, demo.parties.get("CL"), demo.parties.get(other))
        if author is None or mou is None:
            continue
        upload = services.Upload(io.BytesIO(f"# {title}\n\n{BODY}".encode()), "informe.md")
        bulletin = services.store_bulletin(
            session,
            author,
            mou,
            services.BulletinData(
                kind=kind,
                tlp=tlp,
                severity=severity,
                title=title,
                body_md=BODY.format(title=title),
                sectors=sectors,
                indicators=found,
                reader_ids=[u.id for u in _named(users, author, other) if tlp == TLP.RED],
            ),
            [upload] if attach else [],
        )
        bulletin.created_at = now - timedelta(days=2 * age + 1)
        if answer is not None:
            _answer(session, bulletin, users, author, other, answer)
    session.flush()


def _mou_between(session: Session, first, second) -> Mou | None:
    if first is None or second is None:
        return None
    ours = select(mou_parties.c.mou_id).where(mou_parties.c.party_id == first.id)
    theirs = select(mou_parties.c.mou_id).where(mou_parties.c.party_id == second.id)
    return session.scalar(
        select(Mou).where(Mou.id.in_(ours), Mou.id.in_(theirs)).order_by(Mou.id).limit(1)
    )


def _receiver(users: dict, author, other: str):
    code = "cl" if author.party.code != "CL" else other.lower()
    return users.get(f"member.{code}@demo.portal")


def _named(users: dict, author, other: str) -> list:
    receiver = _receiver(users, author, other)
    return [receiver] if receiver is not None else []


def _answer(session: Session, bulletin: Bulletin, users: dict, author, other: str, answer) -> None:
    receiver = _receiver(users, author, other)
    if receiver is None:
        return
    bulletin.acknowledgements.append(
        Acknowledgement(
            user=receiver,
            party_id=receiver.party_id,
            answer=answer,
            note="Revisado por el turno de guardia." if answer == Answer.ACTING else "",
            answered_at=bulletin.created_at + timedelta(hours=2),
        )
    )
