"""The catalogue's editorial rules, through its services: versions, conflicts, publishing and search."""

import pytest

from trygg.measures import catalogue
from trygg.measures.catalogue import Filters
from trygg.measures.models import Measure

from .conftest import PUBLISHABLE, SOURCES


def test_every_save_and_status_change_is_a_version_with_who_and_why(make_measure, editor):
    measure = make_measure()
    versions = list(measure.versions.order_by("revision"))
    assert [(v.revision, v.status, v.reason) for v in versions] == [
        (1, "draft", "Første utkast"),
        (2, "review", "review"),
        (3, "published", "published"),
    ]
    assert {v.changed_by for v in versions} == {editor}
    assert versions[0].snapshot["sources"][0]["reference"].startswith("Bjørgo")


def test_a_verdict_without_a_source_cannot_be_published(make_measure, editor):
    measure = make_measure(status="review", sources=[])
    with pytest.raises(catalogue.MeasureError) as error:
        catalogue.change_status(editor, measure, "published", reason="klar", revision=measure.revision)
    assert any("uten kilde" in message for message in error.value.messages)
    measure.refresh_from_db()
    assert measure.status == Measure.Status.REVIEW


def test_a_published_measure_cannot_lose_its_sources(make_measure, editor):
    measure = make_measure()
    with pytest.raises(catalogue.MeasureError):
        catalogue.save_measure(
            editor, measure, PUBLISHABLE, sources=[], experiences=[], reason="rydder", revision=measure.revision
        )
    assert measure.sources.count() == 1


def test_two_editors_saving_the_same_revision_conflict_and_the_second_loses_nothing_stored(make_measure, editor):
    measure = make_measure(status="draft")
    loaded = measure.revision
    catalogue.save_measure(
        editor,
        measure,
        {**PUBLISHABLE, "summary": "Første"},
        sources=SOURCES,
        experiences=[],
        reason="a",
        revision=loaded,
    )
    with pytest.raises(catalogue.MeasureConflict):
        catalogue.save_measure(
            editor,
            measure,
            {**PUBLISHABLE, "summary": "Andre"},
            sources=SOURCES,
            experiences=[],
            reason="b",
            revision=loaded,
        )
    measure.refresh_from_db()
    assert measure.summary == "Første"


@pytest.mark.parametrize(
    ("field", "value"),
    [("verdict", "brilliant"), ("mechanisms", ["magic"]), ("effect", 9), ("description", "<script>x</script>")],
)
def test_values_outside_the_scales_and_html_are_refused(make_measure, field, value):
    with pytest.raises(catalogue.MeasureError):
        make_measure(**{field: value})
    assert not Measure.objects.exists()


def test_search_finds_norwegian_inflections_and_compounds(make_measure):
    make_measure()
    make_measure(
        name="Klubbhusforbud", summary="Forbud mot å bruke en eiendom som samlingssted.", mechanisms=["disruption"]
    )
    names = lambda q: [m.name for m in catalogue.filter_measures(Measure.objects.all(), Filters(q=q))]  # noqa: E731
    assert names("klubbhusene") == ["Klubbhusforbud", "Skjenkekontroll på klubbhus"]
    assert names("forbud") == ["Klubbhusforbud"]
    assert names("skjenkebevillingen") == []
    assert names("skjenkekontrollen") == ["Skjenkekontroll på klubbhus"]
    assert [m.name for m in catalogue.filter_measures(Measure.objects.all(), Filters(mechanism="disruption"))] == [
        "Klubbhusforbud"
    ]
