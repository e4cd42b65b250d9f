"""The full-text index over ``library_page.terms``: an FTS5 table on SQLite, an expression GIN index on PostgreSQL
(see ``library.search``; both index the terms ``library.text`` made, so neither needs a language of its own)."""

from django.db import migrations

SQLITE = (
    "CREATE VIRTUAL TABLE library_page_fts USING fts5(terms, tokenize = 'unicode61 remove_diacritics 0')",
    "DROP TABLE library_page_fts",
)
POSTGRES = (
    "CREATE INDEX library_page_terms_fts ON library_page USING gin (to_tsvector('simple', terms))",
    "DROP INDEX library_page_terms_fts",
)


def _run(which: int):
    def run(apps, schema_editor):
        sql = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor)
        if sql:
            schema_editor.execute(sql[which])

    return run


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]

    operations = [migrations.RunPython(_run(0), _run(1))]
