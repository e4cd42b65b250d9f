"""The national picture: counts, suppression of small groups, regions, drafts, trends, the map and the page."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.mapping.conftest import ANSWERS
from trygg.core.models import Municipality
from trygg.mapping.models import Report, Round
from trygg.mapping.picture import national_picture

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Labels are asserted in English, the source language, whatever an earlier test left active."""
    with translation.override("en"):
        yield


def by_label(counts):
    return {count.label: count.value for count in counts}


def county(picture, name):
    return next(row for row in picture.counties if row.name == name)


def map_svg(html: str) -> str:
    return re.search(r'<svg class="norway-map[^"]*".*?</svg>', html, re.S).group(0)


def test_counts_for_ks_staff(make_round, users):
    picture = national_picture(make_round(), users["ks_adviser"])
    assert picture.full
    assert (picture.asked, picture.answered) == (10, 8)
    assert picture.response_rate == pytest.approx(0.8)
    assert by_label(picture.crime_kinds)["Narcotics"] == 4
    assert by_label(picture.crime_kinds)["Violence"] == 2
    assert by_label(picture.assessments) == {"We can live with it": 3, "We must act": 4, "Do not know": 1}
    assert picture.categories["0301"] == "group"
    assert picture.categories["3301"] == "crews"  # Drammen
    assert picture.categories[Municipality.objects.get(name="Skien").number] == "neither"
    assert picture.categories[Municipality.objects.get(name="Hamar").number] == "unanswered"
    assert len(picture.categories) == 10
    oslo = county(picture, "Oslo")
    assert (oslo.asked, oslo.answered, oslo.hosts_group, oslo.crews_only, oslo.neither) == (1, 1, 1, 0, 0)
    assert picture.county_categories["03"] == "group"
    [measure] = picture.measures
    assert (measure.municipalities, measure.worked, measure.did_not, measure.too_early) == (5, 3, 1, 1)


def test_partner_with_mapping_area_sees_everything(make_round, users):
    picture = national_picture(make_round(), users["partner"])
    assert picture.full and len(picture.categories) == 10


def test_suppression_for_a_municipal_contact(make_round, users):
    picture = national_picture(make_round(), users["municipal_contact"])
    assert not picture.full
    assert picture.categories == {}
    assert (picture.asked, picture.answered) == (10, 8)
    oslo = county(picture, "Oslo")  # the county's only municipality: not even whether it answered
    assert (oslo.asked, oslo.answered) == (1, None)
    assert (oslo.hosts_group, oslo.crews_only, oslo.neither, oslo.must_act) == (None, None, None, None)
    assert picture.county_categories["03"] == "suppressed"
    # Innlandet: Hamar and Ringsaker asked, neither answered; that two did not answer is hidden too.
    assert picture.county_categories["34"] == "suppressed"
    innlandet = county(picture, "Innlandet")  # and no 0 beside that hidden 2 tells what those who answered said
    assert (innlandet.answered, innlandet.hosts_group, innlandet.crews_only, innlandet.must_act) == (None,) * 4
    assert picture.county_categories["56"] == "not_asked"  # Finnmark
    kinds = by_label(picture.crime_kinds)
    # Fraud's 0 stands beside the hidden 1s and 2s: hidden too.
    assert (kinds["Narcotics"], kinds["Violence"], kinds["Weapons"], kinds["Fraud"]) == (4, None, None, None)
    assert by_label(picture.assessments)["Do not know"] is None
    [measure] = picture.measures
    assert (measure.municipalities, measure.worked, measure.did_not, measure.too_early) == (5, 3, None, None)
    assert all(point.hosts_group_share is not None for point in picture.trends)


def test_rare_measures_lose_their_title_for_a_contact(make_round, users):
    round = make_round()
    report = Report.objects.filter(round=round, municipalities__name="Oslo").get()
    report.measures.create(stage="activity", title="Egen hemmelig plan i Oslo", experience="worked")
    titles = [m.title for m in national_picture(round, users["municipal_contact"]).measures]
    assert "Egen hemmelig plan i Oslo" not in titles
    assert len(titles) == 2
    assert "Egen hemmelig plan i Oslo" in [m.title for m in national_picture(round, users["ks_admin"]).measures]


