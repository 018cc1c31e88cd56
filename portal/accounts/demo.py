"""Demo parties and accounts: the delegations of the two model agreements and one person of
each role; loading them twice changes nothing."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts import totp
from portal.accounts.models import Party, PartyKind, Role, User
from portal.accounts.passwords import hash_password
from portal.accounts.two_factor import enrol_known_secret
from portal.core import access
from portal.web.features import DemoData

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

# Working time of each demo party on its own clock: ISO weekdays, start and end (minutes from
# midnight), and whose public holidays it keeps (country, region). OAS keeps none of its own:
# it follows the host of each meeting (the organising coordinator's party).
WORKING_TIME = {
    "CL": ("12345", 9 * 60, 18 * 60, "CL", None),
    "GB": ("12345", 9 * 60, 17 * 60 + 30, "GB", "ENG"),
    "CO": ("12345", 8 * 60, 17 * 60, "CO", None),
    "ES": ("12345", 9 * 60, 18 * 60, "ES", None),
    "IL": ("71234", 9 * 60, 18 * 60, "IL", None),  # Sunday to Thursday
    "AR": ("12345", 9 * 60, 18 * 60, "AR", None),
    "EC": ("12345", 8 * 60 + 30, 17 * 60 + 30, "EC", None),
    "OAS": ("12345", 9 * 60, 17 * 60 + 30, None, None),
}

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


def seed_demo_accounts(session: Session, demo: DemoData) -> None:
    """Create the missing parties and accounts; leave them in `demo` for the other seeders.

    Administrators and coordinators without a second factor get `demo.totp_secret` (a new
    random one when not given) as their authenticator key, so the demo logs in without a phone.
    """
    demo.parties.update({code: _party(session, code, *rest) for code, *rest in PARTIES})
    password_hash = None
    for email, name, role, code in ACCOUNTS:
        user = session.scalar(select(User).where(User.email == email))
        if user is None:
            password_hash = password_hash or hash_password(demo.password)
            party = demo.parties[code]
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
        demo.users[email] = user
    session.flush()
    _enrol_second_factor(demo.users.values(), demo.totp_secret or totp.new_secret())
    demo.report.extend(_how_to_log_in(demo.users))


def _how_to_log_in(users: dict[str, User]) -> list[str]:
    """The demo accounts (email, role, party) and how the key holders give their code."""
    admin = ACCOUNTS[0][0]
    return [
        "Demo accounts (password as given):",
        *(f"  {email:32} {role.value:12} {code}" for email, _, role, code in ACCOUNTS),
        "Administrators and coordinators also give a code from an authenticator app.\n"
        f"  Their key: {users[admin].totp_secret}  (add it to an app such as FreeOTP or Aegis), "
        "or print\n"
        f"  the code of the moment with: flask demo-code {admin}",
    ]


def _enrol_second_factor(users, secret: str) -> None:
    for user in users:
        if access.must_use_second_factor(user) and not user.has_second_factor:
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
    if party.work_days is None and code in WORKING_TIME:
        days, start, end, country, region = WORKING_TIME[code]
        party.work_days, party.work_start_minute, party.work_end_minute = days, start, end
        party.holiday_country, party.holiday_subdivision = country, region
    return party
