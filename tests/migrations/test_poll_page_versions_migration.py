"""Revision 0049_poll_page_versions: the polls' page version goes down and up on a populated
database (the demo data), leaving the polls, their times and answers as they were; it comes
back at 1, raised by the next change the page shows."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select

from portal.core.extensions import db
from portal.polls.models import Poll, PollAnswer, PollOption
from tests.conftest import MIGRATIONS
from tests.helpers.migrations import (  # noqa: F401  (a fixture)
    demo_app,
    revision_below,
    schema_differences,
)

REVISION = "0049_poll_page_versions"


def _counts() -> tuple[int, int, int]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Poll, PollOption, PollAnswer)
    )


def test_the_poll_page_version_goes_down_and_up_with_data_in_it(demo_app):  # noqa: F811
    with demo_app.app_context():
        before = _counts()
        assert before[0] > 0 and before[1] > 0
        db.session.commit()

        downgrade(directory=MIGRATIONS, revision=revision_below(REVISION))
        db.session.remove()
        columns = {column["name"] for column in inspect(db.engine).get_columns("polls")}
        assert "page_version" not in columns
        assert _counts() == before
        db.session.commit()

        upgrade(directory=MIGRATIONS)
        db.session.remove()
        assert _counts() == before
        option = db.session.scalars(select(PollOption).order_by(PollOption.id)).first()
        assert db.session.get(Poll, option.poll_id).page_version == 1
        poll = db.session.get(Poll, option.poll_id)
        poll.place = "Video call"
        db.session.commit()
        assert db.session.scalar(select(Poll.page_version).where(Poll.id == poll.id)) == 2
        assert schema_differences(demo_app) == []
