"""Upload through the page as a KS adviser: every kind of file is read with its pages, and every bad file is refused
with a clear message in bokmål — at once when the file itself shows it, otherwise by the background job — with no
server error and nothing else disturbed."""

import pytest
from django.urls import reverse

from tests.conftest import IDENTITY_NUMBER_DISGUISES, INVISIBLE_NAMES, INVISIBLE_REFUSAL, SCREENING_REFUSAL
from tests.library import conftest as files
from tests.library.conftest import _post, job_of
from trygg.core.models import Job
from trygg.library.models import Document

pytestmark = pytest.mark.django_db

BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><w:document>&lol3;</w:document>'
)
XXE = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><w:document>&xxe;</w:document>'


@pytest.mark.parametrize(
    ("name", "content", "pages"),
    [
        ("rapport.pdf", files.pdf(["Ungdom i kommunen", "Forebygging av rus"]), 2),
        ("foiler.pptx", files.pptx(["Ungdom i kommunen", "Forebygging av rus", "Oppsummering"]), 3),
        ("notat.docx", files.docx(["Ungdom i kommunen", "Forebygging av rus"]), 2),
        ("notat.odt", files.odt(["Ungdom i kommunen", "Forebygging av rus"]), 2),
        ("notat.txt", b"Ungdom i kommunen\fForebygging av rus", 2),
        ("notat.md", b"# Ungdom i kommunen\n\nForebygging av *rus*", 1),
    ],
)
def test_each_kind_of_file_is_read_in_the_background_with_its_pages(upload, clients, name, content, pages):
    client = clients["ks_adviser"]
    job = job_of(upload(client, name, content))
    job.refresh_from_db()
    assert job.state == Job.State.DONE, job.message
    document = Document.objects.get(file_name=name)
    assert (document.state, document.page_count) == (Document.State.READY, pages)
    assert document.authors == ["Nordmann, Kari", "Hansen, Ola"] and document.topics == ["ungdom", "rus"]
    assert job.result_url == reverse("library:document", args=[document.pk])
    assert "kan søkes i" in job.message
    assert client.get(reverse("core:job", args=[job.pk]))["Location"] == job.result_url
    text = client.get(reverse("library:text", args=[document.pk])).content.decode()
    assert 'id="side-1"' in text and "Ungdom i kommunen" in text
    found = client.get(reverse("library:list"), {"q": "forebygging"}).content.decode()
    assert document.title in found


def test_a_pdf_gets_a_picture_of_its_first_page(upload, clients):
    job_of(upload(clients["ks_adviser"], "rapport.pdf", files.pdf(["Ungdom i kommunen"])))
    document = Document.objects.get()
    picture = clients["municipal_contact"].get(reverse("library:thumbnail", args=[document.pk]))
    assert picture["Content-Type"] == "image/png"
    assert b"".join(picture.streaming_content).startswith(b"\x89PNG")
    page = clients["municipal_contact"].get(reverse("library:document", args=[document.pk])).content.decode()
    assert "Første side av «" in page
    assert clients["anonymous"].get(reverse("library:thumbnail", args=[document.pk])).status_code == 404


