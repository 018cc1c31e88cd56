"""The library's MoU and working-group selects are rendered once and kept (library_views
FILTER_CHOICES): kept under every input, so a rename shows at once, a reader never gets
another reader's choices, and each language and chosen value gets its own; the document
page asks whether the reader follows the document without loading its followers."""

import re

from sqlalchemy import update

from portal.accounts.models import User
from portal.core.tlp import TLP
from portal.mous.models import Mou, WorkingGroup
from tests.conftest import csrf_token


def _options(page: str, name: str) -> dict[str, str]:
    """{value: label} of the select named `name` (the selected one marked with a *)."""
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, page[:3000]
    found = {}
    for attributes, label in re.findall(r"<option([^>]*)>([^<]*)</option>", select.group(1)):
        value = re.search(r'value="([^"]*)"', attributes).group(1)
        found[value] = label + ("*" if "selected" in attributes else "")
    return found


def test_a_renamed_group_or_mou_shows_at_once(world, login_as, session):
    reader = login_as(world.member_gb)  # reads English
    before = _options(reader.get("/documents/").text, "group")
    assert before[str(world.group.id)].startswith(world.group.name_en)
    # As the portal renames them (through the ORM, which raises what is kept under them).
    session.get(WorkingGroup, world.group.id).name_en = "Renamed"
    session.get(Mou, world.mou.id).title_en = "New title"
    session.commit()
    page = reader.get("/documents/").text
    assert _options(page, "group")[str(world.group.id)] == "Renamed · New title"
    assert _options(page, "mou")[str(world.mou.id)] == "New title"


def test_readers_of_other_groups_never_get_each_others_choices(world, login_as):
    member = login_as(world.member_cl)
    outside = login_as(world.member_cl_outside_group)
    for _ in range(2):  # the second time from what is kept
        assert str(world.group.id) in _options(member.get("/documents/").text, "group")
        groups = _options(outside.get("/documents/").text, "group")
        assert str(world.group.id) not in groups
        assert str(world.group_cl_co.id) not in groups
        mous = _options(login_as(world.member_gb).get("/documents/").text, "mou")
        assert str(world.mou.id) in mous and str(world.mou_cl_co.id) not in mous


def test_each_language_and_choice_gets_its_own_selects(world, login_as, session):
    reader = login_as(world.member_cl)  # reads Spanish
    group = str(world.group.id)
    spanish = _options(reader.get(f"/documents/?group={group}").text, "group")
    assert spanish["0"] == "Cualquiera" and spanish[group].endswith("*")
    assert spanish[group].startswith(world.group.name_es)
    assert not _options(reader.get("/documents/").text, "group")[group].endswith("*")
    session.execute(update(User).where(User.id == world.member_cl.id).values(language="en"))
    session.commit()
    english = _options(reader.get(f"/documents/?group={group}").text, "group")
    assert english["0"] == "Any" and english[group].endswith("*")
    assert english[group].startswith(world.group.name_en)


def test_a_wrong_choice_is_explained_with_the_choices_labelled(world, login_as):
    reader = login_as(world.member_gb)
    response = reader.get(f"/documents/?mou={world.mou_cl_co.id}")
    assert response.status_code == 400
    mous = _options(response.text, "mou")
    assert mous["0"] == "Any" and mous[str(world.mou.id)] == world.mou.title_en


def test_the_follow_button_says_whether_this_reader_follows(world, login_as, make_document):
    document_id = make_document(world.member_cl, mou=world.mou, tlp=TLP.GREEN)
    follower, other = login_as(world.member_gb), login_as(world.coordinator_gb)
    path = f"/documents/{document_id}"
    token = csrf_token(follower, path)
    assert follower.post(f"{path}/follow", data={"csrf_token": token}).status_code == 302
    assert "Stop following" in follower.get(path).text
    assert "Stop following" not in other.get(path).text and "Follow" in other.get(path).text
    token = csrf_token(follower, path)
    assert follower.post(f"{path}/follow", data={"csrf_token": token}).status_code == 302
    assert "Stop following" not in follower.get(path).text
