"""A report table's chart: per row, one bar per charted column, laid out here and drawn as
SVG on the server by templates/reports/_chart.html. Its accessible name is the chart's short
title; the values are in the table printed under it, not repeated in the drawing's text."""

from dataclasses import dataclass

from portal.web.sources import ReportTable

WIDTH, HEIGHT = 720, 260
PLOT_TOP, PLOT_BOTTOM, PLOT_LEFT, PLOT_RIGHT = 20, 190, 40, 710
LEGEND_Y = 236
GAP = 20
MAX_BAR_WIDTH = 28
# Distinguishable in greyscale and by colour-blind readers (Okabe-Ito), legend beside.
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")


@dataclass(frozen=True)
class Bar:
    series: str
    count: int
    x: float
    y: float
    width: float
    height: float
    colour: str


@dataclass(frozen=True)
class BarGroup:
    label: str
    x: float  # the centre of the group, under which its label is written
    bars: list[Bar]


@dataclass(frozen=True)
class LegendEntry:
    label: str
    x: float
    colour: str


@dataclass(frozen=True)
class Chart:
    title: str
    groups: list[BarGroup]
    legend: list[LegendEntry]
    scale_max: int


def chart_of(table: ReportTable) -> Chart | None:
    """The table's bars, or None when it declares no chart or has nothing to draw."""
    if not table.chart or not table.rows:
        return None
    indexes = [[key for key, _label in table.columns].index(key) for key in table.chart]
    labels = dict(table.columns)
    values = [[row.values[i] or 0 for i in indexes] for row in table.rows]
    scale_max = max([1, *(v for row in values for v in row)])
    step = (PLOT_RIGHT - PLOT_LEFT) / len(table.rows)
    bar_width = min(MAX_BAR_WIDTH, (step - GAP) / len(indexes))
    plot_height = PLOT_BOTTOM - PLOT_TOP
    groups = []
    for number, (row, counts) in enumerate(zip(table.rows, values, strict=True)):
        left = PLOT_LEFT + number * step + (step - bar_width * len(indexes)) / 2
        bars = []
        for index, (series, count) in enumerate(zip(table.chart, counts, strict=True)):
            height = round(plot_height * count / scale_max, 1)
            x = round(left + index * bar_width, 1)
            colour = COLOURS[index % len(COLOURS)]
            bars.append(
                Bar(
                    series,
                    count,
                    x,
                    round(PLOT_BOTTOM - height, 1),
                    round(bar_width, 1),
                    height,
                    colour,
                )
            )
        groups.append(BarGroup(row.label, round(left + bar_width * len(indexes) / 2, 1), bars))
    legend_step = (PLOT_RIGHT - PLOT_LEFT) / len(table.chart)
    legend = [
        LegendEntry(
            str(labels[key]), round(PLOT_LEFT + n * legend_step, 1), COLOURS[n % len(COLOURS)]
        )
        for n, key in enumerate(table.chart)
    ]
    return Chart(table.chart_title or table.caption, groups, legend, scale_max)
