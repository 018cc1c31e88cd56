"""The version of a poll page's shared part, and what raises it (portal/core/kept).

`Poll.page_version` keys the part of the poll page everyone sees alike (page.py): the poll's
heading and group, its times, the answers by delegation with who gave them, who has not
answered, each party's clock. Every change of these raises it in the same transaction;
readers read it before the data, so a part kept under a version is never older than it.
"""

from sqlalchemy import select, true, union

from portal.accounts.models import Party, User
from portal.core.kept import Raises, declare
from portal.mous.models import Mou, WorkingGroup
from portal.polls.models import Poll, PollAnswer, PollOption, PollParticipant


def _ids(objects, attribute: str = "id") -> set[int]:
    return {getattr(obj, attribute) for obj in objects}


def _polls_of_options(option_ids: set[int]):
    return select(PollOption.poll_id).where(PollOption.id.in_(option_ids))


def _polls_naming(people: set[int]):
    """Polls whose page names one of these people: asked, or answered."""
    return union(
        select(PollParticipant.poll_id).where(PollParticipant.user_id.in_(people)),
        select(PollOption.poll_id)
        .join(PollAnswer, PollAnswer.option_id == PollOption.id)
        .where(PollAnswer.user_id.in_(people)),
    )


PAGE_VERSION = declare(
    Poll.page_version,
    Raises(Poll, lambda polls: Poll.id.in_(_ids(polls))),
    Raises((PollOption, PollParticipant), lambda rows: Poll.id.in_(_ids(rows, "poll_id"))),
    Raises(PollAnswer, lambda answers: Poll.id.in_(_polls_of_options(_ids(answers, "option_id")))),
    Raises(
        User, lambda people: Poll.id.in_(_polls_naming(_ids(people))), fields=("name", "party_id")
    ),
    Raises(Party, lambda parties: true(), fields=("code", "name_en", "name_es", "timezone")),
    Raises(
        WorkingGroup,
        lambda groups: Poll.working_group_id.in_(_ids(groups)),
        fields=("name_en", "name_es", "mou_id"),
    ),
    Raises(
        Mou,
        lambda mous: Poll.working_group_id.in_(
            select(WorkingGroup.id).where(WorkingGroup.mou_id.in_(_ids(mous)))
        ),
        fields=("parties",),
    ),
)
