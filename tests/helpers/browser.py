"""What the browser tests share: logging in as a person would (second step included), the
language switcher, sideways scrolling, axe-core, screenshots, and the pages they all visit."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from babel.support import Translations

from portal import PROJECT_ROOT
from portal.accounts.models import User
from portal.meetings.models import AgendaItem
from tests.conftest import second_factor_code
from tests.factories import (
    PASSWORD,
    make_action,
    make_document,
    make_meeting,
    make_registration,
    make_training,
)
from tests.helpers.minutes import circulated

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = PROJECT_ROOT / "artifacts" / "screenshots"
# axe-core's JavaScript as the package ships it: nothing is fetched when the tests run.
AXE = Axe()
SERIOUS = ("serious", "critical")


def log_in(page, base, user, app=None, password: str = PASSWORD):
    """Through the password form, and the second step for those who have one (pass `app`)."""
    email = user if isinstance(user, str) else user.email
    page.goto(f"{base}/auth/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("form button.btn-primary")
    if app is not None and "/auth/second-factor" in page.url:
        page.fill("input[name=code]", second_factor_code(app, user))
        page.click("form button.btn-primary")
    page.wait_for_url(f"{base}/")


def scrolls_sideways(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def language_of(page) -> str:
    return page.evaluate("document.documentElement.lang")


def switch_language(page) -> None:
    """The navigation bar's switcher offers the other language (the button may be folded
    away on a phone: it is pressed as a keyboard user would once the menu is open)."""
    before = language_of(page)
    with page.expect_navigation():
        page.evaluate("document.querySelector('button[name=language]').click()")
    assert language_of(page) != before


def serious_violations(page, rules: list[str] | None = None) -> list[str]:
    """axe-core's serious and critical violations of the page, one line each (of `rules`
    only, when given)."""
    results = (
        AXE.run(
            page,
            options={"runOnly": {"type": "rule", "values": rules}, "resultTypes": ["violations"]},
        )
        if rules
        else AXE.run(page)
    )
    return [
        f"{v['id']} ({v['impact']}): " + " | ".join(n["target"][0] for n in v["nodes"][:5])
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]


class Camera:
    """Screenshots of a page as its reader sees it, in both languages at both sizes, into
    artifacts/screenshots/ (ignored by git). Taken on one database backend only: the pages
    are the same on the other."""

    def __init__(self, enabled: bool, folder: Path = SCREENSHOTS) -> None:
        self.enabled = enabled
        self.folder = folder
        self.count = 0
        self.wide: list[str] = []  # the pages that scroll sideways on a phone
        if enabled:  # this run's screenshots only
            folder.mkdir(parents=True, exist_ok=True)
            for old in folder.glob("*.png"):
                old.unlink()

    def shoot(self, page, name: str) -> None:
        if not self.enabled:
            return
        self.count += 1
        size = page.viewport_size
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        for _ in range(2):  # this language, then the other, then back
            language = language_of(page)
            for width_height in (DESKTOP, PHONE):
                page.set_viewport_size(width_height)
                label = f"{width_height['width']}x{width_height['height']}"
                path = self.folder / f"{self.count:02d}-{slug}-{language}-{label}.png"
                page.screenshot(path=str(path), full_page=True)
                if width_height == PHONE and scrolls_sideways(page):
                    self.wide.append(path.name)
            page.set_viewport_size(size)
            switch_language(page)


_SPANISH = Translations.load(str(PROJECT_ROOT / "portal" / "translations"), ["es"])


def es(text: str, **values) -> str:
    """The Spanish a Chilean reader sees for this English text of the portal."""
    return _SPANISH.gettext(text) % values if values else _SPANISH.gettext(text)


def es_n(singular: str, plural: str, num: int) -> str:
    return _SPANISH.ngettext(singular, plural, num) % {"num": num}


def portal_pages(app, world, session, login_as) -> dict[str, list[tuple[str, str]]]:
    """The pages the accessibility and phone tests open, by who opens them, on a world with
    one of everything: a meeting with circulated minutes, an action item, a document, a
    training with a registration. A new page is one line here."""
    soon = datetime.now(UTC) + timedelta(days=3)
    meeting = make_meeting(
        session, world.group, soon, invitees=[world.member_gb, world.coordinator_cl]
    )
    meeting.agenda.append(AgendaItem(position=1, title="Indicators", planned_minutes=20))
    action = make_action(session, world.group, [world.member_gb], soon.date())
    training = make_training(session, world.mou, soon + timedelta(days=2))
    make_registration(session, training, world.member_gb)
    session.commit()
    circulated(login_as, meeting, world)
    document = make_document(app, world.coordinator_cl, world.mou, world.group)
    bulletin = _bulletin(app, session, world)
    return {
        "anonymous": [("login", "/auth/login")],
        "member_gb": [
            ("dashboard", "/"),
            ("MoU", f"/mous/{world.mou.id}"),
            ("working group", f"/working-groups/{world.group.id}"),
            ("meeting", f"/meetings/{meeting.id}"),
            ("minutes", f"/meetings/{meeting.id}/minutes"),
            ("calendar", "/calendar"),
            ("action list", "/actions/"),
            ("action item", f"/actions/{action.id}"),
            ("library", "/documents/"),
            ("document", f"/documents/{document}"),
            ("document search", "/documents/search?q=playbook"),
            ("search", "/search?q=indicators"),
            ("trainings", "/trainings/"),
            ("training", f"/trainings/{training.id}"),
            ("contacts", f"/mous/{world.mou.id}/contacts"),
            ("polls", f"/working-groups/{world.group.id}/polls"),
            ("CSIRT bulletin", f"/csirt/bulletins/{bulletin}"),
        ],
        "member_cl": [
            ("new bulletin", f"/mous/{world.mou.id}/csirt/bulletins/new"),
            ("bulletin from STIX", f"/mous/{world.mou.id}/csirt/bulletins/import"),
        ],
        "coordinator_cl": [
            ("meeting, its manager", f"/meetings/{meeting.id}"),
            ("meeting management", f"/meetings/{meeting.id}/manage"),
            ("working group, its manager", f"/working-groups/{world.group.id}"),
            ("training, its manager", f"/trainings/{training.id}"),
            ("training report", f"/trainings/{training.id}/report"),
            ("MoU training report", f"/mous/{world.mou.id}/trainings/report"),
            ("find a time", f"/working-groups/{world.group.id}/meetings/find-a-time"),
            ("propose times", f"/working-groups/{world.group.id}/polls/new"),
            ("new contact", f"/mous/{world.mou.id}/parties/{world.cl.id}/contacts/new"),
            ("CSIRT team", "/csirt/team"),
            ("CSIRT bulletins", "/csirt/bulletins"),
        ],
        "admin": [
            ("accounts", "/admin/accounts/"),
            ("outbox", "/admin/outbox/"),
            ("audit", "/admin/audit/"),
        ],
    }


def _bulletin(app, session, world) -> int:
    """A TLP:GREEN alert of Chile's CSIRT with two indicators; member_cl and member_gb are
    their delegations' CSIRT members."""
    from portal.core.extensions import db
    from portal.core.tlp import TLP
    from portal.csirt import services as csirt
    from portal.csirt.models import BulletinKind, CsirtMember, CsirtTeam, IndicatorType, Severity
    from portal.mous.models import Mou

    for party, name in ((world.cl, "CSIRT de Gobierno"), (world.gb, "NCSC")):
        session.add(CsirtTeam(party_id=party.id, name=name))
    session.add_all(
        [CsirtMember(user_id=world.member_cl.id), CsirtMember(user_id=world.member_gb.id)]
    )
    session.commit()
    data = csirt.BulletinData(
        kind=BulletinKind.ALERT,
        tlp=TLP.GREEN,
        severity=Severity.HIGH,
        title="Phishing wave against ministries",
        body_md="Check your **logs**.",
        indicators=[
            (IndicatorType.DOMAIN, "malicious.example"),
            (IndicatorType.CVE, "CVE-2024-3094"),
        ],
        reader_ids=[],
    )
    with app.test_request_context():
        author = db.session.get(User, world.member_cl.id)
        bulletin = csirt.publish_bulletin(
            db.session, author, db.session.get(Mou, world.mou.id), data, []
        )
        db.session.commit()
        return bulletin.id


def visit_in_both_languages(chromium, base, app, world, pages, viewport, look) -> list[str]:
    """Open every page as its reader, in their language and then the other, at `viewport`;
    `look(page)` returns what is wrong with one page (a list); returns every finding."""
    findings = []
    for who, paths in pages.items():
        context = chromium.new_context(locale="en-GB", viewport=viewport, bypass_csp=True)
        context.set_default_timeout(10_000)
        page = context.new_page()
        if who != "anonymous":
            log_in(page, base, getattr(world, who), app)
        for round_ in range(2):
            if round_:
                switch_language(page)
            language = language_of(page)
            for name, path in paths:
                response = page.goto(base + path)
                assert response.status == 200, (who, path, response.status)
                findings += [f"{name} ({who}, {language}) {path}: {f}" for f in look(page)]
        context.close()
    return findings
