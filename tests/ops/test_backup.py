"""Backup and restore through the management commands: the round trip loses no row and no file."""

import hashlib
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from trygg.library import index, search, text
from trygg.library.models import Document

pytestmark = pytest.mark.django_db(transaction=True)

FILES = {"evidence/rapport.pdf": b"%PDF-1.7 demo\x00\xff", "bilder/kart æøå.png": b"\x89PNG\r\n"}


FULL_TEXT = "library_page_fts"


def found_in_the_library() -> list[tuple[int, int]]:
    """What the library's full-text index finds for a few words: (document, page of the best hit)."""
    found = []
    for words in ("kommunen", "ungdom", "MC"):
        query = text.query_terms(words, index.Vocabulary.for_text(words).known)
        found += [(hit.document_id, hit.page_id) for hit in search.hits(query, Document.objects.all(), 100)]
    return found


def database_snapshot() -> dict[str, tuple[int, str]]:
    """Every table's row count and a checksum of its rows, read with plain SQL.

    Many-to-many link tables are compared without their own ID, which nothing refers to and a restore renumbers.
    SQLite's full-text tables (the library's FTS5 index, kept by triggers) are built anew as the rows come back, so
    their bytes differ; ``found_in_the_library`` compares what they find instead.
    """
    links = {model._meta.db_table for model in apps.get_models(include_auto_created=True) if model._meta.auto_created}
    snapshot = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table.startswith(FULL_TEXT):
                continue
            columns = [column.name for column in connection.introspection.get_table_description(cursor, table)]
            if table in links:
                columns.remove("id")
            names = ", ".join(map(connection.ops.quote_name, columns))
            cursor.execute(f"SELECT {names} FROM {connection.ops.quote_name(table)}")  # noqa: S608 (from the schema)
            rows = sorted(repr(row) for row in cursor.fetchall())
            snapshot[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return snapshot


def files_snapshot(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
        if path.is_file()
    }


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_round_trip_loses_nothing(media, tmp_path):
    call_command("load_demo", stdout=StringIO())
    for name, content in FILES.items():
        default_storage.save(name, ContentFile(content))
    before, files_before, searched = database_snapshot(), files_snapshot(media), found_in_the_library()
    library_files = set(Document.objects.values_list("file", flat=True))
    archive = tmp_path / "trygg.tar.gz"

    call_command("backup", str(archive), stdout=StringIO())
    call_command("flush", interactive=False, verbosity=0)
    for path in media.rglob("*"):
        if path.is_file():
            path.unlink()
    call_command("restore", str(archive), stdout=StringIO())

    after = database_snapshot()
    assert sum(count for count, _ in before.values()) > 1000
    assert {table: count for table, (count, _) in after.items()} == {t: c for t, (c, _) in before.items()}
    assert after == before
    assert searched and found_in_the_library() == searched
    assert files_snapshot(media) == files_before
    assert set(FILES) <= set(files_before), "the uploaded files are in the archive, beside the guide's stored PDFs"
    assert library_files and library_files <= set(files_before), "the library's documents are among the files"
    youth = ("youth_survey", "youth_schoolclass", "youth_accesscode", "youth_response", "youth_tally")
    assert all(before[table][0] for table in youth), "the demo's youth surveys, codes and answers made the trip"


def test_restore_refuses_a_database_in_use(media, tmp_path, users):
    archive = tmp_path / "trygg.tar.gz"
    call_command("backup", str(archive), stdout=StringIO())
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive))
