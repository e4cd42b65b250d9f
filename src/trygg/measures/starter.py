"""The starter catalogue: the Trygg team's measures, sources and guide chapters in data/measures/.

Keys and slugs not yet in the database are created (measures published at once) through the catalogue's own
services, so they are checked, versioned and published by the same rules as one typed into the editor. What
editors have changed is never overwritten: where the files have changed an existing measure or chapter since it was
last loaded, the change becomes a *proposal* (``corrections``) that an editor reviews and accepts or rejects. Running
the loader again with unchanged files changes nothing.
"""

import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from trygg.core.models import User

from . import catalogue, citations, guide
from .models import Chapter, Measure, Proposal, Source

DIRECTORY = Path(settings.DATA_DIR) / "measures"
REASON = "Startinnhold fra Trygg-teamet"  # stored in each version's history, like an editor's reason
CORRECTION = "Rettelse fra Trygg-teamets startinnhold"  # when the files do not say why they changed
STEPS = ((Measure.Status.REVIEW, "Startinnhold til gjennomgang"), (Measure.Status.PUBLISHED, "Startinnhold publisert"))
CHAPTER_FIELDS = ("title", "slug", "placement", "position", "body")


@dataclass(frozen=True)
class LoadResult:
    created: int
    skipped: int
    chapters_created: int
    proposed: int = 0


class StarterError(Exception):
    """The files contradict themselves or the catalogue's rules; the message names the entry to mend first."""

    def __init__(self, entry: str, *messages: str):
        super().__init__(f"{entry}: {' '.join(messages)}")


@transaction.atomic
def load(actor: User | None = None, directory: Path | None = None) -> LoadResult:
    """Create what is new, propose what the files changed since the last load; all or nothing."""
    directory = directory or DIRECTORY
    content = _read(directory / "measures.toml")
    reason = content.get("revision_note", CORRECTION)
    sources = {ident: citations.save_source(ident, entry) for ident, entry in content.get("sources", {}).items()}
    stored = {measure.key: measure for measure in Measure.objects.all()}
    created = skipped = proposed = 0
    for entry in content["measures"]:
        record = _measure_record(entry, sources)
        measure = stored.get(entry["key"])
        if measure is None:
            _create(actor, entry["key"], record)
            created += 1
            continue
        skipped += 1
        proposed += _propose(measure, record, _measure_now(measure), reason)
    chapters = _read(directory / "chapters.toml")
    chapter_reason = chapters.get("revision_note", reason)
    stored_chapters = {chapter.slug: chapter for chapter in Chapter.objects.all()}
    chapters_created = 0
    for entry in chapters["chapters"]:
        record = {name: entry[name] for name in CHAPTER_FIELDS}
        chapter = stored_chapters.get(entry["slug"])
        if chapter is None:
            try:
                chapter = guide.save_chapter(None, record)
            except guide.GuideError as error:
                raise StarterError(entry["slug"], *error.messages) from error
            Chapter.objects.filter(pk=chapter.pk).update(starter=record)
            chapters_created += 1
            continue
        now = {name: getattr(chapter, name) for name in CHAPTER_FIELDS}
        proposed += _propose(chapter, record, now, chapter_reason)
    return LoadResult(created, skipped, chapters_created, proposed)


def _read(path: Path) -> dict:
    with path.open("rb") as file:
        return tomllib.load(file)


def _default(name: str):
    value = Measure._meta.get_field(name).get_default()
    return None if name == "effect" else value


def _measure_record(entry: dict, sources: dict[str, Source]) -> dict:
    """A file entry as the catalogue stores a measure: every field (absent ones at their default), sources by
    reference, experiences citing a reference."""
    key = entry["key"]

    def reference(ident: str) -> str:
        if ident not in sources:
            raise StarterError(key, _("No source “%(source)s” in [sources].") % {"source": ident})
        return sources[ident].reference

    cited = entry.get("sources", [])
    for experience in entry.get("experiences", []):
        if experience.get("source") not in cited:
            raise StarterError(
                key,
                _("An experience cites “%(source)s”, which the measure does not.")
                % {"source": experience.get("source", "")},
            )
    record = {name: entry.get(name, _default(name)) for name in catalogue.FIELDS}
    record["sources"] = [reference(ident) for ident in cited]
    record["experiences"] = [
        {
            "country": experience["country"],
            "place": experience.get("place", ""),
            "period": experience.get("period", ""),
            "outcome": experience["outcome"],
            "source": reference(experience["source"]),
        }
        for experience in entry.get("experiences", [])
    ]
    return record


def _measure_now(measure: Measure) -> dict:
    """The stored measure in the shape of ``_measure_record``."""
    data = catalogue.snapshot(measure)
    record = {name: data[name] for name in catalogue.FIELDS}
    record["sources"] = [source["reference"] for source in data["sources"]]
    record["experiences"] = data["experiences"]
    return record


def _create(actor: User | None, key: str, record: dict) -> None:
    data = {name: record[name] for name in catalogue.FIELDS}
    try:
        measure = catalogue.save_measure(
            actor,
            None,
            data,
            sources=[{"reference": reference} for reference in record["sources"]],
            experiences=record["experiences"],
            reason=REASON,
            key=key,
        )
        for status, reason in STEPS:
            measure = catalogue.change_status(actor, measure, status, reason=reason, revision=measure.revision)
    except catalogue.MeasureError as error:
        raise StarterError(key, *error.messages) from error
    Measure.objects.filter(pk=measure.pk).update(starter=record)


def _propose(target: Measure | Chapter, record: dict, now: dict, reason: str) -> int:
    """Propose the fields the file changed since it was last loaded (or, never loaded by this loader, the fields
    that differ from what is stored), unless they already stand so; 1 when a proposal was made."""
    before = target.starter or now
    changes = {name: value for name, value in record.items() if before.get(name) != value and now.get(name) != value}
    if target.starter == record:
        return 0
    type(target).objects.filter(pk=target.pk).update(starter=record)
    if not changes:
        return 0
    link = {"measure": target} if isinstance(target, Measure) else {"chapter": target}
    Proposal.objects.filter(status=Proposal.Status.OPEN, **link).update(status=Proposal.Status.SUPERSEDED)
    Proposal.objects.create(base_revision=target.revision, data=changes, reason=reason, **link)
    return 1
