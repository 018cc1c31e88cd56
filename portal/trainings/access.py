"""Who may see, manage and register for training sessions, and where externals may go.

Delegation people of the MoU's parties see its trainings; an external participant sees
only the trainings they were invited to or registered for, and of their materials only
TLP:CLEAR and TLP:GREEN. The coordinators of the MoU's parties (and administrators) manage
trainings; members and coordinators register themselves, observers change nothing.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, exists, false, select, true
from sqlalchemy.orm import joinedload, selectinload

from portal.accounts.models import Role, User
from portal.core.access import can_administer, is_delegation_user, same_party
from portal.core.readership import ObjectPage, Readers, Readership
from portal.core.tlp import TLP
from portal.documents.access import can_view_document
from portal.documents.models import Document
from portal.mous.access import can_view_mou, party_in_mou
from portal.mous.models import Mou
from portal.trainings.models import (
    AttendanceMark,
    Registration,
    RegistrationStatus,
    Training,
    TrainingInvitation,
)

# Who may take a seat: people who work, and invited external participants.
TRAINING_PARTICIPANT_ROLES = (Role.COORDINATOR, Role.MEMBER, Role.EXTERNAL)
EXTERNAL_MATERIAL_LABELS = (TLP.CLEAR, TLP.GREEN)


def is_external_participant(user: User) -> bool:
    return user.is_authenticated and user.role == Role.EXTERNAL


def _external_knows_training(user: User, training: Training) -> bool:
    return any(i.email == user.email for i in training.invitations) or any(
        r.user_id == user.id for r in training.registrations
    )


def can_view_training(user: User, training: Training) -> bool:
    if not user.is_authenticated:
        return False
    if is_external_participant(user):
        return _external_knows_training(user, training)
    return can_view_mou(user, training.mou)


def visible_trainings_clause(user: User) -> ColumnElement[bool]:
    """A WHERE clause on Training keeping the trainings the user may see."""
    if can_administer(user):
        return true()
    if is_delegation_user(user):
        return party_in_mou(Training.mou_id, user)
    if not is_external_participant(user):
        return false()
    invited = exists(
        select(TrainingInvitation.id).where(
            TrainingInvitation.training_id == Training.id,
            TrainingInvitation.email == user.email,
        )
    )
    registered = exists(
        select(Registration.id).where(
            Registration.training_id == Training.id, Registration.user_id == user.id
        )
    )
    return invited | registered


def can_manage_trainings(user: User, mou: Mou) -> bool:
    """Create, change, cancel, invite, register others, record attendance."""
    if can_administer(user):
        return True
    return user.role == Role.COORDINATOR and can_view_mou(user, mou)


def manage_trainings_clause(user: User, mou=Mou) -> ColumnElement[bool]:
    """can_manage_trainings in SQL: a WHERE clause on Mou (or an alias of it) keeping those
    the user manages."""
    if can_administer(user):
        return true()
    if user.role != Role.COORDINATOR:
        return false()
    return party_in_mou(mou.id, user)


def can_manage_training(user: User, training: Training) -> bool:
    return can_manage_trainings(user, training.mou)


def manages_trainings(user: User, *, reads_mou: bool) -> bool:
    """can_manage_trainings from whether the user reads the MoU (mou_readers_clause, asked
    in the statement that reads the training's page)."""
    return can_administer(user) or (user.role == Role.COORDINATOR and reads_mou)


def _may_take_seats(person: User) -> bool:
    return person.is_active and person.role in TRAINING_PARTICIPANT_ROLES


def can_register_for_training(person: User, training: Training) -> bool:
    """Whether the person may hold a seat (asked by themselves or by a coordinator)."""
    if not _may_take_seats(person):
        return False
    if is_external_participant(person):
        return training.allow_external and _external_knows_training(person, training)
    return can_view_mou(person, training.mou)


def registers_for_trainings(person: User, *, reads_mou: bool) -> bool:
    """can_register_for_training for anyone but an external participant, from whether they
    read the training's MoU (mou_readers_clause, asked in the page's statement)."""
    if is_external_participant(person):
        raise ValueError("an external participant's right depends on their invitation")
    return _may_take_seats(person) and reads_mou


def may_register_clause(person: User) -> ColumnElement[bool]:
    """A WHERE clause on Training: those the person may hold a seat in (the rule above)."""
    if not person.is_active or person.role not in TRAINING_PARTICIPANT_ROLES:
        return false()
    if is_external_participant(person):
        return Training.allow_external & visible_trainings_clause(person)
    return party_in_mou(Training.mou_id, person)


def can_register_person(actor: User, training: Training, person: User) -> bool:
    """Coordinators register people of their own party and the external participants invited
    to the training (who belong to no party); administrators anyone who may attend."""
    if not can_manage_training(actor, training) or not can_register_for_training(person, training):
        return False
    if can_administer(actor) or is_external_participant(person):
        return True
    return same_party(person.party_id, actor.party_id)


def can_cancel_registration(actor: User, registration: Registration) -> bool:
    """The person themselves, or whoever manages the training."""
    return actor.id == registration.user_id or can_manage_training(actor, registration.training)


def can_view_training_material(user: User, training: Training, document: Document) -> bool:
    if not can_view_training(user, training):
        return False
    if is_external_participant(user):
        return document.tlp in EXTERNAL_MATERIAL_LABELS
    return can_view_document(user, document)


def can_invite_external(actor: User, training: Training) -> bool:
    return training.allow_external and can_manage_training(actor, training)


def external_may_open(endpoint: str, declared: frozenset[str]) -> bool:
    """Besides public pages, where an external participant may go: their trainings (each page
    checks which) and what the features declare for them (their own account and mail choices,
    `external_endpoints` in each declaration). Everything else answers 404, as if it did not
    exist."""
    return endpoint.startswith("trainings.") or endpoint in declared


# Training certificates, feedback and reports ----------------------------------------------
#
# Certificates go to the people marked present; a person downloads only their own, the
# coordinators of the MoU's parties (and administrators) any of the training's. Every person
# marked present or partial gives one feedback once the session has ended; the managers read
# the aggregate. Reports, per training and per MoU, are for those managers only.

CERTIFIED_ATTENDANCE = (AttendanceMark.PRESENT,)
FEEDBACK_ATTENDANCE = (AttendanceMark.PRESENT, AttendanceMark.PARTIAL)


def can_issue_certificates(user: User, training: Training) -> bool:
    return can_manage_training(user, training)


def can_download_certificate(user: User, registration: Registration) -> bool:
    if not can_view_training(user, registration.training):
        return False
    return user.id == registration.user_id or can_manage_training(user, registration.training)


def can_give_feedback(user: User, registration: Registration) -> bool:
    """Only about one's own seat, and only if one was there (present or partial)."""
    return (
        user.id == registration.user_id
        and registration.status == RegistrationStatus.CONFIRMED
        and registration.attendance in FEEDBACK_ATTENDANCE
        and can_view_training(user, registration.training)
    )


def can_read_feedback(user: User, training: Training) -> bool:
    return can_manage_training(user, training)


def can_view_training_report(user: User, training: Training) -> bool:
    return can_manage_training(user, training)


def views_training_report(user: User, *, reads_mou: bool) -> bool:
    """can_view_training_report for anyone but an external participant, from whether they
    read the training's MoU (mou_readers_clause, asked in the statement that reads it)."""
    return manages_trainings(user, reads_mou=reads_mou)


def can_view_mou_training_report(user: User, mou: Mou) -> bool:
    return can_manage_trainings(user, mou)


# Mails ----------------------------------------------------------------------------------------


def _training_loading(readers: Readers) -> tuple:
    return (
        joinedload(Training.mou).selectinload(Mou.parties),
        selectinload(Training.invitations.and_(TrainingInvitation.email.in_(readers.emails))),
        selectinload(Training.registrations.and_(Registration.user_id.in_(readers.ids))),
    )


TRAINING_PAGE = ObjectPage(_l("Training"), "trainings.detail", "training_id")
MAIL_READERSHIP = {
    "training": Readership(Training, _training_loading, can_view_training, page=TRAINING_PAGE)
}
