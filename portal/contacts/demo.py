"""Demo points of contact: the MoU and CSIRT contacts of each party of the two model
agreements (fictional people), one of them not verified for over a year. Loading them twice
changes nothing."""

import hashlib
import uuid
from datetime import time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.contacts.models import Availability, ContactKind, PointOfContact
from portal.core.db import utcnow
from portal.mous.demo import CHILE_COLOMBIA, CHILE_UK
from portal.mous.models import Mou
from portal.web.features import DemoData

MOU, CSIRT = ContactKind.MOU, ContactKind.CSIRT
WEEKDAYS = [0, 1, 2, 3, 4]
# party, kind, given, family, role, organisation, email, phone, office hours or None (24/7)
CONTACTS = {
    CHILE_UK["title_en"]: [
        ("CL", MOU, "Valentina", "Araya Fuentes", "Punto focal del MdE",
         "Ministerio del Interior", "v.araya@interior.demo.cl", "+56 2 2486 3850",
         (time(9), time(18))),
        ("CL", CSIRT, "Matías", "Contreras Vidal", "Jefe de turno", "CSIRT de Gobierno",
         "turno@csirt.demo.cl", "+56 9 6123 4567", None),
        ("GB", MOU, "Harriet", "Fowler", "MoU focal point", "Foreign Office",
         "h.fowler@fcdo.demo.uk", "+44 20 7946 0321", (time(9), time(17, 30))),
        ("GB", CSIRT, "Daniel", "Okafor", "Incident management lead", "NCSC",
         "incidents@ncsc.demo.uk", "+44 20 7946 0777", None),
    ],
    CHILE_COLOMBIA["title_en"]: [
        ("CL", MOU, "Valentina", "Araya Fuentes", "Punto focal del MdE",
         "Ministerio del Interior", "v.araya@interior.demo.cl", "+56 2 2486 3850",
         (time(9), time(18))),
        ("CL", CSIRT, "Matías", "Contreras Vidal", "Jefe de turno", "CSIRT de Gobierno",
         "turno@csirt.demo.cl", "+56 9 6123 4567", None),
        ("CO", MOU, "Catalina", "Ríos Mejía", "Enlace del Memorándum", "MinTIC",
         "c.rios@mintic.demo.co", "+57 601 344 3460", (time(8), time(17))),
        ("CO", CSIRT, "Santiago", "Herrera Duque", "Coordinador de respuesta", "ColCERT",
         "contacto@colcert.demo.co", "+57 601 266 1000", None),
    ],
}  # fmt: skip
# This one was last verified over a year ago: its party's coordinator is reminded.
LAPSED = "h.fowler@fcdo.demo.uk"


def _fingerprint(email: str, kind: ContactKind) -> str:
    """A made-up fingerprint: v4 (40 digits) for MoU contacts, v6 (64) for CSIRTs."""
    if kind == CSIRT:
        return hashlib.sha256(email.encode()).hexdigest().upper()
    return hashlib.sha1(email.encode(), usedforsecurity=False).hexdigest().upper()


def seed_demo_contacts(session: Session, demo: DemoData) -> None:
    today = utcnow().date()
    for title, people in CONTACTS.items():
        mou = session.scalar(select(Mou).where(Mou.title_en == title))
        if mou is None:
            continue
        present = set(
            session.execute(
                select(PointOfContact.party_id, PointOfContact.email).where(
                    PointOfContact.mou_id == mou.id
                )
            ).all()
        )
        for code, kind, given, family, role, organisation, email, phone, hours in people:
            party = demo.parties[code]
            if (party.id, email) in present:
                continue
            verified = today - timedelta(days=400 if email == LAPSED else 30)
            session.add(
                PointOfContact(
                    mou=mou,
                    party=party,
                    kind=kind,
                    given_name=given,
                    family_name=family,
                    role=role,
                    organisation=organisation,
                    email=email,
                    phone="+" + "".join(ch for ch in phone if ch.isdigit()),
                    availability=Availability.OFFICE_HOURS if hours else Availability.ALWAYS,
                    office_days="".join(str(day) for day in WEEKDAYS) if hours else "",
                    office_start=hours[0] if hours else None,
                    office_end=hours[1] if hours else None,
                    timezone=party.timezone,
                    pgp_fingerprint=_fingerprint(email, kind),
                    last_verified_on=verified,
                    uid=str(uuid.uuid5(uuid.NAMESPACE_URL, f"demo:{mou.id}:{email}")),
                )
            )
