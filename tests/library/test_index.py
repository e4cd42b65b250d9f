"""The index grows one document at a time: an upload indexes its own document, finds its similar documents and
enters their lists, with no rebuild; a full rebuild is a job KS starts and watches."""

import pytest
from django.urls import reverse

from tests.library.conftest import job_of
from trygg.core.models import Job
from trygg.library import index, services
from trygg.library.models import Document, Neighbour

pytestmark = pytest.mark.django_db

TEXT = "Rekruttering til MC-miljøer i kommunene. Ungdommene og kriminalitetsforebygging i kommunen.".encode()


def similar_titles(client, document) -> str:
    body = client.get(reverse("library:document", args=[document.pk])).content.decode()
    return body[body.index('id="similar-title"') :]


def test_an_upload_finds_its_neighbours_and_joins_theirs_without_a_rebuild(clients, library, upload):
    rebuilt = Neighbour.objects.count()
    job_of(upload(clients["ks_adviser"], "ny.txt", TEXT, title="Ny rapport om MC-miljøer", access="public"))
    new = Document.objects.get(title="Ny rapport om MC-miljøer")
    assert Job.objects.filter(title__icontains="indeks").count() == 0  # no rebuild was queued
    assert "Kriminalitetsforebygging i kommunene (test)" in similar_titles(clients["anonymous"], new)
    assert "Ny rapport om MC-miljøer" in similar_titles(clients["anonymous"], library["public"])
    assert Neighbour.objects.count() > rebuilt
    # The KS-only document is among its neighbours, but only KS learns of it.
    assert "Zebraflodhest" not in similar_titles(clients["municipal_contact"], new)
    assert "Zebraflodhest" in similar_titles(clients["ks_adviser"], new)


def test_ks_rebuilds_the_whole_index_as_a_job_with_progress(clients, library, django_capture_on_commit_callbacks):
    Neighbour.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        response = clients["ks_admin"].post(reverse("library:rebuild"))
    job = job_of(response)
    job.refresh_from_db()
    assert job.state == Job.State.DONE and "3 dokumenter" in job.message
    assert job.result_url == reverse("library:list")
    assert "Rettleiar for kommunane (test)" in similar_titles(clients["municipal_contact"], library["public"])
    assert "Rettleiar for kommunane (test)" not in similar_titles(clients["anonymous"], library["public"])
    listing = clients["ks_admin"].get(reverse("library:list")).content.decode()
    assert reverse("library:rebuild") in listing
    assert reverse("library:rebuild") not in clients["municipal_contact"].get(reverse("library:list")).content.decode()


def test_a_running_head_and_a_shared_publisher_make_no_neighbours(clients, users, library):
    """Two reports from one municipality repeat its name on every page; what they say has nothing in common, so
    neither is the other's similar document."""
    head = "Kvartalsrapport fra Bjørnefjell kommune"
    texts = {
        "Sykler om vinteren": "Sykler parkeres under tak ved stasjonen, og brøytingen tar hensyn til stativene.",
        "Skolemat i ungdomsskolen": "Elevene får varm lunsj, og kantina serverer grøt hver morgen.",
    }
    found = {}
    for title, page in texts.items():
        data = {"title": title, "kind": "report", "access": "public", "organisation": "Bjørnefjell kommune"}
        data["authors"] = ["Nordmann, Kari"]
        content = "\f".join(f"{head}\n{page} ({number})" for number in range(5)).encode()
        found[title] = services.add_trusted(users["ks_admin"], data, "k.txt", content)
    index.rebuild()
    assert "Skolemat i ungdomsskolen" not in similar_titles(clients["anonymous"], found["Sykler om vinteren"])
    assert "Sykler om vinteren" not in similar_titles(clients["anonymous"], found["Skolemat i ungdomsskolen"])
