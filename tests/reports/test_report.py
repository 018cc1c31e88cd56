"""The implementation report of the demo's Chile–Colombia MoU, extended with a year of
activity (tests/helpers/report_activity.py): every figure of the page equals the one counted
here by queries of its own (rows fetched and counted in Python, rights asked of the Python
predicates); restricted documents are counted but never named, in the page, the CSV and the
PDF; the CSV parses and is safe in a spreadsheet; the PDF opens and carries the figures."""

import csv
import io
from collections import Counter
from datetime import UTC, datetime

from sqlalchemy import select

from portal.accounts.models import User
from portal.actions.models import ActionItem, ActionStatus
from portal.documents.access import can_view_document
from portal.documents.models import Document
from portal.meetings.models import Invitee, Meeting, MeetingStatus, Minutes, MinutesApproval
from portal.mous.models import WorkingGroup
from portal.trainings.certificates import Certificate
from portal.trainings.models import Registration, Training, TrainingStatus
from tests.conftest import login
from tests.helpers.demo import DEMO_PASSWORD, seed_demo
from tests.helpers.pdf import pdf_text
from tests.helpers.report_activity import (
    OPEN_TITLE,
    RED_TITLE,
    STRICT_TITLE,
    add_a_year_of_activity,
    day_bounds,
)
from tests.helpers.report_page import figures

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _expected(session, activity, reader: User) -> dict:
    """The report's figures, counted here without the report's queries."""
    mou, now = activity.mou, datetime.now(UTC)
    start, end = day_bounds(activity.first, activity.last, reader.timezone)
    groups = [
        g.id for g in session.scalars(select(WorkingGroup).where(WorkingGroup.mou_id == mou.id))
    ]
    parties = {p.id: p.code for p in mou.parties}
    expected = {}

    meetings = session.scalars(select(Meeting).where(Meeting.working_group_id.in_(groups))).all()
    in_period = [m for m in meetings if start <= m.starts_at < end]
    held = [m for m in in_period if m.status == MeetingStatus.SCHEDULED and m.ends_at <= now]
    expected[("meetings", "held", "meetings")] = len(held)
    expected[("meetings", "upcoming", "meetings")] = sum(
        m.status == MeetingStatus.SCHEDULED and m.ends_at > now for m in in_period
    )
    expected[("meetings", "cancelled", "meetings")] = sum(
        m.status == MeetingStatus.CANCELLED for m in in_period
    )
    held_ids = {m.id for m in held}
    invitees = session.execute(
        select(Invitee.meeting_id, User.party_id, Invitee.attendance).join(User)
    ).all()
    for party_id, code in parties.items():
        mine = [a for meeting_id, p, a in invitees if meeting_id in held_ids and p == party_id]
        counts = Counter(str(a) for a in mine)
        expected[("attendance", code, "invited")] = len(mine)
        for column, state in (
            ("present", "present"),
            ("partial", "partial"),
            ("absent", "absent"),
            ("not_recorded", "unknown"),
        ):
            expected[("attendance", code, column)] = counts[state]

    minutes = {
        m.meeting_id: m for m in session.scalars(select(Minutes)) if m.meeting_id in held_ids
    }
    states = Counter(str(m.state) for m in minutes.values())
    for state in ("approved", "circulated", "draft"):
        expected[("minutes", state, "meetings")] = states[state]
    expected[("minutes", "none", "meetings")] = len(held) - len(minutes)
    ends = {m.id: m.ends_at for m in held}
    days = []
    for meeting_id, m in minutes.items():
        if str(m.state) != "approved":
            continue
        approvals = session.scalars(
            select(MinutesApproval.approved_at).where(
                MinutesApproval.minutes_id == m.id, MinutesApproval.withdrawn_at.is_(None)
            )
        ).all()
        days.append((max(approvals) - ends[meeting_id]).total_seconds() / 86400)
    expected_days = {"average": sum(days) / len(days), "longest": max(days)}

    today = activity.last
    for party_id, code in parties.items():
        items = session.scalars(
            select(ActionItem).where(
                ActionItem.working_group_id.in_(groups), ActionItem.responsible_party_id == party_id
            )
        ).all()
        done = [
            i for i in items
            if i.status == ActionStatus.DONE and activity.first <= i.completed_on <= activity.last
        ]  # fmt: skip
        expected[("actions", code, "opened")] = sum(start <= i.created_at < end for i in items)
        expected[("actions", code, "done")] = len(done)
        expected[("actions", code, "done_on_time")] = sum(i.completed_on <= i.due_on for i in done)
        expected[("actions", code, "overdue")] = sum(
            i.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
            and activity.first <= i.due_on < today
            for i in items
        )

    documents = [
        d
        for d in session.scalars(select(Document).where(Document.mou_id == mou.id))
        if start <= d.created_at < end
    ]
    for category in {str(d.category) for d in documents}:
        of_category = [d for d in documents if str(d.category) == category]
        for party_id, code in parties.items():
            expected[("documents", category, code)] = sum(
                d.owning_party_id == party_id for d in of_category
            )
        expected[("documents", category, "total")] = len(of_category)
        expected[("documents", category, "you_may_open")] = sum(
            can_view_document(reader, d) for d in of_category
        )

    trainings = [
        t.id
        for t in session.scalars(select(Training).where(Training.mou_id == mou.id))
        if start <= t.starts_at < end and t.status != TrainingStatus.CANCELLED
    ]
    registrations = session.execute(
        select(User.party_id, Registration.attendance, Certificate.id)
        .join(User, User.id == Registration.user_id)
        .outerjoin(Certificate, Certificate.registration_id == Registration.id)
        .where(Registration.training_id.in_(trainings))
    ).all()
    attended = [r for r in registrations if str(r[1]) in ("present", "partial")]
    expected[("trainings", "trainings", "number")] = len(trainings)
    expected[("trainings", "participants", "number")] = len(attended)
    expected[("trainings", "certificates", "number")] = sum(r[2] is not None for r in registrations)
    for party_id in parties:
        expected[("trainings_per_party", str(party_id), "participants")] = sum(
            r[0] == party_id for r in attended
        )
        expected[("trainings_per_party", str(party_id), "certificates")] = sum(
            r[0] == party_id and r[2] is not None for r in registrations
        )
    return expected, expected_days


