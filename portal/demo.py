"""Demo data from the two model agreements; loading it twice changes nothing."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts import totp
from portal.accounts.models import Party, PartyKind, Role, User
from portal.accounts.passwords import hash_password
from portal.accounts.two_factor import enrol_known_secret
from portal.actions.demo import seed_demo_actions
from portal.core import access as core_access
from portal.documents.demo import seed_demo_documents
from portal.meetings.demo import seed_demo_meetings
from portal.mous.models import (
    Area,
    LineOfCooperation,
    Membership,
    Mou,
    MouArea,
    MouStatus,
    Signatory,
    WorkingGroup,
)
from portal.notifications.demo import seed_demo_preferences
from portal.trainings.demo import seed_demo_trainings

PARTIES = [
    # code, kind, English name, Spanish name, zone, language
    ("CL", PartyKind.COUNTRY, "Chile", "Chile", "America/Santiago", "es"),
    ("GB", PartyKind.COUNTRY, "United Kingdom", "Reino Unido", "Europe/London", "en"),
    ("CO", PartyKind.COUNTRY, "Colombia", "Colombia", "America/Bogota", "es"),
    ("ES", PartyKind.COUNTRY, "Spain", "España", "Europe/Madrid", "es"),
    ("IL", PartyKind.COUNTRY, "Israel", "Israel", "Asia/Jerusalem", "en"),
    ("AR", PartyKind.COUNTRY, "Argentina", "Argentina", "America/Argentina/Buenos_Aires", "es"),
    ("EC", PartyKind.COUNTRY, "Ecuador", "Ecuador", "America/Guayaquil", "es"),
    (
        "OAS",
        PartyKind.ORGANISATION,
        "Organization of American States",
        "Organización de los Estados Americanos",
        "America/New_York",
        "es",
    ),
]

CHILE_UK = {
    "title_en": "Memorandum of Understanding on Cybersecurity between Chile and the United Kingdom",
    "title_es": "Memorándum de Entendimiento sobre Ciberseguridad entre Chile y el Reino Unido",
    "summary_en": "Cooperation on cybersecurity between the Republic of Chile and the United "
    "Kingdom of Great Britain and Northern Ireland.",
    "summary_es": "Cooperación en ciberseguridad entre la República de Chile y el Reino Unido "
    "de Gran Bretaña e Irlanda del Norte.",
    "parties": ["CL", "GB"],
    "signed_on": date(2019, 9, 11),
    "signing_place": "London",
    "areas": [Area.CYBERSECURITY],
    "signatories": [
        ("CL", "Felipe Larraín", "Minister of Finance", "Ministro de Hacienda"),
        (
            "GB",
            "Andrew Stephenson",
            "Minister for International Development",
            "Ministro de Desarrollo Internacional",
        ),
    ],
    "lines": [
        (
            "Exchange of information on cybersecurity",
            "Intercambio de información sobre ciberseguridad",
        ),
        ("Binational Working Group", "Grupo de Trabajo Binacional"),
        (
            "Collaboration between the Computer Security Incident Response Teams (CSIRT)",
            "Colaboración entre los Equipos de Respuesta ante Incidentes de Seguridad "
            "Informática (CSIRT)",
        ),
        (
            "Education and technical training for public and private actors",
            "Educación y capacitación técnica para actores públicos y privados",
        ),
    ],
    "groups": [
        (
            "Binational Working Group",
            "Grupo de Trabajo Binacional",
            "Follows the cooperation agreed in the MoU and plans its activities.",
            "Da seguimiento a la cooperación acordada en el Memorándum y planifica sus "
            "actividades.",
        )
    ],
}

CHILE_COLOMBIA = {
    "title_en": "Memorandum of Understanding on Cybersecurity, Cybercrime and Cyber Defence "
    "between Chile and Colombia",
    "title_es": "Memorándum de Entendimiento sobre Ciberseguridad, Cibercrimen y Ciberdefensa "
    "entre Chile y Colombia",
    "summary_en": "Signed during President Iván Duque's visit to Chile. Through binational working "
    "groups the two countries exchange best practices and cooperate on national strategies and "
    "legislation, protocols, human capital management, education and training.",
    "summary_es": "Firmado durante la visita del presidente Iván Duque a Chile. Mediante grupos de "
    "trabajo binacionales ambos países intercambian buenas prácticas y cooperan en estrategias "
    "nacionales y legislación, protocolos, gestión de capital humano, educación y capacitación.",
    "parties": ["CL", "CO"],
    "signed_on": None,
    "signing_place": "Santiago de Chile",
    "areas": [Area.CYBERSECURITY, Area.CYBERCRIME, Area.CYBER_DEFENCE],
    "signatories": [],
    "lines": [
        ("Exchange of best practices", "Intercambio de buenas prácticas"),
        ("National strategies and legislation", "Estrategias nacionales y legislación"),
        ("Protocols", "Protocolos"),
        ("Human capital management", "Gestión de capital humano"),
        ("Education and training", "Educación y capacitación"),
    ],
    "groups": [
        (
            "Best practices",
            "Buenas prácticas",
            "Exchange of best practices.",
            "Intercambio de buenas prácticas.",
        ),
        (
            "National strategies and legislation",
            "Estrategias nacionales y legislación",
            "Cooperation on national cybersecurity strategies and legislation.",
            "Cooperación en estrategias nacionales de ciberseguridad y legislación.",
        ),
        (
            "Protocols",
            "Protocolos",
            "Shared incident-handling protocols.",
            "Protocolos compartidos de gestión de incidentes.",
        ),
        (
            "Human capital management",
            "Gestión de capital humano",
            "Developing and keeping cybersecurity professionals.",
            "Formación y retención de profesionales de ciberseguridad.",
        ),
        (
            "Education and training",
            "Educación y capacitación",
            "Education and technical training programmes.",
            "Programas de educación y capacitación técnica.",
        ),
    ],
}

OTHER_AGREEMENTS = [
    ("ES", "Spain", "España"),
    ("IL", "Israel", "Israel"),
    ("AR", "Argentina", "Argentina"),
    ("EC", "Ecuador", "Ecuador"),
    ("OAS", "the Organization of American States", "la Organización de los Estados Americanos"),
]

ACCOUNTS = [
    # email, name, role, party
    ("admin@demo.portal", "Portal Administrator", Role.ADMINISTRATOR, "CL"),
    ("coordinator.cl@demo.portal", "Carolina Muñoz", Role.COORDINATOR, "CL"),
    ("coordinator.gb@demo.portal", "James Whitfield", Role.COORDINATOR, "GB"),
    ("coordinator.co@demo.portal", "Andrés Restrepo", Role.COORDINATOR, "CO"),
    ("member.cl@demo.portal", "Javiera Soto", Role.MEMBER, "CL"),
    ("member.gb@demo.portal", "Emily Clarke", Role.MEMBER, "GB"),
    ("member.co@demo.portal", "Laura Gómez", Role.MEMBER, "CO"),
    ("observer.gb@demo.portal", "Oliver Bennett", Role.OBSERVER, "GB"),
]

MEMBERSHIPS = {
    # group (English name): [(email, co-chair)]
    "Binational Working Group": [
        ("coordinator.cl@demo.portal", True),
        ("coordinator.gb@demo.portal", True),
        ("member.cl@demo.portal", False),
        ("member.gb@demo.portal", False),
    ],
    "Best practices": [
        ("coordinator.cl@demo.portal", True),
        ("coordinator.co@demo.portal", True),
        ("member.cl@demo.portal", False),
        ("member.co@demo.portal", False),
    ],
    "Education and training": [
        ("coordinator.co@demo.portal", True),
        ("member.co@demo.portal", False),
    ],
}


def seed_demo(
    session: Session, password: str, totp_secret: str | None = None
) -> list[tuple[str, str, str]]:
    """Create what is missing of the demo data; return the demo accounts as (email, role, party).

    Administrators and coordinators without a second factor get `totp_secret` (a new random
    one when not given) as their authenticator key, so the demo logs in without a phone.
    """
    parties = {code: _party(session, code, *rest) for code, *rest in PARTIES}
    _mou(session, parties, CHILE_UK)
    _mou(session, parties, CHILE_COLOMBIA)
    for code, name_en, name_es in OTHER_AGREEMENTS:
        _mou(session, parties, _other_agreement(code, name_en, name_es))
    password_hash = None
    users = {}
    for email, name, role, code in ACCOUNTS:
        user = session.scalar(select(User).where(User.email == email))
        if user is None:
            password_hash = password_hash or hash_password(password)
            party = parties[code]
            user = User(
                email=email,
                name=name,
                password_hash=password_hash,
                role=role,
                party=party,
                language=party.language,
                timezone=party.timezone,
            )
            session.add(user)
        users[email] = user
    session.flush()
    _enrol_second_factor(users.values(), totp_secret or totp.new_secret())
    _memberships(session, users)
    session.flush()
    seed_demo_meetings(session, users)
    session.flush()
    seed_demo_actions(session, users)
    seed_demo_preferences(session, users)
    seed_demo_documents(session, users)
    seed_demo_trainings(session, users)
    return [(email, role.value, code) for email, _, role, code in ACCOUNTS]


def _enrol_second_factor(users, secret: str) -> None:
    for user in users:
        if core_access.must_use_second_factor(user) and not user.has_second_factor:
            enrol_known_secret(user, secret)


def _party(session: Session, code, kind, name_en, name_es, timezone, language) -> Party:
    party = session.scalar(select(Party).where(Party.code == code))
    if party is None:
        party = Party(
            code=code,
            kind=kind,
            name_en=name_en,
            name_es=name_es,
            timezone=timezone,
            language=language,
        )
        session.add(party)
    return party


def _other_agreement(code: str, name_en: str, name_es: str) -> dict:
    return {
        "title_en": f"Memorandum of Understanding on Cybersecurity between Chile and {name_en}",
        "title_es": f"Memorándum de Entendimiento sobre Ciberseguridad entre Chile y {name_es}",
        "summary_en": "",
        "summary_es": "",
        "parties": ["CL", code],
        "signed_on": None,
        "signing_place": "",
        "areas": [Area.CYBERSECURITY],
        "signatories": [],
        "lines": [],
        "groups": [],
    }


def _mou(session: Session, parties: dict[str, Party], spec: dict) -> Mou:
    mou = session.scalar(select(Mou).where(Mou.title_en == spec["title_en"]))
    if mou is not None:
        return mou
    mou = Mou(
        title_en=spec["title_en"],
        title_es=spec["title_es"],
        summary_en=spec["summary_en"],
        summary_es=spec["summary_es"],
        signed_on=spec["signed_on"],
        signing_place=spec["signing_place"],
        status=MouStatus.IN_FORCE,
        term_starts_on=spec["signed_on"],
        parties=[parties[code] for code in spec["parties"]],
        areas=[MouArea(area=area) for area in spec["areas"]],
        signatories=[
            Signatory(party=parties[code], name=name, office_en=office_en, office_es=office_es)
            for code, name, office_en, office_es in spec["signatories"]
        ],
        lines=[
            LineOfCooperation(position=n, title_en=en, title_es=es)
            for n, (en, es) in enumerate(spec["lines"], start=1)
        ],
    )
    for name_en, name_es, mandate_en, mandate_es in spec["groups"]:
        mou.working_groups.append(
            WorkingGroup(
                name_en=name_en, name_es=name_es, mandate_en=mandate_en, mandate_es=mandate_es
            )
        )
    session.add(mou)
    return mou


def _memberships(session: Session, users: dict[str, User]) -> None:
    for group_name, people in MEMBERSHIPS.items():
        group = session.scalar(select(WorkingGroup).where(WorkingGroup.name_en == group_name))
        if group is None:
            continue
        present = {m.user_id for m in group.memberships}
        for email, co_chair in people:
            user = users[email]
            if user.id not in present:
                group.memberships.append(Membership(user=user, is_co_chair=co_chair))
