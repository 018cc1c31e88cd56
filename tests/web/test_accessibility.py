"""WCAG 2.2 AA basics in the HTML the server sends: the current page marked in the bar, form
errors tied to their fields with a summary first, TLP labels in FIRST's colours, wide tables
that scroll in their own box. The browser test (tests/browser/test_phone.py) checks what
only a browser can: the width of pages on a phone and the menu opening without script."""

import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest

from portal.core.tlp import TLP
from portal.documents.models import DocumentLanguage
from tests.conftest import csrf_token
from tests.factories import make_action, make_document, make_meeting, make_training

# The pages' markup does not depend on the backend: run once, on PostgreSQL when it answers
# (ONE_BACKEND, tests/conftest.py), so that the suite's time goes where the backends differ.
pytestmark = pytest.mark.one_backend


def _nav(page: str) -> str:
    return page[page.index("<nav") : page.index("</nav>")]


def _current_links(page: str) -> list[str]:
    """The labels of the bar's links marked as the page being shown."""
    return re.findall(r'<a [^>]*aria-current="page"[^>]*>([^<]*)</a>', _nav(page))


@pytest.fixture
def coordinator(world, session, login_as):
    world.coordinator_gb.language = "en"
    session.commit()
    return login_as(world.coordinator_gb)


def test_the_bar_marks_the_page_being_shown_and_only_it(coordinator):
    dashboard = coordinator.get("/").get_data(as_text=True)
    actions = coordinator.get("/actions/").get_data(as_text=True)
    assert _current_links(dashboard) == ["Dashboard"]
    assert _current_links(actions) == ["Action items"]


def test_a_menu_is_marked_when_one_of_its_pages_is_shown(coordinator):
    audit = _nav(coordinator.get("/admin/audit/").get_data(as_text=True))
    assert re.search(r'<summary [^>]*aria-current="true"[^>]*>Administration</summary>', audit)
    assert _current_links(audit + "</nav>") == ["Audit log"]
    dashboard = _nav(coordinator.get("/").get_data(as_text=True))
    assert 'aria-current="true"' not in dashboard


def test_a_coordinators_admin_pages_are_in_one_menu_that_opens_without_script(coordinator):
    bar = _nav(coordinator.get("/").get_data(as_text=True))
    menu = bar[bar.index("<details") : bar.index("</details>")]
    assert "Invitations" in menu and "Audit log" in menu
    assert bar.count("Invitations") == 1 and bar.count("Audit log") == 1


def test_the_phone_menu_toggle_is_a_labelled_checkbox(coordinator):
    bar = _nav(coordinator.get("/").get_data(as_text=True))
    assert re.search(r'<input type="checkbox" [^>]*id="navbar-toggle"', bar)
    assert re.search(r'<label class="navbar-toggler" for="navbar-toggle">', bar)


