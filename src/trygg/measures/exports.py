"""The guide as a print-quality PDF: cover, contents with page numbers, numbered headings, the references.

Typst gets one JSON value in which every text a person wrote is either plain text or Markdown already turned into
blocks (``markdown.to_blocks``), so nothing typed can become Typst markup. Labels are translated here, into the
current language; the edition's content itself is frozen.
"""

from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import formats, timezone, translation
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from trygg.core import documents

from . import guide, markdown
from .models import Edition, EditionPDF

TYPST_DIR = Path(__file__).parent / "typst"


def _language() -> str:
    """The current language as Typst wants it for hyphenation: "nb", not "nb-no"."""
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def _labels() -> dict:
    return {
        "page": _("Page %(page)s of %(total)s"),
        "contents": _("Contents"),
        "notes": _("What is new in this edition"),
        "references": _("References"),
        "also": _("Also activates"),
        "see_also": _("Measures described under another mechanism that also activate this one:"),
        "no_measures": _("No published measure has this as its first mechanism yet."),
        "evidence": _("What is known"),
        "verdict": _("Verdict"),
        "quality": _("Quality of the evidence"),
        "effect": _("Effect on crime (EMMIE)"),
        "effect_quality": _("Quality of the evidence of the effect"),
        "backfires": _("Known ways it failed or backfired"),
        "transferability": _("Transferability to Norwegian municipalities"),
        "experiences": _("Experiences"),
        "sources": _("Sources"),
        "none": _("Not stated"),
        "unchecked": _("(not checked against the original)"),
        "exemption": _("Situation reports and public access"),
    }


def guide_data(edition: Edition) -> dict:
    """Everything the PDF shows, in the current language."""
    content = guide.present(edition.content, markdown.to_blocks)
    numbers = guide.counts(edition.content)
    return {
        "lang": _language(),
        "author": guide.PUBLISHER,
        "title": content["title"],
        "edition": _("Edition %(number)s") % {"number": edition.number},
        "date": formats.date_format(timezone.localtime(edition.published_at), "DATE_FORMAT"),
        "summary": ngettext("%(count)s measure", "%(count)s measures", numbers["measures"])
        % {"count": numbers["measures"]}
        + " · "
        + ngettext("%(count)s reference", "%(count)s references", numbers["references"])
        % {"count": numbers["references"]},
        "notes": edition.notes,
        "sections": content["sections"],
        "references": content["references"],
        "exemption": {"title": content["exemption"].title, "basis": content["exemption"].basis},
        "labels": _labels(),
    }


def edition_pdf(edition: Edition) -> bytes:
    """The edition on A4, for municipalities to print and file, typeset now in the current language."""
    return documents.typeset(TYPST_DIR, "guide.typ", guide_data(edition))


def store_pdfs(edition: Edition) -> None:
    """Typeset the edition in every language and store the files (``documents.TypesetError`` if one fails).

    Every language is typeset before a file is written, so a failure leaves nothing behind.
    """
    contents = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            contents[language] = edition_pdf(edition)
    for language, content in contents.items():
        _store(edition, language, content)


def _store(edition: Edition, language: str, content: bytes) -> None:
    file = ContentFile(content, name=f"utgave-{edition.number}-{language}.pdf")
    EditionPDF.objects.update_or_create(edition=edition, language=language, defaults={"file": file})


def stored_pdf(edition: Edition) -> bytes:
    """The edition's PDF in the current language as stored when it was published, so it reads the same for good.

    An edition published before PDFs were stored, or whose file is lost, is typeset now and stored from then on.
    """
    language = _language()
    stored = edition.pdfs.filter(language=language).first()
    if stored and stored.file.storage.exists(stored.file.name):
        with stored.file.open("rb") as file:
            return file.read()
    content = edition_pdf(edition)
    _store(edition, language, content)
    return content
