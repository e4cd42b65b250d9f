"""Domain rules of the measures catalogue: who sees what, saving with versions, the workflow, search and the matrix.

Every write goes through ``save_measure`` or ``change_status``: each keeps a frozen version with who and why, refuses
to overwrite someone else's newer save, and refuses to publish (or keep published) a measure whose verdict has no
source. Services take the acting user explicitly and know nothing of HTTP.
"""

import re
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from snowballstemmer import stemmer

from trygg.core.models import User

from . import markdown
from .models import (
    Actor,
    Backfire,
    Effect,
    Experience,
    Measure,
    MeasureVersion,
    Mechanism,
    Quality,
    Source,
    Stage,
    Transferability,
    Verdict,
)

# The measure's own fields an editor changes (everything but sources and experiences, which have their own rows).
FIELDS = (
    "name",
    "summary",
    "description",
    "mechanisms",
    "stages",
    "actors",
    "legal_basis",
    "target_groups",
    "strengths",
    "limitations",
    "verdict",
    "verdict_reason",
    "verdict_quality",
    "effect",
    "effect_quality",
    "mechanism_note",
    "mechanism_quality",
    "moderators",
    "moderators_quality",
    "implementation",
    "implementation_quality",
    "economic_cost",
    "economic_cost_quality",
    "backfires",
    "transferability",
    "transferability_reason",
)
MARKDOWN_FIELDS = (
    "description",
    "legal_basis",
    "target_groups",
    "strengths",
    "limitations",
    "verdict_reason",
    "mechanism_note",
    "moderators",
    "implementation",
    "economic_cost",
    "transferability_reason",
)
LIST_FIELDS = {"mechanisms": Mechanism, "stages": Stage, "actors": Actor, "backfires": Backfire}
CHOICE_FIELDS = {
    "verdict": Verdict,
    "verdict_quality": Quality,
    "effect_quality": Quality,
    "mechanism_quality": Quality,
    "moderators_quality": Quality,
    "implementation_quality": Quality,
    "economic_cost_quality": Quality,
    "transferability": Transferability,
}
# Each EMMIE dimension's text (or scale) and the field that says how good its evidence is.
EMMIE = (
    ("effect", "effect_quality"),
    ("mechanism_note", "mechanism_quality"),
    ("moderators", "moderators_quality"),
    ("implementation", "implementation_quality"),
    ("economic_cost", "economic_cost_quality"),
)
# Allowed moves of the editorial workflow, and whether the move needs the right to publish.
TRANSITIONS = {
    (Measure.Status.DRAFT, Measure.Status.REVIEW): False,
    (Measure.Status.REVIEW, Measure.Status.DRAFT): False,
    (Measure.Status.REVIEW, Measure.Status.PUBLISHED): True,
    (Measure.Status.PUBLISHED, Measure.Status.DRAFT): True,
}


class MeasureError(Exception):
    """A rule of the catalogue was broken; ``messages`` are for the user, in their language."""

    def __init__(self, *messages: str):
        super().__init__(messages[0])
        self.messages = list(messages)
        self.message = messages[0]


class MeasureConflict(MeasureError):
    """Someone else saved the measure after this form was loaded; nothing was saved."""


# Who sees what ----------------------------------------------------------------------------------------------


def visible_measures(user) -> QuerySet[Measure]:
    """Editors see every measure; everyone else, the public included, only the published ones."""
    measures = Measure.objects.all()
    if not user.has_perm("measures.view_drafts"):
        measures = measures.filter(status=Measure.Status.PUBLISHED)
    return measures


def published() -> QuerySet[Measure]:
    return Measure.objects.filter(status=Measure.Status.PUBLISHED)


# Search and filters -----------------------------------------------------------------------------------------

_stemmer = stemmer("norwegian")
_WORD = re.compile(r"\w+", re.UNICODE)
# Words too common to search for; the catalogue is in bokmål.
STOP_WORDS = frozenset(
    "og i på av til for med som er en et ei den det de at om fra har ikke kan skal vil eller men så".split()  # noqa: SIM905
)


def stems(text: str) -> list[str]:
    """Norwegian (Snowball) stems of the words in ``text``, lower-cased, without stop words."""
    words = [word for word in _WORD.findall((text or "").lower()) if word not in STOP_WORDS]
    return _stemmer.stemWords(words)


