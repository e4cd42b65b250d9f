"""The measures catalogue and the guide in the REST API: published measures, the matrix and the guide's editions.

Everything here is public (``auth=None``): published measures and editions are open to everyone. A caller the
catalogue counts as an editor (token, or verified session) also sees drafts and measures in review. Every list and
figure comes from the same services as the web pages, so the API and the pages never disagree.
"""

import datetime as dt
from typing import Annotated

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import BeforeValidator

from trygg.core.api_auth import caller
from trygg.core.api_schema import Id, Pagination, SearchText, named_enum, responses
from trygg.events.models import Event

from . import catalogue, feedback
from .models import (
    Actor,
    Backfire,
    Edition,
    Effect,
    Measure,
    Mechanism,
    Quality,
    Stage,
    Transferability,
    Verdict,
)

router = Router(tags=["measures"])

MeasureStatus = named_enum("MeasureStatus", Measure.Status)

MARKDOWN = "Markdown source (render it yourself; HTML is never stored)."


def _none_if_blank(value):
    return value if value not in ("", None) else None


# A scale field a draft may leave empty: null in the API rather than "".
OptionalVerdict = Annotated[Verdict | None, BeforeValidator(_none_if_blank)]
OptionalQuality = Annotated[Quality | None, BeforeValidator(_none_if_blank)]


def _markdown(description: str = ""):
    return Field(description=f"{description} {MARKDOWN}".strip())


# The catalogue ------------------------------------------------------------------------------------------------


class MeasureFilters(Schema):
    q: SearchText = Field("", description="Full-text search in Norwegian (stems and compounds match).")
    mechanism: Mechanism | None = Field(None, description="One of Bjørgo's nine preventive mechanisms.")
    stage: Stage | None = None
    actor: Actor | None = None
    verdict: Verdict | None = Field(None, description="The overall verdict on the evidence.")
    transferability: Transferability | None = Field(None, description="Transferability to Norwegian municipalities.")
    status: MeasureStatus | None = Field(
        None, description="Editors only: “draft” or “review”. Without it, editors get every status."
    )

    def to_filters(self) -> catalogue.Filters:
        return catalogue.Filters(**{name: value or "" for name, value in self.model_dump(mode="json").items()})


class MeasureOut(Schema):
    key: str = Field(description="Stable identifier; situation reports and plans point at it.")
    name: str
    summary: str
    mechanisms: list[Mechanism]
    stages: list[Stage]
    actors: list[Actor]
    verdict: OptionalVerdict = Field(description="Null only for drafts not yet rated.")
    verdict_quality: OptionalQuality = Field(description="How much the evidence behind the verdict can bear.")
    transferability: Transferability
    url: str = Field(description="Path of the measure's page on this site.")
    updated_at: dt.datetime

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()


class MeasureStatusOut(MeasureOut):
    status: MeasureStatus


class SourceOut(Schema):
    reference: str = Field(description="The citation in APA 7, built from the fields below.")
    url: str
    year: int | None
    kind: str = Field(description="article, book, report, law, ruling, news or web; empty for an old one-line source.")
    authors: list[str]
    title: str
    container: str = Field(description="Journal, newspaper or publisher.")
    details: str = Field(description="Volume, issue, pages, report number or the act's number.")
    doi: str
    isbn: str
    checked: bool = Field(description="Whether someone has compared the source with the original.")
    checked_at: dt.date | None


class ExperienceOut(Schema):
    country: str
    place: str
    period: str
    outcome: str = Field(description="What happened (plain text).")
    source: str | None = Field(None, alias="source.reference", description="Reference of the source, if any.")


class GroupVerdictOut(Schema):
    event: int = Field(alias="event_id")
    event_title: str = Field(alias="event.title")
    group: int = Field(description="The group's number at the event.")
    transferability: Transferability
    reasons: str = Field(description="What the group said (plain text).")
    created_at: dt.datetime


class MeasureDetailOut(MeasureStatusOut):
    description: str = _markdown()
    legal_basis: str = _markdown("Norwegian acts and sections.")
    target_groups: str = _markdown()
    strengths: str = _markdown("Strengths and positive side effects.")
    limitations: str = _markdown("Limitations, costs and negative side effects.")
    verdict_reason: str = _markdown("Why the verdict.")
    effect: Effect | None = Field(
        description="EMMIE effect on the College of Policing's scale: 1 (reduced crime) to 8 (increased crime)."
    )
    effect_quality: OptionalQuality
    mechanism_note: str = _markdown("EMMIE: how the measure works.")
    mechanism_quality: OptionalQuality
    moderators: str = _markdown("EMMIE: moderators and context.")
    moderators_quality: OptionalQuality
    implementation: str = _markdown("EMMIE: implementation.")
    implementation_quality: OptionalQuality
    economic_cost: str = _markdown("EMMIE: economic cost.")
    economic_cost_quality: OptionalQuality
    backfires: list[Backfire] = Field(description="Known ways the measure failed or worked against its purpose.")
    transferability_reason: str = _markdown("Reasons for the transferability.")
    revision: int
    published_at: dt.datetime | None
    sources: list[SourceOut]
    experiences: list[ExperienceOut]
    group_verdicts: list[GroupVerdictOut] = Field(
        alias="shown_verdicts", description="What discussion groups at events said."
    )
    group_summary: dict[Transferability, int] = Field(
        alias="verdict_summary", description="How many groups judged each level of transferability."
    )

    @staticmethod
    def resolve_sources(obj) -> list:
        return list(obj.sources.all())

    @staticmethod
    def resolve_experiences(obj) -> list:
        return list(obj.experiences.all())


