"""The information sheet for parents of under-18s: fetched as the municipality and KS get it from the survey page,
in bokmål and English, saying what the survey is, its themes, its days, how to opt out and who is responsible."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.test_pdf_exports import pdf_text
from trygg.core.models import Municipality
from trygg.youth import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def ordered(standard, users):
    """Guovdageaidnu's survey as ordered (not yet approved): the sheet goes home before the codes exist."""
    start = timezone.localdate() + dt.timedelta(days=20)
    municipality = Municipality.objects.get(number="5612")  # Guovdageaidnu - Kautokeino
    users["municipal_contact"].municipalities.add(municipality)
    return services.order_survey(
        users["municipal_contact"],
        municipality,
        start,
        start + dt.timedelta(days=14),
        "Báhccavuona skuvla; 9A; 9; 20\nOvttas skuvla; 6B; 6; 15",
        themes=["vold", "framtid"],
    )


def test_the_survey_page_links_the_sheet_in_bokmal_and_english(ordered, clients):
    page = clients["municipal_contact"].get(reverse("youth:survey", args=[ordered.pk])).content.decode()
    address = reverse("youth:parents_pdf", args=[ordered.pk])
    assert f'href="{address}"' in page and f'href="{address}?lang=en"' in page
    assert "Informasjon til foreldre" in page


def test_the_sheet_in_bokmal_says_what_when_themes_opting_out_and_who(ordered, clients, tmp_path):
    response = clients["municipal_contact"].get(reverse("youth:parents_pdf", args=[ordered.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "inline" in response["Content-Disposition"]
    text = pdf_text(response.content, tmp_path)
    municipality = ordered.municipality.name.replace(" ", "").replace("-", "")
    assert municipality in text  # its Sami name too
    for words in ("Informasjontilforeldre", "frivillig", "anonym", "kontaktlærer", "sifratilskolen", "ansvarlig"):
        assert words in text, words
    assert "Voldogtrusler" in text and "Framtida" in text and "Regelbrudd" not in text  # the chosen themes only
    assert "alkohol" in text  # secondary pupils are asked about alcohol: parents are told
    assert ordered.starts_on.strftime("%Y") in text
    assert "Báhccavuonaskuvla" in text and "testserver/ung/" in text


def test_the_sheet_in_english_and_a_language_it_does_not_know_falls_back_to_bokmal(ordered, clients, tmp_path):
    english = clients["ks_adviser"].get(reverse("youth:parents_pdf", args=[ordered.pk]), {"lang": "en"})
    text = pdf_text(english.content, tmp_path)
    assert "Informationforparents" in text and "Violenceandthreats" in text and "voluntary" in text
    assert "parents" in english["Content-Disposition"]
    unknown = clients["ks_adviser"].get(reverse("youth:parents_pdf", args=[ordered.pk]), {"lang": "xx"})
    assert "Informasjontilforeldre" in pdf_text(unknown.content, tmp_path)


def test_nobody_outside_the_municipality_gets_the_sheet(ordered, clients, users):
    address = reverse("youth:parents_pdf", args=[ordered.pk])
    users["municipal_contact"].municipalities.remove(ordered.municipality)
    assert clients["municipal_contact"].get(address).status_code == 403
    assert clients["partner"].get(address).status_code == 403
