"""Reports: every figure equals a count written here in SQL; the CSV is safe in a spreadsheet;
the period and party are validated; the number of queries does not grow with the data."""

import csv
import io
import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, text

from portal.trainings.certificates import issue_certificates
from portal.trainings.models import AttendanceMark, RegistrationStatus, Sector, TrainingStatus
from tests import factories
from tests.helpers.training_followup import make_training, register

PRESENT, PARTIAL, ABSENT = AttendanceMark.PRESENT, AttendanceMark.PARTIAL, AttendanceMark.ABSENT
WAITLISTED, CANCELLED = RegistrationStatus.WAITLISTED, RegistrationStatus.CANCELLED
FIRST, LAST = date(2026, 1, 1), date(2026, 6, 30)
SUMMER_END = date(2026, 7, 31)  # takes in {second} on every clock
COLUMNS = (
    "registrations",
    "confirmed",
    "waitlisted",
    "cancelled",
    "present",
    "partial",
    "absent",
    "certificates",
)


def _people(session, world, count: int):
    """Delegation members of both parties, to fill trainings."""
    return [
        factories.make_user(session, world.cl if n % 2 else world.gb, name=f"Person {n}")
        for n in range(count)
    ]


@pytest.fixture
def data(world, session, app):
    """Trainings in and out of the period, with every status, attendance and sector."""
    in_period = make_training(session, world.mou, datetime(2026, 3, 3, 13, tzinfo=UTC))
    second = make_training(
        session, world.mou, datetime(2026, 6, 30, 23, 30, tzinfo=UTC), title_en='=HYPERLINK("x")'
    )
    before = make_training(session, world.mou, datetime(2025, 12, 31, 12, tzinfo=UTC))
    cancelled = make_training(
        session, world.mou, datetime(2026, 4, 1, 12, tzinfo=UTC), status=TrainingStatus.CANCELLED
    )
    elsewhere = make_training(session, world.mou_cl_co, datetime(2026, 4, 1, 12, tzinfo=UTC))
    people = _people(session, world, 9)
    sectors = list(Sector)
    marks = [PRESENT, PRESENT, PARTIAL, ABSENT, None]
    for n, person in enumerate(people):
        register(session, in_period, person, attendance=marks[n % 5], sector=sectors[n % 4])
    register(session, in_period, world.member_cl, status=WAITLISTED, sector=Sector.PRIVATE)
    register(session, in_period, world.member_gb, status=CANCELLED, sector=Sector.ACADEMIA)
    register(session, in_period, world.external_cl, attendance=PRESENT, sector=Sector.PRIVATE)
    register(session, second, world.member_gb, attendance=PRESENT, sector=Sector.PUBLIC)
    register(session, second, world.member_cl, status=WAITLISTED)
    for training in (before, cancelled, elsewhere):
        register(session, training, world.member_cl, attendance=PRESENT)
    session.commit()
    with app.test_request_context():
        issue_certificates(session, world.coordinator_cl, in_period)
        issue_certificates(session, world.coordinator_cl, before)
    session.commit()
    return {"in_period": in_period, "second": second}


# External participants belong to no party: counted apart, per sector (issue 13 item 6).
PARTY_OR_EXTERNAL = (
    "CASE WHEN u.role = 'external' THEN 'external-' || r.sector ELSE CAST(u.party_id AS TEXT) END"
)

EXPECTED_SQL = """
SELECT {key} AS key,
       COUNT(*) AS registrations,
       SUM(CASE WHEN r.status = 'confirmed' THEN 1 ELSE 0 END) AS confirmed,
       SUM(CASE WHEN r.status = 'waitlisted' THEN 1 ELSE 0 END) AS waitlisted,
       SUM(CASE WHEN r.status = 'cancelled' THEN 1 ELSE 0 END) AS cancelled,
       SUM(CASE WHEN r.attendance = 'present' THEN 1 ELSE 0 END) AS present,
       SUM(CASE WHEN r.attendance = 'partial' THEN 1 ELSE 0 END) AS partial,
       SUM(CASE WHEN r.attendance = 'absent' THEN 1 ELSE 0 END) AS absent,
       COUNT(c.id) AS certificates
FROM training_registrations r
JOIN users u ON u.id = r.user_id
JOIN trainings t ON t.id = r.training_id
LEFT JOIN training_certificates c ON c.registration_id = r.id
WHERE {where}
GROUP BY 1
"""


