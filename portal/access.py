"""Who may see or change what: the one place for permission rules.

Services call these before they read or change anything; views never decide access.
Nothing of an MoU is visible to a person whose party is not one of its parties;
administrators manage every MoU.
"""

from sqlalchemy import ColumnElement, and_, bindparam, exists, false, or_, select, true
from sqlalchemy.orm import aliased

from portal.accounts.models import Party, Role, User, UserSession
from portal.actions.models import ActionItem, action_owners
from portal.core.tlp import TLP
from portal.documents.models import Document, document_readers
from portal.meetings.models import Invitee, Meeting
from portal.mous.models import Membership, Mou, WorkingGroup, mou_parties
from portal.trainings.models import (
    AttendanceMark,
    Registration,
    RegistrationStatus,
    Training,
    TrainingInvitation,
)

# Aliases for the subqueries below, so they stay correlated to the outer query even when
# it joins the same tables. Built once: building them per call costs milliseconds.
_MOU_PARTIES = mou_parties.alias("visible_mou_parties")
_MEMBERSHIP = aliased(Membership, name="visible_membership")
_READABLE_GROUP = aliased(WorkingGroup, name="readable_group")
_INVITED_GROUP = aliased(WorkingGroup, name="invited_group")
_INVITEE = aliased(Invitee, name="visible_invitee")
_CO_CHAIR = aliased(Membership, name="co_chair_membership")

# Roles a coordinator may give when inviting people of their own party.
COORDINATOR_INVITABLE_ROLES = (Role.MEMBER, Role.OBSERVER, Role.EXTERNAL)
# Roles that must log in with a second factor.
SECOND_FACTOR_ROLES = (Role.ADMINISTRATOR, Role.COORDINATOR)
# Roles that read everything of their party's MoUs, not only their own working groups.
PARTY_WIDE_READERS = (Role.COORDINATOR, Role.OBSERVER)


class ParametricViewer:
    """Stands for any viewer of a role in a statement built once and run for many people.

    The clauses below read only a viewer's role, id, party and language; here the last
    three are bound parameters (viewer_id, viewer_party_id, viewer_language).
    """

    is_authenticated = True

    def __init__(self, role: Role) -> None:
        self.role = role
        self.id = bindparam("viewer_id")
        self.party_id = bindparam("viewer_party_id")
        self.language = bindparam("viewer_language")


def can_administer(user: User) -> bool:
    return user.is_authenticated and user.role == Role.ADMINISTRATOR


def must_use_second_factor(user: User) -> bool:
    """Those who hold the keys log in with a second factor (SECURITY 6); others may."""
    return user.is_authenticated and user.role in SECOND_FACTOR_ROLES


def can_reset_second_factor(actor: User, person: User) -> bool:
    """An administrator, for someone else (their own device is changed on their own page)."""
    return can_administer(actor) and person.id != actor.id


def same_party(party_id: int | None, other_party_id: int | None) -> bool:
    """Both belong to the same delegation. An external participant belongs to none, and no
    party is never the same as another no party: None == None grants nothing."""
    return party_id is not None and party_id == other_party_id


def is_delegation_user(user: User) -> bool:
    """A member of a delegation, as opposed to an external participant."""
    return user.role in (Role.COORDINATOR, Role.MEMBER, Role.OBSERVER)


# MoUs ----------------------------------------------------------------------


def visible_mous_clause(user: User) -> ColumnElement[bool]:
    """A WHERE clause on Mou that keeps only the MoUs the user may see."""
    if can_administer(user):
        return true()
    if not is_delegation_user(user):
        return false()
    return _party_in_mou(Mou.id, user)


def _party_in_mou(mou_id_column, user: User) -> ColumnElement[bool]:
    if user.party_id is None:  # a viewer of no delegation (a parametric viewer's is bound)
        return false()
    parties = _MOU_PARTIES
    return exists(
        select(parties.c.mou_id).where(
            parties.c.mou_id == mou_id_column, parties.c.party_id == user.party_id
        )
    )


def can_view_mou(user: User, mou: Mou) -> bool:
    if can_administer(user):
        return True
    return is_delegation_user(user) and any(same_party(p.id, user.party_id) for p in mou.parties)


