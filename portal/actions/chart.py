"""The progress chart: per month of due date over the last 12 months, items open, in
progress, done and overdue, and the share done on time. Counted by one SQL query."""

from dataclasses import dataclass, field
from datetime import date
from functools import cache

from flask import render_template
from markupsafe import Markup
from sqlalchemy import Select, and_, bindparam, case, func, select
from sqlalchemy.orm import Session

from portal.accounts.models import Role, User
from portal.actions import access
from portal.actions.models import ACTIVE_STATUSES, ActionItem, ActionStatus
from portal.actions.versions import RENDERINGS
from portal.core.access import ParametricViewer, viewer_parameters
from portal.core.i18n import current_language
from portal.core.together import Read
from portal.mous import access as mou_access
from portal.mous.models import Mou, WorkingGroup

MONTHS = 12
SERIES = ("open", "in_progress", "done", "overdue")

# Drawing: a bar per month, its segments stacked in SERIES order.
WIDTH, HEIGHT = 720, 260
PLOT_TOP, PLOT_BOTTOM, PLOT_LEFT = 20, 210, 40
BAR_WIDTH, BAR_STEP = 34, 56


@dataclass
class Segment:
    series: str
    count: int
    y: float = 0
    height: float = 0


@dataclass
class MonthBar:
    year: int
    month: int
    x: float
    segments: list[Segment] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(segment.count for segment in self.segments)

    def count(self, series: str) -> int:
        return next(s.count for s in self.segments if s.series == series)


@dataclass
class ProgressChart:
    months: list[MonthBar]
    done: int
    done_on_time: int
    scale_max: int

    @property
    def on_time_percent(self) -> int | None:
        return round(100 * self.done_on_time / self.done) if self.done else None

    @property
    def total(self) -> int:
        return sum(month.total for month in self.months)


def month_starts(today: date) -> list[date]:
    """First days of the last 12 months (this one included) and of the next month."""
    index = today.year * 12 + today.month - 1
    return [date(i // 12, i % 12 + 1, 1) for i in range(index - MONTHS + 1, index + 2)]


def _counts(session: Session, scope, today: date) -> tuple[dict, int, int]:
    starts = month_starts(today)
    month = case(
        *((ActionItem.due_on < start, number) for number, start in enumerate(starts[1:-1])),
        else_=MONTHS - 1,
    )
    active = ActionItem.status.in_(ACTIVE_STATUSES)
    series = case(
        (and_(active, ActionItem.due_on < today), "overdue"),
        (ActionItem.status == ActionStatus.OPEN, "open"),
        (ActionItem.status == ActionStatus.IN_PROGRESS, "in_progress"),
        else_="done",
    )
    on_time = case(
        (
            and_(
                ActionItem.status == ActionStatus.DONE,
                ActionItem.completed_on <= ActionItem.due_on,
            ),
            1,
        ),
        else_=0,
    )
    inner = (
        select(month.label("month"), series.label("series"), on_time.label("on_time"))
        .where(
            scope,
            ActionItem.status != ActionStatus.CANCELLED,
            ActionItem.due_on >= starts[0],
            ActionItem.due_on < starts[-1],
        )
        .subquery()
    )
    rows = session.execute(
        select(inner.c.month, inner.c.series, func.count(), func.sum(inner.c.on_time)).group_by(
            inner.c.month, inner.c.series
        )
    )
    counts: dict[tuple[int, str], int] = {}
    done = done_on_time = 0
    for number, name, count, on_time_count in rows:
        counts[(number, name)] = count
        if name == ActionStatus.DONE:
            done += count
            done_on_time += on_time_count or 0
    return counts, done, done_on_time


def _layout(counts: dict, done: int, done_on_time: int, *, today: date) -> ProgressChart:
    starts = month_starts(today)[:-1]
    totals = [sum(counts.get((n, s), 0) for s in SERIES) for n in range(MONTHS)]
    scale_max = max([*totals, 1])
    plot_height = PLOT_BOTTOM - PLOT_TOP
    months = []
    for number, start in enumerate(starts):
        bar = MonthBar(start.year, start.month, x=PLOT_LEFT + 10 + number * BAR_STEP)
        y = PLOT_BOTTOM
        for name in SERIES:
            count = counts.get((number, name), 0)
            height = plot_height * count / scale_max
            y -= height
            bar.segments.append(Segment(name, count, y=round(y, 1), height=round(height, 1)))
        months.append(bar)
    return ProgressChart(months, done, done_on_time, scale_max)


def group_progress(
    session: Session, actor: User, group: WorkingGroup, today: date
) -> ProgressChart:
    scope = ActionItem.working_group_id == group.id
    if not access.sees_every_action_of(actor, group):
        scope = scope & access.visible_actions_clause(actor)
    return _layout(*_counts(session, scope, today), today=today)


def group_chart_html(session: Session, actor: User, group: WorkingGroup, today: date) -> Markup:
    """The group's chart as SVG. Everyone who reads the whole group sees the same one: it is
    rendered once per language, day and version of the group's items (see versions.py)."""

    def render() -> Markup:
        return render_chart(group_progress(session, actor, group, today), "group-progress")

    if not access.sees_every_action_of(actor, group):
        return render()
    # The version is read (with the group) before the counts: see versions.py.
    key = ("group-chart", group.id, group.actions_version, today, current_language())
    return RENDERINGS.get(session, key, render)


def render_chart(progress: ProgressChart, chart_id: str) -> Markup:
    html = render_template("actions/_chart.html", progress=progress, chart_id=chart_id)
    return Markup(html)  # noqa: S704 - rendered by the template, escaped  # nosec B704


def mou_progress(session: Session, actor: User, mou: Mou, today: date) -> ProgressChart:
    groups = select(WorkingGroup.id).where(WorkingGroup.mou_id == mou.id)
    scope = ActionItem.working_group_id.in_(groups) & access.visible_actions_clause(actor)
    return _layout(*_counts(session, scope, today), today=today)


def mou_groups_read(actor: User, mou: Mou) -> Read:
    """The MoU's groups, their versions and whether the reader reads each: what the chart is
    kept under (read with the MoU page's other panels)."""
    return Read(_mou_groups_query(actor.role), {"mou_id": mou.id, **viewer_parameters(actor)})


def mou_chart_html(session: Session, actor: User, mou: Mou, today: date, rows) -> Markup:
    """The MoU's chart as SVG, kept under what it counts: the version of each of the MoU's
    groups, which of them the reader reads whole, and, when there is one they do not (where
    they see only the items they own), who reads (`rows`, of `mou_groups_read`). Versions are
    read before the counts (see versions.py)."""
    groups = tuple(tuple(row) for row in rows)
    reader = None if all(reads for _, _, reads in groups) else actor.id
    key = ("mou-chart", mou.id, groups, reader, today, current_language())

    def render() -> Markup:
        return render_chart(mou_progress(session, actor, mou, today), "mou-progress")

    return RENDERINGS.get(session, key, render)


@cache
def _mou_groups_query(role: Role) -> Select:
    """The MoU's groups, their versions and whether the reader reads each: built once per role
    (building the rule costs more than running it)."""
    readable = mou_access.visible_working_groups_clause(ParametricViewer(role))
    return (
        select(WorkingGroup.id, WorkingGroup.actions_version, readable.label("readable"))
        .where(WorkingGroup.mou_id == bindparam("mou_id"))
        .order_by(WorkingGroup.id)
    )
