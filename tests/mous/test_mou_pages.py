"""What the MoU and working-group pages lead to: their document libraries, their chart once."""

import re


def test_the_mou_page_title_is_the_mou_alone_and_its_chart_shows_once(world, login_as):
    page = login_as(world.member_gb).get(f"/mous/{world.mou.id}").get_data(as_text=True)

    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert "<" not in title and world.mou.title_en in title
    assert page.count('id="mou-actions"') == 1


def test_the_mou_and_group_pages_link_to_their_libraries(world, login_as):
    browser = login_as(world.member_gb)

    mou_page = browser.get(f"/mous/{world.mou.id}").get_data(as_text=True)
    group_page = browser.get(f"/working-groups/{world.group.id}").get_data(as_text=True)

    assert f'href="/mous/{world.mou.id}/documents"' in mou_page
    assert f'href="/working-groups/{world.group.id}/documents"' in group_page
    assert browser.get(f"/mous/{world.mou.id}/documents").status_code == 200
    assert browser.get(f"/working-groups/{world.group.id}/documents").status_code == 200
