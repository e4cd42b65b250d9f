"""The full-text index over ``library_page.terms``: on SQLite an FTS5 table kept by triggers, so every way a page
is written (the ORM, bulk inserts, a restore) updates it; on PostgreSQL an expression GIN index. Both index the
terms ``library.text`` made, so neither needs a language of its own (see ``library.search``)."""

from django.db import migrations

SQLITE = (
    [
        "CREATE VIRTUAL TABLE library_page_fts USING fts5(terms, content='library_page', content_rowid='id',"
        " tokenize = 'unicode61 remove_diacritics 0')",
        "CREATE TRIGGER library_page_fts_insert AFTER INSERT ON library_page BEGIN"
        " INSERT INTO library_page_fts (rowid, terms) VALUES (new.id, new.terms); END",
        "CREATE TRIGGER library_page_fts_delete AFTER DELETE ON library_page BEGIN"
        " INSERT INTO library_page_fts (library_page_fts, rowid, terms) VALUES ('delete', old.id, old.terms); END",
        "CREATE TRIGGER library_page_fts_update AFTER UPDATE ON library_page BEGIN"
        " INSERT INTO library_page_fts (library_page_fts, rowid, terms) VALUES ('delete', old.id, old.terms);"
        " INSERT INTO library_page_fts (rowid, terms) VALUES (new.id, new.terms); END",
    ],
    [
        "DROP TRIGGER library_page_fts_update",
        "DROP TRIGGER library_page_fts_delete",
        "DROP TRIGGER library_page_fts_insert",
        "DROP TABLE library_page_fts",
    ],
)
POSTGRES = (
    ["CREATE INDEX library_page_terms_fts ON library_page USING gin (to_tsvector('simple', terms))"],
    ["DROP INDEX library_page_terms_fts"],
)


def _run(which: int):
    def run(apps, schema_editor):
        for statement in {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor, ([], []))[which]:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]

    operations = [migrations.RunPython(_run(0), _run(1))]
