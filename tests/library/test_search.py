"""Search in Norwegian through the page and the API: inflections and compounds find each other, hits are ranked with
a highlighted snippet and the page, facets count what matched, and suggestions come as one types. The same tests
run on SQLite (FTS5) and PostgreSQL (``DATABASE_URL``)."""

import re

import pytest
from django.urls import reverse

from trygg.library import index, services, text
from trygg.library.models import Document, Page

pytestmark = pytest.mark.django_db


def titles(client, **params) -> list[str]:
    body = client.get(reverse("library:list"), params).content.decode()
    return re.findall(r'<h3><a href="/bibliotek/\d+/">([^<]+)</a></h3>', body)


@pytest.mark.parametrize("query", ["kommunen", "kommunar", "kommuner", "kommunane"])
def test_bokmal_and_nynorsk_inflections_find_each_other(clients, library, query):
    found = titles(clients["municipal_contact"], q=query)
    assert set(found) == {"Kriminalitetsforebygging i kommunene (test)", "Rettleiar for kommunane (test)"}


def test_ungdommene_finds_ungdom(clients, library):
    assert "Rettleiar for kommunane (test)" in titles(clients["municipal_contact"], q="ungdommene")


def test_a_compound_is_found_by_its_part_and_the_part_by_the_compound(clients, library):
    client = clients["municipal_contact"]
    assert "Kriminalitetsforebygging i kommunene (test)" in titles(client, q="forebygging")
    # The compound as a query finds the document that has it, and the one with both parts as words of their own.
    found = titles(clients["ks_adviser"], q="kriminalitetsforebygging")
    assert found[0] == "Kriminalitetsforebygging i kommunene (test)"
    assert "Hemmelig høringsnotat Zebraflodhest" in found


def test_a_hit_shows_its_page_and_a_highlighted_snippet(clients, library):
    body = clients["municipal_contact"].get(reverse("library:list"), {"q": "rekruttering"}).content.decode()
    document = library["public"]
    assert f'href="/bibliotek/{document.pk}/tekst/#side-2"' in body
    assert "<mark>rekruttering</mark> til MC-miljøer" in body
    text = clients["municipal_contact"].get(reverse("library:text", args=[document.pk])).content.decode()
    assert 'id="side-2"' in text and "rekruttering til MC-miljøer" in text


def test_ranking_puts_the_document_about_the_words_first(clients, library):
    found = titles(clients["ks_adviser"], q="ungdom skolen politiet")
    assert found == ["Rettleiar for kommunane (test)"]
    ranked = titles(clients["ks_adviser"], q="kommune")
    assert ranked[0] == "Kriminalitetsforebygging i kommunene (test)"  # in the title and twice in the text


def test_facets_count_what_matched_and_filter(clients, library):
    client = clients["municipal_contact"]
    body = client.get(reverse("library:list"), {"q": "forebygging"}).content.decode()
    assert 'Norsk (nynorsk) <span class="count">(1)</span>' in body
    assert titles(client, q="forebygging", language="nn") == ["Rettleiar for kommunane (test)"]
    assert titles(client, q="forebygging", topic="public") == ["Kriminalitetsforebygging i kommunene (test)"]
    assert titles(client, q="forebygging", kind="slides") == []
    assert titles(client, year="2020") and titles(client, year="1999") == []


def test_a_made_up_filter_value_is_ignored_not_an_error(clients, library):
    response = clients["municipal_contact"].get(reverse("library:list"), {"kind": "bogus", "year": "x", "page": "-1"})
    assert response.status_code == 200


def test_search_words_with_a_filter_nothing_carries_find_nothing_not_an_error(clients, library):
    """A topic no document has left nothing to search in: the page, the suggestions and the API say so."""
    client = clients["municipal_contact"]
    assert titles(client, q="forebygging", topic="finnes ikke") == []
    assert client.get(reverse("library:suggest"), {"q": "forebygging", "topic": "finnes ikke"}).status_code == 200
    answer = client.get("/api/library/documents", {"q": "forebygging", "topic": "finnes ikke"})
    assert answer.status_code == 200 and answer.json()["total"] == 0


def test_suggestions_as_you_type(clients, library):
    body = clients["municipal_contact"].get(reverse("library:suggest"), {"q": "kriminalitetsforeb"}).content.decode()
    assert "Kriminalitetsforebygging i kommunene (test)" in body
    assert (
        "Hemmelig" not in clients["municipal_contact"].get(reverse("library:suggest"), {"q": "zebra"}).content.decode()
    )


def test_htmx_gets_only_the_results(clients, library):
    response = clients["municipal_contact"].get(reverse("library:list"), {"q": "rus"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and "Rettleiar for kommunane (test)" in body


def test_the_api_searches_with_the_same_rules(clients, library):
    answer = clients["municipal_contact"].get("/api/library/documents", {"q": "kommunar"}).json()
    assert answer["total"] == 2
    first = answer["results"][0]
    assert first["page"] == 1 and "«" in first["snippet"]
    assert clients["anonymous"].get("/api/library/documents", {"q": "kommunar"}).json()["total"] == 1


def test_rebuilding_the_index_after_new_words_splits_old_compounds(users, library, clients):
    """A compound read before its parts were known is split once the index is rebuilt (the job after an upload)."""
    admin = users["ks_admin"]
    data = {"title": "Sjeldne ord", "kind": "article", "access": "public"}
    services.add_trusted(admin, data, "a.txt", b"Kattepusekonferansen var lang.")
    assert "Sjeldne ord" not in titles(clients["anonymous"], q="kattepus")
    services.add_trusted(admin, {**data, "title": "Kattepus"}, "b.txt", b"En kattepus og en konferanse.")
    index.rebuild()
    assert set(titles(clients["anonymous"], q="konferansen")) == {"Sjeldne ord", "Kattepus"}
    assert Document.objects.filter(state="ready").count() == 5


def test_the_index_follows_the_pages_however_they_are_written(clients, library):
    """A restore writes rows without the library's services: the full-text index still follows them."""
    document = library["public"]
    Page.objects.filter(document=document, number=2).update(text="Hei", terms=text.stem("pingvin"))
    assert titles(clients["anonymous"], q="pingvin") == [document.title]
    Page.objects.filter(document=document).delete()
    assert titles(clients["anonymous"], q="pingvin") == []
    Page.objects.create(document=document, number=1, text="Nytt", terms=text.stem("sjiraff"))
    assert titles(clients["anonymous"], q="sjiraff") == [document.title]