def can_edit_mou(user: User) -> bool:
    return can_administer(user)


# Working groups --------------------------------------------------------------


def _is_member(user: User, working_group: WorkingGroup) -> bool:
    return any(m.user_id == user.id for m in working_group.memberships)


def can_view_working_group(user: User, working_group: WorkingGroup) -> bool:
    if not can_view_mou(user, working_group.mou):
        return False
    if can_administer(user) or user.role in PARTY_WIDE_READERS:
        return True
    return _is_member(user, working_group)


def visible_working_groups_clause(user: User, group=WorkingGroup) -> ColumnElement[bool]:
    """A WHERE clause on WorkingGroup (or an alias of it) keeping the groups the user may see."""
    if can_administer(user):
        return true()
    if not is_delegation_user(user):
        return false()
    in_party_mou = _party_in_mou(group.mou_id, user)
    if user.role in PARTY_WIDE_READERS:
        return in_party_mou
    membership = _MEMBERSHIP
    is_member = exists(
        select(membership.id).where(
            membership.working_group_id == group.id, membership.user_id == user.id
        )
    )
    return in_party_mou & is_member


def can_edit_working_group(user: User) -> bool:
    return can_administer(user)


def can_manage_membership(user: User, working_group: WorkingGroup, person: User) -> bool:
    """Administrators manage anyone; a coordinator only their own party's people."""
    if not can_view_mou(person, working_group.mou) or not is_delegation_user(person):
        return False
    if can_administer(user):
        return True
    return (
        user.role == Role.COORDINATOR
        and same_party(user.party_id, person.party_id)
        and can_view_mou(user, working_group.mou)
    )


def manageable_parties(user: User, working_group: WorkingGroup) -> list[Party]:
    """The parties whose people the user may add to or remove from the group."""
    if can_administer(user):
        return list(working_group.mou.parties)
    if user.role == Role.COORDINATOR and can_view_mou(user, working_group.mou) and user.party:
        return [user.party]
    return []


# Accounts and invitations ------------------------------------------------------


def invitable_roles(user: User) -> tuple[Role, ...]:
    if can_administer(user):
        return tuple(Role)
    if user.role == Role.COORDINATOR:
        return COORDINATOR_INVITABLE_ROLES
    return ()


def can_invite(user: User, party: Party | None, role: Role) -> bool:
    """Into a delegation: the actor's own (administrators: any); an external participant
    is invited into none."""
    if role not in invitable_roles(user):
        return False
    if role == Role.EXTERNAL:
        return party is None
    if party is None:
        return False
    return can_administer(user) or same_party(party.id, user.party_id)


def can_list_invitations(user: User) -> bool:
    return bool(invitable_roles(user))


def is_co_chair(user: User, working_group: WorkingGroup) -> bool:
    return any(m.user_id == user.id and m.is_co_chair for m in working_group.memberships)


# Meetings ------------------------------------------------------------------------------


def can_view_meeting(user: User, meeting: Meeting) -> bool:
    """The group's readers, plus people of the MoU's parties invited to this meeting."""
    group = meeting.working_group
    if can_view_working_group(user, group):
        return True
    return (
        is_delegation_user(user)
        and can_view_mou(user, group.mou)
        and any(i.user_id == user.id for i in meeting.invitees)
    )


def visible_meetings_clause(user: User) -> ColumnElement[bool]:
    """A WHERE clause on Meeting keeping the meetings the user may see."""
    if can_administer(user):
        return true()
    if not is_delegation_user(user):
        return false()
    group = _READABLE_GROUP
    readable_group = exists(
        select(group.id).where(
            group.id == Meeting.working_group_id, visible_working_groups_clause(user, group)
        )
    )
    invited_group, invitee = _INVITED_GROUP, _INVITEE
    invited = exists(
        select(invitee.id)
        .join(invited_group, invited_group.id == Meeting.working_group_id)
        .where(
            invitee.meeting_id == Meeting.id,
            invitee.user_id == user.id,
            _party_in_mou(invited_group.mou_id, user),
        )
    )
    return readable_group | invited


