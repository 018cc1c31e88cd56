"""An item due on a day becomes overdue when that day has ended on the reader's own clock,
not on UTC's: at 01:30 UTC on 15 January it is still the evening of the 14th in Santiago
(summer time, -03) and already the 15th in London."""

from datetime import UTC, date, datetime

import time_machine

from tests.factories import make_action

JANUARY_NIGHT = datetime(2027, 1, 15, 1, 30, tzinfo=UTC)  # Santiago 14 Jan 22:30, London 01:30
OVERDUE = ">Overdue</span>"


def test_an_item_due_yesterday_in_london_is_not_yet_overdue_in_santiago(world, session, login_as):
    owners = [world.member_cl, world.member_gb]
    world.member_cl.language = "en"  # both read the same words
    with time_machine.travel(JANUARY_NIGHT, tick=True):
        item = make_action(session, world.group, owners, date(2027, 1, 14))
        session.commit()

        in_santiago = login_as(world.member_cl).get(f"/actions/{item.id}")
        in_london = login_as(world.member_gb).get(f"/actions/{item.id}")

    assert OVERDUE not in in_santiago.get_data(as_text=True)  # 22:30 on the day it is due
    assert OVERDUE in in_london.get_data(as_text=True)  # the day it was due has ended


def test_the_overdue_filter_follows_the_readers_day(world, session, login_as):
    world.member_cl.language = "en"
    with time_machine.travel(JANUARY_NIGHT, tick=True):
        make_action(session, world.group, [world.member_cl], date(2027, 1, 14), title="Due 14th")
        session.commit()

        def overdue_list(person) -> str:
            return login_as(person).get("/actions/?overdue=y").get_data(as_text=True)

        assert "Due 14th" not in overdue_list(world.member_cl)
        assert "Due 14th" in overdue_list(world.member_gb)
