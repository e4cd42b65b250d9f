"""The guide for municipalities: editorial chapters and the published measures, ordered by Bjørgo's mechanisms.

``build`` turns the catalogue into plain JSON, and an edition freezes that JSON, so an edition reads the same
however the catalogue or the chapters change later. The content keeps Markdown as Markdown and choices as their
values: ``present`` renders both when shown, as HTML for the web or as blocks for the PDF, in the reader's
language. ``compare`` lists what differs between two editions, word by word where text changed.
"""

import datetime as dt
import difflib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from trygg.core import documents, legal
from trygg.core.models import User

from . import catalogue, citations, markdown
from .models import (
    Actor,
    Backfire,
    Chapter,
    Edition,
    Effect,
    Experience,
    Measure,
    Mechanism,
    Quality,
    Source,
    Stage,
    Transferability,
    Verdict,
)

GUIDE_TITLE = "Veileder: Forebygging og bekjempelse av MC-kriminalitet"
PUBLISHER = "KS"

# Anchors the guide's pages use themselves, so no chapter's slug can take them.
PAGE_ANCHORS = frozenset({"main", "innhold", "referanser", "utgaver", "endringer"})
ANCHOR_PREFIXES = ("mekanisme-", "tiltak-", "kilde-")

LISTS = {"mechanisms": Mechanism, "stages": Stage, "actors": Actor, "backfires": Backfire}
CHOICES = {**catalogue.CHOICE_FIELDS, "effect": Effect}
PHS_FIELDS = ("legal_basis", "target_groups", "strengths", "limitations")  # PHS's questions after the description
EMMIE_TEXTS = tuple(pair for pair in catalogue.EMMIE if pair[0] != "effect")  # the effect has its scale
MARKDOWN_FIELDS = frozenset({"body", *catalogue.MARKDOWN_FIELDS})  # a chapter's text and a measure's texts


class GuideError(Exception):
    """A rule of the guide was broken. ``fields`` maps a form field to its message; ``messages`` are for the user."""

    def __init__(self, *messages: str, fields: dict[str, str] | None = None):
        self.fields = fields or {}
        self.messages = list(messages) or list(self.fields.values())
        self.message = self.messages[0]
        super().__init__(self.message)


class ChapterConflict(GuideError):
    """Someone else saved the chapter after this form was loaded; nothing was saved."""


# Building the content ------------------------------------------------------------------------------------


class _References:
    """The shared reference list, numbered in the order the guide first cites each source."""

    def __init__(self):
        self.entries: list[dict] = []
        self._numbers: dict[str, int] = {}

    def number(self, source) -> int:
        if source.reference not in self._numbers:
            self._numbers[source.reference] = len(self.entries) + 1
            self.entries.append({"number": len(self.entries) + 1, **citations.record(source)})
        return self._numbers[source.reference]


def _measure(measure: Measure, references: _References) -> dict:
    content = {"id": f"tiltak-{measure.key}", "key": measure.key}
    content.update({name: getattr(measure, name) for name in catalogue.FIELDS})
    content["references"] = [references.number(source) for source in measure.sources.all()]
    content["experiences"] = [
        {
            "country": experience.country,
            "place": experience.place,
            "period": experience.period,
            "outcome": experience.outcome,
            "reference": references.number(experience.source) if experience.source else None,
        }
        for experience in measure.experiences.all()
    ]
    return content


def _chapter(chapter: Chapter) -> dict:
    return {
        "kind": "chapter",
        "id": chapter.slug,
        "title": chapter.title,
        "placement": chapter.placement,
        "body": chapter.body,
    }