def test_the_upload_answers_at_once_and_the_job_page_shows_progress(clients, settings):
    """With a real queue the request only stores the file and queues the job; the page polls its progress."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    job = job_of(_post(clients["ks_adviser"], "notat.txt", b"Ungdom i kommunen"))
    assert job.state == Job.State.QUEUED
    assert Document.objects.get().state == Document.State.PROCESSING
    page = clients["ks_adviser"].get(reverse("core:job", args=[job.pk])).content.decode()
    assert 'role="progressbar"' in page or "progress" in page
    # Nobody else learns of the document while it is being read.
    assert "Testdokument" not in clients["municipal_contact"].get(reverse("library:list")).content.decode()


REFUSED_AT_ONCE = [
    ("tom.pdf", b"", "tom"),
    ("lyver.pdf", files.docx(["Hei"]), "samsvarer ikke med innholdet"),
    ("bombe.pptx", files.zip_bomb_pptx(), "pakkes ut til langt mer"),
    ("program.exe", b"MZ\x90\x00\x03\x00\x00\x00", "tar imot PDF"),
    ("bilde.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "tar imot PDF"),
]


@pytest.mark.parametrize(("name", "content", "message"), REFUSED_AT_ONCE)
def test_files_that_show_what_they_are_are_refused_at_once(upload, clients, name, content, message):
    response = upload(clients["ks_adviser"], name, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Document.objects.exists() and not Job.objects.exists()


def test_an_upload_over_the_configured_size_is_refused(upload, clients, settings):
    settings.LIBRARY_MAX_UPLOAD_MB = 1
    response = upload(clients["ks_adviser"], "stor.txt", b"ord " * (300 * 1024))
    assert response.status_code == 400
    assert "større enn 1 MB" in response.content.decode()
    assert not Document.objects.exists()


OPEN_ACTION = b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >> "
REFUSED_BY_THE_READER = [
    ("skadet.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ntrailer garbage", "skadet"),
    ("skript.pdf", files.pdf(["Hei"], extra_catalog=OPEN_ACTION), "JavaScript"),
    ("bombe.pdf", files.pdf_bomb(), "pakkes ut til langt mer"),
    ("latter.docx", files.docx_with(BILLION_LAUGHS), "XML-entiteter"),
    ("xxe.docx", files.docx_with(XXE), "XML-entiteter"),
    ("skannet.pdf", files.pdf([""]), "Fant ingen tekst"),
]


@pytest.mark.parametrize(("name", "content", "message"), REFUSED_BY_THE_READER)
def test_files_that_hide_their_trouble_fail_in_the_job_with_a_clear_message(
    upload, clients, library, name, content, message
):
    client = clients["ks_adviser"]
    job = job_of(upload(client, name, content))
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert message in job.message
    page = client.get(reverse("core:job", args=[job.pk]))
    assert page.status_code == 200 and message in page.content.decode()
    document = Document.objects.get(file_name=name)
    assert document.state == Document.State.FAILED and message in document.problem
    assert message in client.get(reverse("library:document", args=[document.pk])).content.decode()
    # Nothing else is disturbed: the library still finds what it had, and the failed file is nobody else's to see.
    found = clients["municipal_contact"].get(reverse("library:list"), {"q": "kommunane"}).content.decode()
    assert "Rettleiar for kommunane" in found and "Testdokument" not in found


def test_a_circular_cross_reference_is_read_or_refused_without_a_server_error(upload, clients):
    job = job_of(upload(clients["ks_adviser"], "sirkel.pdf", files.circular_xref()))
    job.refresh_from_db()
    assert job.finished
    assert job.state == Job.State.DONE or job.message


def test_a_reader_over_its_memory_limit_is_stopped_with_a_message(upload, clients, settings):
    settings.LIBRARY_EXTRACT_MEMORY_MB = 10
    job = job_of(upload(clients["ks_adviser"], "rapport.pdf", files.pdf(["Ungdom"])))
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and "mer minne" in job.message


def test_only_ks_staff_upload(upload, clients):
    for role in ("municipal_contact", "partner"):
        assert upload(clients[role], "notat.txt", b"Hei").status_code == 403
    assert not Document.objects.exists()


@pytest.mark.parametrize("field", ["title", "organisation", "summary", "authors_text", "topics_text"])
def test_every_metadata_text_refuses_a_disguised_identity_number(upload, clients, field):
    for disguise in IDENTITY_NUMBER_DISGUISES:
        response = upload(clients["ks_adviser"], "notat.txt", b"Ungdom i kommunen", **{field: f"Om {disguise}"})
        assert response.status_code == 400 and SCREENING_REFUSAL in response.content.decode(), disguise
    assert not Document.objects.exists()


def test_a_title_needs_visible_characters_and_is_stored_in_nfc(upload, clients):
    for title in INVISIBLE_NAMES:
        response = upload(clients["ks_adviser"], "notat.txt", b"Ungdom i kommunen", title=title)
        assert response.status_code == 400 and "title" in response.context["form"].errors, repr(title)
        if title.strip():
            assert INVISIBLE_REFUSAL in response.content.decode(), repr(title)
    assert not Document.objects.exists()
    job_of(upload(clients["ks_adviser"], "notat.txt", b"Ungdom", title="Tryggere Ba\u030arum", summary="A\u030asane"))
    assert Document.objects.filter(title="Tryggere Bårum", summary="Åsane").exists()
