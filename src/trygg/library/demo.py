"""Demo library: KS' 2011 deck as the first document and short documents written for the demo (data/library, see
its SOURCE.md), so that search, facets and similar documents show something real; and the guide's latest edition
as published (its stored PDF), linked to that edition.

The guide's PDF goes through the upload's own job (read in a separate process, indexed, its first page drawn), so
``load_demo`` answers at once and the worker adds the guide a few seconds later; the demo's own texts are read here.
"""

import tomllib
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from trygg.core.models import User
from trygg.measures import guide

from . import index, services
from .models import Access, Document, Kind

DIRECTORY = Path(settings.DATA_DIR) / "library"
FIELDS = ("title", "authors", "organisation", "year", "kind", "topics", "access", "source_note")


@transaction.atomic
def load():
    if Document.objects.exists():
        return []
    admin = User.objects.get(username="admin")
    manifest = tomllib.loads((DIRECTORY / "documents.toml").read_text(encoding="utf-8"))
    for entry in manifest["document"]:
        path = DIRECTORY / entry["file"]
        services.add_trusted(admin, {name: entry[name] for name in FIELDS}, path.name, path.read_bytes())
    index.rebuild()
    add_guide(admin)
    return []


def add_guide(admin: User):
    """The latest edition's bokmål PDF as a library document with its metadata; returns the reading job, if any."""
    edition = guide.latest_edition()
    stored = edition.pdfs.filter(language="nb").first() if edition else None
    if stored is None:
        return None
    with stored.file.open("rb") as original:
        content = ContentFile(original.read(), name=f"veileder-utgave-{edition.number}.pdf")
    data = {
        "title": f"{edition.title} ({edition.number}. utgave)",
        "authors": ["KS"],
        "organisation": "KS",
        "year": edition.published_at.year,
        "kind": Kind.GUIDE,
        "topics": ["MC-kriminalitet", "tiltak", "veileder"],
        "language": "nb",
        "access": Access.PUBLIC,
        "summary": edition.notes,
        "source_note": "Veilederen slik utgaven ble publisert i Trygg (den lagrede PDF-en).",
        "edition": edition,
    }
    return services.add_document(admin, data, content)[1]