def build(measures=None) -> dict:
    """The guide as it would be published now: chapters before, one section per mechanism, chapters after.

    ``measures`` are the published ones unless given. A measure sits under its first mechanism; every mechanism
    gets its section, an empty one too, since "nothing published yet" is worth knowing.
    """
    if measures is None:
        measures = catalogue.published()
    if isinstance(measures, QuerySet):
        measures = measures.prefetch_related("sources", "experiences__source").order_by("name")
    references = _References()
    chapters = list(Chapter.objects.order_by("position", "pk"))
    sections = [_chapter(c) for c in chapters if c.placement == Chapter.Placement.BEFORE]
    for number, mechanism in enumerate(Mechanism, start=1):
        sections.append(
            {
                "kind": "mechanism",
                "id": f"mekanisme-{mechanism.value}",
                "mechanism": mechanism.value,
                "number": number,
                "measures": [
                    _measure(m, references) for m in measures if m.mechanisms and m.mechanisms[0] == mechanism.value
                ],
            }
        )
    sections += [_chapter(c) for c in chapters if c.placement == Chapter.Placement.AFTER]
    return {"title": GUIDE_TITLE, "sections": sections, "references": references.entries}


def measures_of(content: dict) -> list[dict]:
    """Every measure of a guide's content, in the guide's order."""
    return [m for section in content["sections"] if section["kind"] == "mechanism" for m in section["measures"]]


def counts(content: dict) -> dict:
    return {
        "chapters": sum(section["kind"] == "chapter" for section in content["sections"]),
        "measures": len(measures_of(content)),
        "references": len(content["references"]),
    }


# Presenting the content ----------------------------------------------------------------------------------


def label(choices, value) -> str:
    """A stored value in the reader's language; a value the scale no longer has is shown as stored."""
    if value in (None, ""):
        return ""
    return str(choices(value).label) if value in choices.values else str(value)


def field_label(name: str) -> str:
    return str(capfirst(Measure._meta.get_field(name).verbose_name))


def _present_measure(measure: dict, number: str, render: Callable) -> dict:
    def text(name):
        return {"name": name, "label": field_label(name), "body": render(measure.get(name, ""))}

    def quality(name):
        return label(Quality, measure.get(name, ""))

    return {
        "id": measure["id"],
        "key": measure["key"],
        "number": number,
        "name": measure["name"],
        "summary": measure["summary"],
        "also": [label(Mechanism, value) for value in measure["mechanisms"][1:]],
        "description": render(measure["description"]),
        "facts": [
            {"label": _("Stages"), "value": ", ".join(label(Stage, v) for v in measure["stages"])},
            {"label": _("Actors"), "value": ", ".join(label(Actor, v) for v in measure["actors"])},
        ],
        "parts": [text(name) for name in PHS_FIELDS if measure.get(name, "").strip()],
        "evidence": {
            "verdict": {"value": measure["verdict"], "label": label(Verdict, measure["verdict"])},
            "quality": quality("verdict_quality"),
            "reason": render(measure["verdict_reason"]),
            "effect": label(Effect, measure["effect"]),
            "effect_quality": quality("effect_quality"),
            "emmie": [
                {**text(name), "quality": quality(quality_name)}
                for name, quality_name in EMMIE_TEXTS
                if measure.get(name, "").strip()
            ],
            "backfires": [label(Backfire, value) for value in measure["backfires"]],
        },
        "transferability": {
            "value": measure["transferability"],
            "label": label(Transferability, measure["transferability"]),
        },
        "transferability_reason": render(measure["transferability_reason"]),
        "experiences": [
            {
                "where": ", ".join(part for part in (e["country"], e["place"], e["period"]) if part),
                "outcome": e["outcome"],
                "reference": e["reference"],
            }
            for e in measure["experiences"]
        ],
        "references": measure["references"],
    }


