"""Who may open which document, and that nobody learns of one they may not open — not its title, not a snippet —
from the list, search, suggestions, similar documents, the API or its own pages (404, as if it did not exist)."""

import pytest
from django.urls import reverse

from tests.conftest import logged_in_client
from trygg.library.models import Document

pytestmark = pytest.mark.django_db

# Which levels each role opens: the matrix's partner has only the mapping area.
OPENS = {
    "anonymous": {"public"},
    "partner": {"public"},
    "municipal_contact": {"public", "municipalities"},
    "ks_adviser": {"public", "municipalities", "ks"},
    "ks_admin": {"public", "municipalities", "ks"},
}
MARKERS = {"public": "Kriminalitetsforebygging i", "municipalities": "Rettleiar for kommunane", "ks": "Zebraflodhest"}


def everything_shown(client, library) -> str:
    """Every page, search, suggestion and API answer a user can reach, as one text to look for titles in."""
    pages = [
        client.get(reverse("library:list")),
        client.get(reverse("library:list"), {"q": "kommuner forebygging"}),
        client.get(reverse("library:list"), {"q": "zebraflodhest"}),
        client.get(reverse("library:list"), {"kind": "report", "year": "2020"}),
        client.get(reverse("library:suggest"), {"q": "zebra"}),
        client.get(reverse("library:suggest"), {"q": "rettleiar"}),
        client.get("/api/library/documents"),
        client.get("/api/library/documents", {"q": "zebraflodhest kommuner"}),
    ]
    for document in library.values():
        pages += [
            client.get(reverse("library:document", args=[document.pk])),
            client.get(f"/api/library/documents/{document.pk}"),
        ]
    return "".join(page.content.decode() for page in pages)


@pytest.mark.parametrize("role", sorted(OPENS))
def test_each_role_sees_exactly_the_documents_it_may_open(clients, library, role):
    shown = everything_shown(clients[role], library)
    for level, marker in MARKERS.items():
        assert (marker in shown) == (level in OPENS[role]), f"{role} and the {level} document"
    for level, document in library.items():
        expected = 200 if level in OPENS[role] else 404
        for name in ("library:document", "library:text", "library:file"):
            response = clients[role].get(reverse(name, args=[document.pk]))
            assert response.status_code == expected, f"{role} {name} {level}"
        citation = clients[role].get(reverse("library:citation", args=[document.pk, "ris"]))
        assert citation.status_code == expected
        assert clients[role].get(f"/api/library/documents/{document.pk}").status_code == expected


def test_a_partner_granted_the_library_opens_the_municipalities_documents(library, library_partner):
    shown = everything_shown(logged_in_client(library_partner), library)
    assert MARKERS["municipalities"] in shown and MARKERS["ks"] not in shown


def test_similar_documents_never_name_one_the_reader_may_not_open(clients, library):
    """The KS-only note is the public document's nearest neighbour for KS, and absent for everyone else."""
    public = library["public"]
    ks_page = clients["ks_adviser"].get(reverse("library:document", args=[public.pk])).content.decode()
    assert MARKERS["ks"] in ks_page
    for role in ("anonymous", "municipal_contact", "partner"):
        page = clients[role].get(reverse("library:document", args=[public.pk])).content.decode()
        api = clients[role].get(f"/api/library/documents/{public.pk}").json()
        assert MARKERS["ks"] not in page and MARKERS["ks"] not in str(api)


def test_a_document_being_read_is_ks_staffs_alone(clients, library):
    Document.objects.filter(pk=library["public"].pk).update(state=Document.State.PROCESSING)
    assert clients["anonymous"].get(reverse("library:document", args=[library["public"].pk])).status_code == 404
    assert MARKERS["public"] not in everything_shown(clients["municipal_contact"], library)
    assert clients["ks_adviser"].get(reverse("library:document", args=[library["public"].pk])).status_code == 200


def test_the_original_is_downloaded_as_an_attachment_that_is_never_sniffed(clients, library):
    response = clients["anonymous"].get(reverse("library:file", args=[library["public"].pk]))
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert b"".join(response.streaming_content).startswith(b"Kommunen har ansvar")


def test_the_document_page_cites_it_in_apa_with_bibtex_and_ris(clients, library):
    document = library["public"]
    Document.objects.filter(pk=document.pk).update(authors=["Nordmann, Kari"], organisation="KS")
    page = clients["anonymous"].get(reverse("library:document", args=[document.pk])).content.decode()
    assert "Nordmann, Kari. (2020). <em>Kriminalitetsforebygging i kommunene (test)</em>. KS." in page
    bib = clients["anonymous"].get(reverse("library:citation", args=[document.pk, "bib"]))
    assert bib["Content-Disposition"].startswith("attachment;")
    assert "@techreport{trygg-bibliotek-" in bib.content.decode()
    ris = clients["anonymous"].get(reverse("library:citation", args=[document.pk, "ris"])).content.decode()
    assert "TY  - RPRT" in ris and "AU  - Nordmann, Kari" in ris
    assert clients["anonymous"].get(reverse("library:citation", args=[document.pk, "exe"])).status_code == 404
