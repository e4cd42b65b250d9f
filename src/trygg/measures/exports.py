"""The guide as a print-quality PDF: cover, contents with page numbers, numbered headings, the references.

Typst gets one JSON value in which every text a person wrote is either plain text or Markdown already turned into
blocks (``markdown.to_blocks``), so nothing typed can become Typst markup. Labels are translated here, into the
current language; the edition's content itself is frozen.
"""

from pathlib import Path

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from trygg.core import documents

from . import guide, markdown
from .models import Edition

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
    """The edition on A4, for municipalities to print and file."""
    return documents.typeset(TYPST_DIR, "guide.typ", guide_data(edition))
