"""A situation report's measure rows point into the measures catalogue: chosen from the published measures, stored by
key, linked from the report page."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.conftest import logged_in_client
from tests.mapping.conftest import ANSWERS
from tests.measures import conftest as measures_fixtures
from trygg.core.models import Municipality
from trygg.mapping import reports
from trygg.mapping.models import ReportMeasure
from trygg.measures import catalogue

pytestmark = pytest.mark.django_db

# Measures made through the catalogue's services, as in the measures tests.
editor, make_measure = measures_fixtures.editor, measures_fixtures.make_measure


@pytest.fixture
def report(make_round, users):
    """A draft report for Bergen (one of the contact's municipalities) in an open round."""
    round = make_round(answers=[a for a in ANSWERS if a[0] not in ("Bergen", "Drammen")], asked=("Bergen",))
    return reports.start_report(users["municipal_contact"], round, [Municipality.objects.get(name="Bergen")])


@pytest.fixture
def measures(make_measure):
    return {
        "published": make_measure(),
        "other": make_measure(name="Anti-rekrutteringsarbeid i skolen"),
        "draft": make_measure(status="draft", name="Foreningsforbud"),
    }


@pytest.fixture
def client(users):
    client = logged_in_client(users["municipal_contact"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def edit_url(report) -> str:
    return reverse("mapping:report_edit", args=[report.pk])


def form_data(report, **row) -> dict:
    """The form with one measure row (``row``'s keys without the ``measures-0-`` prefix) and nothing else."""
    data = {
        "revision": report.revision,
        "groups-TOTAL_FORMS": 2,
        "groups-INITIAL_FORMS": 0,
        "measures-TOTAL_FORMS": 2,
        "measures-INITIAL_FORMS": 0,
    }
    data.update({f"measures-0-{name}": value for name, value in row.items()})
    return data


def test_the_rows_offer_the_published_measures_by_name_and_other(client, report, measures):
    form = client.get(edit_url(report)).context["measures"].forms[0]
    choices = list(form.fields["measure_key"].choices)
    assert choices[0] == ("", "Other (describe below)")
    assert choices[1:] == [
        (measures["other"].key, "Anti-rekrutteringsarbeid i skolen"),
        (measures["published"].key, "Skjenkekontroll på klubbhus"),
    ]


def test_choosing_a_catalogue_measure_stores_its_key_and_names_the_row(client, report, measures):
    key = measures["published"].key
    response = client.post(edit_url(report), form_data(report, stage="activity", measure_key=key, experience="worked"))
    assert response.status_code == 302
    row = ReportMeasure.objects.get(report=report)
    assert (row.measure_key, row.title, row.experience) == (key, "Skjenkekontroll på klubbhus", "worked")
    form = client.get(edit_url(report)).context["measures"].forms[0]
    assert form["measure_key"].value() == key  # the stored choice comes back in the form


def test_the_municipality_may_keep_its_own_title_or_pick_no_catalogue_measure(client, report, measures):
    key = measures["published"].key
    data = form_data(report, stage="activity", measure_key=key, title="Skjenkekontroller sammen med politiet")
    data.update({"measures-1-stage": "establishment", "measures-1-title": "Eget tiltak"})
    assert client.post(edit_url(report), data).status_code == 302
    assert set(ReportMeasure.objects.filter(report=report).values_list("measure_key", "title")) == {
        (key, "Skjenkekontroller sammen med politiet"),
        ("", "Eget tiltak"),
    }


@pytest.mark.parametrize("which", ["forged", "draft"])
def test_a_key_outside_the_published_catalogue_is_refused(client, report, measures, which):
    key = "finnes-ikke" if which == "forged" else measures["draft"].key
    response = client.post(
        edit_url(report), form_data(report, stage="activity", measure_key=key, description="Det vi gjorde.")
    )
    assert response.status_code == 200
    form = response.context["measures"].forms[0]
    assert "measure_key" in form.errors
    assert "Det vi gjorde." in response.content.decode()  # the typed text is kept
    assert not ReportMeasure.objects.filter(report=report).exists()


def test_a_catalogue_measure_without_a_stage_still_needs_one(client, report, measures):
    response = client.post(edit_url(report), form_data(report, measure_key=measures["published"].key))
    assert "stage" in response.context["measures"].forms[0].errors


def test_a_stored_key_survives_the_measure_being_withdrawn(client, report, measures, editor):
    measure = measures["published"]
    ReportMeasure.objects.create(report=report, stage="activity", measure_key=measure.key, title=measure.name)
    catalogue.change_status(editor, measure, "draft", reason="omarbeides", revision=measure.revision)
    data = form_data(report, stage="activity", measure_key=measure.key, title=measure.name)
    data["measures-INITIAL_FORMS"] = 1
    assert client.post(edit_url(report), data).status_code == 302
    assert ReportMeasure.objects.get(report=report).measure_key == measure.key


def test_the_report_page_links_a_catalogue_measure(client, report, measures):
    key = measures["published"].key
    ReportMeasure.objects.create(report=report, stage="activity", measure_key=key, title="Skjenkekontroll")
    ReportMeasure.objects.create(report=report, stage="establishment", title="Eget tiltak")
    content = client.get(report.get_absolute_url()).content.decode()
    assert f'<a href="{reverse("measures:measure", args=[key])}">Skjenkekontroll</a>' in content
    assert "<td>Eget tiltak</td>" in content
