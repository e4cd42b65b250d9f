"""KS links measures and library documents to a case and closes it with what it learnt; the measures catalogue
shows that experience, suppressed below three closed cases; the case page shows the youth indicators."""

import pytest
from django.urls import reverse

from tests.cases.conftest import published_measure
from tests.youth.test_reports import closed_survey
from trygg.cases import learning
from trygg.cases.models import Case, CaseMeasure
from trygg.library import services as library
from trygg.youth import demo as youth_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def measure(users):
    return published_measure(users["ks_adviser"])


def _link(client, case, measure):
    return client.post(reverse("cases:link_measure", args=[case.pk]), {"measure": measure.pk})


def _close(client, case, outcome="worked", tags="eiendom, plan"):
    data = {"tags": tags, **{f"outcome_{use.pk}": outcome for use in case.linked_measures.all()}}
    return client.post(reverse("cases:close", args=[case.pk]), data)


def test_ks_links_a_measure_and_a_document_and_the_municipality_sees_them(users, clients, make_case, measure):
    case = make_case()
    document = library.add_trusted(
        users["ks_adviser"], {"title": "Veileder om eiendom", "kind": "report", "access": "municipalities"},
        "veileder.txt", b"Tekst.",
    )  # fmt: skip
    secret = library.add_trusted(
        users["ks_adviser"], {"title": "Internt notat", "kind": "report", "access": "ks"}, "notat.txt", b"Tekst."
    )
    assert _link(clients["municipal_contact"], case, measure).status_code == 403
    assert _link(clients["ks_adviser"], case, measure).status_code == 302
    assert _link(clients["ks_adviser"], case, measure).status_code == 302  # twice: once
    for linked in (document, secret):
        response = clients["ks_adviser"].post(reverse("cases:link_document", args=[case.pk]), {"document": linked.pk})
        assert response.status_code == 302
    assert CaseMeasure.objects.filter(case=case).count() == 1
    page = clients["municipal_contact"].get(case.get_absolute_url()).content.decode()
    assert measure.name in page and "Veileder om eiendom" in page and "Internt notat" not in page
    assert "Internt notat" in clients["ks_adviser"].get(case.get_absolute_url()).content.decode()
    measure.status = "draft"
    measure.save()
    other = make_case()
    refused = _link(clients["ks_adviser"], other, measure)
    assert refused.status_code == 200 and not other.linked_measures.exists()


def test_closing_asks_how_each_measure_went_and_keeps_the_tags(users, clients, make_case, measure):
    case = make_case()
    _link(clients["ks_admin"], case, measure)
    missing = clients["ks_admin"].post(reverse("cases:close", args=[case.pk]), {"tags": "eiendom"})
    assert missing.status_code == 200 and "Feltet er påkrevet." in missing.content.decode()
    assert Case.objects.get(pk=case.pk).status != Case.Status.CLOSED
    assert _close(clients["municipal_contact"], case).status_code == 403
    assert _close(clients["ks_admin"], case, tags="eiendom, Plan, plan , ").status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED and case.tags == ["eiendom", "Plan"]
    assert case.linked_measures.get().outcome == "worked"
    ks = clients["ks_admin"].get(case.get_absolute_url()).content.decode()
    assert "eiendom" in ks and "Virket" in ks
    municipality = clients["municipal_contact"].get(case.get_absolute_url()).content.decode()
    assert "Avsluttet" in municipality or "Lukket" in municipality
    assert "Virket" not in municipality
    again = clients["ks_admin"].post(reverse("cases:close", args=[case.pk]), {"tags": ""}, follow=True)
    assert "Saken er allerede lukket." in again.content.decode()


def test_the_catalogue_shows_the_experience_only_from_three_closed_cases(users, clients, make_case, measure):
    url = measure.get_absolute_url()
    assert "Erfaring fra KS' saker" not in clients["anonymous"].get(url).content.decode()
    for outcome in ("worked", "worked"):
        case = make_case()
        learning.link_measure(users["ks_admin"], case, measure)
        learning.close(users["ks_admin"], case, [], {case.linked_measures.get().pk: outcome})
    page = clients["anonymous"].get(url).content.decode()
    assert "Færre enn tre avsluttede saker" in page and "Brukt i 2" not in page
    for outcome in ("worked", "did_not", "worked"):
        case = make_case()
        learning.link_measure(users["ks_admin"], case, measure)
        learning.close(users["ks_admin"], case, [], {case.linked_measures.get().pk: outcome})
    open_case = make_case()
    learning.link_measure(users["ks_admin"], open_case, measure)  # still open: not counted
    experience = learning.experience(measure)
    assert experience.cases == 5 and dict(experience.outcomes)["Virket"] == 4
    assert dict(experience.outcomes)["Virket ikke"] is None  # one case: hidden, and so are the zeros beside it
    page = clients["anonymous"].get(url).content.decode()
    assert "Brukt i 5 avsluttede saker." in page


def test_the_case_page_shows_the_municipalitys_published_youth_indicators(users, clients, make_case):
    youth_demo.load_standard()
    case = make_case()
    assert "Ungdomsindikatorer" not in clients["ks_admin"].get(case.get_absolute_url()).content.decode()
    closed_survey(case.municipality.name, 3)  # a closed survey of synthetic answers: its figures are published
    page = clients["ks_admin"].get(case.get_absolute_url()).content.decode()
    assert "Ungdomsindikatorer" in page and " %</td>" in page
    assert "Ungdomsindikatorer" not in clients["municipal_contact"].get(case.get_absolute_url()).content.decode()
