"""The report as CSV (long form: one figure a line, every cell safe from formula injection)
and as a PDF for a ministry (fpdf2, with the DejaVu Sans the certificates embed), both made
from the same tables as the page."""

from datetime import date
from functools import cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import NumberPattern, parse_pattern
from flask_babel import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from portal.core.i18n import localized
from portal.core.spreadsheet import csv_text
from portal.reports.queries import Report
from portal.trainings.certificate_pdf import FONT, FONTS
from portal.web.sources import party_label


def parties_text(report: Report) -> str:
    return "; ".join(party_label(party) for party in report.mou.parties)


def period_text(report: Report, language: str) -> str:
    period = report.period
    first = format_date(period.first, format="long", locale=language)
    last = format_date(period.last, format="long", locale=language)
    return f"{first} – {last} ({period.zone})"


def issued_text(report: Report, language: str) -> str:
    return (
        format_datetime(
            report.issued_at,
            "yyyy-MM-dd HH:mm",
            tzinfo=ZoneInfo(report.period.zone),
            locale=language,
        )
        + f" ({report.period.zone})"
    )


def shown(value, language: str) -> str:
    """A figure as a reader reads it: numbers in the language's digits, none as a dash."""
    if value is None:
        return "—"
    if isinstance(value, bool | str):
        return str(value)
    if isinstance(value, date):
        return format_date(value, format="medium", locale=language)
    locale, pattern = _number_format(language)
    return pattern.apply(value, locale, decimal_quantization=True, group_separator=True)


@cache
def _number_format(language: str) -> tuple[Locale, NumberPattern]:
    """What babel's format_decimal parses on each call, once per language: a report shows
    hundreds of figures."""
    return Locale.parse(language), parse_pattern("#,##0.#")


# CSV ---------------------------------------------------------------------------------------


def report_csv(report: Report) -> str:
    period = report.period
    lines: list[list] = [
        [_("Section"), _("Table"), _("Row"), _("Column"), _("Value")],
        [_("Report"), _("Memorandum of Understanding"), "", "", localized(report.mou, "title")],
        [_("Report"), _("Parties"), "", "", parties_text(report)],
        [_("Report"), _("First day"), "", "", period.first.isoformat()],
        [_("Report"), _("Last day"), "", "", period.last.isoformat()],
        [_("Report"), _("Time zone"), "", "", period.zone],
        [_("Report"), _("Issued on"), "", "", report.issued_at.isoformat(timespec="seconds")],
    ]
    for part in report.parts:
        for table in part.tables:
            for row in table.rows:
                for (_key, label), value in zip(table.columns, row.values, strict=True):
                    lines.append(
                        [
                            part.title,
                            table.caption,
                            row.label,
                            label,
                            "" if value is None else value,
                        ]
                    )
    return csv_text(lines)


# PDF ---------------------------------------------------------------------------------------


def report_pdf(report: Report, language: str) -> bytes:
    """Call inside force_locale(language): the tables' words are already in it."""
    pdf = FPDF(orientation="portrait", format="A4")
    title = _("Implementation report")
    pdf.set_title(f"{title} · {localized(report.mou, 'title')}")
    pdf.set_lang(language)
    pdf.set_creator("portal")
    pdf.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(18, 18, 18)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    _text(pdf, title, size=18, bold=True, after=2)
    _text(pdf, localized(report.mou, "title"), size=13, bold=True, after=4)
    _text(pdf, _("Parties: %(parties)s", parties=parties_text(report)), size=10)
    _text(pdf, _("Period: %(period)s", period=period_text(report, language)), size=10)
    _text(pdf, _("Issued on %(day)s", day=issued_text(report, language)), size=10, after=6)
    for part in report.parts:
        _text(pdf, part.title, size=14, bold=True, after=2)
        for table in part.tables:
            _table(pdf, table, language)
    return bytes(pdf.output())


def _text(pdf: FPDF, text: str, *, size: int, bold: bool = False, after: float = 1) -> None:
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(after)


def _table(pdf: FPDF, table, language: str) -> None:
    _text(pdf, table.caption, size=11, bold=True)
    if not table.rows:
        _text(pdf, _("Nothing in this period."), size=9, after=4)
        return
    pdf.set_font(FONT, "", 8)
    widths = (3, *(1 for _column in table.columns))
    with pdf.table(
        col_widths=widths,
        text_align=("LEFT", *("RIGHT" for _column in table.columns)),
        headings_style=FontFace(emphasis="BOLD"),
        line_height=4.5,
    ) as grid:
        heading = grid.row()
        for label in (table.heading, *(label for _key, label in table.columns)):
            heading.cell(label)
        for row in table.rows:
            line = grid.row()
            line.cell(row.label)
            for value in row.values:
                line.cell(shown(value, language))
    if table.note:
        _text(pdf, table.note, size=8)
    pdf.ln(4)
