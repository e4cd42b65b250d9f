"""Files of every kind the library takes, good and bad, made here; and a small library at each access level."""

import io
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import make_user
from trygg.core.models import Job, Role
from trygg.library import index, services


def pdf(pages: list[str], extra_catalog: bytes = b"", stream: bytes | None = None) -> bytes:
    """A small valid PDF with one line of Helvetica text per page (``stream`` replaces page 1's content)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R " + extra_catalog + b">>"]
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(len(pages))).encode()
    objects.append(b"<< /Type /Pages /Kids [" + kids + b"] /Count " + str(len(pages)).encode() + b" >>")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    for number, line in enumerate(pages):
        content = b"BT /F1 12 Tf 72 720 Td (" + line.encode("cp1252") + b") Tj ET"
        if stream is not None and number == 0:
            content, filters = stream, b" /Filter /FlateDecode"
        else:
            filters = b""
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents "
            + str(5 + 2 * number).encode()
            + b" 0 R >>"
        )
        length = str(len(content)).encode()
        objects.append(b"<< /Length " + length + filters + b" >>\nstream\n" + content + b"\nendstream")
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def pptx(slides: list[str]) -> bytes:
    from pptx import Presentation

    presentation = Presentation()
    for line in slides:
        slide = presentation.slides.add_slide(presentation.slide_layouts[1])
        slide.shapes.title.text = line
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


def docx(pages: list[str]) -> bytes:
    from docx import Document
    from docx.enum.text import WD_BREAK

    document = Document()
    for number, line in enumerate(pages):
        paragraph = document.add_paragraph()
        if number:
            paragraph.add_run().add_break(WD_BREAK.PAGE)
        paragraph.add_run(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


ODT_CONTENT = (
    '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>{}</office:text>'
    "</office:body></office:document-content>"
)


def odt(pages: list[str]) -> bytes:
    body = "<text:soft-page-break/>".join(f"<text:p>{line}</text:p>" for line in pages)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", ODT_CONTENT.format(body))
        archive.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest/>')
    return out.getvalue()


def docx_with(document_xml: str) -> bytes:
    """A Word file whose document part is ``document_xml`` (for hostile XML)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", document_xml)
    return out.getvalue()


def zip_bomb_pptx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("ppt/presentation.xml", '<?xml version="1.0"?><p/>')
        archive.writestr("ppt/media/image1.bin", b"\0" * (60 * 1024 * 1024))
    return out.getvalue()


def pdf_bomb() -> bytes:
    """A page whose content stream inflates from a few hundred kB to 200 MB."""
    return pdf(["Forside"], stream=zlib.compress(b" " * (200 * 1024 * 1024), 9))


def circular_xref() -> bytes:
    """A PDF whose cross-reference section points back at itself through /Prev."""
    body = pdf(["Sirkel"])
    start = body.rindex(b"startxref\n") + len(b"startxref\n")
    xref = int(body[start:].split(b"\n")[0])
    return body.replace(b"/Root 1 0 R >>", f"/Root 1 0 R /Prev {xref} >>".encode())


# The small library: one document at each access level, about what the tests search for --------------------------

TEXTS = {
    "public": (
        "Kriminalitetsforebygging i kommunene (test)",
        "nb",
        [
            "Kommunen har ansvar for trygghet.",
            "Kriminalitetsforebygging og rekruttering til MC-miljøer.\nUngdommene trenger voksne.",
        ],
    ),
    "municipalities": (
        "Rettleiar for kommunane (test)",
        "nn",
        ["Kommunar og ungdom: førebygging i nærmiljøet. Skolen og politiet samarbeider om forebygging av rus."],
    ),
    "ks": (
        "Hemmelig høringsnotat Zebraflodhest",
        "nb",
        ["Notatet om zebraflodhest er bare for KS. Kommuner og forebygging av kriminalitet."],
    ),
}


@pytest.fixture
def library(users):
    admin = users["ks_admin"]
    documents = {}
    for access, (title, language, pages) in TEXTS.items():
        content = "\f".join(pages).encode()
        data = {"title": title, "kind": "report", "access": access, "year": 2020, "language": language}
        data["topics"] = ["test", access]
        documents[access] = services.add_trusted(admin, data, f"{access}.txt", content)
    index.rebuild()
    return documents


@pytest.fixture
def library_partner(db):
    return make_user(Role.PARTNER, username="bibliotekpartner", partner_areas=["library"])


# Uploads through the page --------------------------------------------------------------------------------------


@pytest.fixture
def upload(django_capture_on_commit_callbacks):
    """Post a file through the upload page; the worker runs the job when the request's transaction commits."""

    def send(client, name: str, content: bytes, **fields):
        with django_capture_on_commit_callbacks(execute=True):
            return _post(client, name, content, **fields)

    return send


def _post(client, name: str, content: bytes, **fields):
    data = {
        "upload": SimpleUploadedFile(name, content),
        "title": fields.pop("title", f"Testdokument {name}"),
        "kind": "report",
        "access": "municipalities",
        "year": "2024",
        "authors_text": "Nordmann, Kari\nHansen, Ola",
        "topics_text": "ungdom, rus",
        **fields,
    }
    return client.post(reverse("library:upload"), data)


def job_of(response) -> Job:
    assert response.status_code == 302, response.content.decode()[:2000]
    return Job.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[-1])
