"""Domain rules of the library: who sees which documents, taking an upload, reading its text safely, citing it.

An upload is checked at once in the request (size, type from the content, zip container) and answered with a job
page; the worker then reads the text in a separate process with memory and CPU limits (``extract``), stores the
pages and indexes the document with its neighbours. Every refusal is a code with a message in the user's language
(``PROBLEMS``).
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from trygg.core.jobs import progress

from . import files, text
from .models import Document
from .rules import levels

PROBLEMS = {
    "empty": _("The file is empty."),
    "too_large": _("The file is larger than %(limit)s MB, the most the library takes."),
    "unknown_type": _(
        "The library takes PDF, PowerPoint (.pptx), Word (.docx), OpenDocument text (.odt), plain text and Markdown. "
        "This file is none of them."
    ),
    "wrong_extension": _(
        "The file's name does not match its content (for example a Word file called .pdf). Save it with the right "
        "ending and upload it again."
    ),
    "corrupt": _("The file is damaged and cannot be read. Open it in the program that made it and save it again."),
    "encrypted": _("The PDF is protected by a password. Upload a copy without the password."),
    "pdf_javascript": _("The PDF contains JavaScript, which the library does not accept. Save a copy without it."),
    "zip_bomb": _("The file unpacks to far more than it can hold, so it was not opened."),
    "bomb": _("Part of the file unpacks to far more than it can hold, so it was not read."),
    "xml_entities": _(
        "The file contains XML entity declarations, which can be used to attack a server, so it was not opened."
    ),
    "too_many_pages": _("The document has more pages than the library reads."),
    "too_big": _("Reading the file needed more memory than allowed, so it was stopped."),
    "too_slow": _("Reading the file took longer than allowed, so it was stopped."),
    "no_text": _("No text was found in the file. A scanned document needs text recognition (OCR) first."),
}


class UploadRefused(Exception):
    """The file is not taken; ``message`` says why, in the user's language."""

    def __init__(self, code: str):
        message = PROBLEMS[code]
        if code == "too_large":
            message = message % {"limit": settings.LIBRARY_MAX_UPLOAD_MB}
        super().__init__(str(message))
        self.code, self.message = code, str(message)


def visible_documents(user) -> QuerySet[Document]:
    """Every document ``user`` may open: the one filter behind lists, search, similar documents and the API."""
    documents = Document.objects.filter(access__in=levels(user))
    if not user.has_perm("library.add_document"):
        documents = documents.filter(state=Document.State.READY)
    return documents


def check_upload(upload) -> str:
    """The upload's type, judged from its content; raises ``UploadRefused`` before anything is stored."""
    if upload.size > settings.LIBRARY_MAX_UPLOAD_MB * 1024 * 1024:
        raise UploadRefused("too_large")
    try:
        return files.sniff(upload, upload.name)
    except files.Problem as problem:
        raise UploadRefused(problem.code) from problem


@transaction.atomic
def add_document(actor, data: dict, upload):
    """Store the document and its original; the worker reads the text. Returns the job the uploader watches."""
    from . import tasks

    file_type = check_upload(upload)
    upload.seek(0)
    links = {name: data.pop(name) for name in LINKS if name in data}
    document = Document(**data, file_type=file_type, file_name=upload.name[:200], size=upload.size, uploaded_by=actor)
    document.file.save(upload.name, upload, save=False)
    document.save()
    link(document, **links)
    title = str(_("Reading %(title)s") % {"title": document.title})
    return document, progress.start(actor, title, tasks.read, document.pk)


def start_rebuild(actor):
    """The whole index read again as a job KS watches: after the lexicon changes, or to weigh old documents' key
    terms by today's library (a new document is indexed on its own when it is read)."""
    from . import tasks

    return progress.start(actor, str(_("Rebuilding the library's index")), tasks.rebuild)


LINKS = ("events", "talks", "sources", "edition")


def link(document: Document, events=(), talks=(), sources=(), edition=None) -> None:
    """Tie the document to the events and talks it comes from, the measures' sources it is the text of and the
    guide edition it is (``links`` reads them back, by access, both ways)."""
    document.events.set(events)
    document.talks.set(talks)
    document.sources.set(sources)
    if edition is not None:
        document.edition = edition
        document.save(update_fields=["edition", "updated_at"])