def _expected(session, key: str, where: str, **params) -> dict[str, dict[str, int]]:
    rows = session.execute(text(EXPECTED_SQL.format(key=key, where=where)), params)
    return {str(row[0]): dict(zip(COLUMNS, map(int, row[1:]), strict=True)) for row in rows}


def _period_where(mou_id: int, zone: str, last: date = SUMMER_END) -> tuple[str, dict]:
    tz = ZoneInfo(zone)
    start = datetime.combine(FIRST, time(), tz).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time(), tz).astimezone(UTC)
    where = (
        "t.mou_id = :mou AND t.status <> 'cancelled' AND t.starts_at >= :start"
        " AND t.starts_at < :end"
    )
    return where, {"mou": mou_id, "start": start, "end": end}


def _table(page: str, caption: str) -> dict[str, dict[str, int]]:
    """{row key: {column: count}} of the table with this caption (the total row as "total")."""
    body = page.split(f"<caption>{caption}</caption>", 1)[1].split("</table>", 1)[0]
    table = {}
    for key, cells in re.findall(r'<tr data-key="([^"]+)">(.*?)</tr>', body, re.S):
        table[key] = {c: int(n) for c, n in re.findall(r'data-column="(\w+)">(\d+)<', cells)}
    return table


def _nonzero(table: dict) -> dict:
    return {key: counts for key, counts in table.items() if any(counts.values())}