def test_a_region_report_counts_for_each_municipality(make_round, users):
    round = make_round(answers=[], asked=())
    region = Municipality.objects.filter(name__in=["Bergen", "Askøy", "Øygarden"])
    round.municipalities.add(*region)
    report = Report.objects.create(round=round, status=Report.Status.SUBMITTED, hosts_group="yes", crews="yes")
    report.municipalities.set(region)
    picture = national_picture(round, users["municipal_contact"])
    assert picture.answered == 3
    vestland = county(picture, "Vestland")
    assert (vestland.answered, vestland.hosts_group, vestland.crews_only, vestland.neither) == (3, 3, 0, 0)
    assert picture.county_categories["46"] == "group"


def test_drafts_do_not_count(make_round, users):
    round = make_round()
    draft = Report.objects.create(round=round, status=Report.Status.DRAFT, hosts_group="yes", crime_kinds=["fraud"])
    draft.municipalities.add(Municipality.objects.get(name="Hamar"))
    picture = national_picture(round, users["ks_admin"])
    assert picture.answered == 8
    assert picture.categories[Municipality.objects.get(name="Hamar").number] == "unanswered"
    assert by_label(picture.crime_kinds)["Fraud"] == 0


def test_trends_over_two_rounds(make_round, users):
    first = make_round("2010", answers=[a for a in ANSWERS if a[1] == "no"])
    Round.objects.filter(pk=first.pk).update(opens_at=first.opens_at - dt.timedelta(days=365))
    second = make_round("2011")
    trends = national_picture(second, users["ks_adviser"]).trends
    assert [(t.round_name, t.answered) for t in trends] == [("2010", 4), ("2011", 8)]
    assert trends[0].hosts_group_share == 0.0
    assert trends[1].hosts_group_share == pytest.approx(0.5)
    assert trends[1].must_act_share == pytest.approx(0.5)
    assert [t.round_name for t in national_picture(first, users["ks_adviser"]).trends] == ["2010"]
    # 2010 for a contact: Drammen alone must act, Sarpsborg and Skien live with it or do not know.
    contact = national_picture(second, users["municipal_contact"]).trends
    assert contact[0].must_act_share is None and contact[0].crews_share is None


def test_query_count_does_not_grow_with_rounds(make_round, users, django_assert_max_num_queries):
    round = make_round()
    with django_assert_max_num_queries(12):
        national_picture(round, users["ks_admin"])


@pytest.mark.parametrize(
    "role, status",
    [("anonymous", 302), ("ks_admin", 200), ("ks_adviser", 200), ("municipal_contact", 200), ("partner", 200)],
)
def test_page_for_each_role(make_round, clients, role, status):
    url = reverse("mapping:picture", args=[make_round().pk])
    response = clients[role].get(url)
    assert response.status_code == status
    if status == 302:
        assert reverse("core:login") in response["Location"]


def test_the_map_for_a_full_viewer(make_round, clients):
    round = make_round()
    html = clients["ks_adviser"].get(reverse("mapping:picture", args=[round.pk])).content.decode()
    svg = map_svg(html)
    assert svg.count('<path class="m"') == 357
    assert svg.count("</title>") == 358  # the map's own and one per municipality
    oslo_report = Report.objects.get(round=round, municipalities__name="Oslo")
    assert f'<a href="{reverse("mapping:report", args=[oslo_report.pk])}"><title>Oslo: ' in svg
    assert svg.count('fill="url(#map-pattern-group)"') == 4
    assert "© Kartverket, SSB" in html
    assert " style=" not in html


def test_the_map_for_a_contact_is_coloured_by_county(make_round, clients):
    round = make_round(
        answers=[
            ("Bergen", "yes", "no", "must_act", [], ""),
            ("Askøy", "yes", "yes", "live_with", [], ""),
            ("Øygarden", "yes", "yes", "live_with", [], ""),
            ("Alver", "no", "yes", "live_with", [], ""),
        ],
        asked=(),
    )
    html = clients["municipal_contact"].get(reverse("mapping:picture", args=[round.pk])).content.decode()
    svg = map_svg(html)
    vestland = Municipality.objects.filter(county__number="46").count()
    assert svg.count('fill="url(#map-pattern-group)"') == vestland  # every municipality in the county's colour
    assert svg.count('fill="url(#map-pattern-crews)"') == 0
    assert 'href="#county-46"' in svg and 'id="county-46"' in html
    assert "/rapporter/" not in svg