def present(content: dict, render: Callable = markdown.to_html) -> dict:
    """The content ready to show: Markdown through ``render``, stored values as labels in the reader's language.

    Mechanisms keep Bjørgo's numbers and each measure its number within the mechanism ("3.2"); a mechanism also
    lists the measures filed under another mechanism that activate it too.
    """
    measures = measures_of(content)
    sections = []
    for section in content["sections"]:
        if section["kind"] == "chapter":
            sections.append({**section, "body": render(section["body"])})
            continue
        number = section["number"]
        sections.append(
            {
                "kind": "mechanism",
                "id": section["id"],
                "number": str(number),
                "title": label(Mechanism, section["mechanism"]),
                "measures": [
                    _present_measure(m, f"{number}.{index}", render)
                    for index, m in enumerate(section["measures"], start=1)
                ],
                "see_also": [
                    {"id": m["id"], "name": m["name"]} for m in measures if section["mechanism"] in m["mechanisms"][1:]
                ],
            }
        )
    return {
        "title": content["title"],
        "sections": sections,
        "references": [_reference(r) for r in content["references"]],
        "exemption": legal.report_exemption(),  # the current legal text, also in older editions: it is a notice
    }


def _reference(entry: dict) -> dict:
    """A numbered reference in APA 7 (editions before sources were records show their stored text), with an address
    safe to link to and whether it has been checked."""
    shown = citations.shown(entry)
    return {"number": entry["number"], **shown, "url": shown["link"]}


# Editions ------------------------------------------------------------------------------------------------


def latest_edition() -> Edition | None:
    return Edition.objects.order_by("-number").first()


def draft_edition() -> Edition:
    """The next edition as it would be published now (unsaved), to show and to compare with the latest."""
    return Edition(title=GUIDE_TITLE, content=build())


@transaction.atomic
def publish_edition(actor: User, notes: str, published_at: dt.datetime | None = None) -> Edition:
    """Freeze the guide as it stands now as the next edition, with its PDF in every language.

    The PDFs are typeset and stored now, so the edition's PDF never changes later; if one cannot be made, nothing
    is published and the reason is the error's message. ``published_at`` dates an edition in the past (demo).
    """
    if not catalogue.published().exists():
        raise GuideError(_("The guide needs at least one published measure before an edition can be published."))
    content = build()
    latest = latest_edition()
    if latest and latest.content == content:
        raise GuideError(
            _("Nothing has changed since edition %(number)s, so there is nothing new to publish.")
            % {"number": latest.number}
        )
    try:
        with transaction.atomic():
            edition = Edition.objects.create(
                number=latest.number + 1 if latest else 1,
                title=GUIDE_TITLE,
                published_by=actor,
                published_at=published_at or timezone.now(),
                notes=notes.strip(),
                content=content,
            )
    except IntegrityError:
        raise GuideError(
            _("Someone else published an edition at the same moment. Look at the latest edition first.")
        ) from None
    from . import exports  # the PDF builds on this module, so it is imported when first needed

    try:
        exports.store_pdfs(edition)
    except documents.TypesetError as error:
        raise GuideError(
            _("The PDF of the edition could not be made, so nothing was published. The reason: %(reason)s")
            % {"reason": error}
        ) from error
    return edition


# Comparing editions --------------------------------------------------------------------------------------

CONTEXT = 6  # unchanged words shown on each side of a change
LONGEST = 60  # words of one added or removed run shown before it is cut


@dataclass(frozen=True)
class Segment:
    op: str  # "same", "added", "removed" or "gap" (unchanged or cut words left out)
    text: str


@dataclass(frozen=True)
class FieldDiff:
    name: str
    label: str
    segments: list[Segment]
    separator: str = " "  # between segments: words run on, list items are set apart


@dataclass(frozen=True)
class Difference:
    kind: str  # "chapter", "measure" or "reference"
    change: str  # "added", "removed" or "changed"
    id: str  # the anchor in the edition that has it (the older one when removed)
    title: str
    fields: list[FieldDiff] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return {"chapter": _("Chapters"), "measure": _("Measures"), "reference": _("References")}[self.kind]

    @property
    def change_label(self) -> str:
        return {"added": _("Added"), "removed": _("Removed"), "changed": _("Changed")}[self.change]


def _gap(words: int) -> Segment:
    return Segment("gap", ngettext("… %(count)s more word", "… %(count)s more words", words) % {"count": words})


