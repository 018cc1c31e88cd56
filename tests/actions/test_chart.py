"""The progress chart: its numbers equal counts computed here by another query."""

import re
from datetime import date, timedelta
from itertools import pairwise

import pytest
from sqlalchemy import and_, func, select

from portal.actions.chart import month_starts
from portal.actions.models import ActionItem, ActionStatus
from portal.core.db import utcnow
from tests.conftest import post
from tests.factories import make_action

S = ActionStatus
GROUP_BAR = re.compile(r'<g data-year="(\d+)" data-month="(\d+)">(.*?)</g>', re.S)
SEGMENT = re.compile(r'data-series="(\w+)" data-count="(\d+)"')


@pytest.fixture
def spread(world, session):
    """Items over 14 months in the group, a few cancelled, and some in another MoU's group."""
    today = utcnow().date()
    statuses = [S.OPEN, S.IN_PROGRESS, S.DONE, S.CANCELLED, S.DONE]
    for n in range(60):
        due = today - timedelta(days=400) + timedelta(days=n * 8)
        status = statuses[n % len(statuses)]
        completed = due + timedelta(days=(n % 3) - 1) if status == S.DONE else None
        make_action(
            session, world.group, [world.member_gb], due, status=status, completed_on=completed
        )
    for n in range(5):
        make_action(session, world.group_cl_co, [world.member_co], today - timedelta(n * 20))
    session.commit()
    return today


def _chart_counts(page: str) -> dict[tuple[int, int], dict[str, int]]:
    svg = page[page.index("<svg") : page.index("</svg>")]
    return {
        (int(year), int(month)): {name: int(count) for name, count in SEGMENT.findall(body)}
        for year, month, body in GROUP_BAR.findall(svg)
    }


def _expected(session, group_ids, today: date):
    """Counted here one month and one series at a time, plainly."""
    starts = month_starts(today)
    active = ActionItem.status.in_([S.OPEN, S.IN_PROGRESS])
    series = {
        "overdue": and_(active, ActionItem.due_on < today),
        "open": and_(ActionItem.status == S.OPEN, ActionItem.due_on >= today),
        "in_progress": and_(ActionItem.status == S.IN_PROGRESS, ActionItem.due_on >= today),
        "done": ActionItem.status == S.DONE,
    }
    expected = {}
    for first, following in pairwise(starts):
        counts = {}
        for name, condition in series.items():
            count = session.scalar(
                select(func.count())
                .select_from(ActionItem)
                .where(
                    ActionItem.working_group_id.in_(group_ids),
                    ActionItem.due_on >= first,
                    ActionItem.due_on < following,
                    condition,
                )
            )
            if count:
                counts[name] = count
        expected[(first.year, first.month)] = counts
    return expected


def _on_time(session, group_ids, today):
    starts = month_starts(today)
    done = and_(
        ActionItem.working_group_id.in_(group_ids),
        ActionItem.status == S.DONE,
        ActionItem.due_on >= starts[0],
        ActionItem.due_on < starts[-1],
    )
    total = session.scalar(select(func.count()).select_from(ActionItem).where(done))
    on_time = session.scalar(
        select(func.count())
        .select_from(ActionItem)
        .where(done, ActionItem.completed_on <= ActionItem.due_on)
    )
    return total, on_time


def test_the_group_chart_counts_equal_a_query(world, session, spread, login_as):
    page = login_as(world.member_gb).get(f"/working-groups/{world.group.id}").get_data(as_text=True)
    shown = _chart_counts(page)
    assert len(shown) == 12
    assert shown == _expected(session, [world.group.id], spread)
    assert sum(sum(c.values()) for c in shown.values()) > 20  # the test data reaches the chart
    total, on_time = _on_time(session, [world.group.id], spread)
    assert f"Of the {total} items done, {on_time} (" in page
    assert '<title id="group-progress-title">' in page
    assert "<script" not in page[page.index("<svg") : page.index("</svg>")]


def test_the_mou_chart_counts_only_what_the_reader_may_see(world, session, spread, login_as):
    gb_page = login_as(world.member_gb).get(f"/mous/{world.mou.id}").get_data(as_text=True)
    assert _chart_counts(gb_page) == _expected(session, [world.group.id], spread)
    # Chile's coordinator reads both of Chile's MoUs; the Colombian MoU's chart has only its items.
    co_page = (
        login_as(world.coordinator_cl).get(f"/mous/{world.mou_cl_co.id}").get_data(as_text=True)
    )
    assert _chart_counts(co_page) == _expected(session, [world.group_cl_co.id], spread)
    # A Chilean member outside the group sees the MoU but none of the group's items.
    outside = login_as(world.member_cl_outside_group).get(f"/mous/{world.mou.id}")
    assert all(not c for c in _chart_counts(outside.get_data(as_text=True)).values())


def test_the_chart_follows_every_change(world, session, login_as):
    """The chart is cached per version of the group's items: a change shows at once."""
    item = make_action(session, world.group, [world.member_gb], utcnow().date())
    session.commit()
    browser = login_as(world.member_gb)
    path = f"/working-groups/{world.group.id}"
    month = (utcnow().year, utcnow().month)
    assert _chart_counts(browser.get(path).get_data(as_text=True))[month] == {"open": 1}
    response = post(
        browser,
        f"/actions/{item.id}/status",
        {"status-status": "done"},
        token_from=f"/actions/{item.id}",
    )
    assert response.status_code == 302
    assert _chart_counts(browser.get(path).get_data(as_text=True))[month] == {"done": 1}
