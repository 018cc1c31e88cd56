"""Revision 0041_page_generation: the kept MoU and group pages' counter goes down and up on a
populated database (the demo data), leaving the rows as they were; it comes back at 0,
raised by the next change those pages show."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select

from portal.core.extensions import db
from portal.core.kept import KeptGeneration
from portal.mous.models import Mou, WorkingGroup
from tests.conftest import MIGRATIONS
from tests.helpers.migrations import (  # noqa: F401  (a fixture)
    demo_app,
    revision_below,
    schema_differences,
)

REVISION = "0041_page_generation"


def _counts() -> dict[str, int]:
    return {
        model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Mou, WorkingGroup)
    }


def _generations() -> dict[str, int]:
    return dict(db.session.execute(select(KeptGeneration.name, KeptGeneration.generation)).all())


def test_the_page_generation_goes_down_and_up_with_data_in_it(demo_app):  # noqa: F811
    with demo_app.app_context():
        before = _counts()
        assert before["mous"] > 0 and before["working_groups"] > 0
        db.session.commit()

        downgrade(directory=MIGRATIONS, revision=revision_below(REVISION))
        db.session.remove()
        assert "mou-pages" not in _generations()
        assert _counts() == before
        db.session.commit()

        upgrade(directory=MIGRATIONS)
        db.session.remove()
        assert _counts() == before
        assert _generations()["mou-pages"] == 0
        group = db.session.scalars(select(WorkingGroup)).first()
        group.mandate_en = "A wider mandate"
        db.session.commit()
        assert _generations()["mou-pages"] == 1
        assert schema_differences(demo_app) == []
