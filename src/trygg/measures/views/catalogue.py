"""Reading the catalogue: the list with search and filters, the mechanisms × stages matrix, one measure, its history.

Everyone reads published measures; editors (``measures.view_drafts``) also see drafts and measures in review, the
status filter and every measure's versions. A measure and an old version of it are shown from the same snapshot
shape (``catalogue.snapshot``), so an old version looks exactly as the measure did then.
"""

from dataclasses import asdict
from urllib.parse import urlencode

from django import forms
from django.apps import apps
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.cache import patch_vary_headers
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from trygg.core.permissions import permission_required

from .. import catalogue, citations, markdown
from ..catalogue import Filters
from ..models import (
    Actor,
    Backfire,
    Effect,
    Measure,
    MeasureVersion,
    Mechanism,
    Proposal,
    Quality,
    Source,
    Stage,
    Transferability,
    Verdict,
)
from .editor import status_context

# Bjørgo's mechanisms are known by their number in the model (and in the guide).
MECHANISM_CHOICES = [
    (mechanism.value, format_lazy("{}. {}", number, mechanism.label))
    for number, mechanism in enumerate(Mechanism, start=1)
]
# The EMMIE table's rows; the fields' own labels say "(EMMIE)", which the table's caption already does.
EMMIE_LABELS = {
    "effect": gettext_lazy("Effect"),
    "mechanism_note": gettext_lazy("Mechanism"),
    "moderators": gettext_lazy("Moderators and context"),
    "implementation": gettext_lazy("Implementation"),
    "economic_cost": gettext_lazy("Economic cost"),
}


