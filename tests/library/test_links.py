"""A document's links to events (the slides of a talk), measures (as a source) and the guide: set at upload, shown on
the document's page and on the event's and the measure's pages, each side only to those who may open the other."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.library.conftest import job_of
from tests.measures.conftest import editor, make_measure  # noqa: F401 - fixtures
from trygg.events.models import Event, ProgrammeItem
from trygg.library.models import Document
from trygg.measures.models import Edition

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(clients, make_measure, upload):  # noqa: F811 - the fixture imported above
    """A held seminar with a talk, a draft event, a published and a draft measure citing one source, and a guide
    edition; a public and a KS-only document linked to all of them through the upload form."""
    held = Event.objects.create(title="Trygghetskonferansen", status=Event.Status.HELD, city="Bergen")
    talk = ProgrammeItem.objects.create(event=held, title="MC-miljøene i Norge", start=timezone.now())
    draft = Event.objects.create(title="Hemmelig planlegging", city="Oslo")
    published = make_measure()
    make_measure(status="draft", name="Ikke publisert tiltak")
    edition = Edition.objects.create(number=1, title="Veileder", notes="Første utgave.", content={"chapters": []})
    documents = {}
    for access in ("public", "ks"):
        fields = {
            "title": f"Foiler fra konferansen ({access})",
            "access": access,
            "events": [draft.pk],
            "talks": [talk.pk],
            "sources": [published.sources.get().pk],
            "edition": edition.pk,
        }
        job_of(upload(clients["ks_adviser"], f"{access}.txt", "Foiler om MC-miljøene.".encode(), **fields))
        documents[access] = Document.objects.get(title=fields["title"])
    return {"held": held, "draft": draft, "talk": talk, "measure": published, "edition": edition, **documents}


def page(client, name, *args) -> str:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


def test_the_document_page_shows_what_it_belongs_to_that_the_reader_may_open(clients, linked):
    document = linked["public"]
    seen = page(clients["municipal_contact"], "library:document", document.pk)
    assert "Slides of" not in seen  # the page is in bokmål
    assert "Foiler fra «MC-miljøene i Norge» på Trygghetskonferansen" in seen
    assert reverse("events:detail", args=[linked["held"].pk]) in seen
    assert "Skjenkekontroll på klubbhus" in seen and reverse("measures:measure", args=[linked["measure"].key]) in seen
    assert linked["edition"].get_absolute_url() in seen
    # A draft event and an unpublished measure are not revealed to a municipality; KS sees them.
    assert "Hemmelig planlegging" not in seen and "Ikke publisert tiltak" not in seen
    staff = page(clients["ks_adviser"], "library:document", document.pk)
    assert "Hemmelig planlegging" in staff and "Ikke publisert tiltak" in staff


def test_the_event_page_shows_the_slides_of_its_talks_by_access(clients, linked):
    held = linked["held"].pk
    seen = page(clients["municipal_contact"], "events:detail", held)
    assert "Foiler fra konferansen (public)" in seen and "foiler til «MC-miljøene i Norge»" in seen
    assert "(ks)" not in seen
    assert "Foiler fra konferansen (ks)" in page(clients["ks_adviser"], "events:detail", held)


def test_the_measure_page_shows_its_sources_in_the_library_by_access(clients, linked):
    key = linked["measure"].key
    seen = page(clients["anonymous"], "measures:measure", key)
    assert "Foiler fra konferansen (public)" in seen and "(ks)" not in seen
    assert "Foiler fra konferansen (ks)" in page(clients["ks_adviser"], "measures:measure", key)


def test_a_measure_without_documents_shows_no_library_panel(clients, make_measure):  # noqa: F811
    measure = make_measure(name="Uten kilder i biblioteket")
    assert "Kilder i biblioteket" not in page(clients["anonymous"], "measures:measure", measure.key)
