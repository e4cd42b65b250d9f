"""Right after `make run` (the demo loaded), every youth report screen has something to show: the deck's
municipalities surveyed at every school level over several years, each labelled as synthetic."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import logged_in_client
from trygg.core.models import County
from trygg.youth import demo
from trygg.youth.models import Level, Survey

pytestmark = pytest.mark.django_db
DECK = {"Oslo", "Bergen", "Trondheim", "Stavanger", "Kristiansand", "Tromsø", "Bærum"}  # the source deck's trip
LEVELS = [str(label) for label in Level.labels]


@pytest.fixture
def demo_loaded(municipalities):
    call_command("load_demo", stdout=io.StringIO())


def test_every_youth_report_screen_has_synthetic_figures_after_the_demo_loads(demo_loaded, users):
    closed = Survey.objects.filter(status=Survey.Status.CLOSED)
    assert closed.exists() and not closed.filter(is_demo=False).exists()
    surveyed = set(closed.values_list("municipality__name", flat=True))
    assert all(any(name.startswith(deck) for name in surveyed) for deck in DECK), surveyed
    assert len(set(closed.values_list("starts_on__year", flat=True))) >= 3

    adviser, contact = logged_in_client(users["ks_adviser"]), logged_in_client(users["municipal_contact"])
    synthetic = "Syntetiske demodata"
    overview = adviser.get(reverse("youth:overview")).content.decode()
    assert synthetic in overview and all(label in overview for label in LEVELS)
    counties = County.objects.filter(municipalities__youth_surveys__in=closed).distinct()
    for county in counties:
        html = adviser.get(reverse("youth:county", args=[county.number])).content.decode()
        assert synthetic in html and county.name in html and " %" in html, county.name

    listed = contact.get(reverse("youth:index")).content.decode()
    assert "syntetiske demodata" in listed
    bergen = closed.filter(municipality__name="Bergen").latest("starts_on")
    report = contact.get(reverse("youth:report", args=[bergen.pk])).content.decode()
    assert synthetic in report and all(label in report for label in LEVELS)
    assert report.count("utvikling, alle elever") >= 3 * 5, "a trend per indicator and level"
    assert "Vestland" in report and "Norge" in report and "data:image/svg+xml" in report

    figures = contact.get(f"/api/youth/surveys/{bergen.pk}/figures").json()
    assert {row["level"] for row in figures} == set(Level.values)
    assert all(any(row["share"] is not None for row in figures if row["level"] == level) for level in Level.values)
    workbook = load_workbook(io.BytesIO(contact.get(reverse("youth:report_export", args=[bergen.pk])).content))
    assert any("Syntetiske demodata" in str(row[0]) for row in workbook.active.iter_rows(values_only=True))

    running = Survey.objects.get(is_demo=True, status=Survey.Status.APPROVED)
    page = contact.get(running.get_absolute_url()).content.decode()
    assert synthetic in page and running.municipality.name == "Bergen"
    assert demo.load() == [] and Survey.objects.count() == closed.count() + 1, "loading again adds nothing"
