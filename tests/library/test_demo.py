"""The demo library: KS' 2011 deck first, with the MC-crime material as its nearest neighbours, explained by the
terms they share; the languages told from the text; and everything written for the demo labelled as such."""

import pytest
from django.urls import reverse

from tests.conftest import make_user
from trygg.core.models import Role
from trygg.library import demo, index, services
from trygg.library.models import Document
from trygg.measures import demo as measures_demo

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


def test_the_guide_as_published_joins_the_library_with_its_first_page_and_is_near_the_deck(
    clients, users, django_capture_on_commit_callbacks
):
    """The worker reads the guide's stored PDF as it reads an upload; the deck then finds the MC-crime research and
    the guide as its nearest after the report of its own study trip (they share "studietur", "København" and
    rocker groups), above every other text, and the guide finds the deck first, for the terms of its title. The
    guide's running head and form labels, and the demo texts' shared publisher, no longer decide."""
    make_user(Role.KS_ADMIN, username="admin")
    measures_demo.load()
    with django_capture_on_commit_callbacks(execute=True):
        demo.load()
    guide = Document.objects.get(edition__isnull=False)
    assert guide.state == Document.State.READY and guide.page_count > 10 and guide.year and guide.authors == ["KS"]
    assert guide.edition.number == 3 and guide.file_type == "pdf"
    picture = clients["anonymous"].get(reverse("library:thumbnail", args=[guide.pk]))
    assert picture.status_code == 200 and picture["Content-Type"] == "image/png"
    page = clients["anonymous"].get(reverse("library:document", args=[guide.pk])).content.decode()
    assert guide.edition.get_absolute_url() in page and "Veilederen:" in page
    deck = Document.objects.get(file_name="ks-mc-kriminalitet-2011.txt")
    readable = services.visible_documents(users["ks_adviser"])
    nearest = [similar.document.file_name for similar in index.similar(deck, readable)]
    assert nearest[0] == "studietur-kobenhavn.md", nearest
    assert set(nearest[1:3]) == {"mc-miljoer-kommunene.md", guide.file_name}, nearest
    from_the_guide = index.similar(guide, readable)
    assert from_the_guide[0].document == deck and {"mc", "veilederen"} <= set(from_the_guide[0].shared)
    # A rebuild weighs every document again with today's counts and lengths: the order holds.
    index.rebuild()
    assert [similar.document.file_name for similar in index.similar(deck, readable)][:3] == nearest[:3]
