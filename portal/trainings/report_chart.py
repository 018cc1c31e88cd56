"""The report's chart: per party, bars for seats, waiting list, attendance and certificates.

Laid out here, drawn as SVG by templates/trainings/_report_chart.html (as the action items'
progress chart): numbers in the markup, a title and a text description for screen readers.
"""

from dataclasses import dataclass

from portal.trainings.reports import ReportRow

SERIES = ("confirmed", "waitlisted", "present", "partial", "absent", "certificates")
WIDTH, HEIGHT = 720, 280
PLOT_TOP, PLOT_BOTTOM, PLOT_LEFT, PLOT_RIGHT = 20, 210, 40, 710
BAR_WIDTH = 14
GROUP_GAP = 24


@dataclass(frozen=True)
class Bar:
    series: str
    count: int
    x: float
    y: float
    height: float


@dataclass(frozen=True)
class BarGroup:
    label: str
    x: float  # the centre of the group, under which the label is written
    bars: list[Bar]


@dataclass(frozen=True)
class ReportChart:
    groups: list[BarGroup]
    scale_max: int


def report_chart(rows: list[ReportRow]) -> ReportChart:
    scale_max = max([1, *(row.counts[s] for row in rows for s in SERIES)])
    group_width = len(SERIES) * BAR_WIDTH
    step = min(group_width + GROUP_GAP * 3, (PLOT_RIGHT - PLOT_LEFT) / max(len(rows), 1))
    plot_height = PLOT_BOTTOM - PLOT_TOP
    groups = []
    for number, row in enumerate(rows):
        left = PLOT_LEFT + GROUP_GAP + number * step
        bars = []
        for index, series in enumerate(SERIES):
            count = row.counts[series]
            height = round(plot_height * count / scale_max, 1)
            bars.append(
                Bar(series, count, left + index * BAR_WIDTH, round(PLOT_BOTTOM - height, 1), height)
            )
        groups.append(BarGroup(row.label, round(left + group_width / 2, 1), bars))
    return ReportChart(groups, scale_max)
