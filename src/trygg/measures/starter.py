"""The starter catalogue: the Trygg team's measures and guide chapters in data/measures/, loaded and published once.

Only keys and slugs not yet in the database are created, so running it again adds what is new in the files and
never touches what editors have changed since. Every measure goes through the catalogue's own services, so it is
checked, versioned and published by the same rules as one typed into the editor.
"""

import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from trygg.core.models import User

from . import catalogue, guide
from .models import Chapter, Measure

DIRECTORY = Path(settings.DATA_DIR) / "measures"
REASON = "Startinnhold fra Trygg-teamet"  # stored in each version's history, like an editor's reason
STEPS = ((Measure.Status.REVIEW, "Startinnhold til gjennomgang"), (Measure.Status.PUBLISHED, "Startinnhold publisert"))


@dataclass(frozen=True)
class LoadResult:
    created: int
    skipped: int
    chapters_created: int


class StarterError(Exception):
    """The files contradict themselves or the catalogue's rules; the message names the entry to mend first."""

    def __init__(self, entry: str, *messages: str):
        super().__init__(f"{entry}: {' '.join(messages)}")


@transaction.atomic
def load(actor: User | None = None, directory: Path | None = None) -> LoadResult:
    """Create and publish the measures and create the chapters whose keys and slugs are new; all or nothing."""
    directory = directory or DIRECTORY
    content = _read(directory / "measures.toml")
    sources = content.get("sources", {})
    existing = set(Measure.objects.values_list("key", flat=True))
    created = skipped = 0
    for entry in content["measures"]:
        if entry["key"] in existing:
            skipped += 1
            continue
        _create(actor, entry, sources)
        existing.add(entry["key"])
        created += 1
    chapters_created = 0
    slugs = set(Chapter.objects.values_list("slug", flat=True))
    for entry in _read(directory / "chapters.toml")["chapters"]:
        if entry["slug"] not in slugs:
            try:
                guide.save_chapter(None, entry)
            except guide.GuideError as error:
                raise StarterError(entry["slug"], *error.messages) from error
            chapters_created += 1
    return LoadResult(created, skipped, chapters_created)


def _read(path: Path) -> dict:
    with path.open("rb") as file:
        return tomllib.load(file)


def _create(actor: User | None, entry: dict, sources: dict[str, dict]) -> None:
    key = entry["key"]

    def source(ident: str) -> dict:
        if ident not in sources:
            raise StarterError(key, _("No source “%(source)s” in [sources].") % {"source": ident})
        return sources[ident]

    measure_sources = [source(ident) for ident in entry.get("sources", [])]
    experiences = []
    for experience in entry.get("experiences", []):
        if experience.get("source") not in entry.get("sources", []):
            raise StarterError(
                key,
                _("An experience cites “%(source)s”, which the measure does not.")
                % {"source": experience.get("source", "")},
            )
        experiences.append({**experience, "source": source(experience["source"])["reference"]})
    data = {name: entry[name] for name in catalogue.FIELDS if name in entry}
    try:
        measure = catalogue.save_measure(
            actor, None, data, sources=measure_sources, experiences=experiences, reason=REASON, key=key
        )
        for status, reason in STEPS:
            measure = catalogue.change_status(actor, measure, status, reason=reason, revision=measure.revision)
    except catalogue.MeasureError as error:
        raise StarterError(key, *error.messages) from error
