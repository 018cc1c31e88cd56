"""Revision 0007 (search terms) goes down and up on a library with documents: still found."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from portal.accounts.models import User
from portal.documents.search import search_documents
from portal.extensions import db
from tests.conftest import MIGRATIONS
from tests.migrations.test_migrations import fresh_app  # noqa: F401  (a fixture)


def _titles_found(query: str) -> list[str]:
    reader = db.session.scalar(select(User).where(User.email == "member.cl@demo.portal"))
    titles = [hit.document.title for hit in search_documents(db.session, reader, query, 1).items]
    db.session.commit()  # no transaction may hold the tables while the schema changes
    return titles


def test_documents_are_found_after_the_revision_goes_down_and_up(fresh_app):  # noqa: F811
    strategy = "Estrategia Nacional de Ciberseguridad 2023–2028"
    with fresh_app.app_context():
        upgrade(directory=MIGRATIONS)
        result = fresh_app.test_cli_runner().invoke(args=["seed-demo", "--password", "x" * 12])
        assert result.exit_code == 0, result.output
        assert _titles_found("estrategias") == [strategy]

        downgrade(directory=MIGRATIONS, revision="0006")
        if db.engine.dialect.name == "postgresql":
            # The stored vectors are rebuilt from the terms: revision 0006's search finds them.
            matching = db.session.scalar(
                text(
                    "SELECT count(*) FROM document_texts"
                    " WHERE search_vector @@ to_tsquery('simple', 'estrategi')"
                )
            )
            db.session.commit()
            assert matching == 1

        upgrade(directory=MIGRATIONS)
        assert _titles_found("estrategias") == [strategy]
        assert _titles_found("CAPACITACIONES") == [
            "Plan de formación de capital humano en ciberdefensa"
        ]
        db.session.remove()
        db.engine.dispose()
