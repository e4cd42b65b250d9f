"""What KS learns from its cases: catalogue measures and library documents linked to a case, and at closing the
tags and how each measure went; the measures catalogue shows that experience per measure, suppressed.

Measures and documents are taken through their own apps' services (the catalogue's published measures, the
library's ``visible_documents``); neither app knows of cases — the catalogue asks ``CasesConfig.measure_panel``.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from trygg.core import disclosure
from trygg.library import services as library
from trygg.measures import catalogue

from . import services
from .models import Case, CaseMeasure, Outcome

# Fewer closed cases than this behind a measure's experience and it is not shown (core/disclosure.py).
THRESHOLD = 3
MAX_TAGS, MAX_TAG_LENGTH = 20, 50


def _ks_only(user, case: Case) -> None:
    if not user.has_perm("cases.triage", case):
        raise PermissionDenied


def documents(case: Case, user):
    """The linked documents ``user`` may open (the library's rule); the others are not shown at all."""
    return library.visible_documents(user).filter(pk__in=case.documents.values("pk")).order_by("title")


def link_measure(user, case: Case, measure) -> CaseMeasure:
    _ks_only(user, case)
    if not catalogue.published().filter(pk=measure.pk).exists():
        raise ValidationError({"measure": _("Choose a published measure from the catalogue.")})
    return CaseMeasure.objects.get_or_create(case=case, measure=measure)[0]


def link_document(user, case: Case, document) -> None:
    _ks_only(user, case)
    if not library.visible_documents(user).filter(pk=document.pk).exists():
        raise ValidationError({"document": _("Choose a document from the library.")})
    case.documents.add(document)


def parse_tags(text: str) -> list[str]:
    """Comma-separated tags, trimmed, each once (case-insensitively), in the order written."""
    tags, seen = [], set()
    for tag in (part.strip() for part in text.split(",")):
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            tags.append(tag)
    if len(tags) > MAX_TAGS or any(len(tag) > MAX_TAG_LENGTH for tag in tags):
        message = _("Up to %(count)d tags of up to %(length)d characters each.")
        raise ValidationError({"tags": message % {"count": MAX_TAGS, "length": MAX_TAG_LENGTH}})
    return tags


@transaction.atomic
def close(user, case: Case, tags: list[str], outcomes: dict[int, str]) -> Case:
    """Close the case with what KS learnt: its tags, and how each linked measure went (every one must be said)."""
    _ks_only(user, case)
    if case.is_closed:
        raise ValidationError(_("The case is already closed."))
    linked = list(case.linked_measures.select_related("measure"))
    for use in linked:
        outcome = outcomes.get(use.pk, "")
        if outcome not in Outcome.values:
            raise ValidationError(
                _("Say how “%(measure)s” went.") % {"measure": use.measure.name}, code="outcome_missing"
            )
        use.outcome = outcome
        use.save(update_fields=["outcome"])
    case.tags = tags
    case.save(update_fields=["tags"])
    return services.set_status(user, case, Case.Status.CLOSED)


@dataclass(frozen=True)
class Experience:
    """How a measure went in closed cases; a hidden figure is None, with ``hidden`` saying so."""

    cases: int | None
    outcomes: list[tuple[str, int | None]]
    hidden: bool


def experience(measure) -> Experience | None:
    """None when no closed case used the measure; otherwise the counts through disclosure control."""
    uses = CaseMeasure.objects.filter(measure=measure, case__status=Case.Status.CLOSED).exclude(outcome="")
    counts = {outcome: uses.filter(outcome=outcome).count() for outcome in Outcome.values}
    if not any(counts.values()):
        return None
    table = disclosure.Table(threshold=THRESHOLD)
    for outcome, count in counts.items():
        table.count(outcome, count)
    total = table.publish("cases", list(Outcome.values))
    for outcome in Outcome.values:
        table.publish(outcome, [outcome], within=total)
    result = table.suppress()
    shown = [(Outcome(outcome).label, result.shown(outcome)) for outcome in Outcome.values]
    return Experience(result.shown("cases"), shown, hidden=bool(result.hidden))
