"""Factories for test data; every test builds what it needs."""

from datetime import UTC, date, datetime, timedelta
from functools import cache
from types import SimpleNamespace

from argon2 import PasswordHasher
from sqlalchemy import select

from config import TestConfig
from portal.accounts.models import Party, PartyKind, Role, User
from portal.mous.models import (
    Area,
    LineOfCooperation,
    Membership,
    Mou,
    MouArea,
    MouStatus,
    WorkingGroup,
)

PASSWORD = "correct horse battery staple"
# The authenticator key of every administrator and coordinator the factories make: the
# login helper (tests/conftest.py) computes their codes from it.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
SECOND_FACTOR_ROLES = (Role.ADMINISTRATOR, Role.COORDINATOR)

ZONES = {"CL": "America/Santiago", "GB": "Europe/London", "CO": "America/Bogota"}


@cache
def _password_hash() -> str:
    """Hashed with the test configuration's argon2 parameters, as the app would."""
    return PasswordHasher(**TestConfig.ARGON2_PARAMETERS).hash(PASSWORD)


def make_party(session, code: str, **fields) -> Party:
    party = Party(
        code=code,
        kind=fields.pop("kind", PartyKind.COUNTRY),
        name_en=fields.pop("name_en", f"Country {code}"),
        name_es=fields.pop("name_es", f"País {code}"),
        timezone=fields.pop("timezone", ZONES.get(code, "UTC")),
        language=fields.pop("language", "en" if code == "GB" else "es"),
        **fields,
    )
    session.add(party)
    session.flush()
    return party


def make_user(
    session,
    party: Party,
    role: Role = Role.MEMBER,
    email: str | None = None,
    second_factor: bool | None = None,
    **fields,
) -> User:
    """A user; administrators and coordinators enrolled with TOTP_SECRET unless
    `second_factor=False` (then they are led to enrol at login). An external participant
    belongs to no party: `party` then only gives their language, zone and default name."""
    if second_factor if second_factor is not None else role in SECOND_FACTOR_ROLES:
        fields.setdefault("totp_secret", TOTP_SECRET)
        fields.setdefault("totp_enabled_at", datetime(2026, 1, 1, tzinfo=UTC))
    user = User(
        email=email or f"{role.value}.{party.code.lower()}.{_next()}@example.org",
        name=fields.pop("name", f"{role.value.title()} {party.code}"),
        password_hash=_password_hash(),
        role=role,
        party=None if role == Role.EXTERNAL else party,
        language=fields.pop("language", party.language),
        timezone=fields.pop("timezone", party.timezone),
        **fields,
    )
    session.add(user)
    session.flush()
    return user


def make_mou(session, parties: list[Party], **fields) -> Mou:
    mou = Mou(
        title_en=fields.pop("title_en", "MoU " + "–".join(p.code for p in parties)),
        title_es=fields.pop("title_es", "MdE " + "–".join(p.code for p in parties)),
        status=fields.pop("status", MouStatus.IN_FORCE),
        signed_on=fields.pop("signed_on", date(2019, 9, 11)),
        signing_place=fields.pop("signing_place", "London"),
        parties=parties,
        areas=[MouArea(area=Area.CYBERSECURITY)],
        lines=[
            LineOfCooperation(
                position=1, title_en="CSIRT collaboration", title_es="Colaboración CSIRT"
            )
        ],
        **fields,
    )
    session.add(mou)
    session.flush()
    return mou


def make_group(session, mou: Mou, members: list[tuple[User, bool]] = (), **fields) -> WorkingGroup:
    group = WorkingGroup(
        mou=mou,
        name_en=fields.pop("name_en", "Binational Working Group"),
        name_es=fields.pop("name_es", "Grupo de Trabajo Binacional"),
        mandate_en=fields.pop("mandate_en", "Follow the cooperation."),
        mandate_es=fields.pop("mandate_es", "Seguir la cooperación."),
    )
    for user, co_chair in members:
        group.memberships.append(Membership(user=user, is_co_chair=co_chair))
    session.add(group)
    session.flush()
    return group


def leave_group(session, group: WorkingGroup, user: User) -> None:
    """Take `user` out of the group, as a coordinator does (committed by the caller)."""
    membership = session.scalar(
        select(Membership).where(
            Membership.working_group_id == group.id, Membership.user_id == user.id
        )
    )
    session.delete(membership)


_counter = iter(range(1, 10**9))


def _next() -> int:
    return next(_counter)


