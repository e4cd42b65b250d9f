"""Proposed corrections: changes from the starter files that wait for an editor instead of overwriting their work.

An editor sees what the proposal would change against the measure or chapter as it stands now, and accepts or
rejects it. Accepting saves through the normal services (``catalogue.save_measure``, ``guide.save_chapter``), so the
change becomes a new version with who and why, obeys the publishing rules and refuses to overwrite a newer save.
"""

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from trygg.core.models import User

from . import catalogue, guide
from .models import Chapter, Experience, Measure, Proposal, Source


class ProposalError(Exception):
    """The proposal cannot be decided; ``messages`` are for the user, in their language."""

    def __init__(self, *messages: str):
        super().__init__(messages[0])
        self.messages = list(messages)


def open_proposals() -> QuerySet[Proposal]:
    return Proposal.objects.filter(status=Proposal.Status.OPEN).select_related("measure", "chapter")


def _measure_data(measure: Measure) -> dict:
    data = catalogue.snapshot(measure)
    data["sources"] = [source["reference"] for source in data["sources"]]
    return data


def proposed(proposal: Proposal) -> tuple[dict, dict]:
    """The measure or chapter as it stands now, and as it would stand with the proposal applied."""
    if proposal.measure_id:
        now = _measure_data(proposal.measure)
    else:
        chapter = proposal.chapter
        now = {name: getattr(chapter, name) for name in ("title", "slug", "placement", "position", "body")}
    return now, {**now, **proposal.data}


def _tokens(name: str, value) -> tuple[list[str], bool]:
    """A value as the tokens to compare, and whether they are words (else whole items, such as sources)."""
    if name in guide.LISTS:
        return [guide.label(guide.LISTS[name], v) for v in value or []], False
    if name in guide.CHOICES:
        return ([guide.label(guide.CHOICES[name], value)] if value not in (None, "") else []), False
    if name == "sources":
        return list(value or []), False
    if name == "experiences":
        text = " ".join(
            f"{', '.join(p for p in (e['country'], e['place'], e['period']) if p)}: {e['outcome']} ({e['source']})"
            for e in value or []
        )
        return text.split(), True
    if name == "placement":
        return [guide.label(Chapter.Placement, value)], False
    return guide.text_words(name, value), True


def _label(proposal: Proposal, name: str) -> str:
    if proposal.chapter_id:
        return str(capfirst(Chapter._meta.get_field(name).verbose_name))
    if name == "sources":
        return str(capfirst(Source._meta.verbose_name_plural))
    if name == "experiences":
        return str(capfirst(Experience._meta.verbose_name_plural))
    return guide.field_label(name)


def differences(proposal: Proposal) -> list[guide.FieldDiff]:
    """What accepting would change against the measure or chapter as it stands now, word by word."""
    now, after = proposed(proposal)
    diffs = []
    for name in proposal.data:
        if now.get(name) == after[name]:
            continue
        before, words = _tokens(name, now.get(name))
        later, _words = _tokens(name, after[name])
        separator = " " if words else " · "
        segments = guide.word_diff(before, later, words)
        diffs.append(guide.FieldDiff(name, _label(proposal, name), segments, separator))
    return diffs


def _decide(actor: User, proposal: Proposal, status: str) -> Proposal:
    proposal.status = status
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "decided_by", "decided_at"])
    return proposal


def _still_open(proposal: Proposal) -> Proposal:
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != Proposal.Status.OPEN:
        raise ProposalError(_("Someone has already decided on this proposal."))
    return proposal


def accept(actor: User, proposal: Proposal, *, revision: int) -> Proposal:
    """Apply the proposal as a new revision, if nobody has saved the measure or chapter since ``revision``."""
    with transaction.atomic():
        proposal = _still_open(proposal)
        _now, after = proposed(proposal)
        try:
            if proposal.measure_id:
                catalogue.save_measure(
                    actor,
                    proposal.measure,
                    {name: after[name] for name in catalogue.FIELDS},
                    sources=[{"reference": reference} for reference in after["sources"]],
                    experiences=after["experiences"],
                    reason=proposal.reason,
                    revision=revision,
                )
            else:
                guide.save_chapter(proposal.chapter, after, revision=revision)
        except catalogue.MeasureError as error:
            raise ProposalError(*error.messages) from error
        except guide.GuideError as error:
            raise ProposalError(*error.messages) from error
        return _decide(actor, proposal, Proposal.Status.ACCEPTED)


def reject(actor: User, proposal: Proposal) -> Proposal:
    """Leave the measure or chapter as it is; the proposal stays in the history as rejected."""
    with transaction.atomic():
        return _decide(actor, _still_open(proposal), Proposal.Status.REJECTED)
