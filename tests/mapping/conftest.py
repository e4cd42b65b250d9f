"""A questionnaire and a round with reports built straight in the database, for every mapping test; a round on
another topic opened through the pages."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from trygg.core.models import Municipality
from trygg.mapping.models import OutlawGroup, Questionnaire, Report, ReportGroup, ReportMeasure, Round
from trygg.questionnaires.models import Version

SHIPPED = "trygghet-offentlig-rom.yaml"

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


def future():
    return timezone.localtime() + dt.timedelta(days=14)


@pytest.fixture
def topic_round(clients):
    """KS imports the shipped definition and opens a round on it for Bergen, Drammen and Oslo, through the pages."""
    ks = clients["ks_adviser"]
    response = ks.post(reverse("mapping:definition_import_shipped"), {"file": SHIPPED}, follow=True)
    assert "trygghet-offentlig-rom" in response.content.decode()
    version = Version.objects.get(questionnaire__code="trygghet-offentlig-rom", number=1)
    form = ks.get(reverse("mapping:round_create")).content.decode()
    assert "Trygghet i det offentlige rom v1" in form
    response = ks.post(
        reverse("mapping:round_create"),
        {
            "name": "Trygghet 2027",
            "questionnaire": "",
            "definition": version.pk,
            "deadline": future().strftime("%Y-%m-%dT%H:%M"),
            "scope": "chosen",
            "municipalities": "Bergen, Drammen, Oslo",
        },
    )
    round = Round.objects.get(name="Trygghet 2027")
    assert response.status_code == 302
    assert (round.questionnaire, round.definition) == (None, version)
    version.refresh_from_db()
    assert version.frozen
    return round
