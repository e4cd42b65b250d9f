"""Mapping's part of the REST API: rounds, response rates, one situation report and a round's national picture.

Permissions are the mapping rules' and every figure comes from the same services as the web pages. Reports are
sensitive: each read is recorded in the audit trail.
"""

import datetime as dt

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.errors import AuthorizationError
from ninja.pagination import paginate

from trygg.core.api_schema import Id, Pagination, named_enum, responses
from trygg.core.audit import record_read
from trygg.questionnaires.models import Item, Module, Questionnaire
from trygg.questionnaires.services import export_definition

from . import rounds
from .models import Report, ReportGroup, ReportMeasure, Round

router = Router(tags=["mapping"])

RoundStatus = named_enum("RoundStatus", Round.Status)
ReportStatus = named_enum("ReportStatus", Report.Status)
ReportMeasureStage = named_enum("ReportMeasureStage", ReportMeasure.Stage)
ItemKind = named_enum("ItemKind", Item.Kind)
ModuleKind = named_enum("ModuleKind", Module.Kind)
QuestionnaireAudience = named_enum("QuestionnaireAudience", Questionnaire.Audience)


def _round(user, round_id: int) -> Round:
    """404 for a round the caller may not know of (a contact's rounds are those asking their municipalities)."""
    return get_object_or_404(rounds.rounds_for(user), pk=round_id)


# Rounds ----------------------------------------------------------------------------------------------------


class DefinitionRefOut(Schema):
    code: str = Field(alias="questionnaire.code")
    version: int = Field(alias="number")


class RoundOut(Schema):
    id: int
    name: str
    status: RoundStatus
    questionnaire: int | None = Field(
        None, alias="questionnaire.version", description="Version of the MC questions; null for another topic."
    )
    definition: DefinitionRefOut | None = Field(
        None, description="The questionnaire definition whose items the round asks (see /rounds/{id}/definition)."
    )
    opens_at: dt.datetime
    deadline: dt.datetime
    event: int | None = Field(None, alias="event_id", description="The event whose invitees must answer.")
    is_demo: bool = Field(description="Fictional demo data.")
    municipalities: list[str] = Field(description="Numbers of the asked municipalities.")

    @staticmethod
    def resolve_municipalities(obj) -> list[str]:
        return sorted(m.number for m in obj.municipalities.all())


class RateOut(Schema):
    asked: int
    answered: int
    rate: float = Field(description="Answered / asked, 0–1.")


class CountyRateOut(RateOut):
    county: str = Field(alias="county.number")
    name: str = Field(alias="county.name")


class ResponseRatesOut(RateOut):
    counties: list[CountyRateOut]


@router.get("/rounds", response=responses(list[RoundOut], 401, 422), summary="Rounds the caller may see")
@paginate(Pagination)
def list_rounds(request):
    visible = rounds.rounds_for(request.auth).select_related("questionnaire", "definition__questionnaire")
    return visible.prefetch_related("municipalities").order_by("-opens_at", "-pk")


@router.get(
    "/rounds/{round_id}/response-rates",
    response=responses(ResponseRatesOut, 401, 403, 404, 422),
    summary="A round's response rates",
)
def get_response_rates(request, round_id: Id):
    user = request.auth
    round = _round(user, round_id)
    if not user.has_perm("mapping.view_full_picture"):
        raise AuthorizationError()
    return rounds.response_rates(round)


class OptionOut(Schema):
    code: str
    label: dict[str, str] = Field(description="Language code → text.")


class ShowIfOut(Schema):
    item: str
    any_of: list[str]


class ItemOut(Schema):
    code: str
    kind: ItemKind
    text: dict[str, str] = Field(description="Language code → text.")
    options: list[OptionOut] = []
    minimum: int | None = None
    maximum: int | None = None
    show_if: ShowIfOut | None = Field(None, description="Asked only when the earlier item has one of these answers.")


class ModuleOut(Schema):
    code: str
    kind: ModuleKind
    title: dict[str, str]
    items: list[ItemOut]


class DefinitionOut(Schema):
    questionnaire: str
    version: int
    title: dict[str, str]
    audience: QuestionnaireAudience = Field(description="Who answers it: a round asks only what municipalities answer.")
    modules: list[ModuleOut]


@router.get(
    "/rounds/{round_id}/definition",
    response=responses(DefinitionOut, 401, 404, 422),
    summary="The questionnaire definition a round asks",
    description="As the YAML/JSON export of the definition; 404 when the round asks only the MC questions.",
)
def get_round_definition(request, round_id: Id):
    round = _round(request.auth, round_id)
    if round.definition is None:
        raise Http404
    return export_definition(round.definition)


# Reports ---------------------------------------------------------------------------------------------------


