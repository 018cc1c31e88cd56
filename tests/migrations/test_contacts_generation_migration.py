"""Revision 0048_contacts_generation: the kept contact lists' counter goes down and up on a
populated database (the demo data), leaving the contacts as they were; it comes back at 0,
raised by the next change a list shows."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select

from portal.contacts.models import PointOfContact
from portal.core.extensions import db
from portal.core.kept import KeptGeneration
from tests.conftest import MIGRATIONS
from tests.helpers.migrations import (  # noqa: F401  (a fixture)
    demo_app,
    revision_below,
    schema_differences,
)

REVISION = "0048_contacts_generation"


def _contacts() -> int:
    return db.session.scalar(select(func.count()).select_from(PointOfContact))


def _generations() -> dict[str, int]:
    return dict(db.session.execute(select(KeptGeneration.name, KeptGeneration.generation)).all())


def test_the_contacts_generation_goes_down_and_up_with_data_in_it(demo_app):  # noqa: F811
    with demo_app.app_context():
        before = _contacts()
        assert before > 0
        db.session.commit()

        downgrade(directory=MIGRATIONS, revision=revision_below(REVISION))
        db.session.remove()
        assert "contacts" not in _generations()
        assert _contacts() == before
        db.session.commit()

        upgrade(directory=MIGRATIONS)
        db.session.remove()
        assert _contacts() == before
        assert _generations()["contacts"] == 0
        contact = db.session.scalars(select(PointOfContact)).first()
        contact.role = "Duty officer"
        db.session.commit()
        assert _generations()["contacts"] == 1
        assert schema_differences(demo_app) == []
