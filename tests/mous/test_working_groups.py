from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.mous.models import Membership, Mou, WorkingGroup
from tests.conftest import post
from tests.factories import make_user


def _membership(session, group, user):
    return session.scalar(
        select(Membership).where(
            Membership.working_group_id == group.id, Membership.user_id == user.id
        )
    )


def test_working_group_page_shows_mandate_and_members_by_party(login_as, world):
    page = login_as(world.member_gb).get(f"/working-groups/{world.group.id}").get_data(as_text=True)
    page = page[page.index("<main") :]  # the navigation bar names the reader
    assert "Binational Working Group" in page
    assert "Follow the cooperation." in page
    cl_section = page.index("Country CL")
    gb_section = page.index("Country GB")
    assert cl_section < page.index("Javiera Soto") < gb_section < page.index("Emily Clarke")
    assert page.count("Co-chair") == 2


def test_spanish_reader_sees_spanish_names(login_as, world):
    page = login_as(world.member_cl).get(f"/working-groups/{world.group.id}").get_data(as_text=True)
    assert "Grupo de Trabajo Binacional" in page
    assert "Seguir la cooperación." in page


def test_coordinator_adds_own_party_member_as_co_chair_replacing_the_previous_one(
    login_as, world, session
):
    newcomer = make_user(session, world.cl, name="Pedro Newcomer")
    session.commit()
    browser = login_as(world.coordinator_cl)
    response = post(
        browser,
        f"/working-groups/{world.group.id}",
        {"user_id": newcomer.id, "is_co_chair": "y"},
    )
    assert response.status_code == 302
    session.expire_all()
    assert _membership(session, world.group, newcomer).is_co_chair
    assert not _membership(session, world.group, world.coordinator_cl).is_co_chair
    assert _membership(
        session, world.group, world.coordinator_gb
    ).is_co_chair  # other party untouched
    assert session.scalar(
        select(func.count()).where(AuditEvent.action == "working_group.member_added")
    )


def test_coordinator_is_offered_their_party_by_name_and_a_newcomer_at_once(
    login_as, world, session
):
    make_user(session, world.cl, name="bruno Lowercase")
    make_user(session, world.cl, name="Adela Capital")
    make_user(session, world.cl, name="Inactive Person", is_active=False)
    session.commit()
    browser = login_as(world.coordinator_cl)
    page = browser.get(f"/working-groups/{world.group.id}").get_data(as_text=True)
    offered = page[page.index('name="user_id"') : page.index("</select>")]
    assert offered.index("Adela Capital (CL)") < offered.index("bruno Lowercase (CL)")
    assert "Inactive Person" not in offered
    assert "Javiera Soto" not in offered  # a member already
    make_user(session, world.cl, name="Carla Newcomer")
    session.commit()
    page = browser.get(f"/working-groups/{world.group.id}").get_data(as_text=True)
    offered = page[page.index('name="user_id"') : page.index("</select>")]
    assert offered.index("bruno Lowercase (CL)") < offered.index("Carla Newcomer (CL)")


def test_coordinator_cannot_add_people_of_the_other_party(login_as, world, session):
    outsider = make_user(session, world.gb, name="British Newcomer")
    session.commit()
    browser = login_as(world.coordinator_cl)
    page = browser.get(f"/working-groups/{world.group.id}").get_data(as_text=True)
    assert "British Newcomer" not in page  # not offered
    response = post(browser, f"/working-groups/{world.group.id}", {"user_id": outsider.id})
    assert response.status_code == 422
    session.expire_all()
    assert _membership(session, world.group, outsider) is None


def test_people_of_a_party_outside_the_mou_cannot_be_added(login_as, world, session):
    browser = login_as(world.admin)
    response = post(browser, f"/working-groups/{world.group.id}", {"user_id": world.member_co.id})
    assert response.status_code == 422
    assert _membership(session, world.group, world.member_co) is None


def test_admin_creates_a_working_group_and_edits_an_mou(login_as, world, session):
    browser = login_as(world.admin)
    response = post(
        browser,
        f"/mous/{world.mou.id}/working-groups/new",
        {"name_en": "CSIRT group", "name_es": "Grupo CSIRT", "mandate_en": "", "mandate_es": ""},
    )
    assert response.status_code == 302
    group = session.scalar(select(WorkingGroup).where(WorkingGroup.name_en == "CSIRT group"))
    assert group.mou_id == world.mou.id

    response = post(
        browser,
        f"/mous/{world.mou.id}/edit",
        {
            "title_en": "Renamed MoU",
            "title_es": "MdE renombrado",
            "party_ids": [world.cl.id, world.gb.id],
            "areas": ["cybersecurity", "cybercrime"],
            "status": "in_force",
            "signed_on": "2019-09-11",
            "signing_place": "London",
        },
    )
    assert response.status_code == 302
    session.expire_all()
    mou = session.get(Mou, world.mou.id)
    assert mou.title_en == "Renamed MoU"
    assert sorted(a.value for a in mou.area_values) == ["cybercrime", "cybersecurity"]


def test_admin_adds_and_removes_signatories_and_lines(login_as, world, session):
    browser = login_as(world.admin)
    manage = f"/mous/{world.mou.id}/manage"
    response = post(
        browser,
        manage,
        {
            "form": "signatory",
            "signatory-party_id": world.gb.id,
            "signatory-name": "Andrew Stephenson",
            "signatory-office_en": "Minister for International Development",
            "signatory-office_es": "Ministro de Desarrollo Internacional",
        },
        token_from=manage,
    )
    assert response.status_code == 302
    page = browser.get(f"/mous/{world.mou.id}").get_data(as_text=True)
    assert "Andrew Stephenson, Ministro de Desarrollo Internacional (GB)" in page  # admin reads es

    response = post(
        browser,
        manage,
        {"form": "line", "line-title_en": "Training", "line-title_es": "Capacitación"},
        token_from=manage,
    )
    assert response.status_code == 302
    session.expire_all()
    mou = session.get(Mou, world.mou.id)
    assert [line.title_en for line in mou.lines][-1] == "Training"
    signatory = mou.signatories[0]
    remove = f"/mous/{mou.id}/signatories/{signatory.id}/remove"
    # It asks first (the signatory stays until confirmed), then removes.
    assert post(browser, remove, token_from=manage).status_code == 200
    session.expire_all()
    assert session.get(Mou, world.mou.id).signatories != []
    response = post(browser, remove, {"confirmed": "1"}, token_from=manage)
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Mou, world.mou.id).signatories == []


def test_dashboard_and_lists_are_paged(login_as, world, session):
    from tests.factories import make_mou

    for n in range(25):
        make_mou(session, [world.cl, world.gb], title_en=f"Extra MoU {n:02d}")
    session.commit()
    browser = login_as(world.member_gb)
    first = browser.get("/mous/").get_data(as_text=True)
    second = browser.get("/mous/?page=2").get_data(as_text=True)
    assert "Page 1 of 2" in first
    assert "Page 2 of 2" in second
    shown = [n for n in range(25) if f"Extra MoU {n:02d}" in first + second]
    assert len(shown) == 25
    assert browser.get("/mous/?page=abc").status_code == 200
    past = browser.get("/mous/?page=5").get_data(as_text=True)
    assert "This page is past the last one." in past and "Page 5 of 2" in past
    assert "not a party to any MoU" not in past