def _index(measure: Measure) -> str:
    texts = [getattr(measure, name) for name in ("name", "summary", *MARKDOWN_FIELDS)]
    texts += [f"{e.country} {e.place} {e.outcome}" for e in measure.experiences.all()]
    return " " + " ".join(dict.fromkeys(stems(" ".join(texts)))) + " "


def _facets(measure: Measure) -> str:
    tags = [f"m:{v}" for v in measure.mechanisms] + [f"s:{v}" for v in measure.stages]
    tags += [f"a:{v}" for v in measure.actors] + [f"b:{v}" for v in measure.backfires]
    return "|" + "|".join(tags) + "|"


@dataclass(frozen=True)
class Filters:
    """The catalogue's filters as the list page, the API and the advice take them; empty means "any"."""

    q: str = ""
    mechanism: str = ""
    stage: str = ""
    actor: str = ""
    verdict: str = ""
    transferability: str = ""
    status: str = ""


def filter_measures(measures: QuerySet[Measure], filters: Filters) -> list[Measure]:
    """Measures matching every filter; with a search text, the best matches first (name, then summary, then body).

    Words match by stem and inside compounds: "forbud" finds "klubbhusforbud", "skjenkebevillingen" finds
    "skjenkebevilling".
    """
    for prefix, value in (("m", filters.mechanism), ("s", filters.stage), ("a", filters.actor)):
        if value:
            measures = measures.filter(facets__contains=f"|{prefix}:{value}|")
    if filters.verdict:
        measures = measures.filter(verdict=filters.verdict)
    if filters.transferability:
        measures = measures.filter(transferability=filters.transferability)
    if filters.status:
        measures = measures.filter(status=filters.status)
    terms = stems(filters.q)
    if not terms:
        return list(measures.order_by("name"))
    condition = Q()
    for term in terms:
        condition &= Q(search_index__contains=term)
    found = list(measures.filter(condition))

    def rank(measure: Measure) -> tuple:
        name, summary = " ".join(stems(measure.name)), " ".join(stems(measure.summary))
        return (-sum(3 * (t in name) + (t in summary) for t in terms), measure.name)

    return sorted(found, key=rank)


@dataclass(frozen=True)
class MatrixCell:
    mechanism: str
    stage: str
    count: int


@dataclass(frozen=True)
class MatrixRow:
    mechanism: Mechanism
    cells: list[MatrixCell]
    total: int


def matrix(measures: QuerySet[Measure]) -> list[MatrixRow]:
    """Mechanisms × stages with the number of measures in each cell: the empty cells are where the catalogue is thin."""
    rows = []
    measures = list(measures.only("mechanisms", "stages"))
    for mechanism in Mechanism:
        mine = [m for m in measures if mechanism.value in m.mechanisms]
        cells = [
            MatrixCell(mechanism.value, stage.value, sum(stage.value in m.stages for m in mine)) for stage in Stage
        ]
        rows.append(MatrixRow(mechanism, cells, len(mine)))
    return rows


# Publishing rules -------------------------------------------------------------------------------------------


def publish_problems(measure: Measure, sources: list | None = None) -> list[str]:
    """What stops ``measure`` from being published, in the user's language; empty when it may be published.

    ``sources`` are the references about to be saved; by default the stored ones.
    """
    if sources is None:
        sources = list(measure.sources.all()) if measure.pk else []
    problems = []
    if not measure.mechanisms:
        problems.append(_("Choose at least one of Bjørgo's mechanisms."))
    if not measure.stages:
        problems.append(_("Choose at least one stage."))
    if not measure.verdict:
        problems.append(_("Give the measure a verdict on the evidence scale."))
    elif not sources:
        problems.append(_("A verdict without a source cannot be published. Add at least one source."))
    elif not any(source.checked for source in sources):
        problems.append(
            _("At least one source must be checked against the original before the measure can be published.")
        )
    if measure.verdict and not measure.verdict_quality:
        problems.append(_("Say how good the evidence behind the verdict is."))
    if measure.verdict and not measure.verdict_reason.strip():
        problems.append(_("Explain the verdict in a few sentences."))
    labels = {name: Measure._meta.get_field(name).verbose_name for pair in EMMIE for name in pair}
    for field, quality in EMMIE:
        if getattr(measure, field) not in (None, "") and not getattr(measure, quality):
            problems.append(_("Say how good the evidence is for “%(field)s”.") % {"field": labels[field]})
    return problems