def test_the_mou_report_counts_equal_the_databases(data, world, session, login_as):
    reader = world.coordinator_gb  # reads English, on London's clock
    response = login_as(reader).get(
        f"/mous/{world.mou.id}/trainings/report?first={FIRST}&last={SUMMER_END}"
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    where, params = _period_where(world.mou.id, reader.timezone)
    by_party = _expected(session, PARTY_OR_EXTERNAL, where, **params)
    by_sector = _expected(session, "r.sector", where, **params)
    by_training = _expected(session, "t.id", where, **params)
    total = _expected(session, "'total'", where, **params)
    assert by_party and by_sector and len(by_training) == 2
    assert _nonzero(_table(page, "Per party")) == {**by_party, **total}
    assert _nonzero(_table(page, "Per sector")) == {**by_sector, **total}
    assert _nonzero(_table(page, "Per training")) == {**by_training, **total}
    assert "Trainings starting from January 1, 2026 to July 31, 2026 (Europe/London)" in page
    assert 'role="img"' in page and "<desc" in page  # the chart, with its text equivalent
    for counts in by_party.values():
        for series in ("confirmed", "present", "certificates"):
            if counts[series]:
                assert f'data-series="{series}" data-count="{counts[series]}"' in page


def test_the_period_is_read_on_the_readers_clock(data, world, session, login_as):
    """{second} starts 30 June 23:30 UTC: 19:30 on 30 June in Santiago, 1 July in London."""
    arguments = f"first={FIRST}&last={LAST}"
    url = f"/mous/{world.mou.id}/trainings/report?{arguments}"
    santiago = login_as(world.coordinator_cl).get(url).get_data(as_text=True)
    london = login_as(world.coordinator_gb).get(url).get_data(as_text=True)
    second = str(data["second"].id)
    assert second in _table(santiago, "Por capacitación")
    assert second not in _table(london, "Per training")


def test_the_training_report_counts_equal_the_databases(data, world, session, login_as):
    training = data["in_period"]
    page = login_as(world.coordinator_gb).get(f"/trainings/{training.id}/report")
    text_page = page.get_data(as_text=True)
    where, params = "r.training_id = :training", {"training": training.id}
    total = _expected(session, "'total'", where, **params)
    assert _nonzero(_table(text_page, "Per party")) == {
        **_expected(session, PARTY_OR_EXTERNAL, where, **params),
        **total,
    }
    assert _nonzero(_table(text_page, "Per sector")) == {
        **_expected(session, "r.sector", where, **params),
        **total,
    }
    assert "Per training" not in text_page


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_the_csv_holds_the_same_figures_and_no_formula(data, world, session, login_as):
    browser = login_as(world.coordinator_gb)
    url = f"/mous/{world.mou.id}/trainings/report.csv?first={FIRST}&last={SUMMER_END}"
    rows = _csv(browser.get(url))
    assert rows[0][:2] == ["Breakdown", "Name"]
    where, params = _period_where(world.mou.id, world.coordinator_gb.timezone)
    total = _expected(session, "'total'", where, **params)["total"]
    assert rows[-1] == ["Total", "All", *(str(total[c]) for c in COLUMNS)]
    training_rows = [row for row in rows if row[0] == "Training"]
    assert [row[1] for row in training_rows if "HYPERLINK" in row[1]] == ['\'=HYPERLINK("x")']
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_a_party_name_that_looks_like_a_formula_is_made_plain(world, session, login_as):
    world.gb.name_en = "+SUM(1,2)"
    training = make_training(session, world.mou)
    register(session, training, world.member_gb, attendance=PRESENT)
    session.commit()
    rows = _csv(login_as(world.coordinator_gb).get(f"/trainings/{training.id}/report.csv"))
    assert "GB · +SUM(1,2)" in [row[1] for row in rows]  # starts with the code: harmless
    world.gb.code = "@X"
    session.commit()
    rows = _csv(login_as(world.coordinator_gb).get(f"/trainings/{training.id}/report.csv"))
    assert "'@X · +SUM(1,2)" in [row[1] for row in rows]


def test_a_party_filter_keeps_only_that_party(data, world, session, login_as):
    url = (
        f"/mous/{world.mou.id}/trainings/report?first={FIRST}&last={SUMMER_END}&party={world.gb.id}"
    )
    page = login_as(world.coordinator_gb).get(url).get_data(as_text=True)
    where, params = _period_where(world.mou.id, world.coordinator_gb.timezone)
    expected = _expected(
        session, PARTY_OR_EXTERNAL, where + " AND u.party_id = :party", party=world.gb.id, **params
    )
    assert _nonzero(_table(page, "Per party")) == {
        **expected,
        "total": expected[str(world.gb.id)],
    }


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("first=2026-06-30&last=2026-01-01", "The end of the period cannot be before its start."),
        ("first=2026-13-45", "Enter the date as YYYY-MM-DD."),
        ("first=yesterday", "Enter the date as YYYY-MM-DD."),
        ("first=1900-01-01", "Choose a date between 2000 and 2100."),
        ("last=20266-01-01", "Enter the date as YYYY-MM-DD."),
        ("party=987654", "Choose one of the options in the list."),
        ("party={co}", "Choose one of the options in the list."),
        ("party=abc", "Choose one of the options in the list."),
    ],
)
def test_bad_periods_and_parties_are_refused_with_a_message(query, message, world, login_as):
    browser = login_as(world.coordinator_gb)
    for suffix in ("", ".csv"):
        url = f"/mous/{world.mou.id}/trainings/report{suffix}?" + query.format(co=world.co.id)
        response = browser.get(url)
        assert response.status_code == 422
        assert response.mimetype == "text/html"
        assert message in response.get_data(as_text=True)


def _queries_for(engine, browser, url: str) -> int:
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(engine, "before_cursor_execute", count)
    try:
        assert browser.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(statements)


def test_the_query_count_does_not_grow_with_the_data(world, session, login_as, engine):
    browser = login_as(world.coordinator_gb)
    mou_url = f"/mous/{world.mou.id}/trainings/report?first={FIRST}&last={LAST}"
    one = make_training(session, world.mou)
    register(session, one, world.member_gb, attendance=PRESENT)
    session.commit()
    small = (
        _queries_for(engine, browser, mou_url),
        _queries_for(engine, browser, f"/trainings/{one.id}/report"),
    )
    people = _people(session, world, 30)
    for day in range(6):
        training = make_training(session, world.mou, datetime(2026, 2, 1 + day, 13, tzinfo=UTC))
        for n, person in enumerate(people):
            register(session, training, person, attendance=PRESENT, sector=list(Sector)[n % 4])
    for n, person in enumerate(people):
        register(session, one, person, attendance=[PRESENT, PARTIAL, ABSENT][n % 3])
    session.commit()
    large = (
        _queries_for(engine, browser, mou_url),
        _queries_for(engine, browser, f"/trainings/{one.id}/report"),
    )
    assert large == small
