"""Commitments for the tests: made in the database as a coordinator would leave them."""

from datetime import date, timedelta

from portal.commitments.models import Commitment, CommitmentChange, CommitmentStatus


def make_commitment(session, mou, line=None, parties=None, **fields) -> Commitment:
    """A planned commitment under the MoU's first line, both parties responsible, due in 90
    days, with its "created" history line."""
    commitment = Commitment(
        mou=mou,
        line=line or mou.lines[0],
        parties=list(parties if parties is not None else mou.parties),
        title_en=fields.pop("title_en", "Exchange threat bulletins"),
        title_es=fields.pop("title_es", "Intercambiar boletines de amenazas"),
        target_on=fields.pop("target_on", date.today() + timedelta(days=90)),
        status=fields.pop("status", CommitmentStatus.PLANNED),
        **fields,
    )
    commitment.changes.append(CommitmentChange(field="created", after=commitment.title_en))
    session.add(commitment)
    session.flush()
    return commitment
