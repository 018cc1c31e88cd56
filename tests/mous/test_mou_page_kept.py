"""The MoU page's content kept under all it shows (portal/mous/mou_page.py): a change to the
MoU, its parties, areas, signatories, lines or groups shows at once, readers who may see other
groups or edit never get each other's content, and each language has its own."""

import re
import uuid
from datetime import date

from portal.commitments.models import CommitmentStatus
from portal.contacts.models import Availability, ContactKind, PointOfContact
from portal.mous.models import Area, LineOfCooperation, MouArea, MouStatus, Signatory
from tests.factories import make_group
from tests.helpers.commitments import make_commitment

CSRF_TOKEN = re.compile(r'name="csrf_token" value="[^"]*"')


def _page(browser, mou_id: int) -> str:
    response = browser.get(f"/mous/{mou_id}")
    assert response.status_code == 200
    return CSRF_TOKEN.sub("", response.get_data(as_text=True))


def _kept_once(browser, mou_id: int) -> str:
    _page(browser, mou_id)  # the first page after logging in is not kept (the login is written)
    kept = _page(browser, mou_id)
    assert _page(browser, mou_id) == kept
    return kept


def test_changes_to_what_the_page_shows_show_at_once(world, session, login_as):
    world.member_gb.language = "en"
    session.commit()
    browser = login_as(world.member_gb)
    assert "MoU CL–GB" in _kept_once(browser, world.mou.id)
    world.mou.title_en = "Cyber cooperation"
    world.mou.summary_en = "A short summary"
    world.mou.status = MouStatus.EXPIRED
    world.mou.signed_on = date(2021, 3, 4)
    session.commit()
    page = _page(browser, world.mou.id)
    assert "Cyber cooperation" in page and "A short summary" in page
    assert "Expired" in page and "2021" in page
    world.gb.name_en = "United Kingdom, renamed"
    session.add(MouArea(mou_id=world.mou.id, area=Area.CYBER_DEFENCE))
    session.commit()
    page = _page(browser, world.mou.id)
    assert "United Kingdom, renamed" in page and "Cyber defence" in page
    session.add(
        Signatory(
            mou_id=world.mou.id,
            party_id=world.gb.id,
            name="Ann Lee",
            office_en="Minister",
            office_es="Ministra",
        )
    )
    session.add(LineOfCooperation(mou_id=world.mou.id, title_en="Exercises", title_es="Ejercicios"))
    session.commit()
    page = _page(browser, world.mou.id)
    assert "Ann Lee, Minister (GB)" in page and "Exercises" in page
    world.group.name_en = "Incident response, renamed"
    session.commit()
    assert "Incident response, renamed" in _page(browser, world.mou.id)


def test_readers_with_other_groups_or_rights_get_their_own_content(world, session, login_as):
    hidden = make_group(session, world.mou, members=[(world.member_cl, False)], name_en="Hidden")
    session.commit()
    member = login_as(world.member_gb)
    assert f"/working-groups/{hidden.id}" not in _kept_once(member, world.mou.id)
    coordinator = _kept_once(login_as(world.coordinator_gb), world.mou.id)
    assert f"/working-groups/{hidden.id}" in coordinator
    assert f"/mous/{world.mou.id}/edit" not in coordinator
    assert f"/mous/{world.mou.id}/edit" in _kept_once(login_as(world.admin), world.mou.id)
    assert f"/working-groups/{hidden.id}" not in _page(member, world.mou.id)
    outsider = login_as(world.member_co)
    assert outsider.get(f"/mous/{world.mou.id}").status_code in (403, 404)


def test_each_language_has_its_own_content(world, session, login_as):
    world.member_gb.language, world.member_cl.language = "en", "es"
    session.commit()
    english = _kept_once(login_as(world.member_gb), world.mou.id)
    spanish = _kept_once(login_as(world.member_cl), world.mou.id)
    assert "Lines of cooperation" in english and "Lines of cooperation" not in spanish


def test_its_commitments_and_contacts_panels_follow_changes_and_rights(world, session, login_as):
    """Both panels are kept under what they show (portal/mous/panels.py)."""
    world.member_gb.language = world.coordinator_gb.language = "en"
    session.add(LineOfCooperation(mou_id=world.mou.id, title_en="Exercises", title_es="Ejercicios"))
    session.commit()
    member = login_as(world.member_gb)
    assert "1 contact" not in _kept_once(member, world.mou.id)
    commitment = make_commitment(session, world.mou, title_en="Share bulletins")
    _contact(session, world)
    session.commit()
    page = _page(member, world.mou.id)
    assert "Share bulletins" in page and "1 contact" in page
    commitment.status = CommitmentStatus.ACHIEVED
    session.commit()
    assert "Achieved: <strong>1</strong>" in _page(member, world.mou.id)
    new_commitment = f"/mous/{world.mou.id}/commitments/new"
    new_contact = f"/mous/{world.mou.id}/parties/{world.gb.id}/contacts/new"
    coordinator = _kept_once(login_as(world.coordinator_gb), world.mou.id)
    assert new_commitment in coordinator and new_contact in coordinator
    page = _page(member, world.mou.id)
    assert new_commitment not in page and new_contact not in page


def _contact(session, world) -> None:
    session.add(
        PointOfContact(
            mou=world.mou,
            party=world.gb,
            uid=str(uuid.uuid4()),
            kind=ContactKind.CSIRT,
            given_name="Daniel",
            family_name="Okafor",
            role="Lead",
            organisation="NCSC",
            email="incidents@ncsc.example.uk",
            phone="+442079460777",
            availability=Availability.ALWAYS,
            timezone="Europe/London",
            last_verified_on=date.today(),
        )
    )
