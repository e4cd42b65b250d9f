"""The youth survey's files: the code sheets to cut out (Typst PDF) and the published figures (Excel)."""

from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext as _

from trygg.core import documents
from trygg.core.documents import Sheet, to_xlsx

from . import reports, services
from .models import Survey

TYPST_DIR = Path(__file__).resolve().parent / "typst"


def _title(survey: Survey) -> str:
    return _("Youth survey %(year)s, %(municipality)s") % {
        "year": survey.year,
        "municipality": survey.municipality.name,
    }


def codes_pdf(survey: Survey, address: str) -> bytes:
    """Every unused code, one slip each, grouped by class; ``address`` is where pupils answer."""
    data = {
        "title": _title(survey),
        "author": "KS – Trygg",
        "lang": translation.get_language() or "nb",
        "address": address,
        "sheets": services.code_sheets(survey),
        "labels": {
            "slip": _("One code per pupil. Voluntary and anonymous."),
            "intro": _("Cut along the dashed lines and give each pupil one slip, at random. "
                       "Nobody notes who gets which code."),
            "none": _("The survey has no classes."),
            "spent": _("Every code of this class has been used."),
        },
    }  # fmt: skip
    return documents.typeset(TYPST_DIR, "codes.typ", data)


def _cell(figure) -> list:
    if figure.hidden:
        return [figure.n, None, None, None, _("hidden (%(why)s)") % {"why": figure.hidden}]
    if figure.share is None:
        return [figure.n, None, None, None, ""]
    return [figure.n, round(figure.share, 4), round(figure.low, 4), round(figure.high, 4), ""]


def report_xlsx(survey: Survey) -> bytes:
    """The published figures only: the same suppressed figures as the report page."""
    header = [_("Level"), _("Indicator"), _("Group"), _("Area"), _("Answered"), _("Share"), _("95 % CI low"),
              _("95 % CI high"), _("Note")]  # fmt: skip
    rows = [
        [row["level"], row["title"], row["group_label"], row["area_label"], *_cell(row["figure"])]
        for row in reports.published_rows(survey)
    ]
    preamble = [
        [_title(survey)],
        [_("Figures from fewer than %(n)s answers, and figures that would reveal them, are hidden.")
         % {"n": reports.min_answers()}],
    ]  # fmt: skip
    if survey.is_demo:
        preamble.append([_("Synthetic demo data: invented answers.")])
    return to_xlsx(_("Youth survey"), [Sheet(_("Figures"), header, rows, preamble=preamble)])