def co_chair_clause(user: User) -> ColumnElement[bool]:
    """A column on Meeting: whether the user co-chairs the meeting's working group."""
    membership = _CO_CHAIR
    return exists(
        select(membership.id).where(
            membership.working_group_id == Meeting.working_group_id,
            membership.user_id == user.id,
            membership.is_co_chair,
        )
    )


def reads_meeting_only(user: User, *, co_chairs_its_group: bool) -> bool:
    """Neither manages the meeting nor edits or approves its minutes.

    Such a viewer's meeting page is the one every reader sees, plus their own reply.
    """
    return not (can_administer(user) or user.role == Role.COORDINATOR or co_chairs_its_group)


def can_manage_meetings(user: User, working_group: WorkingGroup) -> bool:
    """Schedule, change, cancel, invite, record attendance: the MoU parties' coordinators."""
    if can_administer(user):
        return True
    return user.role == Role.COORDINATOR and can_view_mou(user, working_group.mou)


def can_edit_minutes(user: User, meeting: Meeting) -> bool:
    group = meeting.working_group
    return can_manage_meetings(user, group) or (
        is_co_chair(user, group) and can_view_mou(user, group.mou)
    )


def can_approve_minutes(user: User, meeting: Meeting) -> bool:
    """Only a co-chair approves, and only for their own party."""
    group = meeting.working_group
    return is_co_chair(user, group) and can_view_mou(user, group.mou)


def can_reopen_minutes(user: User, meeting: Meeting) -> bool:
    """A co-chair of the group, of either party: whoever approves may reopen."""
    return can_approve_minutes(user, meeting)


def can_be_invited(person: User, working_group: WorkingGroup) -> bool:
    return (
        person.is_active and is_delegation_user(person) and can_view_mou(person, working_group.mou)
    )


# Action items ----------------------------------------------------------------------------
# Members of the group and the coordinators of the MoU's parties create and update items;
# owners (and those coordinators) change their status and post updates; observers read.
# The group's readers see its items; so do owners from outside the group.

_ACTION_GROUP = aliased(WorkingGroup, name="action_group")
_OWNED_GROUP = aliased(WorkingGroup, name="owned_action_group")
_ACTION_OWNER = action_owners.alias("visible_action_owner")
_OWNED_ITEM = aliased(ActionItem, name="owned_action_item")
# Who may be named owner of an item: people who work, not observers or externals.
ACTION_OWNER_ROLES = (Role.COORDINATOR, Role.MEMBER)


def is_action_owner(user: User, item: ActionItem) -> bool:
    return any(owner.id == user.id for owner in item.owners)


def can_view_action(user: User, item: ActionItem) -> bool:
    group = item.working_group
    if can_view_working_group(user, group):
        return True
    return (
        is_delegation_user(user) and can_view_mou(user, group.mou) and is_action_owner(user, item)
    )


def visible_actions_clause(user: User) -> ColumnElement[bool]:
    """A WHERE clause on ActionItem keeping the items the user may see.

    Two uncorrelated IN subqueries (the readable groups, the items the user owns in an
    MoU of their party): the database computes each once, not once per item.
    """
    if can_administer(user):
        return true()
    if not is_delegation_user(user):
        return false()
    group = _ACTION_GROUP
    readable_groups = select(group.id).where(visible_working_groups_clause(user, group))
    owner, owned_item, owned_group = _ACTION_OWNER, _OWNED_ITEM, _OWNED_GROUP
    owned_items = (
        select(owner.c.action_item_id)
        .join(owned_item, owned_item.id == owner.c.action_item_id)
        .join(owned_group, owned_group.id == owned_item.working_group_id)
        .where(owner.c.user_id == user.id, _party_in_mou(owned_group.mou_id, user))
    )
    return ActionItem.working_group_id.in_(readable_groups) | ActionItem.id.in_(owned_items)


def sees_every_action_of(user: User, working_group: WorkingGroup) -> bool:
    """Whoever reads the group reads all its items (so a group's counts need no per-row check)."""
    return can_view_working_group(user, working_group)


def can_work_on_actions(user: User, working_group: WorkingGroup) -> bool:
    """Create and update the group's items: its members and the MoU parties' coordinators."""
    if can_administer(user):
        return True
    if not can_view_mou(user, working_group.mou):
        return False
    if user.role == Role.COORDINATOR:
        return True
    return user.role == Role.MEMBER and _is_member(user, working_group)