def test_the_map_hides_a_majority_that_would_tell_a_hidden_count(make_round, users):
    """Two of three host a group: "group" as the county's colour would tell the hidden 2."""
    answers = [
        (name, "yes" if name != "Askøy" else "no", "yes", "live_with", [], "")
        for name in ("Bergen", "Askøy", "Øygarden")
    ]
    round = make_round(answers=answers, asked=())
    assert national_picture(round, users["municipal_contact"]).county_categories["46"] == "suppressed"
    assert national_picture(round, users["ks_adviser"]).county_categories["46"] == "group"


def _zoomed(client, round, view: str) -> str:
    return client.get(reverse("mapping:picture", args=[round.pk]), {"utsnitt": view}).content.decode()


def test_zooming_to_a_county_links_only_its_municipalities(make_round, clients):
    round = make_round()
    html = _zoomed(clients["ks_adviser"], round, "46")
    svg = map_svg(html)
    vestland = Municipality.objects.filter(county__number="46").count()
    assert 'class="norway-map zoomed"' in svg and 'viewBox="0 0 1195 1490"' not in svg
    assert svg.count("<a href=") == vestland  # the neighbours in view are pale context, not links
    assert 'class="m context"' in svg
    bergen = Report.objects.get(round=round, municipalities__name="Bergen")
    assert f'<a href="{reverse("mapping:report", args=[bergen.pk])}"><title>Bergen: ' in svg
    assert 'href="#county-46"' in html  # the caption leads to the county's figures
    assert '<option value="46" selected>' in html


def test_zooming_never_shows_a_suppressed_county(make_round, clients):
    """Oslo is a county of one municipality: zoomed in, a contact still sees no answer, KS sees Oslo's own."""
    round = make_round()
    contact = map_svg(_zoomed(clients["municipal_contact"], round, "03"))
    assert contact.count("<a href=") == 1
    assert 'fill="url(#map-pattern-suppressed)"' in contact
    for category in ("group", "crews", "neither", "unanswered"):
        assert f'fill="url(#map-pattern-{category})"' not in contact
    assert "/rapporter/" not in contact
    assert 'fill="url(#map-pattern-group)"' in map_svg(_zoomed(clients["ks_adviser"], round, "03"))


def test_the_participants_one_by_one(make_round, clients):
    round = make_round()
    html = _zoomed(clients["ks_adviser"], round, "deltakere")
    tiles = re.search(r'<ul class="map-tiles".*?</ul>', html, re.S).group(0)
    assert tiles.count('<li class="tile') == len(ANSWERS) + 2  # the answers and Hamar and Ringsaker
    oslo = next(
        t
        for t in re.findall(r'<li class="tile tile-(\w+)"><a href="([^"]+)">(.*?)</li>', tiles, re.S)
        if ">Oslo<" in t[2]
    )
    assert oslo[0] == "group" and "/rapporter/" in oslo[1]
    assert 'id="map-pattern-group"' in html  # the legend's swatches still have their patterns
    assert "norway-map" not in html


def test_the_participants_show_a_contact_no_suppressed_answer(make_round, clients):
    round = make_round()
    tiles = re.search(r'<ul class="map-tiles".*?</ul>', _zoomed(clients["municipal_contact"], round, "deltakere"), re.S)
    oslo = next(
        t
        for t in re.findall(r'<li class="tile tile-(\w+)"><a href="([^"]+)">(.*?)</li>', tiles.group(0), re.S)
        if ">Oslo<" in t[2]
    )
    assert oslo[:2] == ("suppressed", "#county-03")
    assert "/rapporter/" not in tiles.group(0)
    assert all(t == "suppressed" for t in re.findall(r'class="tile tile-(\w+)"', tiles.group(0)))


def test_an_unknown_view_shows_all_of_norway(make_round, clients):
    html = _zoomed(clients["ks_adviser"], make_round(), "99")
    assert 'viewBox="0 0 1195 1490"' in map_svg(html)


def test_page_marks_demo_data_and_suppressed_cells(make_round, clients):
    round = make_round()
    Round.objects.filter(pk=round.pk).update(is_demo=True)
    client = clients["municipal_contact"]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the wording is asserted in the source language
    html = client.get(reverse("mapping:picture", args=[round.pk])).content.decode()
    assert 'id="demo-marking"' in html
    assert "hidden: fewer than 3 municipalities" in html
    assert 'id="suppressed-note"' in html
