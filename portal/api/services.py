"""Personal access tokens: create, revoke, and find the person a request's token stands for."""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session, joinedload

from portal.accounts.models import User
from portal.actions.models import Priority
from portal.actions.services import ActionDetails
from portal.api import access
from portal.api.models import ApiToken, TokenScope
from portal.audit.services import record
from portal.core.db import utcnow
from portal.core.errors import Conflict, Forbidden, NotFound, ValidationError
from portal.core.tokens import hash_token
from portal.mous.models import WorkingGroup

# What a token looks like: a recognisable prefix (secret scanners match on it) and 43
# URL-safe characters of randomness.
TOKEN_PREFIX = "ptk_"  # noqa: S105  (a public marker, not a secret)
# How long a token may live: an expiry is required, and at most a year away.
EXPIRY_DAYS = (7, 30, 90, 180, 365)
# Last use is written at most this often, so a busy script does not write on every request.
LAST_USE_PRECISION = timedelta(minutes=1)


@dataclass(frozen=True)
class TokenRequest:
    name: str
    scope: TokenScope
    days: int


def create_token(session: Session, actor: User, request: TokenRequest) -> tuple[ApiToken, str]:
    """The new token's row and its secret, which is shown once and never stored."""
    if not access.can_hold_tokens(actor):
        raise Forbidden(str(_l("Your account cannot hold API tokens.")))
    name = request.name.strip()
    if not name or len(name) > 100:
        raise ValidationError(str(_l("Give the token a name of 1 to 100 characters.")), "name")
    if request.days not in EXPIRY_DAYS:
        raise ValidationError(str(_l("Choose one of the expiry periods offered.")), "days")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    token = ApiToken(
        user_id=actor.id,
        name=name,
        token_hash=hash_token(secret),
        prefix=secret[:10],
        scope=request.scope,
        created_at=now,
        expires_at=now + timedelta(days=request.days),
    )
    session.add(token)
    session.flush()
    record(
        session,
        "api_token.created",
        actor=actor,
        object_type="api_token",
        object_id=token.id,
        scope=token.scope.value,
        expires_at=token.expires_at.isoformat(),
    )
    return token, secret


def own_token(session: Session, actor: User, token_id: int) -> ApiToken:
    """One of the actor's tokens; anyone else's answers as missing."""
    token = session.get(ApiToken, token_id)
    if token is None or not access.owns_token(actor, token):
        raise NotFound()
    return token


def revoke_token(session: Session, actor: User, token: ApiToken) -> None:
    if not access.owns_token(actor, token):
        raise NotFound()
    if token.revoked_at is not None:
        raise Conflict(str(_l("This token has already been revoked.")))
    token.revoked_at = utcnow()
    record(session, "api_token.revoked", actor=actor, object_type="api_token", object_id=token.id)


@cache
def _token_statement() -> Select:
    """Built once; every request reads the token's person with it: one statement."""
    return (
        select(ApiToken)
        .where(ApiToken.token_hash == bindparam("token_hash"))
        .options(joinedload(ApiToken.user))
    )


def token_for(session: Session, secret: str, now: datetime | None = None) -> ApiToken | None:
    """The usable token this secret is, with its person, or None (unknown, revoked, expired,
    or its person may no longer hold one). Its use is noted: last use at most once a minute,
    and an audit event on the first use of each day (UTC), so that the audit log shows which
    tokens are in use without one event per request."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    now = now or utcnow()
    token = session.scalar(_token_statement(), {"token_hash": hash_token(secret)})
    if token is None or not token.is_usable(now) or not access.can_hold_tokens(token.user):
        return None
    last = token.last_used_at
    if last is None or last.date() != now.date():
        record(
            session, "api_token.used", actor=token.user, object_type="api_token", object_id=token.id
        )
    if last is None or now - last >= LAST_USE_PRECISION:
        token.last_used_at = now
    return token


def action_details(session: Session, group: WorkingGroup, data: dict) -> ActionDetails:
    """The action items service's details from an API request's validated body: owners and the
    party are looked up here and checked by the service (an unknown id is refused in the same
    words as someone outside the MoU, so ids do not tell who exists)."""
    owner_ids = set(data["owner_ids"])
    owners = list(session.scalars(select(User).where(User.id.in_(owner_ids)).order_by(User.id)))
    if len(owners) != len(owner_ids):
        raise ValidationError(
            str(_l("Owners must be members or coordinators of the MoU's parties.")), "owner_ids"
        )
    party = next((p for p in group.mou.parties if p.code == data["responsible_party"]), None)
    if party is None:
        raise ValidationError(
            str(_l("The responsible party must be a party of the MoU.")), "responsible_party"
        )
    title_en, title_es = data["title_en"].strip(), data["title_es"].strip()
    if not (title_en or title_es):
        raise ValidationError(
            str(_l("Write the title in English, in Spanish or in both.")), "title_en"
        )
    return ActionDetails(
        title_en=title_en,
        title_es=title_es,
        description_md_en=data["description_md_en"],
        description_md_es=data["description_md_es"],
        owners=owners,
        responsible_party=party,
        due_on=data["due_on"],
        priority=Priority(data["priority"]),
        meeting_id=data.get("meeting_id"),
    )
