"""CSIRT mails through the outbox, each to a person who may open the bulletin.

The subject carries the TLP label (SECURITY 18); a TLP:RED bulletin is never put in a mail,
only a link. An alert of high or critical severity at TLP:AMBER or above reaches the other
party's CSIRT members whatever their preferences (a mandatory kind); other bulletins follow
the preferences of the category "csirt".
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.core.tlp import TLP
from portal.csirt import access
from portal.csirt.models import Bulletin, BulletinKind, CsirtMember, CsirtTeam, Severity
from portal.notifications.readable import about
from portal.notifications.services import queue_email
from portal.web.urls import external_url

URGENT_KINDS = frozenset({"csirt_urgent_alert", "csirt_urgent_reminder"})
MAIL_KINDS = {
    "csirt_bulletin": _l("CSIRT bulletin"),
    "csirt_urgent_alert": _l("Urgent CSIRT alert"),
    "csirt_reminder": _l("CSIRT bulletin awaiting an answer"),
    "csirt_urgent_reminder": _l("Urgent CSIRT alert awaiting an answer"),
}
SUBJECTS = {
    "published": _l("[%(tlp)s] CSIRT bulletin: %(title)s"),
    "reminder": _l("[%(tlp)s] Awaiting your CSIRT's answer: %(title)s"),
}
RED_SUBJECTS = {
    "published": _l("[%(tlp)s] A CSIRT bulletin has been shared with you"),
    "reminder": _l("[%(tlp)s] A CSIRT bulletin awaits your CSIRT's answer"),
}


def is_urgent(bulletin: Bulletin) -> bool:
    """An alert of high or critical severity at TLP:AMBER or above."""
    return (
        bulletin.kind == BulletinKind.ALERT
        and bulletin.severity in (Severity.HIGH, Severity.CRITICAL)
        and bulletin.tlp.rank >= TLP.AMBER.rank
    )


def receivers(session: Session, bulletin: Bulletin) -> list[User]:
    """The other parties' active CSIRT members who may open the bulletin."""
    other_parties = [p.id for p in bulletin.mou.parties if p.id != bulletin.owning_party_id]
    people = session.scalars(
        select(User)
        .join(CsirtMember, CsirtMember.user_id == User.id)
        .where(User.party_id.in_(other_parties), User.is_active, User.role.in_(access.CSIRT_ROLES))
        .order_by(User.id)
    )
    return [person for person in people if access.can_view_bulletin(person, bulletin)]


def _team_name(session: Session, bulletin: Bulletin) -> str:
    name = session.scalar(
        select(CsirtTeam.name).where(CsirtTeam.party_id == bulletin.owning_party_id)
    )
    return name or f"CSIRT {bulletin.owning_party.code}"


def _send(session: Session, what: str, bulletin: Bulletin, person: User) -> None:
    red = bulletin.tlp == TLP.RED
    urgent = is_urgent(bulletin)
    kind = {
        ("published", False): "csirt_bulletin",
        ("published", True): "csirt_urgent_alert",
        ("reminder", False): "csirt_reminder",
        ("reminder", True): "csirt_urgent_reminder",
    }[(what, urgent)]
    subject = (
        _l(RED_SUBJECTS[what], tlp=bulletin.tlp.label)
        if red
        else _l(SUBJECTS[what], tlp=bulletin.tlp.label, title=bulletin.title)
    )
    queue_email(
        session,
        kind=kind,
        template=f"csirt/{what}",
        subject=subject,
        recipient=person.email,
        recipient_user=person,
        language=person.language,
        bulletin=None if red else bulletin,
        team=_team_name(session, bulletin),
        tlp_label=bulletin.tlp.label,
        urgent=urgent,
        about=about("csirt_bulletin_red" if red else "csirt_bulletin", bulletin.id),
        link=external_url("csirt.bulletin", bulletin_id=bulletin.id),
    )


def bulletin_published(session: Session, bulletin: Bulletin) -> None:
    for person in receivers(session, bulletin):
        _send(session, "published", bulletin, person)


def reminder(session: Session, bulletin: Bulletin, person: User) -> None:
    _send(session, "reminder", bulletin, person)