def _coordinates_action(user: User, item: ActionItem) -> bool:
    group = item.working_group
    return can_administer(user) or (user.role == Role.COORDINATOR and can_view_mou(user, group.mou))


def can_change_action_status(user: User, item: ActionItem) -> bool:
    """The item's owners, and the coordinators of the MoU's parties."""
    if _coordinates_action(user, item):
        return True
    return (
        user.role in ACTION_OWNER_ROLES
        and can_view_mou(user, item.working_group.mou)
        and is_action_owner(user, item)
    )


def can_comment_on_action(user: User, item: ActionItem) -> bool:
    return can_change_action_status(user, item)


def can_own_action(person: User, working_group: WorkingGroup) -> bool:
    return (
        person.is_active
        and person.role in ACTION_OWNER_ROLES
        and can_view_mou(person, working_group.mou)
    )


# Login sessions ---------------------------------------------------------------------------


def owns_login_session(user: User, user_session: UserSession) -> bool:
    """A person sees and ends only their own login sessions; nobody else's, administrators
    included (an administrator ends someone's sessions by deactivating the account)."""
    return user_session.user_id == user.id


# Notifications ----------------------------------------------------------------------------


def can_manage_notification_preferences(actor: User, person: User) -> bool:
    """Each person chooses for themselves; nobody, not even an administrator, for others."""
    return actor.is_authenticated and actor.id == person.id


def can_view_outbox(user: User) -> bool:
    """The outbox shows every recipient's address: administrators only."""
    return can_administer(user)


def can_retry_outbox_message(user: User) -> bool:
    return can_administer(user)


# Documents (TLP 2.0) -------------------------------------------------------------------
#
# The one rule for who may open a document; every page, list, count, search, download and
# mail goes through can_view_document (one object) or visible_documents_clause (SQL).
#   CLEAR         anyone, also anonymous visitors
#   GREEN         every delegation account of the MoU's parties (and administrators)
#   AMBER         the readers of its working group, both parties (without a group: as GREEN)
#   AMBER+STRICT  as AMBER, and only of the owning party: never the other party, nor an
#                 administrator of another party
#   RED           only the people named on the document, administrators included only if named


def _document_amber_reader(user: User, document: Document) -> bool:
    if document.working_group is None:
        return can_view_mou(user, document.mou)
    return can_view_working_group(user, document.working_group)


def can_view_document(user: User, document: Document) -> bool:
    if document.tlp == TLP.CLEAR:
        return True
    if not user.is_authenticated:
        return False
    if document.tlp == TLP.RED:
        return user.id in document.reader_ids
    if document.tlp == TLP.GREEN:
        return can_view_mou(user, document.mou)
    amber = _document_amber_reader(user, document)
    if document.tlp == TLP.AMBER:
        return amber
    return amber and same_party(user.party_id, document.owning_party_id)


def visible_documents_clause(user: User) -> ColumnElement[bool]:
    """A WHERE clause on Document keeping what the user may open (the rule above, in SQL)."""
    clear = Document.tlp == TLP.CLEAR
    if not user.is_authenticated:
        return clear
    if can_administer(user):
        in_mou = true()
    elif is_delegation_user(user):
        in_mou = _party_in_mou(Document.mou_id, user)
    else:
        in_mou = false()
    group = _DOCUMENT_GROUP
    readable_group = exists(
        select(group.id).where(
            group.id == Document.working_group_id, visible_working_groups_clause(user, group)
        )
    )
    amber = or_(and_(Document.working_group_id.is_(None), in_mou), readable_group)
    named = exists(
        select(document_readers.c.user_id).where(
            document_readers.c.document_id == Document.id, document_readers.c.user_id == user.id
        )
    )
    return or_(
        clear,
        and_(Document.tlp == TLP.GREEN, in_mou),
        and_(Document.tlp == TLP.AMBER, amber),
        and_(Document.tlp == TLP.AMBER_STRICT, Document.owning_party_id == user.party_id, amber),
        and_(Document.tlp == TLP.RED, named),
    )


