"""A questionnaire and a round with reports built straight in the database, for every mapping test."""

import datetime as dt

import pytest
from django.utils import timezone

from trygg.core.models import Municipality
from trygg.mapping.models import OutlawGroup, Questionnaire, Report, ReportGroup, ReportMeasure, Round

# (municipality name, hosts group, crews, assessment, crime kinds, measure experience) — fictional answers.
ANSWERS = [
    ("Oslo", "yes", "yes", "must_act", ["narcotics", "violence", "economic"], "worked"),
    ("Bergen", "yes", "yes", "must_act", ["narcotics", "threats"], "too_early"),
    ("Trondheim - Tråante", "yes", "no", "must_act", ["narcotics"], "worked"),
    ("Stavanger", "yes", "yes", "live_with", ["narcotics", "weapons"], "did_not"),
    ("Drammen", "no", "yes", "must_act", ["violence"], "worked"),
    ("Fredrikstad", "no", "yes", "live_with", ["property"], ""),
    ("Sarpsborg", "no", "no", "live_with", [], ""),
    ("Skien", "no", "no", "unknown", [], ""),
]


@pytest.fixture
def questionnaire(db):
    return Questionnaire.objects.get_or_create(version=1, defaults={"title": "Dialogspørsmål"})[0]


@pytest.fixture
def make_round(municipalities, questionnaire):
    """make_round(name, answers=ANSWERS, asked=extra names, open=True) -> Round with submitted reports."""

    def make(name="2011", answers=ANSWERS, asked=("Hamar", "Ringsaker"), open=True):
        now = timezone.now()
        round = Round.objects.create(
            name=name,
            questionnaire=questionnaire,
            opens_at=now - dt.timedelta(days=10),
            deadline=now + dt.timedelta(days=10) if open else now - dt.timedelta(days=1),
            status=Round.Status.OPEN if open else Round.Status.CLOSED,
        )
        demo_group, _ = OutlawGroup.objects.get_or_create(name="Demo MC Nord", defaults={"is_fictional": True})
        for municipality_name, group, crews, assessment, kinds, experience in answers:
            municipality = Municipality.objects.get(name=municipality_name)
            round.municipalities.add(municipality)
            report = Report.objects.create(
                round=round,
                status=Report.Status.SUBMITTED,
                submitted_at=now,
                hosts_group=group,
                crews=crews,
                assessment=assessment,
                crime_kinds=kinds,
                recruitment_signs="yes" if group == "yes" else "no",
                wants_guidance="yes",
            )
            report.municipalities.add(municipality)
            if group == "yes":
                ReportGroup.objects.create(report=report, group=demo_group, clubhouse="yes", membership="11-25")
            if experience:
                ReportMeasure.objects.create(
                    report=report, stage="establishment", title="Nekte skjenkebevilling", experience=experience
                )
        round.municipalities.add(*Municipality.objects.filter(name__in=asked))
        return round

    return make