def make_world(session) -> SimpleNamespace:
    """Chile and the UK share an MoU with one working group; Colombia is outside it."""
    cl, gb, co = (make_party(session, code) for code in ("CL", "GB", "CO"))
    w = SimpleNamespace(cl=cl, gb=gb, co=co)
    w.admin = make_user(session, cl, Role.ADMINISTRATOR, email="admin@example.org")
    w.coordinator_cl = make_user(session, cl, Role.COORDINATOR, email="coord.cl@example.org")
    w.coordinator_gb = make_user(session, gb, Role.COORDINATOR, email="coord.gb@example.org")
    w.member_cl = make_user(
        session, cl, Role.MEMBER, email="member.cl@example.org", name="Javiera Soto"
    )
    w.member_gb = make_user(
        session, gb, Role.MEMBER, email="member.gb@example.org", name="Emily Clarke"
    )
    w.member_cl_outside_group = make_user(session, cl, Role.MEMBER, email="other.cl@example.org")
    w.observer_gb = make_user(session, gb, Role.OBSERVER, email="observer.gb@example.org")
    w.external_cl = make_user(session, cl, Role.EXTERNAL, email="external.cl@example.org")
    w.member_co = make_user(session, co, Role.MEMBER, email="member.co@example.org")
    w.coordinator_co = make_user(session, co, Role.COORDINATOR, email="coord.co@example.org")
    w.mou = make_mou(session, [cl, gb])
    w.group = make_group(
        session,
        w.mou,
        members=[
            (w.coordinator_cl, True),
            (w.coordinator_gb, True),
            (w.member_cl, False),
            (w.member_gb, False),
        ],
    )
    w.mou_cl_co = make_mou(
        session, [cl, co], title_en="MoU Chile–Colombia", title_es="MdE Chile–Colombia"
    )
    w.group_cl_co = make_group(
        session,
        w.mou_cl_co,
        members=[(w.member_co, False)],
        name_en="Best practices",
        name_es="Buenas prácticas",
    )
    return w


def make_meeting(session, group, starts_at, *, hours: float = 1, invitees=(), **fields):
    """A one-off meeting at an aware `starts_at`, in the organiser's zone (Santiago by default)."""

    from portal.core.tlp import TLP
    from portal.meetings.models import Invitee, Meeting

    meeting = Meeting(
        working_group=group,
        uid=fields.pop("uid", f"meeting-{_next()}@portal.test"),
        title_en=fields.pop("title_en", "Working group meeting"),
        title_es=fields.pop("title_es", "Reunión del grupo de trabajo"),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        timezone=fields.pop("timezone", "America/Santiago"),
        tlp=fields.pop("tlp", TLP.AMBER),
        invitees=[Invitee(user=user) for user in invitees],
        **fields,
    )
    session.add(meeting)
    session.flush()
    return meeting


def make_action(session, group, owners, due_on, **fields):
    """An action item of `group`, responsible party the first owner's, created by nobody."""
    from portal.actions.models import PRIORITY_RANK, ActionItem, Priority

    priority = fields.pop("priority", Priority.NORMAL)
    item = ActionItem(
        working_group=group,
        title=fields.pop("title", f"Action {_next()}"),
        owners=list(owners),
        responsible_party=fields.pop("responsible_party", owners[0].party),
        due_on=due_on,
        priority=priority,
        priority_rank=PRIORITY_RANK[priority],
        **fields,
    )
    session.add(item)
    session.flush()
    return item


def make_training(session, mou, starts_at, *, hours: float = 3, capacity: int = 10, **fields):
    """A training at an aware `starts_at`, registration open until a day before."""
    from portal.trainings.models import Audience, Training, TrainingFormat, TrainingLanguage

    training = Training(
        mou=mou,
        uid=fields.pop("uid", f"training-{_next()}@portal.test"),
        title_en=fields.pop("title_en", "Incident response workshop"),
        title_es=fields.pop("title_es", "Taller de respuesta a incidentes"),
        audience=fields.pop("audience", Audience.BOTH),
        format=fields.pop("format", TrainingFormat.ONLINE),
        link=fields.pop("link", "https://video.example.org/training"),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        registration_closes_at=fields.pop("registration_closes_at", starts_at - timedelta(days=1)),
        timezone=fields.pop("timezone", "America/Santiago"),
        language=fields.pop("language", TrainingLanguage.BOTH),
        capacity=capacity,
        **fields,
    )
    session.add(training)
    session.flush()
    return training


def make_registration(session, training, user, status=None, **fields):
    """A registration taking the next queue number (a seat unless `status` says otherwise)."""
    from portal.trainings.models import Registration, RegistrationStatus, Sector

    training.registrations_taken += 1
    registration = Registration(
        training=training,
        user=user,
        organisation=fields.pop("organisation", "CSIRT"),
        sector=fields.pop("sector", Sector.PUBLIC),
        status=status or RegistrationStatus.CONFIRMED,
        queue_number=training.registrations_taken,
        **fields,
    )
    session.add(registration)
    session.flush()
    return registration


def make_document(app, author, mou, group=None, **fields) -> int:
    """A document uploaded through the service, as its author would (a text file), committed;
    returns its id. `fields` override the DocumentData defaults (title, tlp, reader_ids, ...)."""
    import io

    from portal.core.extensions import db
    from portal.core.tlp import TLP
    from portal.documents import services as documents
    from portal.documents.models import DocumentCategory, DocumentLanguage
    from portal.mous.models import Mou, WorkingGroup

    text = fields.pop("text", b"Document text.")
    data = {
        "title": "Joint incident playbook",
        "description_md": "",
        "language": DocumentLanguage.ENGLISH,
        "category": DocumentCategory.PROTOCOL,
        "tags": [],
        "tlp": TLP.AMBER,
        **fields,
    }
    with app.test_request_context():
        document = documents.create_document(
            db.session,
            db.session.get(User, author.id),
            db.session.get(Mou, mou.id),
            db.session.get(WorkingGroup, group.id) if group is not None else None,
            documents.DocumentData(**data),
            documents.Upload(io.BytesIO(text), "document.txt", "First version"),
        )
        db.session.commit()
        return document.id
