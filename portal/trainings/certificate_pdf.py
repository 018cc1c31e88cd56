"""The certificate as a PDF (fpdf2), in the language it was issued in.

DejaVu Sans comes from Debian's fonts-dejavu-core (the Makefile installs it; so must a
server) and is embedded in every file, so any Latin, Greek or Cyrillic name renders on a
machine without that font. The repository holds no font files.
"""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_skeleton
from babel.numbers import format_decimal
from flask_babel import force_locale
from flask_babel import gettext as _
from fpdf import FPDF

from portal.trainings import access
from portal.trainings.models import Training
from portal.web.urls import external_url

FONTS = Path("/usr/share/fonts/truetype/dejavu")
FONT = "DejaVu"


def _bilingual(obj: object, field: str, language: str) -> str:
    return getattr(obj, f"{field}_{language}", None) or getattr(obj, f"{field}_en")


def format_hours(minutes: int, language: str) -> str:
    return format_decimal(minutes / 60, format="#,##0.#", locale=language)


def session_dates(training: Training, language: str) -> str:
    """ "Wednesday, 4 March 2030, 10:00–13:00 (America/Santiago)", on the organiser's clock."""
    zone = ZoneInfo(training.timezone)
    start, end = training.starts_at.astimezone(zone), training.ends_at.astimezone(zone)

    def day(moment: datetime) -> str:
        return format_date(moment.date(), format="full", locale=language)

    def hour(moment: datetime) -> str:
        return format_datetime(moment, "HH:mm", tzinfo=zone, locale=language)

    if start.date() == end.date():
        return f"{day(start)}, {hour(start)}–{hour(end)} ({training.timezone})"
    return f"{day(start)}, {hour(start)} – {day(end)}, {hour(end)} ({training.timezone})"


def certificate_pdf(certificate) -> bytes:
    language = certificate.language
    registration = certificate.registration
    training = registration.training
    mou = training.mou
    with force_locale(language):
        pdf = _page()
        _line(pdf, _("Certificate of attendance"), size=24, bold=True, after=12)
        _line(pdf, _("This certifies that"), size=12)
        _line(pdf, registration.user.name, size=22, bold=True, after=6)
        if access.is_external_participant(registration.user):  # of no delegation: where from
            _line(pdf, registration.organisation, size=12, after=4)
        _line(pdf, _("attended the training"), size=12)
        _line(pdf, _bilingual(training, "title", language), size=16, bold=True, after=6)
        _line(pdf, session_dates(training, language), size=11)
        _line(
            pdf,
            _("Hours: %(hours)s", hours=format_hours(certificate.minutes, language)),
            size=11,
            after=6,
        )
        _line(pdf, _("Organised under the %(mou)s", mou=_bilingual(mou, "title", language)))
        parties = " · ".join(_bilingual(party, "name", language) for party in mou.parties)
        _line(pdf, _("Parties: %(parties)s", parties=parties), size=11, after=10)
        _line(pdf, _("Verification code: %(code)s", code=certificate.display_code), size=11)
        link = external_url("trainings.verify_certificate_code", code=certificate.display_code)
        _line(pdf, _("Check it at %(link)s", link=link), size=9)
        issued = format_skeleton(
            "yMMMMd", certificate.issued_at, tzinfo=ZoneInfo("UTC"), locale=language
        )
        _line(pdf, _("Issued on %(day)s (UTC)", day=issued), size=9)
    return bytes(pdf.output())


def _page() -> FPDF:
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_title("Certificate")
    pdf.set_creator("portal")
    pdf.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(25, 25, 25)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_line_width(1)
    pdf.rect(12, 12, pdf.w - 24, pdf.h - 24)
    pdf.set_y(30)
    return pdf


def _line(pdf: FPDF, text: str, *, size: int = 12, bold: bool = False, after: float = 2) -> None:
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.multi_cell(0, size * 0.5, text, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(after)