_DOCUMENT_GROUP = aliased(WorkingGroup, name="document_group")
DOCUMENT_AUTHORS = (Role.ADMINISTRATOR, Role.COORDINATOR, Role.MEMBER)


def can_view_library(user: User, mou: Mou, working_group: WorkingGroup | None) -> bool:
    if working_group is not None:
        return can_view_working_group(user, working_group)
    return can_view_mou(user, mou)


def can_upload_document(user: User, mou: Mou, working_group: WorkingGroup | None) -> bool:
    """Members, coordinators and administrators who read the library; observers change nothing."""
    return (
        user.is_authenticated
        and user.role in DOCUMENT_AUTHORS
        and can_view_library(user, mou, working_group)
    )


def can_edit_document(user: User, document: Document) -> bool:
    """Metadata and new versions: its author, the owning party's coordinator, administrators."""
    if not user.is_authenticated or user.role not in DOCUMENT_AUTHORS:
        return False
    if not can_view_document(user, document):
        return False
    return (
        can_administer(user)
        or user.id == document.created_by_id
        or (user.role == Role.COORDINATOR and same_party(user.party_id, document.owning_party_id))
    )


def can_change_tlp(user: User, document: Document, new_label: TLP) -> bool:
    """SECURITY 17: editors may tighten; only the owning party's coordinator may loosen."""
    if new_label == document.tlp or not can_edit_document(user, document):
        return new_label == document.tlp
    if new_label.rank > document.tlp.rank:
        return True
    return user.role == Role.COORDINATOR and same_party(user.party_id, document.owning_party_id)


def can_follow_document(user: User, document: Document) -> bool:
    return user.is_authenticated and can_view_document(user, document)


# Training sessions -----------------------------------------------------------------------
#
# Delegation people of the MoU's parties see its trainings; an external participant sees
# only the trainings they were invited to or registered for, and of their materials only
# TLP:CLEAR and TLP:GREEN. The coordinators of the MoU's parties (and administrators) manage
# trainings; members and coordinators register themselves, observers change nothing.

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
        return _party_in_mou(Training.mou_id, user)
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


def can_manage_training(user: User, training: Training) -> bool:
    return can_manage_trainings(user, training.mou)


def can_register_for_training(person: User, training: Training) -> bool:
    """Whether the person may hold a seat (asked by themselves or by a coordinator)."""
    if not person.is_active or person.role not in TRAINING_PARTICIPANT_ROLES:
        return False
    if is_external_participant(person):
        return training.allow_external and _external_knows_training(person, training)
    return can_view_mou(person, training.mou)


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


# Besides public pages, where an external participant may go: their trainings, their own
# account and mail choices. Everything else answers 404, as if it did not exist.
EXTERNAL_PARTICIPANT_ENDPOINTS = frozenset(
    {
        "main.index",  # sends them on to their trainings
        "main.set_language_choice",
        "accounts.logout",
        "accounts.profile",
        "accounts.change_password",
        "accounts.two_factor_overview",
        "accounts.two_factor_setup",
        "accounts.renew_recovery_codes",
        "accounts.disable_two_factor",
        "accounts.change_email",
        "accounts.confirm_email_change",
        "accounts.sessions",
        "accounts.end_session",
        "accounts.end_other_sessions",
        "notifications.preferences",
    }
)


def external_may_open(endpoint: str) -> bool:
    return endpoint.startswith("trainings.") or endpoint in EXTERNAL_PARTICIPANT_ENDPOINTS


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


def can_view_mou_training_report(user: User, mou: Mou) -> bool:
    return can_manage_trainings(user, mou)


# Audit log -------------------------------------------------------------------------------


def can_read_audit_log(user: User) -> bool:
    """Administrators read every event; coordinators those of their own delegation."""
    if not user.is_authenticated:
        return False
    return can_administer(user) or (user.role == Role.COORDINATOR and user.party_id is not None)


def audit_log_party_id(user: User) -> int | None:
    """The one delegation whose events the reader is limited to; None for every delegation
    (administrators only: a reader of no delegation is refused by can_read_audit_log)."""
    return None if can_administer(user) else user.party_id
