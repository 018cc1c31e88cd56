"""Revision 0024_bilingual_content: titles and descriptions of meetings, agenda items,
action items and documents split into an English and a Spanish column, down and up on the
populated demo database, keeping every text where its readers find it."""

from alembic.config import Config
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select, text

from portal.actions.models import ActionItem
from portal.core.extensions import db
from portal.documents.models import Document, DocumentLanguage
from portal.meetings.models import AgendaItem, Meeting
from tests.conftest import MIGRATIONS
from tests.helpers.migrations import demo_app, schema_differences  # noqa: F401  (a fixture)

REVISION = "0024_bilingual_content"


def _below() -> str:
    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    return ScriptDirectory.from_config(config).get_revision(REVISION).down_revision


def _single(table: str, column: str) -> dict[int, str]:
    rows = db.session.execute(text(f"SELECT id, {column} FROM {table}"))  # noqa: S608
    return dict(rows.all())


def test_texts_go_down_to_one_column_and_up_to_their_language(demo_app):  # noqa: F811
    with demo_app.app_context():
        documents = db.session.execute(
            select(Document.id, Document.language, Document.title_en, Document.title_es)
        ).all()
        spanish = {d.id: d.title_es for d in documents if d.language == DocumentLanguage.SPANISH}
        english = {d.id: d.title_en for d in documents if d.language == DocumentLanguage.ENGLISH}
        assert spanish and english and all(spanish.values()) and all(english.values())
        meetings = dict(db.session.execute(select(Meeting.id, Meeting.description_md_en)).all())
        actions = dict(db.session.execute(select(ActionItem.id, ActionItem.title_en)).all())
        agenda = dict(db.session.execute(select(AgendaItem.id, AgendaItem.title_en)).all())
        assert actions and agenda and all(actions.values())
        # A text written in Spanish only, where the language of old rows is not known.
        first_action = min(actions)
        db.session.execute(
            text(
                "UPDATE action_items SET title_en = '', title_es = 'Solo en español' WHERE id = :i"
            ),
            {"i": first_action},
        )
        # Minutes written in Spanish only: their text and revision survive the way down.
        meeting = min(meetings)
        db.session.execute(
            text(
                "INSERT INTO minutes (meeting_id, state, revision_number, body_md, body_html, "
                "body_md_es, body_html_es) VALUES (:m, 'draft', 1, '', '', 'Acta', '<p>Acta</p>')"
            ),
            {"m": meeting},
        )
        minutes_id = db.session.scalar(
            text("SELECT id FROM minutes WHERE meeting_id = :m"), {"m": meeting}
        )
        author = db.session.scalar(text("SELECT min(id) FROM users"))
        db.session.execute(
            text(
                "INSERT INTO minutes_revisions (minutes_id, number, language, body_md, "
                "author_id, created_at) VALUES (:i, 1, 'es', 'Acta', :a, CURRENT_TIMESTAMP)"
            ),
            {"i": minutes_id, "a": author},
        )
        db.session.commit()

        downgrade(directory=MIGRATIONS, revision=_below())
        db.session.remove()
        titles = _single("documents", "title")
        assert {i: titles[i] for i in spanish} == spanish  # Spanish only: the Spanish text
        assert {i: titles[i] for i in english} == english
        assert _single("action_items", "title") == {**actions, first_action: "Solo en español"}
        assert _single("meetings", "description_md") == meetings
        assert _single("agenda_items", "title") == agenda
        assert _single("minutes", "body_md") == {minutes_id: "Acta"}
        revisions = "SELECT count(*) FROM minutes_revisions WHERE minutes_id = :i"
        assert db.session.scalar(text(revisions), {"i": minutes_id}) == 1
        db.session.commit()

        upgrade(directory=MIGRATIONS)
        db.session.remove()
        after = db.session.execute(
            select(Document.id, Document.title_en, Document.title_es, Document.description_md_es)
        ).all()
        for row in after:
            if row.id in spanish:  # known to be Spanish: the Spanish column, English missing
                assert (row.title_en, row.title_es) == ("", spanish[row.id])
                assert row.description_md_es
            else:
                assert (row.title_en, row.title_es) == (english.get(row.id, row.title_en), "")
        # Where the language is not known, the text stays in the column read until now.
        assert dict(db.session.execute(select(ActionItem.id, ActionItem.title_en)).all()) == {
            **actions,
            first_action: "Solo en español",
        }
        assert db.session.scalar(select(func.count()).where(ActionItem.title_es != "")) == 0
        assert dict(db.session.execute(select(AgendaItem.id, AgendaItem.title_en)).all()) == agenda
        db.session.commit()
    assert schema_differences(demo_app) == []