def _run(op: str, tokens: list[str], joiner: str) -> list[Segment]:
    if len(tokens) > LONGEST:
        return [Segment(op, joiner.join(tokens[:LONGEST])), _gap(len(tokens) - LONGEST)]
    return [Segment(op, joiner.join(tokens))]


def _context(tokens: list[str], first: bool, last: bool) -> list[Segment]:
    """Unchanged words around a change: only the few nearest it, the rest as "…"."""
    before = 0 if first else CONTEXT  # words kept after the previous change
    after = 0 if last else CONTEXT  # words kept before the next change
    if len(tokens) <= before + after + 1:
        return [Segment("same", " ".join(tokens))]
    segments = [Segment("same", " ".join(tokens[:before]))] if before else []
    segments.append(Segment("gap", "…"))
    if after:
        segments.append(Segment("same", " ".join(tokens[-after:])))
    return segments


def text_words(name: str, value) -> list[str]:
    """A text's words as a reader sees them: Markdown's syntax never shows in a comparison."""
    text = str(value if value is not None else "")
    return (markdown.to_text(text) if name in MARKDOWN_FIELDS else text).split()


def word_diff(before: list[str], after: list[str], words: bool = True) -> list[Segment]:
    """``diff_segments``, or a note when the stored texts differ while their words do not (formatting only)."""
    if before == after:
        return [Segment("gap", _("Only the formatting changed."))]
    return diff_segments(before, after, words)


def diff_segments(old: list[str], new: list[str], words: bool = True) -> list[Segment]:
    """What changed from ``old`` to ``new``: words of a text (with short context), or items of a list."""
    joiner = " " if words else " · "
    opcodes = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    segments = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            if words:
                segments += _context(old[i1:i2], first=index == 0, last=index == len(opcodes) - 1)
            else:
                segments.append(Segment("same", joiner.join(old[i1:i2])))
            continue
        if tag in ("replace", "delete"):
            segments += _run("removed", old[i1:i2], joiner)
        if tag in ("replace", "insert"):
            segments += _run("added", new[j1:j2], joiner)
    return segments


def _experience_text(experience: dict, references: dict[int, str]) -> str:
    where = ", ".join(part for part in (experience["country"], experience["place"], experience["period"]) if part)
    source = references.get(experience["reference"], "")
    return f"{where}: {experience['outcome']}" + (f" ({source})" if source else "")


def _items(name: str, value, references: dict[int, str]) -> tuple[list[str], bool]:
    """A stored value as the tokens to compare, and whether they are words (else whole items)."""
    if name in LISTS:
        return [label(LISTS[name], v) for v in value], False
    if name in CHOICES:
        return ([label(CHOICES[name], value)] if value not in (None, "") else []), False
    if name == "references":
        return [references.get(number, "") for number in value], False
    if name == "experiences":
        return " ".join(_experience_text(e, references) for e in value).split(), True
    if name == "placement":
        return [label(Chapter.Placement, value)], False
    return text_words(name, value or ""), True


def _field_diffs(old: dict, new: dict, names: dict[str, str], references: tuple[dict, dict]) -> list[FieldDiff]:
    diffs = []
    for name, field_name in names.items():
        before, words = _items(name, old.get(name, ""), references[0])
        after, _words = _items(name, new.get(name, ""), references[1])
        if before != after or (name in MARKDOWN_FIELDS and old.get(name, "") != new.get(name, "")):
            diffs.append(FieldDiff(name, field_name, word_diff(before, after, words), " " if words else " · "))
    return diffs


def _compare_keyed(kind: str, old: dict, new: dict, names: dict, references: tuple, title: str) -> list[Difference]:
    differences = []
    for key, item in new.items():
        if key not in old:
            differences.append(Difference(kind, "added", item.get("id", ""), item[title]))
            continue
        fields = _field_diffs(old[key], item, names, references)
        if fields:
            differences.append(Difference(kind, "changed", item.get("id", ""), item[title], fields))
    differences += [
        Difference(kind, "removed", item.get("id", ""), item[title]) for key, item in old.items() if key not in new
    ]
    return differences