def _visible_verdicts(user, measure: Measure):
    """The groups' verdicts from events the caller may know of (a draft event is KS staff's own)."""
    verdicts = measure.group_verdicts.select_related("event")
    if not user.has_perm("events.view_event", Event(status=Event.Status.DRAFT)):
        verdicts = verdicts.exclude(event__status=Event.Status.DRAFT)
    return verdicts


@router.get(
    "/",
    response=responses(list[MeasureStatusOut], 403, 422),
    auth=None,
    summary="List measures",
    description="Published measures, filtered; with a search text the best matches come first, else by name. "
    "The catalogue's editors also see drafts and measures in review. A value outside a scale gives 422.",
)
@paginate(Pagination)
def list_measures(request, filters: Query[MeasureFilters]):
    user = caller(request)
    if filters.status and filters.status != Measure.Status.PUBLISHED and not user.has_perm("measures.view_drafts"):
        raise HttpError(403, _("Only the catalogue's editors may list drafts and measures in review."))
    return catalogue.filter_measures(catalogue.visible_measures(user), filters.to_filters())


class LabelOut(Schema):
    value: str
    label: str


class MatrixCellOut(Schema):
    stage: Stage
    count: int


class MatrixRowOut(Schema):
    mechanism: Mechanism
    label: str
    cells: list[MatrixCellOut]
    total: int = Field(description="Measures activating the mechanism (a measure may act at several stages).")


class MatrixOut(Schema):
    stages: list[LabelOut] = Field(description="The columns, in order, labelled in the request's language.")
    rows: list[MatrixRowOut] = Field(description="Bjørgo's mechanisms in the model's order.")


@router.get(
    "/matrix",
    response=MatrixOut,
    auth=None,
    summary="Mechanisms × stages",
    description="How many measures sit in each cell: the empty cells show where the catalogue is thin. Counts "
    "the measures the caller may see (editors: drafts too).",
)
def get_measure_matrix(request):
    rows = catalogue.matrix(catalogue.visible_measures(caller(request)))
    return {
        "stages": [{"value": stage.value, "label": str(stage.label)} for stage in Stage],
        "rows": [
            {"mechanism": row.mechanism, "label": str(row.mechanism.label), "cells": row.cells, "total": row.total}
            for row in rows
        ],
    }


# The guide ---------------------------------------------------------------------------------------------------


class EditionOut(Schema):
    number: int
    title: str
    published_at: dt.datetime
    notes: str = Field(description="What is new in this edition (plain text).")


class EditionDetailOut(EditionOut):
    content: dict = Field(description="The edition as frozen when it was published: chapters and measures.")


@router.get("/guide/editions", response=list[EditionOut], auth=None, summary="The guide's editions")
def list_guide_editions(request):
    return Edition.objects.all()


@router.get(
    "/guide/editions/{number}",
    response=responses(EditionDetailOut, 404, 422),
    auth=None,
    summary="One edition of the guide",
    description="Editions are frozen: a later edition never changes an earlier one.",
)
def get_guide_edition(request, number: Id):
    return get_object_or_404(Edition, number=number)


# One measure (last: its key would otherwise shadow the fixed paths above) -------------------------------------


@router.get(
    "/{key}",
    response=responses(MeasureDetailOut, 404, 422),
    auth=None,
    summary="One measure",
    description="Every field of the measure, its sources, experiences and what groups at events said. A measure "
    "that is not published is a 404 except for the catalogue's editors.",
)
def get_measure(request, key: Annotated[str, Field(max_length=100, pattern=r"^[-a-zA-Z0-9_]+$")]):
    user = caller(request)
    measure = get_object_or_404(
        catalogue.visible_measures(user).prefetch_related("sources", "experiences__source"), key=key
    )
    measure.shown_verdicts = list(_visible_verdicts(user, measure))
    measure.verdict_summary = feedback.tally(measure.shown_verdicts)
    return measure
