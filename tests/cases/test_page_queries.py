"""The case page asks the database the same number of times however long the case's timeline is (bench/load.py
opens it under load), and the municipality's youth figures are computed once, not on every visit."""

import pytest

from tests.conftest import logged_in_client, page_queries
from trygg.cases import services

pytestmark = pytest.mark.django_db


def test_the_case_page_costs_the_same_queries_for_a_long_timeline(make_case, users):
    case = make_case()
    ks = logged_in_client(users["ks_admin"])
    path = f"/saker/{case.pk}/"
    page_queries(ks, path)  # the first visit fills the cache
    few, _page = page_queries(ks, path)
    for number in range(15):
        services.add_note(users["ks_admin"], case, f"Intern vurdering nummer {number}", "internal")
        services.add_note(users["municipal_contact"], case, f"Svar fra kommunen nummer {number}", "shared")
    many, page = page_queries(ks, path)
    assert "Intern vurdering nummer 14" in page and "Svar fra kommunen nummer 14" in page
    assert many == few