def test_the_report_counts_what_independent_queries_count_and_names_no_restricted_document(
    app, session
):
    assert seed_demo(app).exit_code == 0
    activity = add_a_year_of_activity(app, session)
    mou, people = activity.mou, activity.people
    reader = people["coordinator.co"]
    browser = app.test_client()
    login(browser, reader, DEMO_PASSWORD)
    period = f"first={activity.first.isoformat()}&last={activity.last.isoformat()}"

    page = browser.get(f"/mous/{mou.id}/report?{period}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    shown = figures(html)
    expected, expected_days = _expected(session, activity, reader)
    assert {key: shown.get(key) for key in expected} == {
        key: str(value) for key, value in expected.items()
    }
    assert expected[("meetings", "held", "meetings")] >= 12  # the year's activity is counted
    for category in ("protocol", "national_strategy"):  # the RED one, the AMBER+STRICT one
        total, openable = (expected[("documents", category, c)] for c in ("total", "you_may_open"))
        assert total > openable
    for key, days in expected_days.items():
        assert abs(float(shown[("approval_time", key, "days")]) - days) <= 0.051
    assert OPEN_TITLE in html
    assert RED_TITLE not in html and STRICT_TITLE not in html
    assert html.count('role="img"') >= 4  # charts drawn on the server, each named
    assert "<title id=" in html

    answer = browser.get(f"/mous/{mou.id}/report.csv?{period}")
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    text = answer.get_data(as_text=True)
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0] == ["Sección", "Tabla", "Fila", "Columna", "Valor"]  # the reader's language
    assert all(len(line) == 5 for line in lines)
    cells = [cell for line in lines for cell in line]
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    assert '\'=HYPERLINK("http://evil.example")' in cells  # the title, neutralised
    assert RED_TITLE not in text and STRICT_TITLE not in text and OPEN_TITLE in text
    held = next(line for line in lines if line[1] == "Reuniones" and line[2] == "Realizadas")
    assert held[4] == str(expected[("meetings", "held", "meetings")])

    document = pdf_text(browser.get(f"/mous/{mou.id}/report.pdf?{period}&language=es"))
    assert "Informe de implementación" in document
    assert mou.title_es in document and "CL · Chile" in document and "CO · Colombia" in document
    assert str(activity.last.year) in document and "Emitido el" in document
    assert RED_TITLE not in document and STRICT_TITLE not in document
    assert OPEN_TITLE in document
    assert f"Realizadas {expected[('meetings', 'held', 'meetings')]}" in document
    document_en = pdf_text(browser.get(f"/mous/{mou.id}/report.pdf?{period}&language=en"))
    assert "Implementation report" in document_en and mou.title_en in document_en
    assert f"Held {expected[('meetings', 'held', 'meetings')]}" in document_en

    # The default period is the MoU's whole history (it has no signature date).
    whole = figures(browser.get(f"/mous/{mou.id}/report").get_data(as_text=True))
    assert int(whole[("meetings", "held", "meetings")]) >= int(
        shown[("meetings", "held", "meetings")]
    )

    outsider = app.test_client()
    login(outsider, people["coordinator.gb"], DEMO_PASSWORD)
    for route in ("report", "report.csv", "report.pdf"):
        assert outsider.get(f"/mous/{mou.id}/{route}?{period}").status_code == 404


# query: (message in English, in Spanish)
BAD_PERIODS = {
    "first=2026-13-01": ("Enter the date as YYYY-MM-DD.", "Ingrese la fecha como AAAA-MM-DD."),
    "first=1900-01-01": (
        "Choose a date between 2000 and 2100.",
        "Elija una fecha entre 2000 y 2100.",
    ),
    "first=2026-05-01&last=2026-04-01": (
        "The end of the period cannot be before its start.",
        "El fin del período no puede ser anterior a su inicio.",
    ),
    "language=fr": (
        "Choose one of the options in the list.",
        "Elija una de las opciones de la lista.",
    ),
}


def test_a_bad_period_is_refused_with_a_message_in_the_readers_language(world, login_as):
    english, spanish = login_as(world.coordinator_gb), login_as(world.member_cl)
    assert (world.coordinator_gb.language, world.member_cl.language) == ("en", "es")
    for route in ("report", "report.csv", "report.pdf"):
        for query, messages in BAD_PERIODS.items():
            for browser, message in zip((english, spanish), messages, strict=True):
                answer = browser.get(f"/mous/{world.mou.id}/{route}?{query}")
                page = answer.get_data(as_text=True)
                assert (answer.status_code, answer.mimetype) == (422, "text/html"), query
                assert message in page, (route, query)