# Saving ------------------------------------------------------------------------------------------------------


def _check_values(data: dict) -> None:
    """Values outside the scales are refused with a message (forms check too; the API and imports rely on this)."""
    problems = []
    for name, choices in LIST_FIELDS.items():
        values = data.get(name, [])
        if not isinstance(values, list) or any(value not in choices.values for value in values):
            problems.append(_("“%(field)s” has a value outside the list.") % {"field": _label(name)})
    for name, choices in CHOICE_FIELDS.items():
        if data.get(name, "") not in ("", *choices.values):
            problems.append(
                _("“%(value)s” is not on the scale for “%(field)s”.") % {"value": data[name], "field": _label(name)}
            )
    if data.get("effect") not in (None, "", *Effect.values):
        problems.append(_("The effect must be one of the eight steps of the EMMIE scale."))
    for name in MARKDOWN_FIELDS:
        tags = markdown.html_found(data.get(name, ""))
        if tags:
            problems.append(
                _("“%(field)s” contains HTML (%(tags)s). Write plain text or Markdown instead.")
                % {"field": _label(name), "tags": ", ".join(dict.fromkeys(tags))}
            )
    if not (data.get("name") or "").strip():
        problems.append(_("Give the measure a name."))
    for name in ("name", "summary", *MARKDOWN_FIELDS):
        limit = Measure._meta.get_field(name).max_length
        if len(data.get(name) or "") > limit:
            problems.append(
                _("“%(field)s” is %(length)d characters long; the limit is %(limit)d.")
                % {"field": _label(name), "length": len(data[name]), "limit": limit}
            )
    if problems:
        raise MeasureError(*problems)


def _label(name: str) -> str:
    return str(Measure._meta.get_field(name).verbose_name)


# First path segments under /tiltak/ that belong to other pages, never to a measure.
# "matrix" is the API's (/api/measures/matrix).
RESERVED_KEYS = frozenset(
    {"ny", "matrise", "veileder", "rad", "planer", "arrangement", "sok", "matrix", "rettelser", "kilder"}
)


def _unique_key(name: str) -> str:
    """A stable, readable key from the name: "Skjenkebevilling" → "skjenkebevilling", then "-2", "-3"…"""
    base = slugify(name.replace("æ", "ae").replace("ø", "o").replace("å", "a"))[:90] or "tiltak"
    key, number = base, 2
    while key in RESERVED_KEYS or Measure.objects.filter(key=key).exists():
        key, number = f"{base}-{number}", number + 1
    return key


def _sources(entries: list[dict]) -> list[Source]:
    """One Source per reference, shared between measures; a given address or year updates the stored one."""
    sources = []
    for entry in entries:
        reference = entry["reference"].strip()
        if not reference:
            continue
        source, _created = Source.objects.get_or_create(reference=reference)
        changed = False
        for name in ("url", "year"):
            if entry.get(name) and getattr(source, name) != entry[name]:
                setattr(source, name, entry[name])
                changed = True
        if changed:
            source.save()
        sources.append(source)
    return sources


