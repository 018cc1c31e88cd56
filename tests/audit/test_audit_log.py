"""The audit log as investigators use it: filters, labels and links, paging, CSV, who sees what."""

import ast
import csv
import io
import pathlib
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from portal.audit.forms import kind_labels
from portal.audit.models import AuditEvent
from tests.helpers.bad_input import changed_tables, snapshot
from tests.helpers.fuzz import FUZZ, TEXT
from tests.helpers.matrix import LOGIN, assert_pages, column, each_actor

MARCH_10 = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)


def _event(session, action, actor=None, when=MARCH_10, object_type=None, object_id=None, **details):
    session.add(
        AuditEvent(
            action=action,
            actor_id=actor.id if actor else None,
            occurred_at=when,
            object_type=object_type,
            object_id=None if object_id is None else str(object_id),
            ip_address="192.0.2.7",
            details=details,
        )
    )


@pytest.fixture
def events(world, session):
    """A few events of each delegation, on known days; login events come on top of them."""
    _event(session, "minutes.saved", world.coordinator_cl, object_type="meeting", object_id=7)
    _event(session, "minutes.approved", world.coordinator_gb, object_type="meeting", object_id=7)
    _event(session, "minutesx.odd", world.member_cl)  # not a minutes event
    _event(session, "document.downloaded", world.member_gb, object_type="document", object_id=3)
    _event(session, "login.failed", None, object_type="user", object_id=world.member_cl.id)
    _event(session, "login.failed", None, object_type="email", object_id="=cmd|' /c calc'!a0")
    # 02:30 UTC on 11 March is still 10 March in Santiago (UTC-3), already 11 March in London.
    _event(
        session,
        "action.created",
        world.member_cl,
        when=datetime(2026, 3, 11, 2, 30, tzinfo=UTC),
        object_type="action",
        object_id=5,
    )
    _event(session, "mou.updated", world.admin, when=datetime(2026, 2, 1, 12, tzinfo=UTC))
    session.commit()


def _shown_kinds(client, query: str = "") -> list[str]:
    response = client.get(f"/admin/audit/?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return _codes(response.get_data(as_text=True))


def _codes(page: str) -> list[str]:
    return [
        part.split("</code>")[0]
        for part in page.split('<code class="small">')[1:]
        if not part.startswith("login<")
    ]


def _csv(response) -> list[dict]:
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


# Filters --------------------------------------------------------------------------------


def test_the_kind_filter_is_a_prefix_minutes_finds_every_minutes_event(events, login_as, world):
    admin = login_as(world.admin)
    assert _shown_kinds(admin, "kind=minutes") == ["minutes.approved", "minutes.saved"]
    assert _shown_kinds(admin, "kind=Minutes.") == ["minutes.approved", "minutes.saved"]
    assert _shown_kinds(admin, "kind=minutes.saved") == ["minutes.saved"]
    assert _shown_kinds(admin, "kind=minute") == []
    assert _shown_kinds(admin, "kind=login.failed") == ["login.failed", "login.failed"]


def test_the_person_filter_finds_what_they_did_and_what_happened_to_their_account(
    events, login_as, world
):
    admin = login_as(world.admin)
    shown = _shown_kinds(admin, "person=javiera&kind=")
    assert shown == ["action.created", "login.failed", "minutesx.odd"]
    assert _shown_kinds(admin, "person=calc") == ["login.failed"]  # an unknown address
    assert _shown_kinds(admin, "person=100%25") == []  # % is a character, not a wildcard


def test_the_party_object_and_date_filters(events, login_as, world, session):
    admin = login_as(world.admin)  # Santiago
    assert _shown_kinds(admin, f"party={world.gb.id}") == [
        "document.downloaded",
        "minutes.approved",
    ]
    assert _shown_kinds(admin, "object_type=meeting&object_id=7") == [
        "minutes.approved",
        "minutes.saved",
    ]
    assert _shown_kinds(admin, "object_type=action") == ["action.created"]
    march_10 = _shown_kinds(admin, "since=2026-03-10&until=2026-03-10")
    assert "action.created" in march_10  # 23:30 on 10 March in Santiago
    assert "mou.updated" not in march_10
    assert _shown_kinds(admin, "until=2026-02-28") == ["mou.updated"]
    london = login_as(world.coordinator_gb)
    assert "action.created" not in _shown_kinds(london, "until=2026-03-10")


def test_each_kind_and_object_shows_a_label_in_the_readers_language_and_a_link(
    events, login_as, world
):
    spanish = login_as(world.admin).get("/admin/audit/?kind=minutes").get_data(as_text=True)
    assert "Acta aprobada" in spanish
    assert '<a href="/meetings/7">Reunión 7</a>' in spanish
    english = login_as(world.coordinator_gb).get("/admin/audit/").get_data(as_text=True)
    assert "Document downloaded" in english
    assert '<a href="/documents/3">Document 3</a>' in english
    assert "(Europe/London)" in english  # every time names its zone


def test_who_acted_links_to_their_account_for_administrators_only(events, login_as, world):
    account = f'<a href="/admin/accounts/{world.member_gb.id}">Emily Clarke · GB</a>'
    assert account in login_as(world.admin).get("/admin/audit/").get_data(as_text=True)
    london = login_as(world.coordinator_gb).get("/admin/audit/").get_data(as_text=True)
    assert "Document downloaded" in london and account not in london


def test_the_log_is_paged_and_the_pager_keeps_the_filters(world, session, login_as):
    for number in range(25):
        _event(
            session,
            "document.downloaded",
            world.member_gb,
            object_type="document",
            object_id=number,
        )
    session.commit()
    admin = login_as(world.admin)
    first = admin.get("/admin/audit/?kind=document").get_data(as_text=True)
    assert len(_codes(first)) == 20
    assert "25 eventos" in first
    assert "/admin/audit/?page=2&amp;kind=document" in first or "kind=document&amp;page=2" in first
    second = _shown_kinds(admin, "kind=document&page=2")
    assert len(second) == 5


# CSV --------------------------------------------------------------------------------------


def test_the_csv_export_has_the_filtered_events_with_zoned_times_and_safe_cells(
    events, login_as, world, session
):
    rows = _csv(login_as(world.coordinator_gb).get("/admin/audit/export.csv?kind=minutes"))
    assert [row["Kind code"] for row in rows] == ["minutes.approved"]  # GB's own only
    assert rows[0]["When (Europe/London)"] == "2026-03-10T15:00:00+00:00"
    assert rows[0]["Kind"] == "Minutes approved"
    assert (rows[0]["Object"], rows[0]["Object number"]) == ("Meeting", "7")
    assert rows[0]["Email"] == world.coordinator_gb.email

    admin_rows = _csv(login_as(world.admin).get("/admin/audit/export.csv?kind=login.failed"))
    objects = [row["Número del objeto"] for row in admin_rows]
    assert "'=cmd|' /c calc'!a0" in objects  # a formula stays text in a spreadsheet
    assert admin_rows[0]["Cuándo (America/Santiago)"].endswith("-03:00")
    exported = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "audit.exported").order_by(AuditEvent.id)
    ).all()
    assert [(e.actor_id, e.details["kind"], e.details["rows"]) for e in exported] == [
        (world.coordinator_gb.id, "minutes", 1),
        (world.admin.id, "login.failed", 2),
    ]


