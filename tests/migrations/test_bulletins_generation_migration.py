"""Revision 0050_bulletins_generation: the kept bulletin lists' counter goes down and up on a
populated database (the demo data), leaving the bulletins as they were; it comes back at 0,
raised by the next change a list shows."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select

from portal.core.extensions import db
from portal.core.kept import KeptGeneration
from portal.csirt.models import Bulletin
from tests.conftest import MIGRATIONS
from tests.helpers.migrations import (  # noqa: F401  (a fixture)
    demo_app,
    revision_below,
    schema_differences,
)

REVISION = "0050_bulletins_generation"


def _bulletins() -> int:
    return db.session.scalar(select(func.count()).select_from(Bulletin))


def _generations() -> dict[str, int]:
    return dict(db.session.execute(select(KeptGeneration.name, KeptGeneration.generation)).all())


def test_the_bulletins_generation_goes_down_and_up_with_data_in_it(demo_app):  # noqa: F811
    with demo_app.app_context():
        before = _bulletins()
        assert before > 0
        db.session.commit()

        downgrade(directory=MIGRATIONS, revision=revision_below(REVISION))
        db.session.remove()
        assert "bulletins" not in _generations()
        assert _bulletins() == before
        db.session.commit()

        upgrade(directory=MIGRATIONS)
        db.session.remove()
        assert _bulletins() == before
        assert _generations()["bulletins"] == 0
        bulletin = db.session.scalars(select(Bulletin)).first()
        bulletin.title = "Phishing wave, updated"
        db.session.commit()
        assert _generations()["bulletins"] == 1
        assert schema_differences(demo_app) == []