def test_a_refused_login_ties_each_error_to_its_field_and_sums_them_up(app, world):
    client = app.test_client()
    response = client.post(
        "/auth/login", data={"csrf_token": csrf_token(client), "email": "", "password": ""}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    email = re.search(r"<input [^>]*name=\"email\"[^>]*>", page).group(0)
    assert 'aria-invalid="true"' in email
    described = re.search(r'aria-describedby="([^"]*)"', email).group(1).split()
    for error_id in described:
        assert re.search(rf'id="{error_id}"[^>]*>This field is required\.<', page)
    summary = page[page.index('class="error-summary') : page.index('name="email"')]
    assert 'tabindex="-1"' in summary and "autofocus" in summary
    assert re.search(r'href="#email">Email', summary)
    assert re.search(r'href="#password">', summary)
    # The summary comes before the form's first field.
    assert page.index("error-summary") < page.index('name="email"')


def test_a_refused_meeting_form_marks_its_fields(world, session, login_as):
    world.coordinator_cl.language = "en"
    session.commit()
    browser = login_as(world.coordinator_cl)
    path = f"/working-groups/{world.group.id}/meetings/new"
    response = browser.post(path, data={"csrf_token": csrf_token(browser, path), "title_en": ""})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    title = re.search(r"<input [^>]*name=\"title_en\"[^>]*>", page).group(0)
    assert 'aria-invalid="true"' in title
    error_id = re.search(r'aria-describedby="([^"]*)"', title).group(1).split()[-1]
    assert f'id="{error_id}"' in page
    assert 'href="#title_en"' in page[page.index("error-summary") :]


def test_a_valid_form_has_no_error_summary_nor_invalid_field(app):
    page = app.test_client().get("/auth/login").get_data(as_text=True)
    assert "error-summary" not in page and "aria-invalid" not in page


@pytest.mark.parametrize(
    ("tlp", "css"),
    [
        (TLP.CLEAR, "tlp-clear"),
        (TLP.GREEN, "tlp-green"),
        (TLP.AMBER, "tlp-amber"),
        (TLP.AMBER_STRICT, "tlp-amber-strict"),
        (TLP.RED, "tlp-red"),
    ],
)
def test_tlp_labels_carry_their_colour_class(app, world, session, login_as, tlp, css):
    extra = {"reader_ids": [world.coordinator_cl.id]} if tlp == TLP.RED else {}
    document_id = make_document(app, world.coordinator_cl, world.mou, world.group, tlp=tlp, **extra)
    world.coordinator_cl.language = "en"
    session.commit()
    page = login_as(world.coordinator_cl).get(f"/documents/{document_id}")
    badge = re.search(r'<span class="badge tlp ([a-z-]+)"[^>]*>([^<]*)</span>', page.text)
    assert badge.groups() == (css, tlp.label)


def test_the_stylesheet_gives_tlp_labels_firsts_colours_on_black(app):
    css = app.test_client().get("/static/css/portal.css").get_data(as_text=True)
    rules = dict(re.findall(r"\.(tlp-[a-z-]+) \{ ([^}]*)\}", css))
    assert "background-color: #000" in re.search(r"\.tlp \{([^}]*)\}", css).group(1)
    assert rules["tlp-red"].startswith("color: #ff2b2b")
    assert rules["tlp-amber"].startswith("color: #ffc000")
    assert rules["tlp-green"].startswith("color: #33ff00")
    assert rules["tlp-clear"].startswith("color: #fff")
    # AMBER+STRICT is told from AMBER by more than its text.
    assert rules["tlp-amber-strict"] != rules["tlp-amber"]


class _TableWrappers(HTMLParser):
    """Each <table> and whether an element around it has the class table-responsive."""

    VOID = {"input", "br", "img", "meta", "link", "hr", "col", "source", "wbr", "area"}

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.tables: list[bool] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        if tag == "table":
            self.tables.append(any("table-responsive" in css.split() for css in self.open))
        self.open.append(dict(attrs).get("class") or "")

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.open:
            self.open.pop()


def _unwrapped_tables(page: str) -> int:
    parser = _TableWrappers()
    parser.feed(page)
    return parser.tables.count(False)


def test_every_table_of_the_main_pages_scrolls_in_its_own_box(app, world, session, login_as):
    soon = datetime.now(UTC) + timedelta(days=3)
    meeting = make_meeting(session, world.group, soon, invitees=[world.member_gb])
    make_action(session, world.group, [world.member_gb], soon.date())
    training = make_training(session, world.mou, soon + timedelta(days=2))
    session.commit()
    document_id = make_document(app, world.coordinator_cl, world.mou, world.group)
    world.admin.language = "en"
    session.commit()
    browser = login_as(world.admin)
    pages = [
        "/",
        "/calendar",
        f"/meetings/{meeting.id}",
        f"/meetings/{meeting.id}/manage",
        "/actions/",
        f"/documents/{document_id}",
        "/trainings/",
        f"/trainings/{training.id}",
        f"/trainings/{training.id}/report",
        "/admin/accounts/",
        "/admin/parties/",
        "/admin/audit/",
        "/admin/outbox/",
        "/invitations/",
        "/account/sessions",
    ]
    tables = {}
    for path in pages:
        response = browser.get(path)
        assert response.status_code == 200, path
        tables[path] = _unwrapped_tables(response.get_data(as_text=True))
    assert {path: count for path, count in tables.items() if count} == {}
    assert "<table" in browser.get("/calendar").get_data(as_text=True)


def test_language_names_and_other_language_titles_carry_their_lang(app, world, session, login_as):
    document_id = make_document(
        app,
        world.coordinator_cl,
        world.mou,
        world.group,
        title="",
        title_es="Informe anual",  # its title written in Spanish only
        language=DocumentLanguage.SPANISH,
    )
    world.coordinator_cl.language = "en"
    session.commit()
    browser = login_as(world.coordinator_cl)
    page = browser.get(f"/documents/{document_id}").get_data(as_text=True)
    assert '<span lang="es">Informe anual</span>' in page
    profile = browser.get("/account/").get_data(as_text=True)
    assert re.search(r'<option [^>]*lang="es"[^>]*>Español</option>', profile)
    assert re.search(r'<button [^>]*lang="es">Español</button>', profile)
