"""Weak indicators point to the measures catalogue: an indicator is weak where the municipality's 95 % interval
lies wholly on the bad side of the national share; the report shows the published measures KS tagged with it."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.youth.test_reports import closed_survey
from trygg.measures.models import Measure
from trygg.questionnaires import services as questionnaires
from trygg.questionnaires.models import Indicator
from trygg.youth import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def worse(standard, users):
    """Oslo and Askøy as usual; Bergen's pupils with every chance 15 points higher: more drinking, loneliness and
    screen time (worse), but also more feeling safe (better)."""
    closed_survey("Oslo", 1)
    closed_survey("Askøy", 2)
    closed_survey("Drammen", 4)
    return closed_survey("Bergen", 3, shift=0.15)


def test_an_indicator_is_weak_exactly_when_its_interval_is_on_the_bad_side_of_norway(worse, users):
    weak = services.weak_indicators(worse, users["municipal_contact"])
    codes = {indicator["code"] for indicator in weak}
    assert {"drunk", "lonely"} <= codes
    directions = dict(Indicator.objects.values_list("code", "direction"))
    assert all(directions[code] == "lower" for code in codes)  # more feeling safe is not weak
    for indicator in weak:
        mine, country = indicator["figure"], indicator["country"]
        assert mine.low > country.share and mine.share > country.share
    assert services.weak_indicators(worse, users["partner"]) == []  # only who may read the report


def test_the_contacts_report_shows_the_published_measures_ks_tagged_with_a_weak_indicator(worse, users, clients):
    tagged, other, draft = _measures()
    adviser = clients["ks_adviser"]
    form = adviser.get(reverse("measures:youth_indicators", args=[tagged.key]))
    assert form.status_code == 200 and 'value="drunk"' in form.content.decode()
    assert (
        adviser.post(reverse("measures:youth_indicators", args=[tagged.key]), {"indicators": ["drunk"]}).status_code
        == 302
    )
    adviser.post(reverse("measures:youth_indicators", args=[other.key]), {"indicators": ["safe_evening"]})
    Measure.objects.filter(pk=draft.pk).update(youth_indicators=["drunk"], status=Measure.Status.DRAFT)
    assert Measure.objects.get(pk=tagged.pk).youth_indicators == ["drunk"]

    with translation.override("nb"):
        page = clients["municipal_contact"].get(reverse("youth:report", args=[worse.pk])).content.decode()
    assert "Tiltak som kan hjelpe" in page
    assert f'href="{reverse("measures:measure", kwargs={"key": tagged.key})}"' in page
    assert reverse("measures:measure", kwargs={"key": other.key}) + '"' not in page  # tagged with a good figure
    assert reverse("measures:measure", kwargs={"key": draft.key}) + '"' not in page  # not published


def test_no_weak_indicator_no_measures_panel(standard, users, clients):
    closed_survey("Oslo", 1)
    even = closed_survey("Bergen", 3)
    tagged, *_rest = _measures()
    Measure.objects.filter(pk=tagged.pk).update(youth_indicators=["drunk", "lonely", "cannabis", "bullied"])
    weak = {indicator["code"] for indicator in services.weak_indicators(even, users["municipal_contact"])}
    with translation.override("nb"):
        page = clients["municipal_contact"].get(reverse("youth:report", args=[even.pk])).content.decode()
    assert ("Tiltak som kan hjelpe" in page) == bool(weak & {"drunk", "lonely", "cannabis", "bullied"})


def test_only_ks_tags_and_only_known_indicators(worse, clients):
    tagged, *_rest = _measures()
    url = reverse("measures:youth_indicators", args=[tagged.key])
    assert clients["municipal_contact"].post(url, {"indicators": ["drunk"]}).status_code == 403
    refused = clients["ks_adviser"].post(url, {"indicators": ["no_such"]})
    assert refused.status_code == 400 and Measure.objects.get(pk=tagged.pk).youth_indicators == []


def test_the_direction_round_trips_and_a_wrong_one_is_refused(standard):
    version = questionnaires.latest_version("ung-ungdomsskole")
    data = questionnaires.export_definition(version)
    assert {entry["code"]: entry["direction"] for entry in data["indicators"]}["drunk"] == "lower"
    assert questionnaires.export_definition(questionnaires.import_definition(data)) == data
    data["indicators"][0]["direction"] = "sideways"
    with pytest.raises(questionnaires.DefinitionError, match="direction"):
        questionnaires.validate(data)


def _measures() -> list[Measure]:
    """Three measures of the catalogue, published: one for the weak figure, one for a good one, one a draft."""
    from trygg.measures import starter

    if not Measure.objects.exists():
        starter.load()
    measures = list(Measure.objects.order_by("key")[:3])
    Measure.objects.filter(pk__in=[m.pk for m in measures]).update(status=Measure.Status.PUBLISHED)
    return measures