def test_an_export_too_large_asks_to_narrow_the_filters(world, session, login_as, monkeypatch):
    monkeypatch.setattr("portal.audit.services.MAX_EXPORT_ROWS", 3)
    for number in range(4):
        _event(
            session,
            "document.downloaded",
            world.member_gb,
            object_type="document",
            object_id=number,
        )
    session.commit()
    response = login_as(world.coordinator_gb).get("/admin/audit/export.csv?kind=document")
    assert response.status_code == 422
    assert "4 events match: an export holds at most 3." in response.get_data(as_text=True)


# Coordinators ---------------------------------------------------------------------------


def test_a_coordinator_sees_only_their_own_delegations_events(events, login_as, world):
    cl = login_as(world.coordinator_cl)
    shown = _shown_kinds(cl)
    assert "document.downloaded" not in shown and "minutes.approved" not in shown
    assert {"minutes.saved", "action.created", "minutesx.odd", "mou.updated"} <= set(shown)
    assert shown.count("login.failed") == 1  # about a Chilean account, not the unknown address
    rows = _csv(cl.get("/admin/audit/export.csv"))
    assert {row["Delegación"] for row in rows} == {"CL", ""}
    asked_for_gb = cl.get(f"/admin/audit/?party={world.gb.id}")
    assert asked_for_gb.status_code == 422
    assert "Elija una de las opciones de la lista." in asked_for_gb.get_data(as_text=True)
    assert cl.get(f"/admin/audit/export.csv?party={world.gb.id}").status_code == 422


def test_the_coordinators_navigation_bar_leads_to_the_audit_log(login_as, world):
    assert 'href="/admin/audit/"' in login_as(world.coordinator_gb).get("/").get_data(as_text=True)
    assert 'href="/admin/audit/"' not in login_as(world.member_gb).get("/").get_data(as_text=True)


# Bad input ------------------------------------------------------------------------------