class ReportGroupOut(Schema):
    group: str | None = Field(None, alias="group.name")
    fictional: bool = Field(False, alias="group.is_fictional")
    other_name: str
    clubhouse: str
    membership: str


class ReportMeasureOut(Schema):
    stage: ReportMeasureStage
    measure_key: str
    title: str
    description: str
    experience: str


class ReportOut(Schema):
    id: int
    round: int = Field(alias="round_id")
    round_name: str = Field(alias="round.name")
    is_demo: bool = Field(alias="round.is_demo", description="Fictional demo data.")
    municipalities: list[str]
    status: ReportStatus
    revision: int
    submitted_at: dt.datetime | None
    hosts_group: str
    groups: list[ReportGroupOut]
    crews: str
    crews_count: int | None
    recruitment_signs: str
    crime_kinds: list[str]
    crime_other: str
    assessment: str
    partners: list[str]
    measures: list[ReportMeasureOut]
    wants_guidance: str
    guidance_topics: str
    situation: str
    answers: dict[str, str | int | list[str]] = Field(
        description="Answers to the round's definition by item code: an option code, option codes, a number or a text."
    )

    @staticmethod
    def resolve_municipalities(obj) -> list[str]:
        return sorted(m.number for m in obj.municipalities.all())

    @staticmethod
    def resolve_groups(obj) -> list[ReportGroup]:
        return list(obj.groups.select_related("group"))

    @staticmethod
    def resolve_measures(obj) -> list[ReportMeasure]:
        return list(obj.measures.all())


@router.get(
    "/reports/{report_id}",
    response=responses(ReportOut, 401, 403, 404, 422),
    summary="One situation report (sensitive: “Unntatt offentlighet”)",
    description="Every read is recorded in the audit trail.",
)
def get_report(request, report_id: Id):
    user = request.auth
    report = get_object_or_404(Report.objects.select_related("round"), pk=report_id)
    if not user.has_perm("mapping.view_report", report):
        raise AuthorizationError()
    record_read(report)
    return report


# The national picture --------------------------------------------------------------------------------------


HIDDEN = (
    "Why a figure is null: “primary” (fewer than 3 municipalities stand behind it) or “secondary” (hidden so "
    "that a small figure cannot be worked out from the others)."
)


class CountOut(Schema):
    label: str
    value: int | None = Field(description="Null: hidden, see ``hidden``.")
    hidden: str = Field(description=HIDDEN + " Empty when shown.")


class AreaRowOut(Schema):
    name: str
    asked: int
    answered: int | None
    hosts_group: int | None
    crews_only: int | None
    neither: int | None
    must_act: int | None
    hidden: dict[str, str] = Field(description="Field name → reason, for the hidden figures. " + HIDDEN)


class MeasureRowOut(Schema):
    title: str
    stage: str
    municipalities: int | None
    worked: int | None
    did_not: int | None
    too_early: int | None
    hidden: dict[str, str] = Field(description="Field name → reason, for the hidden figures. " + HIDDEN)


class TrendPointOut(Schema):
    round_name: str
    answered: int
    hosts_group_share: float | None
    crews_share: float | None
    must_act_share: float | None
    hidden: dict[str, str] = Field(description="Field name → reason, for the hidden figures. " + HIDDEN)


class PictureOut(Schema):
    round: int
    round_name: str
    is_demo: bool = Field(description="Fictional demo data.")
    full: bool = Field(description="Municipality-level detail is included.")
    asked: int
    answered: int
    response_rate: float
    categories: dict[str, str] = Field(description="Municipality number → category; empty unless full.")
    county_categories: dict[str, str]
    counties: list[AreaRowOut]
    police_districts: list[AreaRowOut]
    crime_kinds: list[CountOut]
    assessments: list[CountOut]
    guidance: list[CountOut]
    recruitment: list[CountOut]
    measures: list[MeasureRowOut]
    trends: list[TrendPointOut]


@router.get(
    "/rounds/{round_id}/picture",
    response=responses(PictureOut, 401, 403, 404, 422),
    summary="A round's national picture",
    description="Everyone logged in sees the aggregates; small figures are suppressed unless the caller may read "
    "every report.",
)
def get_picture(request, round_id: Id):
    from .picture import national_picture

    user = request.auth
    round = get_object_or_404(Round, pk=round_id)
    if not user.has_perm("mapping.view_picture", round):
        raise AuthorizationError()
    picture = national_picture(round, user)
    return {
        **{name: getattr(picture, name) for name in PictureOut.model_fields if hasattr(picture, name)},
        "round": round.pk,
        "round_name": round.name,
        "is_demo": round.is_demo,
        "response_rate": picture.response_rate,
    }
