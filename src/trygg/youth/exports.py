"""The youth survey's files: the code sheets to cut out (Typst PDF) and the published figures (Excel)."""

from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext as _

from trygg.core import documents
from trygg.core.documents import Sheet, to_xlsx

from . import chart, reports, services
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


def figure_text(figure) -> str:
    """One figure as the PDF prints it: share with interval and n, ":" hidden, ":s" hidden to protect another."""
    if figure.hidden:
        return ":s" if figure.hidden == "secondary" else ":"
    if figure.share is None:
        return "–"
    low, high = figure.interval
    return f"{figure.percent} % ({low}–{high}, n={figure.n})"


def report_data(survey: Survey) -> dict:
    """Everything the PDF shows: the web report's published figures, its charts and its trend, nothing more."""
    municipality = survey.municipality
    names = (municipality.name, municipality.county.name, _("Norway"))
    levels = []
    for level in reports.report(survey):
        indicators = []
        for indicator in level["indicators"]:
            trend = [
                [str(point["year"]), figure_text(point["figures"][0]), _change_text(point["change"]),
                 *(figure_text(figure) for figure in point["figures"][1:])]
                for point in indicator["trend"]
            ]  # fmt: skip
            indicators.append(
                {
                    "title": indicator["title"],
                    "rows": [[str(row["label"]), *map(figure_text, row["figures"])] for row in indicator["rows"]],
                    "trend": trend,
                    "trend_chart": chart.trend_chart(indicator["trend"], names),
                    "trend_alt": _(
                        "Trend of “%(title)s” over the survey years; the figures are in the table beside it."
                    )
                    % {"title": indicator["title"]},
                }
            )
        levels.append({"label": str(level["label"]), "chart": chart.indicator_chart(level["indicators"]),
                       "indicators": indicators})  # fmt: skip
    rate = services.response_rate(survey)
    return {
        "title": _title(survey),
        "author": "KS – Trygg",
        "lang": translation.get_language() or "nb",
        "rate": _("Response rate %(percent)s %% (%(answered)s of %(invited)s pupils)")
        % {"percent": rate.percent, "answered": rate.answered, "invited": rate.invited},
        "demo": _("Synthetic demo data: the answers in this survey are invented.") if survey.is_demo else "",
        "intro": _("Shares with their 95 %% confidence interval and the number answering (n). Figures from fewer "
                   "than %(n)s answers are hidden (“:”), and so is any figure that would let a hidden one be worked "
                   "out (“:s”); 0 %% and 100 %% of a small group are hidden too.") % {"n": reports.min_answers()},
        "columns": [_("Group"), *names],
        "trend_columns": [_("Year"), municipality.name, _("Change"), *names[1:]],
        "levels": levels,
        "labels": {
            "page": _("Page %(page)s of %(total)s"),
            "chart_alt": _("Chart of each indicator for the municipality, with the county and Norway as marks; "
                           "the figures are in the tables below."),
        },
        "note": _("Trends compare the municipality's surveys by indicator, so a reworded question still compares. "
                  "A change is given only between two published figures."),
    }  # fmt: skip


def _change_text(change: int | None) -> str:
    return "–" if change is None else _("%(sign)s%(change)s pp") % {"sign": "+" if change > 0 else "", "change": change}


def report_pdf(survey: Survey, progress=None) -> bytes:
    """The report on A4; ``progress(percent, message)`` hears how far it is."""
    progress = progress or (lambda percent, message: None)
    progress(10, _("Counting the answers …"))
    data = report_data(survey)
    progress(60, _("Typesetting the PDF …"))
    return documents.typeset(TYPST_DIR, "report.typ", data)


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
