"""The MoU page's panel of commitments: each line of cooperation with its commitments' counts
per status and the first few by target date, read as rows in one statement built once per
role (what the panel shows, compared as its key in portal/mous/panels.py)."""

from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import (
    Date,
    Integer,
    Select,
    String,
    bindparam,
    func,
    literal,
    null,
    select,
    type_coerce,
    union_all,
)

from portal.accounts.models import Role, User
from portal.commitments.access import visible_commitments_clause
from portal.commitments.models import OPEN_STATUSES, Commitment, CommitmentStatus
from portal.core.access import ParametricViewer, viewer_parameters
from portal.core.i18n import localized
from portal.core.together import Read

# The panel shows this many commitments a line (the list shows the rest).
PANEL_PER_LINE = 5


@dataclass(frozen=True)
class PanelCommitment:
    id: int
    title_en: str
    title_es: str
    target_on: date
    status: CommitmentStatus

    @property
    def title(self) -> str:
        """In the reader's language, else in the other one (as Commitment.title)."""
        return localized(self, "title") or self.title_es

    def is_overdue(self, today: date) -> bool:
        return self.status in OPEN_STATUSES and self.target_on < today


@dataclass(frozen=True)
class LineSummary:
    """A line of cooperation with its commitments' counts per status and the first few."""

    line: object  # the MoU page's line: id, title_en, title_es
    counted: tuple[tuple[CommitmentStatus, int], ...]
    commitments: tuple[PanelCommitment, ...]

    @property
    def counts(self) -> dict[CommitmentStatus, int]:
        return dict(self.counted)

    @property
    def total(self) -> int:
        return sum(count for _, count in self.counted)


def panel_read(reader: User, mou) -> Read:
    """The rows of the panel (read with the MoU page's other panels): see `mou_panel`."""
    return Read(_panel_query(reader.role), {"mou_id": mou.id, **viewer_parameters(reader)})


def mou_panel(rows, mou) -> tuple[LineSummary, ...]:
    """Every line of the MoU with its counts per status and its first commitments, from the
    rows of `panel_read`."""
    counts: dict[int, dict[CommitmentStatus, int]] = {}
    first: dict[int, list[PanelCommitment]] = {}
    for row in rows:
        if row.id is None:
            counts.setdefault(row.line_id, {})[row.status] = row.count
        else:
            shown = PanelCommitment(row.id, row.title_en, row.title_es, row.target_on, row.status)
            first.setdefault(row.line_id, []).append(shown)
    return tuple(
        LineSummary(
            line,
            tuple((status, counts.get(line.id, {}).get(status, 0)) for status in CommitmentStatus),
            tuple(sorted(first.get(line.id, ()), key=lambda c: (c.target_on, c.id))),
        )
        for line in mou.lines
    )


@cache
def _panel_query(role: Role) -> Select:
    """Built once per role: the counts per line and status (rows without an id), then the
    first commitments of each line."""
    visible = (
        Commitment.mou_id == bindparam("mou_id"),
        visible_commitments_clause(ParametricViewer(role)),
    )
    counted = (
        select(
            Commitment.line_id,
            Commitment.status,
            func.count().label("count"),
            type_coerce(null(), Integer).label("id"),
            type_coerce(null(), String).label("title_en"),
            type_coerce(null(), String).label("title_es"),
            type_coerce(null(), Date).label("target_on"),
        )
        .where(*visible)
        .group_by(Commitment.line_id, Commitment.status)
    )
    rank = func.row_number().over(
        partition_by=Commitment.line_id, order_by=(Commitment.target_on, Commitment.id)
    )
    ranked = (
        select(
            Commitment.line_id,
            Commitment.status,
            Commitment.id,
            Commitment.title_en,
            Commitment.title_es,
            Commitment.target_on,
            rank.label("rank"),
        )
        .where(*visible)
        .subquery("ranked")
    )
    first = select(
        ranked.c.line_id,
        ranked.c.status,
        literal(0),
        ranked.c.id,
        ranked.c.title_en,
        ranked.c.title_es,
        ranked.c.target_on,
    ).where(ranked.c.rank <= PANEL_PER_LINE)
    return union_all(counted, first)
