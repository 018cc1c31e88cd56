"""Two people saving the same thing at once: the second gets a clear 409, nothing half-written."""

from sqlalchemy import func, insert, select

from portal.accounts.models import Party, PartyKind
from portal.core.extensions import db
from tests.conftest import post


def _party(code: str) -> dict:
    return {
        "code": code,
        "kind": PartyKind.COUNTRY,
        "name_en": "Duplicate",
        "name_es": "Duplicado",
        "timezone": "UTC",
        "language": "en",
    }


def test_a_unique_key_met_while_saving_answers_409_and_writes_nothing(
    app, world, login_as, session
):
    @app.post("/_test/add-parties-now")
    def add_parties_now():
        db.session.execute(insert(Party.__table__).values(_party("ZZ")))
        db.session.execute(insert(Party.__table__).values(_party(world.cl.code)))
        return "saved"

    @app.post("/_test/add-parties-at-commit")
    def add_parties_at_commit():
        db.session.add_all([Party(**_party("ZY")), Party(**_party(world.gb.code))])
        return "saved"

    world.admin.language = "en"
    session.commit()
    browser = login_as(world.admin)
    before = session.scalar(select(func.count()).select_from(Party))
    for path in ("/_test/add-parties-now", "/_test/add-parties-at-commit"):
        response = post(browser, path, {}, token_from="/")
        assert response.status_code == 409, path
        assert "Someone else changed this at the same moment" in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(Party)) == before
