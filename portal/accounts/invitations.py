"""Invitations: the only way in. Single-use links, bound to the invited address, 7 days."""

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, false, or_, select
from sqlalchemy.orm import Session

from portal.accounts import access
from portal.accounts.models import Invitation, Party, Role, User
from portal.accounts.passwords import hash_password
from portal.accounts.services import (
    check_language_and_zone,
    check_new_password,
    find_user_by_email,
    normalize_email,
)
from portal.core import access as core_access
from portal.core.db import utcnow
from portal.core.errors import Conflict, Forbidden, NotFound, ValidationError
from portal.core.ports import queue_email, record
from portal.core.tokens import hash_token, new_token
from portal.web.pagination import paginate
from portal.web.urls import external_url


@dataclass(frozen=True)
class InvitationRequest:
    email: str
    party_id: int | None  # ignored for an external participant, who joins no delegation
    role: Role
    language: str


def invite(session: Session, actor: User, request: InvitationRequest) -> Invitation:
    """Invite an address to join a party with a role; earlier open invitations to it lapse."""
    invitation, token = create_invitation(session, actor, request)
    queue_email(
        session,
        kind="invitation",
        template="accounts/invitation",
        subject=_l("You are invited to the cooperation portal"),
        recipient=invitation.email,
        language=request.language,
        inviter=actor,
        party=invitation.party,
        role=request.role,
        link=invitation_link(token),
        expires_at=invitation.expires_at,
    )
    return invitation


def invitation_link(token: str) -> str:
    return external_url("accounts.accept_invitation", token=token)


def create_invitation(
    session: Session, actor: User, request: InvitationRequest
) -> tuple[Invitation, str]:
    """The invitation and its link's token, for the caller to mail (its own words may differ:
    a training's invitation names the training)."""
    party = _party_to_join(session, request)
    if not access.can_invite(actor, party, request.role):
        raise Forbidden(str(_l("You may not invite people with this role or delegation.")))
    email = normalize_email(request.email)
    if find_user_by_email(session, email) is not None:
        raise ValidationError(str(_l("An account with this email already exists.")), field="email")
    now = utcnow()
    for earlier in _open_invitations(session, email, now):
        earlier.revoked_at = now
    token, token_hash = new_token()
    invitation = Invitation(
        email=email,
        party_id=party.id if party else None,
        role=request.role,
        language=request.language,
        token_hash=token_hash,
        invited_by_id=actor.id,
        expires_at=now + current_app.config["INVITATION_LIFETIME"],
    )
    session.add(invitation)
    session.flush()
    record(
        session,
        "invitation.sent",
        actor=actor,
        object_type="invitation",
        object_id=invitation.id,
        email=email,
        role=request.role.value,
        party=party.code if party else None,
    )
    return invitation, token


def _party_to_join(session: Session, request: InvitationRequest) -> Party | None:
    if request.role == Role.EXTERNAL:
        return None
    party = session.get(Party, request.party_id) if request.party_id else None
    if party is None:
        raise ValidationError(str(_l("Choose a delegation from the list.")), field="party_id")
    return party


def invitation_timezone(invitation: Invitation) -> str:
    """The zone proposed to the invited person: their delegation's, else their inviter's."""
    if invitation.party is not None:
        return invitation.party.timezone
    if invitation.invited_by is not None:
        return invitation.invited_by.timezone
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def _open_invitations(session: Session, email: str, now: datetime) -> list[Invitation]:
    return list(
        session.scalars(
            select(Invitation).where(
                Invitation.email == email,
                Invitation.accepted_at.is_(None),
                Invitation.revoked_at.is_(None),
                Invitation.expires_at > now,
            )
        )
    )


def find_open_invitation(session: Session, token: str) -> Invitation:
    """The invitation behind a link, if it can still be accepted; NotFound otherwise."""
    invitation = session.scalar(
        select(Invitation).where(Invitation.token_hash == hash_token(token))
    )
    if (
        invitation is None
        or invitation.accepted_at is not None
        or invitation.revoked_at is not None
        or invitation.expires_at <= utcnow()
    ):
        raise NotFound(
            str(_l("This invitation link has already been used, has expired or is not valid."))
        )
    return invitation


@dataclass(frozen=True)
class NewAccount:
    name: str
    password: str
    language: str
    timezone: str


def accept_invitation(session: Session, token: str, details: NewAccount) -> User:
    invitation = find_open_invitation(session, token)
    check_new_password(details.password, invitation.email)
    check_language_and_zone(details.language, details.timezone)
    if find_user_by_email(session, invitation.email) is not None:
        raise Conflict(str(_l("An account with this email already exists.")))
    user = User(
        email=invitation.email,
        name=details.name.strip(),
        password_hash=hash_password(details.password),
        role=invitation.role,
        party_id=invitation.party_id,
        language=details.language,
        timezone=details.timezone,
    )
    session.add(user)
    invitation.accepted_at = utcnow()
    session.flush()
    record(
        session,
        "invitation.accepted",
        actor=user,
        object_type="invitation",
        object_id=invitation.id,
    )
    return user


def list_invitations(session: Session, actor: User, *, page: int):
    if not access.can_list_invitations(actor):
        raise Forbidden()
    query = select(Invitation).order_by(Invitation.created_at.desc(), Invitation.id.desc())
    if not core_access.can_administer(actor):
        query = query.where(_invited_into_or_by_party(actor.party_id))
    return paginate(session, query, page=page)


def _invited_into_or_by_party(party_id: int | None) -> ColumnElement[bool]:
    """Invitations into the party, and those of external participants (who join no party)
    sent by its people."""
    if party_id is None:
        return false()
    inviters = select(User.id).where(User.party_id == party_id)
    return or_(
        Invitation.party_id == party_id,
        and_(Invitation.party_id.is_(None), Invitation.invited_by_id.in_(inviters)),
    )


def invitation_parties(session: Session, actor: User) -> list[Party]:
    """The delegations the actor may invite people into."""
    if core_access.can_administer(actor):
        return list(session.scalars(select(Party).order_by(Party.code)))
    return [actor.party] if access.invitable_roles(actor) else []