def _numbers(content: dict) -> dict[int, str]:
    return {entry["number"]: entry["reference"] for entry in content["references"]}


def compare(older: Edition, newer: Edition) -> list[Difference]:
    """What differs from ``older`` to ``newer``: chapters, then measures, then references added, removed or changed.

    Measures are matched by their key, chapters by their anchor, references by their text; reference numbers
    shift between editions, so a measure's sources are compared by their text too.
    """
    old, new = older.content, newer.content
    references = (_numbers(old), _numbers(new))

    def chapters(content):
        return {s["id"]: s for s in content["sections"] if s["kind"] == "chapter"}

    chapter_fields = {
        name: capfirst(Chapter._meta.get_field(name).verbose_name) for name in ("title", "placement", "body")
    }
    measure_fields = {name: field_label(name) for name in catalogue.FIELDS}
    measure_fields.update(
        experiences=capfirst(Experience._meta.verbose_name_plural),
        references=capfirst(Source._meta.verbose_name_plural),
    )
    reference_fields = {name: capfirst(Source._meta.get_field(name).verbose_name) for name in ("url", "year")}
    return [
        *_compare_keyed("chapter", chapters(old), chapters(new), chapter_fields, references, "title"),
        *_compare_keyed(
            "measure",
            {m["key"]: m for m in measures_of(old)},
            {m["key"]: m for m in measures_of(new)},
            measure_fields,
            references,
            "name",
        ),
        *_compare_keyed(
            "reference",
            {r["reference"]: {**r, "id": f"kilde-{r['number']}"} for r in old["references"]},
            {r["reference"]: {**r, "id": f"kilde-{r['number']}"} for r in new["references"]},
            reference_fields,
            references,
            "reference",
        ),
    ]


# Chapters ------------------------------------------------------------------------------------------------


def _slug(text: str) -> str:
    return slugify(text.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a"))[:80].strip("-")


def save_chapter(chapter: Chapter | None, data: dict, revision: int | None = None) -> Chapter:
    """Create (``chapter=None``) or change a chapter, if nobody else has saved it since ``revision`` was loaded.

    ``data`` holds title, slug (made from the title when empty), placement, position and body (Markdown; HTML is
    refused so nobody's text changes silently). On any error nothing is saved.
    """
    with transaction.atomic():
        if chapter is None:
            chapter = Chapter()
        else:
            chapter = Chapter.objects.select_for_update().get(pk=chapter.pk)
            if revision is not None and chapter.revision != revision:
                raise ChapterConflict(
                    _("Someone else saved this chapter while you were editing it. Your changes were not saved.")
                )
            chapter.revision += 1
        slug = _slug(data.get("slug") or data["title"])
        problems = {}
        for name in ("title", "body"):
            tags = markdown.html_found(data[name])
            if tags:
                problems[name] = _("The text contains HTML (%(tags)s). Write plain text or Markdown instead.") % {
                    "tags": ", ".join(dict.fromkeys(tags))
                }
        if not slug:
            problems["slug"] = _("Give the chapter an anchor: small letters, digits and hyphens.")
        elif slug in PAGE_ANCHORS or slug.startswith(ANCHOR_PREFIXES):
            problems["slug"] = _("The guide uses the anchor “%(slug)s” itself. Choose another.") % {"slug": slug}
        elif Chapter.objects.filter(slug=slug).exclude(pk=chapter.pk).exists():
            problems["slug"] = _("Another chapter already has the anchor “%(slug)s”.") % {"slug": slug}
        if problems:
            raise GuideError(fields=problems)
        chapter.slug = slug
        chapter.title = data["title"].strip()
        chapter.placement = data["placement"]
        chapter.position = data["position"]
        chapter.body = data["body"]
        try:
            with transaction.atomic():
                chapter.save()
        except IntegrityError:
            raise GuideError(
                fields={"slug": _("Another chapter already has the anchor “%(slug)s”.") % {"slug": slug}}
            ) from None
    return chapter
