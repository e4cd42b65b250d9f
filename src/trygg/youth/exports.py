"""The youth survey's files: the code sheets to cut out and the parents' sheet (Typst PDF), the published figures
(Excel)."""

from pathlib import Path

from django.utils import formats, text, translation
from django.utils.translation import gettext as _

from trygg.core import documents
from trygg.core.documents import Sheet, to_xlsx
from trygg.questionnaires.models import translated

from . import chart, own, reports, services
from .models import Level, School, SchoolClass, Survey

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


def parents_data(survey: Survey, address: str, language: str) -> dict:
    """The parents' sheet in ``language``: what, when, voluntary and anonymous, themes, opting out, who is responsible.

    ``address`` is the pupils' page, which says the same to the pupils."""
    with translation.override(language):
        municipality = survey.municipality.name
        levels = services.levels_of(survey)
        grades = sorted({c.grade for c in SchoolClass.objects.filter(school__survey=survey)})
        core = (
            _("Where they live and how safe they feel there, leisure and friends, loneliness and mood, bullying and "
              "screen time; in lower and upper secondary school also alcohol and cannabis.")
            if set(levels) - {Level.JUNIOR}
            else _("Where they live and how safe they feel there, leisure and friends, loneliness and mood.")
        )  # fmt: skip
        facts = {
            "municipality": municipality,
            "first": formats.date_format(survey.starts_on, "DATE_FORMAT"),
            "last": formats.date_format(survey.ends_on, "DATE_FORMAT"),
            "grades": text.get_text_list([str(grade) for grade in grades], _("and")),
            "min": reports.min_answers(),
        }
        return {
            "title": _title(survey),
            "author": "KS – Trygg",
            "lang": language,
            "heading": _("Information for parents and guardians"),
            "demo": _("Synthetic demo data: this survey is invented.") if survey.is_demo else "",
            "intro": _("%(municipality)s asks pupils in grades %(grades)s to answer the youth survey, about how young "
                       "people live and how they are doing. The answers help the municipality plan its work for "
                       "children and young people, and compare with the county and the whole country.") % facts,
            "sections": [
                {"heading": _("When"),
                 "text": _("From %(first)s to %(last)s, in one school lesson (about an hour), on a PC, tablet or phone "
                           "with an adult present.") % facts},
                {"heading": _("Voluntary and anonymous"),
                 "text": _("Taking part is voluntary. Pupils may skip any question or stop at any time. Each pupil "
                           "gets a random one-time code that nobody links to them; no name, class or school is "
                           "stored with the answers, and no figure is published for fewer than %(min)s pupils.")
                 % facts},
                {"heading": _("If you do not want your child to take part"),
                 "text": _("Pupils under 18 take part unless a parent or guardian says no. If you do not want your "
                           "child to take part, tell the school (the contact teacher) before %(first)s. You need "
                           "not give a reason, and your child does something else during the lesson.") % facts},
                {"heading": _("Who is responsible"),
                 "text": _("%(municipality)s is responsible for the survey and its results. KS provides the "
                           "service, Trygg, on which the pupils answer. Questions go to the school or the "
                           "municipality.") % facts},
                {"heading": _("Read more"),
                 "text": _("The pupils' page, which explains the survey to them, is at this address:")},
            ],
            "address": address,
            "themes_heading": _("What the questions are about"),
            "core": core,
            "themes": [translated(module.title, language) for module in services.themes_asked(survey)]
            + _own_for_parents(survey, language),
            "schools": _("Schools taking part"),
            "school_names": list(School.objects.filter(survey=survey).values_list("name", flat=True)),
        }  # fmt: skip


def _own_for_parents(survey: Survey, language: str) -> list[str]:
    """The municipality's own questions, word for word: parents decide on what their child is asked."""
    texts = [translated(entry["text"], language) for entry in own.definitions(survey)]
    if not texts or set(services.levels_of(survey)) <= {Level.JUNIOR}:
        return []
    return [f"{translated(own.TITLE, language)}: {' '.join(texts)}"]


def parents_pdf(survey: Survey, address: str, language: str) -> bytes:
    return documents.typeset(TYPST_DIR, "parents.typ", parents_data(survey, address, language))


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
    own = [
        {
            "title": question["text"],
            "columns": [_("Answer"), *(str(label) for _key, label in question["groups"])],
            "rows": [
                [_("Answered"), *(count_text(figure, answered=True) for figure in question["answered"])],
                *([str(row["label"]), *map(count_text, row["figures"])] for row in question["rows"]),
            ],
            "note": _("More than one answer allowed: shares add up to more than 100 %.")
            if question["multiple"]
            else "",
        }
        for question in reports.own_questions(survey)
    ]
    return {
        "own": own,
        "own_heading": _("The municipality's own questions"),
        "own_intro": _("Only this municipality asked these questions, so there is no county or national figure beside "
                       "them. The number who chose each answer, with its share of those answering."),
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


def count_text(figure, answered: bool = False) -> str:
    """An own question's figure as the PDF prints it: the number and share, or how many answered."""
    if figure.hidden:
        return ":s" if figure.hidden == "secondary" else ":"
    if answered:
        return str(figure.n)
    return "–" if figure.share is None else f"{figure.count} ({figure.percent} %)"


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
    sheets = [Sheet(_("Figures"), header, rows, preamble=preamble)]
    if own := reports.own_rows(survey):
        own_header = [_("Question"), _("Answer"), _("Group"), _("Answered"), _("Chose the answer"), _("Share"),
                      _("Note")]  # fmt: skip
        sheets.append(
            Sheet(
                _("Own questions"),
                own_header,
                [[row["text"], row["answer_label"], row["group_label"], *_count_cell(row["figure"])] for row in own],
                preamble=[[_("The municipality's own questions: asked here only, so without county or national "
                             "figures.")]],
            )
        )  # fmt: skip
    return to_xlsx(_("Youth survey"), sheets)


def _count_cell(figure) -> list:
    """How many answered, how many chose the answer and their share; hidden figures are blank with the reason."""
    if figure.hidden:
        return [None, None, None, _("hidden (%(why)s)") % {"why": figure.hidden}]
    if figure.share is None:
        return [figure.n, None, None, ""]
    return [figure.n, figure.count, round(figure.share, 4), ""]