def save_measure(
    actor: User,
    measure: Measure | None,
    data: dict,
    *,
    sources: list[dict],
    experiences: list[dict],
    reason: str,
    revision: int | None = None,
    key: str = "",
) -> Measure:
    """Create (``measure=None``) or change a measure, if nobody else has saved it since ``revision`` was loaded.

    ``data`` holds the fields in FIELDS; ``sources`` are {"reference", "url"?, "year"?}; ``experiences`` are
    {"country", "place", "period", "outcome", "source"?: reference} and replace the stored ones. A published
    measure stays published only if it still meets the publishing rules. On any error nothing is saved.
    A new measure's ``key`` comes from its name unless given (the starter catalogue fixes its keys).
    """
    _check_values(data)
    if not reason.strip():
        raise MeasureError(_("Say briefly why you made the change."))
    with transaction.atomic():
        if measure is None:
            if key and (key in RESERVED_KEYS or Measure.objects.filter(key=key).exists()):
                raise MeasureError(_("The key “%(key)s” is taken.") % {"key": key})
            measure = Measure(key=key or _unique_key(data["name"]))
        else:
            measure = Measure.objects.select_for_update().get(pk=measure.pk)
            if revision is not None and measure.revision != revision:
                raise MeasureConflict(
                    _("Someone else saved this measure while you were editing it. Your changes were not saved.")
                )
            if measure.status == Measure.Status.PUBLISHED and actor and not actor.has_perm("measures.publish_measure"):
                # What the public reads changes only with a publisher's eyes on it.
                raise MeasureError(
                    _("Only KS staff can change a published measure. Ask KS to send it back to draft first.")
                )
            measure.revision += 1
        for name in FIELDS:
            if name in data:
                setattr(measure, name, data[name] if data[name] != "" or name != "effect" else None)
        stored_sources = _sources(sources)
        if measure.status == Measure.Status.PUBLISHED:
            problems = publish_problems(measure, stored_sources)
            if problems:
                raise MeasureError(_("The measure is published, so it must still meet the rules:"), *problems)
        measure.save()
        measure.sources.set(stored_sources)
        measure.experiences.all().delete()
        by_reference = {
            s.reference: s for s in _sources([{"reference": e["source"]} for e in experiences if e.get("source")])
        }
        Experience.objects.bulk_create(
            Experience(
                measure=measure,
                position=position,
                country=entry["country"],
                place=entry.get("place", ""),
                period=entry.get("period", ""),
                outcome=entry["outcome"],
                source=by_reference.get((entry.get("source") or "").strip()),
            )
            for position, entry in enumerate(experiences)
        )
        _reindex_and_version(actor, measure, reason)
    return measure


def _reindex_and_version(actor: User, measure: Measure, reason: str) -> None:
    Measure.objects.filter(pk=measure.pk).update(facets=_facets(measure), search_index=_index(measure))
    MeasureVersion.objects.create(
        measure=measure,
        revision=measure.revision,
        status=measure.status,
        snapshot=snapshot(measure),
        changed_by=actor,
        reason=reason,
    )


def change_status(actor: User, measure: Measure, status: str, *, reason: str, revision: int) -> Measure:
    """Move the measure along the workflow: draft → in review → published, back to draft to withdraw or rework."""
    if not reason.strip():
        raise MeasureError(_("Say briefly why you made the change."))
    with transaction.atomic():
        measure = Measure.objects.select_for_update().get(pk=measure.pk)
        if measure.revision != revision:
            raise MeasureConflict(_("Someone else changed this measure in the meantime. Look at it again first."))
        needs_publisher = TRANSITIONS.get((measure.status, status))
        if needs_publisher is None:
            raise MeasureError(
                _("A measure cannot go from “%(old)s” to “%(new)s”.")
                % {"old": measure.get_status_display(), "new": Measure.Status(status).label}
            )
        # No actor is the operator at the command line (manage.py load_measures), who may do anything.
        if needs_publisher and actor is not None and not actor.has_perm("measures.publish_measure"):
            raise MeasureError(_("Only KS staff can publish or withdraw a measure."))
        if status == Measure.Status.PUBLISHED:
            problems = publish_problems(measure)
            if problems:
                raise MeasureError(_("The measure cannot be published yet:"), *problems)
            measure.published_at = timezone.now()
        measure.status = status
        measure.revision += 1
        measure.save()
        _reindex_and_version(actor, measure, reason)
    return measure


# Versions ----------------------------------------------------------------------------------------------------


def snapshot(measure: Measure) -> dict:
    """The measure as it stands, as plain JSON: what a version keeps and what the guide's editions freeze."""
    data = {name: getattr(measure, name) for name in FIELDS}
    data.update(
        key=measure.key,
        status=measure.status,
        revision=measure.revision,
        sources=[{"reference": s.reference, "url": s.url, "year": s.year} for s in measure.sources.all()],
        experiences=[
            {
                "country": e.country,
                "place": e.place,
                "period": e.period,
                "outcome": e.outcome,
                "source": e.source.reference if e.source else "",
            }
            for e in measure.experiences.select_related("source")
        ],
    )
    return data


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    before: object
    after: object


def changes(before: dict, after: dict) -> list[Change]:
    """The fields that differ between two snapshots, labelled in the user's language."""
    names = [*FIELDS, "status", "sources", "experiences"]
    labels = {name: _label(name) for name in FIELDS}
    labels.update(status=_("status"), sources=_("sources"), experiences=_("experiences"))
    return [
        Change(name, labels[name], before.get(name), after.get(name))
        for name in names
        if before.get(name) != after.get(name)
    ]
