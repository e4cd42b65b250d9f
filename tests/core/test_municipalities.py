"""The municipality register: today's 357, their counties, neighbours and former names."""

import pytest
from django.core.management import call_command

from trygg.core.models import County, Municipality, MunicipalityAlias
from trygg.core.services import resolve_municipality, search_municipalities

pytestmark = pytest.mark.django_db


def test_all_357_municipalities_with_unique_numbers(municipalities):
    numbers = list(municipalities.values_list("number", flat=True))
    assert len(numbers) == 357
    assert len(set(numbers)) == 357
    assert all(len(n) == 4 and n.isdigit() for n in numbers)


def test_every_county_is_present_and_has_municipalities(municipalities):
    assert County.objects.count() == 15
    for county in County.objects.all():
        assert county.municipalities.exists(), county


def test_neighbour_relation_is_symmetric_and_plausible(municipalities):
    pairs = set(Municipality.neighbours.through.objects.values_list("from_municipality_id", "to_municipality_id"))
    assert pairs, "no neighbours loaded"
    assert all((b, a) in pairs for a, b in pairs)
    oslo = Municipality.objects.get(number="0301")
    oslo_neighbours = set(oslo.neighbours.values_list("name", flat=True))
    assert {"Bærum", "Nordre Follo"} <= oslo_neighbours
    assert "Bergen" not in oslo_neighbours
    assert not any(m.neighbours.filter(pk=m.pk).exists() for m in municipalities[:50])


def test_centroids_and_population_are_plausible(municipalities):
    oslo = Municipality.objects.get(number="0301")
    assert 59.8 < oslo.latitude < 60.1 and 10.5 < oslo.longitude < 11.0
    assert oslo.population > 650_000
    for m in municipalities:
        assert 57.9 < m.latitude < 71.2 and 4.5 < m.longitude < 31.2, m


def test_police_districts_where_known(municipalities):
    assert Municipality.objects.get(number="0301").police_district.slug == "oslo"
    assert Municipality.objects.get(name="Bærum").police_district.slug == "sor-ost"
    assert Municipality.objects.filter(police_district__isnull=False).count() == 357


def test_search_finds_parallel_names_case_insensitively(municipalities):
    assert [m.name for m in search_municipalities("Trondheim")] == ["Trondheim - Tråante"]
    assert "Tromsø" in [m.name for m in search_municipalities("TROMSØ")]
    assert set(search_municipalities("", county="03").values_list("number", flat=True)) == {"0301"}
    assert search_municipalities("0301").get().name == "Oslo"


@pytest.mark.parametrize(
    ("old", "year", "today"),
    [
        ("Drammen", None, "Drammen"),
        ("Øvre Eiker", None, "Øvre Eiker"),
        ("Trondheim", None, "Trondheim - Tråante"),
        ("Stokke", 2011, "Sandefjord"),
        ("Andebu", None, "Sandefjord"),
        ("0602", 2011, "Drammen"),
        ("Svelvik", None, "Drammen"),
        ("Tromsø", None, "Tromsø"),
    ],
)
def test_old_names_and_numbers_resolve_to_todays_municipality(municipalities, old, year, today):
    assert resolve_municipality(old, year=year).name == today


def test_unknown_name_resolves_to_nothing(municipalities):
    assert resolve_municipality("Atlantis") is None
    assert resolve_municipality("   ") is None


def test_reloading_reference_data_changes_nothing(municipalities, capsys):
    before = (
        Municipality.objects.count(),
        Municipality.neighbours.through.objects.count(),
        MunicipalityAlias.objects.count(),
    )
    call_command("load_municipalities")
    after = (
        Municipality.objects.count(),
        Municipality.neighbours.through.objects.count(),
        MunicipalityAlias.objects.count(),
    )
    assert before == after
    assert MunicipalityAlias.objects.filter(year=2011).count() == 430
    assert "357" in capsys.readouterr().out


def test_municipality_pages(client, municipalities):
    response = client.get("/kommuner/", {"q": "trondheim"})
    assert "Trondheim - Tråante" in response.text
    detail = client.get("/kommuner/0301/")
    assert "Bærum" in detail.text and "Oslo politidistrikt" in detail.text
    assert client.get("/kommuner/9999/").status_code == 404


def test_htmx_search_returns_only_the_results(client, municipalities):
    response = client.get("/kommuner/", {"q": "Bergen"}, headers={"HX-Request": "true"})
    assert "<html" not in response.text
    assert "Bergen" in response.text
