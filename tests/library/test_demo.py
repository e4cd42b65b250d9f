"""The demo library: KS' 2011 deck first, with the MC-crime material as its nearest neighbours, explained by the
terms they share; the languages told from the text; and everything written for the demo labelled as such."""

import pytest
from django.urls import reverse

from tests.conftest import make_user
from trygg.core.models import Role
from trygg.library import demo
from trygg.library.models import Document

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_library(municipalities):
    make_user(Role.KS_ADMIN, username="admin")
    demo.load()
    return {document.file_name: document for document in Document.objects.all()}


def test_the_deck_finds_the_mc_crime_material_as_its_nearest_neighbours(clients, demo_library):
    deck = demo_library["ks-mc-kriminalitet-2011.txt"]
    assert deck.kind == "slides" and deck.year == 2011 and deck.authors == ["Carlsson, Yngve"]
    page = clients["municipal_contact"].get(reverse("library:document", args=[deck.pk])).content.decode()
    similar = page[page.index('id="similar-title"') :]
    first, second = demo_library["studietur-kobenhavn.md"], demo_library["mc-miljoer-kommunene.md"]
    assert similar.index(first.title) < similar.index(second.title)
    assert "Felles nøkkelord:" in similar and "københavn" in similar
    # The KS-only hearing response is similar too, but a municipality never learns of it.
    assert "Høringssvar" not in similar
    assert "Høringssvar" in clients["ks_adviser"].get(reverse("library:document", args=[deck.pk])).content.decode()


def test_languages_are_told_from_the_text(demo_library):
    languages = {name: document.language for name, document in demo_library.items()}
    assert languages["trygge-lokalsamfunn-nynorsk.md"] == "nn"
    assert languages["situational-prevention.md"] == "en"
    assert {languages[name] for name in ("ks-mc-kriminalitet-2011.txt", "ungdom-rus-trygghet.md")} == {"nb"}


def test_what_was_written_for_the_demo_says_so(demo_library):
    for name, document in demo_library.items():
        if name != "ks-mc-kriminalitet-2011.txt":
            assert "(demotekst)" in document.title or "(demo text)" in document.title
            assert "demo" in document.source_note


def test_loading_twice_adds_nothing(demo_library):
    demo.load()
    assert Document.objects.count() == len(demo_library)
