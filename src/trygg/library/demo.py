"""Demo library: KS' 2011 deck as the first document and short documents written for the demo (data/library, see
its SOURCE.md), so that search, facets and similar documents show something real.

The guide's PDF is not added here: pypdf reads its 47 pages in about five seconds, too slow for ``load_demo``,
which the tests run often. An adviser uploads it like any other PDF.
"""

import tomllib
from pathlib import Path

from django.conf import settings
from django.db import transaction

from trygg.core.models import User

from . import index, services
from .models import Document

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
    return []
