"""Demo MoUs, working groups and memberships from the two model agreements; loading them
twice changes nothing."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import Party, User
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
from portal.web.features import DemoData

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


def seed_demo_mous(session: Session, demo: DemoData) -> None:
    """Create the missing MoUs with their groups, between the parties the accounts seeder left
    in `demo`, and make its people members."""
    _mou(session, demo.parties, CHILE_UK)
    _mou(session, demo.parties, CHILE_COLOMBIA)
    for code, name_en, name_es in OTHER_AGREEMENTS:
        _mou(session, demo.parties, _other_agreement(code, name_en, name_es))
    _memberships(session, demo.users)


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
