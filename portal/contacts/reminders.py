"""The yearly reminder to verify points of contact, run by `flask reminders run`.

A contact not verified for a year is due; each coordinator of its party hears of it once per
year of lapse (the period names the verification date and the years since), in one mail per
MoU and party listing every contact due, and again only a year later or after someone
verifies it and another year passes.
"""

from collections import defaultdict
from datetime import date

from dateutil.relativedelta import relativedelta
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from portal.accounts.models import Role, User
from portal.contacts import access
from portal.contacts import notifications as notify
from portal.contacts.models import PointOfContact
from portal.contacts.queries import VERIFY_EVERY
from portal.core.reminder_log import record_reminder, sent_keys
from portal.mous.models import Mou

JOB = "contact_verification_due"


def _period(contact: PointOfContact, today: date) -> str:
    """ "2025-03-01+1y": the verification date and the whole years since (at least one)."""
    years = relativedelta(today, contact.last_verified_on).years
    return f"{contact.last_verified_on.isoformat()}+{max(years, 1)}y"


def verification_due(session: Session, today: date) -> int:
    """Queue the reminders due `today`; return how many mails were queued."""
    due = list(
        session.scalars(
            select(PointOfContact)
            .where(
                PointOfContact.removed_at.is_(None),
                PointOfContact.last_verified_on < today - VERIFY_EVERY,
            )
            .options(
                joinedload(PointOfContact.mou).selectinload(Mou.parties),
                joinedload(PointOfContact.party),
            )
            .order_by(PointOfContact.mou_id, PointOfContact.party_id, PointOfContact.id)
        )
    )
    if not due:
        return 0
    sent = sent_keys(session, JOB, [contact.id for contact in due])
    coordinators = _coordinators(session, {contact.party_id for contact in due})
    batches: dict[tuple[int, int, int], list[PointOfContact]] = defaultdict(list)
    for contact in due:
        period = _period(contact, today)
        for person in coordinators.get(contact.party_id, []):
            if (contact.id, person.id, period) in sent:
                continue
            if not access.receives_verification_reminders(person, contact.mou, contact.party):
                continue
            record_reminder(session, JOB, contact.id, person.id, period)
            batches[(person.id, contact.mou_id, contact.party_id)].append(contact)
    people = {person.id: person for group in coordinators.values() for person in group}
    for (person_id, _, _), contacts in batches.items():
        first = contacts[0]
        notify.verification_due(session, people[person_id], first.mou, first.party, contacts)
    return len(batches)


def _coordinators(session: Session, party_ids: set[int]) -> dict[int, list[User]]:
    found: dict[int, list[User]] = defaultdict(list)
    for person in session.scalars(
        select(User)
        .where(
            User.party_id.in_(party_ids), User.role == Role.COORDINATOR, User.is_active.is_(True)
        )
        .options(selectinload(User.party))
        .order_by(User.id)
    ):
        found[person.party_id].append(person)
    return found
