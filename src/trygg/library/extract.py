"""Text out of an untrusted file, page by page, in a process of its own: ``python -m trygg.library.extract``.

The parent (``services.read_file``) starts this module with the file's path, its sniffed type and the limits; it
lowers its own memory and CPU limits before it imports a parser, so a file that makes a parser run away kills only
this process. It prints one JSON object: ``{"pages": [[number, text], ...]}`` or ``{"problem": code}``. No Django
here: the child needs nothing from the project but the zip checks in ``files``.

Before parsing: a PDF with JavaScript is refused, every XML part of a zip container is read with defusedxml (no
DTDs, so no external entities and no entity expansion), and zip entries are checked (``files.check_zip``).
"""

import json
import re
import resource
import sys
import unicodedata
import zipfile

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeTree

from .files import Problem, check_zip

MAX_PAGES = 5000
_JAVASCRIPT = re.compile(rb"/(JavaScript|JS)\b")
ODF_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text.replace("\x00", ""))
    return "\n".join(line.rstrip() for line in text.splitlines()).strip()


def pdf(path: str) -> list[str]:
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError

    with open(path, "rb") as handle:
        if _JAVASCRIPT.search(handle.read()):
            raise Problem("pdf_javascript")
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise Problem("encrypted")
        root = reader.trailer["/Root"]
        names = root.get("/Names")
        if (names is not None and "/JavaScript" in names.get_object()) or "/AA" in root:
            raise Problem("pdf_javascript")
        if len(reader.pages) > MAX_PAGES:
            raise Problem("too_many_pages")
        return [page.extract_text() or "" for page in reader.pages]
    except LimitReachedError as error:
        raise Problem("bomb") from error


def _safe_zip(path: str) -> zipfile.ZipFile:
    """The container after its entries are checked and every XML part has been read without DTDs."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as error:
        raise Problem("corrupt") from error
    check_zip(archive)
    for name in archive.namelist():
        if name.endswith((".xml", ".rels")):
            try:
                SafeTree.fromstring(archive.read(name), forbid_dtd=True)
            except DefusedXmlException as error:
                raise Problem("xml_entities") from error
            except SafeTree.ParseError as error:
                raise Problem("corrupt") from error
    return archive


def docx(path: str) -> list[str]:
    """Word has no pages of its own: a page starts at each hard page break or where Word last broke the page."""
    import docx as python_docx
    from docx.text.paragraph import Paragraph

    _safe_zip(path).close()
    document = python_docx.Document(path)
    pages, current = [], []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            if current and block._p.xpath('.//w:br[@w:type="page"] | .//w:lastRenderedPageBreak'):
                pages.append("\n".join(current))
                current = []
            current.append(block.text)
        else:
            current += [" | ".join(cell.text for cell in row.cells) for row in block.rows]
    pages.append("\n".join(current))
    return pages


def _shape_texts(shapes) -> list[str]:
    texts = []
    for shape in shapes:
        if shape.shape_type == 6:  # a group: its shapes in turn
            texts += _shape_texts(shape.shapes)
        elif shape.has_text_frame:
            texts.append(shape.text_frame.text)
        elif getattr(shape, "has_table", False) and shape.has_table:
            texts += [" | ".join(cell.text for cell in row.cells) for row in shape.table.rows]
    return texts


def pptx(path: str) -> list[str]:
    """One page per slide, with the speaker's notes after the slide's own text."""
    from pptx import Presentation

    _safe_zip(path).close()
    slides = []
    for slide in Presentation(path).slides:
        texts = _shape_texts(slide.shapes)
        if slide.has_notes_slide and slide.notes_slide.notes_text_frame is not None:
            texts.append(slide.notes_slide.notes_text_frame.text)
        slides.append("\n".join(texts))
    return slides


def odt(path: str) -> list[str]:
    """Headings and paragraphs of content.xml; LibreOffice's soft page breaks start a new page."""
    with _safe_zip(path) as archive:
        root = SafeTree.fromstring(archive.read("content.xml"), forbid_dtd=True)
    pages, current = [], []
    for element in root.iter():
        if element.tag == f"{{{ODF_TEXT}}}soft-page-break" and current:
            pages.append("\n".join(current))
            current = []
        elif element.tag in (f"{{{ODF_TEXT}}}p", f"{{{ODF_TEXT}}}h"):
            current.append("".join(element.itertext()))
    pages.append("\n".join(current))
    return pages


def plain(path: str) -> list[str]:
    """Text and Markdown: a form feed starts a new page (as pdftotext writes them)."""
    with open(path, "rb") as handle:
        return handle.read().decode("utf-8", errors="replace").split("\f")


READERS = {"pdf": pdf, "docx": docx, "pptx": pptx, "odt": odt, "txt": plain, "md": plain}


def run(path: str, file_type: str) -> dict:
    try:
        pages = [_clean(text) for text in READERS[file_type](path)]
    except Problem as problem:
        return {"problem": problem.code}
    except (MemoryError, RecursionError):
        return {"problem": "too_big"}
    except Exception:
        return {"problem": "corrupt"}
    if not any(pages):
        return {"problem": "no_text"}
    return {"pages": [[number, text] for number, text in enumerate(pages, start=1)]}


def main(argv: list[str]) -> None:
    path, file_type, memory, seconds = argv[1], argv[2], int(argv[3]), int(argv[4])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    sys.setrecursionlimit(5000)
    json.dump(run(path, file_type), sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv)
