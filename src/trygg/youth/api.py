"""The youth survey's part of the REST API: surveys and their published, disclosure-controlled figures.

Raw answer sets are never served here. Contacts see their municipalities' surveys, KS staff all.
"""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from trygg.core.api_schema import Id, Pagination, named_enum, responses
from trygg.core.audit import record_read

from . import reports, services
from .models import Survey

router = Router(tags=["youth"])

SurveyStatus = named_enum("YouthSurveyStatus", Survey.Status)


class SurveyOut(Schema):
    id: int
    municipality: str = Field(alias="municipality.number", description="Municipality number.")
    starts_on: dt.date
    ends_on: dt.date
    status: SurveyStatus
    is_demo: bool = Field(description="Synthetic demo data.")
    invited: int = Field(description="Codes handed out.")
    answered: int = Field(description="Codes used.")


class FigureOut(Schema):
    level: str
    indicator: str
    group: str = Field(description="“all”, “gender:girl”, “gender:boy” or “grade:<n>”.")
    area: str = Field(description="“municipality”, “county” or “country”.")
    n: int | None = Field(description="Answers behind the share; null when hidden.")
    share: float | None = Field(description="0–1; null when hidden or nobody answered.")
    ci_low: float | None = Field(description="95 % Wilson interval, lower end.")
    ci_high: float | None
    hidden: str = Field(description="“primary” (too few answers), “secondary” (would reveal one) or empty.")


@router.get("/surveys", response=responses(list[SurveyOut], 401, 422), summary="Youth surveys the caller may see")
@paginate(Pagination)
def list_surveys(request):
    return services.with_rates(services.surveys_for(request.auth)).order_by("-starts_on", "municipality__name", "pk")


@router.get(
    "/surveys/{survey_id}/figures",
    response=responses(list[FigureOut], 401, 404, 422),
    summary="A closed survey's published figures",
)
def get_figures(request, survey_id: Id):
    survey = get_object_or_404(services.surveys_for(request.auth), pk=survey_id, status=Survey.Status.CLOSED)
    record_read(survey)
    return [
        {
            "level": row["level"],
            "indicator": row["indicator"],
            "group": row["group"],
            "area": row["area"],
            "n": row["figure"].n,
            "share": row["figure"].share,
            "ci_low": row["figure"].low,
            "ci_high": row["figure"].high,
            "hidden": row["figure"].hidden,
        }
        for row in reports.published_rows(survey)
    ]


class OwnFigureOut(Schema):
    question: str = Field(description="The question's code, “egen-<survey>-<n>”.")
    text: str = Field(description="The question as asked (bokmål, or the language asked for).")
    answer: str = Field(description="The answer's code (a number question's range); empty on the row of answering.")
    answer_label: str
    group: str = Field(description="“all”, “gender:girl” or “gender:boy”.")
    n: int | None = Field(description="Pupils answering the question; null when hidden.")
    count: int | None = Field(description="Pupils choosing the answer; null when hidden or on the row of answering.")
    share: float | None = Field(description="count / n, 0–1; null when hidden.")
    hidden: str = Field(description="“primary” (too few answers), “secondary” (would reveal one) or empty.")


@router.get(
    "/surveys/{survey_id}/own-questions",
    response=responses(list[OwnFigureOut], 401, 404, 422),
    summary="A closed survey's published figures for the municipality's own questions",
)
def get_own_figures(request, survey_id: Id):
    survey = get_object_or_404(services.surveys_for(request.auth), pk=survey_id, status=Survey.Status.CLOSED)
    record_read(survey)
    return [
        {
            "question": row["question"],
            "text": row["text"],
            "answer": row["answer"],
            "answer_label": row["answer_label"],
            "group": row["group"],
            "n": row["figure"].n,
            "count": row["figure"].count,
            "share": row["figure"].share,
            "hidden": row["figure"].hidden,
        }
        for row in reports.own_rows(survey)
    ]