def read_file(document: Document) -> list[str]:
    """The document's pages of text, read by ``extract`` in its own process; raises ``UploadRefused``."""
    suffix = "." + document.file_type
    with tempfile.NamedTemporaryFile(suffix=suffix) as copy:
        with document.file.open("rb") as original:
            for chunk in original.chunks():
                copy.write(chunk)
        copy.flush()
        with open(copy.name, "rb") as handle:  # the stored file is checked again: storage is not trusted either
            try:
                files.sniff(handle, f"x{suffix}")
            except files.Problem as problem:
                raise UploadRefused(problem.code) from problem
        command = [
            sys.executable,
            "-m",
            "trygg.library.extract",
            copy.name,
            document.file_type,
            str(settings.LIBRARY_EXTRACT_MEMORY_MB * 1024 * 1024),
            str(settings.LIBRARY_EXTRACT_SECONDS),
        ]
        try:
            finished = subprocess.run(  # noqa: S603 - our own module and a path we made
                command,
                capture_output=True,
                timeout=settings.LIBRARY_EXTRACT_SECONDS + 5,
                env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": os.pathsep.join(sys.path)},
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise UploadRefused("too_slow") from error
    if finished.returncode != 0:  # killed by its limits: SIGXCPU for CPU, MemoryError mid-import for memory
        raise UploadRefused("too_slow" if finished.returncode in (-24, -9) else "too_big")
    try:
        answer = json.loads(finished.stdout)
    except ValueError as error:
        raise UploadRefused("corrupt") from error
    if "problem" in answer:
        raise UploadRefused(answer["problem"])
    return [page for _, page in answer["pages"]]


THUMBNAIL_SECONDS = 20


def make_thumbnail(document: Document) -> None:
    """A small PNG of a PDF's first page, drawn by poppler's pdftoppm under a time limit; none when it is missing
    or fails (the page shows the first page's text instead)."""
    program = shutil.which("pdftoppm")
    if document.file_type != "pdf" or program is None:
        return
    with tempfile.TemporaryDirectory() as directory:
        source = os.path.join(directory, "source.pdf")
        with document.file.open("rb") as original, open(source, "wb") as copy:
            shutil.copyfileobj(original, copy)
        target = os.path.join(directory, "first")
        command = [program, "-png", "-singlefile", "-f", "1", "-l", "1", "-scale-to", "300", source, target]
        try:
            subprocess.run(command, capture_output=True, timeout=THUMBNAIL_SECONDS, check=True)  # noqa: S603
            with open(target + ".png", "rb") as picture:
                document.thumbnail.save(f"{document.pk}.png", ContentFile(picture.read()), save=False)
        except (subprocess.SubprocessError, OSError):
            return
    document.save(update_fields=["thumbnail", "updated_at"])


def finish_reading(document: Document, pages: list[str]) -> None:
    """Store the pages, guess the language when the uploader did not say, and mark the document ready."""
    from . import index

    index.add(document, pages)
    document.page_count = len(pages)
    document.language = document.language or text.language("\n".join(pages))
    document.state, document.problem = Document.State.READY, ""
    document.save(update_fields=["page_count", "language", "state", "problem", "updated_at"])


def fail_reading(document: Document, message: str) -> None:
    document.state, document.problem = Document.State.FAILED, message[:300]
    document.save(update_fields=["state", "problem", "updated_at"])


def citation(document: Document) -> dict:
    """The document as a source record in the shape measures' citations use (one citation style in Trygg)."""
    kind = {"report": "report", "article": "article"}.get(document.kind, "web")
    return {
        "kind": kind,
        "authors": document.authors,
        "year": document.year,
        "title": document.title,
        "container": document.organisation,
        "details": document.get_kind_display() if kind == "web" else "",
        "key": f"trygg-bibliotek-{document.pk}",
    }


def add_trusted(actor, data: dict, name: str, content: bytes) -> Document:
    """A file Trygg made or ships (the demo, the guide's PDF): read in this process, indexed and ready at once."""
    from . import extract

    with tempfile.NamedTemporaryFile(suffix="." + name.rsplit(".", 1)[-1]) as copy:
        copy.write(content)
        copy.flush()
        with open(copy.name, "rb") as handle:
            file_type = files.sniff(handle, name)
        answer = extract.run(copy.name, file_type)
    links = {key: data.pop(key) for key in LINKS if key in data}
    document = Document(**data, file_type=file_type, file_name=name, size=len(content), uploaded_by=actor)
    document.file.save(name, ContentFile(content), save=False)
    document.save()
    link(document, **links)
    finish_reading(document, [page for _, page in answer["pages"]])
    return document
