"""Bulletins on the search page: found by title, body and indicators, by exactly the people
the TLP rule lets open them (portal/csirt/access.py), in the other language too."""

import re

from sqlalchemy import delete

from portal.core.tlp import TLP
from portal.csirt.models import CsirtMember, IndicatorType

HIT = re.compile(r'<li class="mb-3" data-kind="([a-z_]+)">.*?href="([^"]+)"', re.S)


def _found(browser, query: str) -> set[str]:
    response = browser.get("/search", query_string={"q": query})
    assert response.status_code == 200
    return {
        url
        for kind, url in HIT.findall(response.get_data(as_text=True))
        if kind == "csirt_bulletin"
    }


def test_bulletins_are_found_by_whoever_may_open_them(csirts, make_bulletin, login_as, session):
    world = csirts
    green = make_bulletin(
        world.member_cl,
        mou=world.mou,
        tlp=TLP.GREEN,
        title="Campaña de ransomware contra hospitales",
        indicators=[(IndicatorType.DOMAIN, "hospital-update.example")],
    )
    amber = make_bulletin(world.member_cl, mou=world.mou, tlp=TLP.AMBER, title="Ransomware: notas")
    green_page, amber_page = f"/csirt/bulletins/{green}", f"/csirt/bulletins/{amber}"

    # Both CSIRTs of the MoU's parties, by a folded word of the title or by an indicator.
    assert _found(login_as(world.member_gb), "RANSOMWARE") == {green_page, amber_page}
    assert _found(login_as(world.member_gb), "campana hospital") == {green_page}
    assert _found(login_as(world.member_cl), "hospital-update.example") == {green_page}
    # Coordinators and observers of the parties read AMBER too; the other MoU's people nothing.
    assert _found(login_as(world.observer_gb), "ransomware") == {green_page, amber_page}
    assert _found(login_as(world.member_co), "ransomware") == set()

    # A member of the delegation outside its CSIRT: GREEN only, as on the list and the page.
    session.execute(delete(CsirtMember).where(CsirtMember.user_id == world.member_gb.id))
    session.commit()
    browser = login_as(world.member_gb)
    assert _found(browser, "ransomware") == {green_page}
    assert browser.get(amber_page).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/search", query_string={"q": "ransomware"})
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
