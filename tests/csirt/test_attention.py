"""The dashboard tells a receiving CSIRT member what awaits their CSIRT's answer, the line's
link lists exactly those bulletins, and an answer from their party clears it."""

from sqlalchemy import select

from portal.core.tlp import TLP
from portal.csirt.models import Bulletin
from tests.conftest import post

LINE = "1 CSIRT bulletin awaits your CSIRT&#39;s answer"


def test_unanswered_bulletins_on_the_dashboard(csirts, make_bulletin, login_as, session):
    make_bulletin(csirts.member_cl, mou=csirts.mou, tlp=TLP.AMBER, title="Esperando respuesta")
    make_bulletin(csirts.member_gb, mou=csirts.mou, tlp=TLP.GREEN, title="Sent by the UK")
    browser = login_as(csirts.member_gb)
    assert LINE in browser.get("/").get_data(as_text=True)
    listed = browser.get("/csirt/bulletins?unanswered=y").get_data(as_text=True)
    assert "Esperando respuesta" in listed and "Sent by the UK" not in listed
    assert "CSIRT bulletin awaits" not in login_as(csirts.observer_gb).get("/").get_data(
        as_text=True
    )

    waiting = session.scalar(select(Bulletin).where(Bulletin.title == "Esperando respuesta"))
    response = post(browser, f"/csirt/bulletins/{waiting.id}/acknowledge", {"answer": "received"})
    assert response.status_code == 302
    assert "CSIRT bulletin awaits" not in browser.get("/").get_data(as_text=True)
