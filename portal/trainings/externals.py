"""External participants (private sector, other agencies) invited to one training by email.

A new address gets an account invitation of role external participant, into no delegation
(the inviting coordinator is recorded as who invited them), whose mail names the training;
an existing external account is told of one more training. Either way the address is
recorded on the training, which is what lets the person see it (access.can_view_training).
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.invitations import InvitationRequest, create_invitation, invitation_link
from portal.accounts.models import Role, User
from portal.accounts.services import find_user_by_email, normalize_email
from portal.audit.services import record
from portal.core.errors import Forbidden, ValidationError
from portal.trainings import access
from portal.trainings import notifications as notify
from portal.trainings.models import Training, TrainingInvitation


def invite_external(
    session: Session, actor: User, training: Training, email: str, language: str
) -> TrainingInvitation:
    if not access.can_manage_training(actor, training):
        raise Forbidden(str(_l("Only the coordinators of the MoU's parties invite participants.")))
    if not access.can_invite_external(actor, training):
        raise ValidationError(str(_l("This training is not open to external participants.")))
    if training.is_cancelled:
        raise ValidationError(str(_l("This training has been cancelled.")))
    email = normalize_email(email)
    person = find_user_by_email(session, email)
    if person is not None and not access.is_external_participant(person):
        raise ValidationError(
            str(_l("This address belongs to a delegation account: register the person instead.")),
            field="email",
        )
    invitation = session.scalar(
        select(TrainingInvitation).where(
            TrainingInvitation.training_id == training.id, TrainingInvitation.email == email
        )
    )
    if invitation is None:
        invitation = TrainingInvitation(training=training, email=email, invited_by_id=actor.id)
        session.add(invitation)
        session.flush()
    if person is None:
        request = InvitationRequest(
            email=email,
            party_id=None,
            role=Role.EXTERNAL,
            language=language,
        )
        _, token = create_invitation(session, actor, request)
        notify.new_external_invited(
            session, training, email, language, actor, invitation_link(token)
        )
    else:
        notify.external_invited(session, training, person)
    record(
        session,
        "training.external_invited",
        actor=actor,
        object_type="training",
        object_id=training.id,
        email=email,
    )
    return invitation