BAD_FILTERS = [
    ("kind=minutes%25", "Write a kind as its code"),
    ("kind=" + "a" * 65, "Use at most 64 characters."),
    ("since=2026-13-01", "Enter the date as YYYY-MM-DD."),
    ("until=yesterday", "Enter the date as YYYY-MM-DD."),
    ("since=2026-03-10&until=2026-03-01", "The end date comes before the start date."),
    ("until=9999-12-31", "Choose a date between 1970 and 2999."),
    ("object_type=planet", "Choose one of the options in the list."),
    ("object_id=7%20OR%201=1", "An object is named by its number, such as 42."),
    ("object_id=%D9%A3", "An object is named by its number, such as 42."),  # an Arabic 3
    ("party=abc", "Choose one of the options in the list."),
    ("person=a%0Ab", "Use a single line of plain text."),
]


@pytest.mark.parametrize(("query", "message"), BAD_FILTERS)
@pytest.mark.parametrize("path", ["/admin/audit/", "/admin/audit/export.csv"])
def test_bad_filters_get_a_clear_message_and_write_nothing(
    world, session, login_as, path, query, message
):
    client = login_as(world.coordinator_gb)
    before = snapshot(session)
    response = client.get(f"{path}?{query}")
    assert response.status_code == 422
    assert response.mimetype == "text/html"
    assert message in response.get_data(as_text=True)
    assert changed_tables(before, snapshot(session)) == []


FILTER_NAMES = ("person", "party", "kind", "object_type", "object_id", "since", "until", "page")


@pytest.fixture
def coordinator_gb(world, login_as):
    return login_as(world.coordinator_gb)


@FUZZ
@given(st.dictionaries(st.sampled_from(FILTER_NAMES), TEXT, max_size=4))
def test_any_filter_text_answers_a_page_or_a_clear_refusal(coordinator_gb, session, query):
    before = snapshot(session)
    response = coordinator_gb.get("/admin/audit/", query_string=query)
    assert response.status_code in (200, 422)
    assert changed_tables(before, snapshot(session)) == []


# Append-only ----------------------------------------------------------------------------


def test_the_audit_log_offers_no_way_to_change_or_delete_events(events, login_as, world, session):
    admin = login_as(world.admin)
    count = session.scalar(select(func.count()).select_from(AuditEvent))
    for method in ("post", "put", "delete", "patch"):
        for path in ("/admin/audit/", "/admin/audit/export.csv"):
            assert getattr(admin, method)(path).status_code in (400, 405)
    session.rollback()
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == count


def test_every_kind_the_portal_records_has_a_label_in_both_languages(app):
    recorded = set()
    for path in pathlib.Path("portal").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            name = getattr(node, "func", None)
            if (
                isinstance(node, ast.Call)
                and getattr(name, "id", getattr(name, "attr", "")) == "record"
            ):
                for argument in node.args:
                    values = (
                        (argument.body, argument.orelse)
                        if isinstance(argument, ast.IfExp)
                        else (argument,)
                    )
                    recorded |= {
                        v.value
                        for v in values
                        if isinstance(v, ast.Constant) and isinstance(v.value, str)
                    }
    with app.app_context():
        labels = kind_labels()  # audit's own and the kinds each feature declares
    assert recorded - set(labels) == set()
    from flask_babel import force_locale

    with app.test_request_context(), force_locale("es"):
        untranslated = [code for code, label in labels.items() if str(label) == label._args[0]]
    assert untranslated == []


# The permission matrix of the audit routes ----------------------------------------------

# Columns, in the order of ACTORS:
#   anon, admin, coordinator CL, coordinator GB, member CL (in the group),
#   member CL outside the group, observer GB, external CL, member CO, coordinator CO.
# fmt: off
AUDIT_ROUTES = {
    "/admin/audit/":                        (LOGIN, 200, 200, 200, 403, 403, 403, 404, 403, 200),
    "/admin/audit/?kind=min&since=2026-01-01": (LOGIN, 200, 200, 200, 403, 403, 403, 404, 403, 200),
    "/admin/audit/?person=a&page=2":        (LOGIN, 200, 200, 200, 403, 403, 403, 404, 403, 200),
    "/admin/audit/export.csv":              (LOGIN, 200, 200, 200, 403, 403, 403, 404, 403, 200),
    "/admin/audit/export.csv?kind=login":   (LOGIN, 200, 200, 200, 403, 403, 403, 404, 403, 200),
    "/admin/audit/?party={gb}":             (LOGIN, 200, 422, 200, 403, 403, 403, 404, 403, 422),
    "/admin/audit/export.csv?party={cl}":   (LOGIN, 200, 200, 422, 403, 403, 403, 404, 403, 422),
}
# fmt: on


@each_actor
def test_audit_permission_matrix(events, browser_for, world, session, actor):
    ids = {"gb": world.gb.id, "cl": world.cl.id}
    assert_pages(browser_for, actor, AUDIT_ROUTES, ids)
    expected = column(AUDIT_ROUTES, actor)
    exports = session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "audit.exported")
    )
    assert exports == sum(1 for p, a in expected.items() if "export" in p and a == 200)
