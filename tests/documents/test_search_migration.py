"""Revision 0009 (search terms) goes down and up on a library with documents: still found."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from portal.accounts.models import User
from portal.core.extensions import db
from portal.documents.search import search_documents
from tests.conftest import MIGRATIONS
from tests.helpers.migrations import fresh_app  # noqa: F401  (a fixture)


def _found(query: str) -> list[tuple[str, str]]:
    """Title and snippet of each document found by the demo member."""
    reader = db.session.scalar(select(User).where(User.email == "member.cl@demo.portal"))
    hits = search_documents(db.session, reader, query, 1).items
    found = [(hit.document.title, str(hit.snippet)) for hit in hits]
    db.session.commit()  # no transaction may hold the tables while the schema changes
    return found


def test_documents_are_found_after_the_revision_goes_down_and_up(fresh_app):  # noqa: F811
    strategy = "Estrategia Nacional de Ciberseguridad 2023–2028"
    with fresh_app.app_context():
        upgrade(directory=MIGRATIONS)
        result = fresh_app.test_cli_runner().invoke(args=["seed-demo", "--password", "x" * 12])
        assert result.exit_code == 0, result.output
        before = _found("estrategias")
        assert [title for title, _ in before] == [strategy]
        assert "<mark>Estrategia</mark>" in before[0][1]
        versions = db.session.scalar(text("SELECT count(*) FROM document_versions"))
        db.session.commit()

        downgrade(directory=MIGRATIONS, revision="0008")
        if db.engine.dialect.name == "postgresql":
            # The stored vectors are rebuilt from the terms: the search before 0009 finds them.
            matching = db.session.scalar(
                text(
                    "SELECT count(*) FROM document_texts"
                    " WHERE search_vector @@ to_tsquery('simple', 'estrategi')"
                )
            )
            db.session.commit()
            assert matching == 1

        upgrade(directory=MIGRATIONS)
        assert _found("estrategias") == before  # the text and its snippet are still there
        assert [title for title, _ in _found("CAPACITACIONES")] == [
            "Plan de formación de capital humano en ciberdefensa"
        ]
        assert db.session.scalar(text("SELECT count(*) FROM document_versions")) == versions
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
