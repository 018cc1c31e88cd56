"""Which changes raise the counter under which the MoU's and the working group's pages, the
group's meetings list, the month calendar and the trainings list are kept whole for each reader
(portal/mous/kept_pages.py): every model whose rows the pages or their panels read (the list's
filter of meetings missing a translation reads their agenda items; the month links to the
reader's feed, whose address changes when it is made anew), declared here above the features
whose panels they are (association tables change through their parents' collections: an MoU's
parties, an item's owners, a document's readers). The reader's own row is part of the key as
well."""

from portal.accounts.models import Party, User
from portal.actions.models import ActionItem
from portal.commitments.models import Commitment
from portal.contacts.models import PointOfContact
from portal.core.kept import KeptGeneration, Raises, declare, generation
from portal.documents.models import Document
from portal.meetings.models import AgendaItem, CalendarFeed, Invitee, Meeting, Minutes
from portal.mous.kept_pages import NAME
from portal.mous.models import (
    LineOfCooperation,
    Membership,
    Mou,
    MouArea,
    Signatory,
    WorkingGroup,
)
from portal.polls.models import Poll, PollParticipant
from portal.trainings.models import Registration, Training, TrainingInvitation

GENERATION = declare(
    KeptGeneration.generation,
    Raises(
        (
            Mou,
            MouArea,
            Signatory,
            LineOfCooperation,
            WorkingGroup,
            Membership,
            Party,
            Meeting,
            AgendaItem,
            Invitee,
            Minutes,
            Poll,
            PollParticipant,
            ActionItem,
            Document,
            Training,
            Registration,
            TrainingInvitation,
            Commitment,
            PointOfContact,
            CalendarFeed,
        ),
        stale=generation(NAME),
    ),
    # What a login writes is on no page: every login would make every page anew.
    Raises(
        User, stale=generation(NAME), unshown=("last_login_at", "password_hash", "totp_last_step")
    ),
    at_commit=True,
)