class FilterForm(forms.Form):
    """The list's search and filters; a ChoiceField per filter, so a made-up value is a message, not a query."""

    q = forms.CharField(
        label=gettext_lazy("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    mechanism = forms.ChoiceField(
        label=gettext_lazy("Mechanism"),
        required=False,
        choices=[("", gettext_lazy("All mechanisms")), *MECHANISM_CHOICES],
    )
    stage = forms.ChoiceField(
        label=gettext_lazy("Stage"), required=False, choices=[("", gettext_lazy("All stages")), *Stage.choices]
    )
    actor = forms.ChoiceField(
        label=gettext_lazy("Actor"), required=False, choices=[("", gettext_lazy("All actors")), *Actor.choices]
    )
    verdict = forms.ChoiceField(
        label=gettext_lazy("Verdict"), required=False, choices=[("", gettext_lazy("All verdicts")), *Verdict.choices]
    )
    transferability = forms.ChoiceField(
        label=gettext_lazy("Transferability"),
        required=False,
        choices=[("", gettext_lazy("Any transferability")), *Transferability.choices],
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("All statuses")), *Measure.Status.choices],
    )

    def __init__(self, *args, drafts: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not drafts:
            del self.fields["status"]

    def filters(self) -> Filters:
        """The filters that hold valid values (call after ``is_valid``): one bad value leaves the others working."""
        return Filters(**{name: self.cleaned_data.get(name, "") for name in self.fields})


# Presenting a measure ----------------------------------------------------------------------------------------


def _choice(choices, value) -> dict | None:
    """Value and label of a choice; a value no longer on the scale (in an old version) is shown as it was stored."""
    if value in (None, ""):
        return None
    label = choices(value).label if value in choices.values else value
    return {"value": value, "label": label}


def _labels(choices, values) -> list:
    return [choice["label"] for choice in (_choice(choices, value) for value in values or []) if choice]


def _classification(data: dict) -> dict:
    """The labelled facets of a measure, for the list's cards and the measure page alike."""
    numbered = dict(MECHANISM_CHOICES)
    return {
        "mechanisms": [numbered.get(value, value) for value in data.get("mechanisms") or []],
        "stages": _labels(Stage, data.get("stages")),
        "actors": _labels(Actor, data.get("actors")),
        "backfires": _labels(Backfire, data.get("backfires")),
        "verdict": _choice(Verdict, data.get("verdict")),
        "verdict_quality": _choice(Quality, data.get("verdict_quality")),
        "transferability": _choice(Transferability, data.get("transferability")),
        "status": _choice(Measure.Status, data.get("status")),
    }


def _effect(step) -> dict | None:
    if step not in Effect.values:
        return None
    return {
        "step": step,
        "label": Effect(step).label,
        "steps": [{"number": effect.value, "current": effect.value == step} for effect in Effect],
    }


def present(data: dict) -> dict:
    """A snapshot (``catalogue.snapshot`` or a stored version) made ready for the measure template."""
    html = {name: markdown.to_html(data.get(name) or "") for name in catalogue.MARKDOWN_FIELDS}
    emmie = [
        {
            "label": EMMIE_LABELS[field],
            "effect": _effect(data.get(field)) if field == "effect" else None,
            "html": html.get(field, ""),
            "quality": _choice(Quality, data.get(quality)),
        }
        for field, quality in catalogue.EMMIE
    ]
    listed = data.get("sources") or []
    records = {
        s.reference: citations.record(s) for s in Source.objects.filter(reference__in=[e["reference"] for e in listed])
    }
    sources = [
        {**source, **citations.shown(records.get(source["reference"], source)), "number": number}
        for number, source in enumerate(listed, start=1)
    ]
    numbers = {source["reference"]: source["number"] for source in sources}
    experiences = [
        {**experience, "source_number": numbers.get(experience.get("source"))}
        for experience in data.get("experiences") or []
    ]
    return {
        "name": data.get("name", ""),
        "summary": data.get("summary", ""),
        **_classification(data),
        "html": html,
        "emmie": emmie,
        "sources": sources,
        "experiences": experiences,
    }


# The list and the matrix ---------------------------------------------------------------------------------------


def measure_list(request):
    """The catalogue, searched and filtered; htmx swaps only the results, and the form works without JavaScript."""
    drafts = request.user.has_perm("measures.view_drafts")
    form = FilterForm(request.GET, drafts=drafts)
    form.is_valid()
    filters = form.filters()
    measures = catalogue.filter_measures(catalogue.visible_measures(request.user), filters)
    cards = [
        {
            "url": measure.get_absolute_url(),
            "name": measure.name,
            "summary": measure.summary,
            **_classification({name: getattr(measure, name) for name in (*catalogue.FIELDS, "status")}),
        }
        for measure in measures
    ]
    context = {
        "form": form,
        "cards": cards,
        "filtered": any(asdict(filters).values()),
        "drafts": drafts,
    }
    template = "measures/_results.html" if request.htmx else "measures/list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _list_url(**filters) -> str:
    return f"{reverse('measures:list')}?{urlencode(filters)}" if filters else reverse("measures:list")


def matrix(request):
    """Mechanisms × stages: how many measures act where, so the thin parts of the catalogue stand out."""
    measures = catalogue.visible_measures(request.user)
    rows = [
        {
            "number": number,
            "label": row.mechanism.label,
            "total": row.total,
            "url": _list_url(mechanism=row.mechanism.value),
            "cells": [
                {
                    "count": cell.count,
                    "stage": stage.label,
                    "url": _list_url(mechanism=cell.mechanism, stage=cell.stage),
                }
                for stage, cell in zip(Stage, row.cells, strict=True)
            ],
        }
        for number, row in enumerate(catalogue.matrix(measures), start=1)
    ]
    stages = list(measures.values_list("stages", flat=True))
    totals = [
        {"stage": stage.label, "count": sum(stage.value in s for s in stages), "url": _list_url(stage=stage.value)}
        for stage in Stage
    ]
    context = {"rows": rows, "stages": Stage, "totals": totals, "total": len(stages), "list_url": _list_url()}
    return render(request, "measures/matrix.html", context)


# One measure ------------------------------------------------------------------------------------------------------


def get_measure(request, key, **kwargs):
    """The measure, if the user may know of it: unpublished ones are a 404 for all but the editors."""
    return get_object_or_404(catalogue.visible_measures(request.user), key=key)


@permission_required("measures.view_measure", fn=get_measure)
def measure_detail(request, key):
    measure = get_measure(request, key)
    group_verdicts = [
        {
            "event": verdict.event.title,
            "group": verdict.group,
            "transferability": _choice(Transferability, verdict.transferability),
            "reasons": verdict.reasons,
        }
        for verdict in measure.group_verdicts.select_related("event")
    ]
    context = {
        "measure": measure,
        "m": present(catalogue.snapshot(measure)),
        "group_verdicts": group_verdicts,
        "may_change": request.user.has_perm("measures.change_measure", measure),
        "drafts": request.user.has_perm("measures.view_drafts"),
        # Other apps' parts of the measure (the cases' experience, the library's copies of its sources), asked
        # through their AppConfig, as the user may see them: measures imports none of them.
        "panels": [
            panel
            for config in apps.get_app_configs()
            if hasattr(config, "measure_panel") and (panel := config.measure_panel(request.user, measure))
        ],
        **status_context(request.user, measure),
    }
    if context["drafts"]:
        context["proposals"] = measure.proposals.filter(status=Proposal.Status.OPEN)
    return render(request, "measures/measure.html", context)


@permission_required("measures.view_drafts")
def history(request, key):
    """Every version with who and why, and which fields each one changed from the one before."""
    measure = get_object_or_404(Measure, key=key)
    rows, previous = [], None
    for version in measure.versions.select_related("changed_by").order_by("revision"):
        changed = catalogue.changes(previous.snapshot, version.snapshot) if previous else None
        rows.append({"version": version, "changes": changed})
        previous = version
    rows.reverse()
    return render(request, "measures/history.html", {"measure": measure, "rows": rows})


@permission_required("measures.view_drafts")
def version(request, key, revision):
    """One frozen version, read-only, as the measure looked when it was saved."""
    version = get_object_or_404(
        MeasureVersion.objects.select_related("measure", "changed_by"), measure__key=key, revision=revision
    )
    context = {"version": version, "measure": version.measure, "m": present(version.snapshot), "drafts": True}
    return render(request, "measures/version.html", context)


urlpatterns = [
    path("", measure_list, name="list"),
    path("matrise/", matrix, name="matrix"),
    path("<slug:key>/historikk/", history, name="history"),
    path("<slug:key>/historikk/<int:revision>/", version, name="version"),
    path("<slug:key>/", measure_detail, name="measure"),
]
