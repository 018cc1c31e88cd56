"""The bulletin list offers to publish (or to import a STIX bundle) under each MoU the reader
reads, to a CSIRT member who writes, and to nobody else: one choice of the MoU, then two
buttons, which lead to that MoU's form."""

import pytest

from portal.accounts.models import Party, User
from portal.core.tlp import TLP
from portal.csirt.models import Acknowledgement, Answer, Bulletin, CsirtMember
from portal.mous.models import Mou

LIST = "/csirt/bulletins"
START = "/csirt/bulletins/publish"


def _offers(page: str, mou) -> bool:
    publish = page.split(f'action="{START}"')[1].split("</form>")[0] if START in page else ""
    return f'<option value="{mou.id}">' in publish


def test_the_choice_leads_to_the_mous_form(csirts, login_as):
    browser = login_as(csirts.member_cl)
    page = browser.get(LIST).text
    assert 'name="how" value="write"' in page and 'name="how" value="import"' in page
    written = browser.get(START, query_string={"mou": csirts.mou_cl_co.id, "how": "write"})
    assert written.headers["Location"] == f"/mous/{csirts.mou_cl_co.id}/csirt/bulletins/new"
    imported = browser.get(START, query_string={"mou": csirts.mou.id, "how": "import"})
    assert imported.headers["Location"] == f"/mous/{csirts.mou.id}/csirt/bulletins/import"
    assert browser.get(START, query_string={"mou": "nothing"}).status_code == 404


def test_a_csirt_member_is_offered_every_mou_of_their_party(csirts, login_as):
    page = login_as(csirts.member_cl).get(LIST).text
    assert _offers(page, csirts.mou) and _offers(page, csirts.mou_cl_co)
    page = login_as(csirts.member_gb).get(LIST).text
    assert _offers(page, csirts.mou) and not _offers(page, csirts.mou_cl_co)


@pytest.mark.parametrize("reader", ["coordinator_cl", "admin", "observer_gb"])
def test_anyone_outside_a_csirt_is_offered_nothing(csirts, login_as, reader):
    response = login_as(getattr(csirts, reader)).get(LIST)
    assert response.status_code == 200
    assert START not in response.text


def test_the_kept_list_shows_each_change_at_once(csirts, login_as, make_bulletin, session):
    """The rows and filters are kept under what they show: a new bulletin, a renamed MoU and
    a reader's other zone are on the next view."""
    reader = login_as(csirts.member_gb)
    make_bulletin(csirts.member_cl, mou=csirts.mou, title="First alert")
    for _ in range(2):
        assert "First alert" in reader.get(LIST).text
    make_bulletin(csirts.member_cl, mou=csirts.mou, title="Second alert")
    session.get(Mou, csirts.mou.id).title_en = "Renamed MoU"
    session.commit()
    page = reader.get(LIST).text
    assert "Second alert" in page and "First alert" in page
    assert page.count("Renamed MoU") >= 3  # the filter's choice, publishing's, two rows
    session.get(User, csirts.member_gb.id).timezone = "Asia/Tokyo"
    session.commit()
    assert "(Asia/Tokyo)" in reader.get(LIST).text


def test_the_kept_list_follows_what_decides_who_reads_what(
    csirts, login_as, make_bulletin, session
):
    """Each reader's pages are kept under the list's generation (portal/csirt/kept.py): an
    answer, a CSIRT membership, a bulletin's named readers and a party's name each change
    them at once."""
    reader = login_as(csirts.member_gb)
    amber = make_bulletin(csirts.member_cl, mou=csirts.mou, tlp=TLP.AMBER, title="Amber alert")
    unanswered = reader.get(LIST, query_string={"unanswered": "y"}).text
    assert "Amber alert" in unanswered
    session.add(
        Acknowledgement(
            bulletin_id=amber,
            user_id=csirts.member_gb.id,
            party_id=csirts.gb.id,
            answer=Answer.RECEIVED,
        )
    )
    session.commit()
    assert "Amber alert" not in reader.get(LIST, query_string={"unanswered": "y"}).text

    # Outside the CSIRT, an amber bulletin is no longer the member's to read.
    assert "Amber alert" in reader.get(LIST).text
    session.delete(session.get(CsirtMember, csirts.member_gb.id))
    session.commit()
    assert "Amber alert" not in reader.get(LIST).text

    red = make_bulletin(csirts.member_cl, mou=csirts.mou, tlp=TLP.RED, title="Red alert")
    assert "Red alert" not in reader.get(LIST).text
    bulletin = session.get(Bulletin, red)
    bulletin.readers.append(session.get(User, csirts.member_gb.id))
    session.commit()
    assert "Red alert" in reader.get(LIST).text

    session.get(Party, csirts.cl.id).name_en = "Republic of Chile"
    session.commit()
    assert "Republic of Chile" in reader.get(LIST).text
