"""The files a round hands out: the national situation brief (PDF), the aggregate tables (Excel, CSV) and the full
export of every report for KS advisers.

Functions take a round and return data or bytes; views decide who may have them. Labels are translated here,
into the current language.

The brief and the aggregate tables show only what ``national_picture`` lets an anonymous viewer see: a figure
fewer than three municipalities stand behind is hidden ("–"), and so is any figure it could be worked out from
("(–)"), whoever downloads the file, because these files leave the platform (to the ministry, by e-mail). The
full export holds every answer and is marked "Unntatt offentlighet".

PDFs are typeset by Typst from one JSON value (``sys_inputs``) shown as plain text, so nothing a user types can
become markup. Spreadsheet cells all pass through ``trygg.core.documents.neutralise`` against formula injection.
"""

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from trygg.core import documents
from trygg.core.documents import Sheet, to_xlsx
from trygg.questionnaires.models import translated

from . import answers as definition_answers
from .mapsvg import COLOURS, PATTERNS, category_labels, picture_map
from .models import CrimeKind, Partner, Report, ReportGroup, ReportMeasure, Round
from .picture import SUPPRESSION_THRESHOLD, AreaRow, Count, MeasureRow, Picture, national_picture
from .rounds import response_rates

TYPST_DIR = Path(__file__).parent / "typst"
SUPPRESSED = "–"  # a small figure (primary suppression)
PROTECTING = "(–)"  # a figure hidden so that a small one cannot be worked out (secondary suppression)
MAP_CREDIT = "© Kartverket, SSB"  # the boundary data's licence requires this credit under every map
CLASSIFICATION = "Unntatt offentlighet"  # the Norwegian marking itself, the same in every language
TOP_MEASURES = 10
AREA_FIGURES = ("answered", "hosts_group", "crews_only", "neither", "must_act")
MEASURE_FIGURES = ("municipalities", "worked", "did_not", "too_early")
TREND_FIGURES = ("hosts_group_share", "crews_share", "must_act_share")

# Figures ----------------------------------------------------------------------------------------------


def suppressed_picture(round: Round) -> Picture:
    """The picture as an anonymous viewer gets it (``full`` is False): every small figure suppressed.

    The brief and the aggregate files always use it, even when KS staff download them, since they are meant to
    be passed on.
    """
    return national_picture(round, AnonymousUser())


def mark(hidden: str) -> str:
    """The mark of a hidden figure, by why it is hidden ("primary" or "secondary")."""
    return PROTECTING if hidden == "secondary" else SUPPRESSED


def percent(share: float | None, hidden: str = "") -> str:
    """ "38 %": whole percent with a non-breaking space, as Norwegian public documents write it."""
    if share is None:
        return mark(hidden)
    return f"{int(share * 100 + 0.5)}\u00a0%"  # half up: 37.5 % is "38 %"


def number(value: int | None, hidden: str = "") -> str:
    return mark(hidden) if value is None else formats.number_format(value, force_grouping=True)


def _share_of(value: int | None, answered: int, hidden: str = "") -> str:
    return percent(value / answered) if value is not None and answered else mark(hidden)


def _numbers(row, names: tuple[str, ...]) -> list[str]:
    """The row's named figures, formatted, each hidden one with its mark."""
    return [number(getattr(row, name), row.hidden.get(name, "")) for name in names]


def _current_trend(picture: Picture):
    """This round's point on the trend line: the national shares, already suppressed by the picture."""
    return next((point for point in picture.trends if point.round_name == picture.round.name), None)


def top_measures(picture: Picture) -> list[MeasureRow]:
    """The most-used measures; suppressed counts (too few municipalities) are left out of the ranking."""
    shown = [measure for measure in picture.measures if measure.municipalities is not None]
    return sorted(shown, key=lambda measure: -measure.municipalities)[:TOP_MEASURES]


# The picture page colours the map with its style sheet; a map that stands alone (in the PDF, or as an image)
# carries the same colours in its own <style>.
def map_svg(picture: Picture) -> str:
    """The round's map as a standalone SVG: by county, since the brief is always suppressed."""
    return str(picture_map(picture))


def _swatch(category: str) -> str:
    """A legend square with the category's colour and pattern, so colour is never the only carrier of meaning."""
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="12" height="12" viewBox="0 0 12 12">'
        f'<rect width="12" height="12" fill="{COLOURS[category]}" stroke="#1e2b3c" stroke-width="1"/>'
        f"{PATTERNS[category]}</svg>"
    )


def map_legend() -> list[dict]:
    return [{"label": label, "swatch": _swatch(category)} for category, label in category_labels().items()]


# The brief ---------------------------------------------------------------------------------------------


def _language() -> str:
    """The current language as Typst wants it for hyphenation: "nb", not "nb-no"."""
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def _table(key: str, heading: str, columns: list[str], rows: list[list[str]], note: str = "", labels: int = 1) -> dict:
    """A table of the brief: its first ``labels`` columns name the row, the others are figures."""
    return {"key": key, "heading": heading, "columns": columns, "rows": rows, "note": note, "labels": labels}


def _count_table(key: str, heading: str, column: str, counts: list[Count], answered: int, note: str = "") -> dict:
    rows = [
        [count.label, number(count.value, count.hidden), _share_of(count.value, answered, count.hidden)]
        for count in counts
    ]
    return _table(key, heading, [column, _("Municipalities"), _("Share of answers")], rows, note)


def _key_figures(picture: Picture) -> list[dict]:
    point = _current_trend(picture)
    names = ("hosts_group_share", "crews_share", "must_act_share")
    shares = [percent(getattr(point, name), point.hidden.get(name, "")) if point else SUPPRESSED for name in names]
    return [
        {
            "label": _("Response rate"),
            "value": percent(picture.response_rate),
            "detail": _("%(answered)s of %(asked)s municipalities")
            % {"answered": picture.answered, "asked": picture.asked},
        },
        {"label": _("Host a “1 %” group"), "value": shares[0], "detail": _("of those who answered")},
        {
            "label": _("Have support groups only"),
            "value": shares[1],
            "detail": _("of those who answered, with no “1 %” group"),
        },
        {"label": _("Say they must act"), "value": shares[2], "detail": _("of those who answered")},
    ]


def _measure_rows(measures: list[MeasureRow]) -> list[list[str]]:
    return [[m.title, m.stage, *_numbers(m, MEASURE_FIGURES)] for m in measures]


def _area_rows(areas: list[AreaRow]) -> list[list[str]]:
    return [[area.name, number(area.asked), *_numbers(area, AREA_FIGURES)] for area in areas]


def area_columns(area: str) -> list[str]:
    return [area, _("Asked"), _("Answered"), _("Host a group"), _("Crews only"), _("Neither"), _("Must act")]


def _trend_rows(picture: Picture) -> list[list[str]]:
    return [
        [point.round_name, number(point.answered)]
        + [percent(getattr(point, name), point.hidden.get(name, "")) for name in TREND_FIGURES]
        for point in picture.trends
    ]


def suppression_note() -> str:
    small = _("“%(mark)s”: fewer than %(threshold)s municipalities stand behind the figure, so it is not shown.") % {
        "mark": SUPPRESSED,
        "threshold": SUPPRESSION_THRESHOLD,
    }
    protecting = _(
        "“%(mark)s”: hidden to protect a small number, which could otherwise be worked out from the other figures."
    ) % {"mark": PROTECTING}
    return f"{small} {protecting}"


def _tables(picture: Picture) -> list[dict]:
    answered = picture.answered
    return [
        _count_table("crime-kinds", _("Kinds of crime"), _("Kind of crime"), picture.crime_kinds, answered),
        _table(
            "measures",
            _("The most-used measures and how they went"),
            [_("Measure"), _("Purpose"), _("Municipalities"), _("It worked"), _("It did not"), _("Too early")],
            _measure_rows(top_measures(picture)),
            _("The %(count)s measures most municipalities report, with the municipalities' own judgement.")
            % {"count": TOP_MEASURES},
            labels=2,
        ),
        _count_table(
            "assessments", _("The municipalities' assessment"), _("Assessment"), picture.assessments, answered
        ),
        _count_table(
            "recruitment", _("Signs of recruitment among young people"), _("Answer"), picture.recruitment, answered
        ),
        _count_table(
            "guidance", _("Wishes for knowledge and guidance from KS"), _("Answer"), picture.guidance, answered
        ),
        _table("counties", _("By county"), area_columns(_("County")), _area_rows(picture.counties)),
        _table(
            "trends",
            _("Trends across rounds"),
            [_("Round"), _("Answered"), _("Host a group"), _("Crews only"), _("Must act")],
            _trend_rows(picture),
            _("Shares of the municipalities that answered in each round."),
        ),
    ]


def brief_data(round: Round, today: dt.date | None = None) -> dict:
    """Everything the brief shows, formatted once for both the web page and the PDF, so the two never differ."""
    picture = suppressed_picture(round)
    today = today or timezone.localdate()
    return {
        "lang": _language(),
        "author": "KS",
        "title": _("National situation brief"),
        "subtitle": _("Outlaw motorcycle gangs (“1 %” groups) in the municipalities"),
        "round": _("Round %(name)s") % {"name": round.name},
        "date": formats.date_format(today),
        "demo": _("Fictional demo data: the answers are invented.") if round.is_demo else "",
        "intro": _(
            "The municipalities' own answers to KS' dialogue questions, counted by municipality. A report can cover "
            "several municipalities answering together."
        ),
        "key_figures": _key_figures(picture),
        "map_svg": map_svg(picture),
        "map_legend": map_legend(),
        "map_credit": MAP_CREDIT,
        "tables": _tables(picture),
        "note": suppression_note(),
        "labels": {
            "page": _("Page %(page)s of %(total)s"),
            "key_figures": _("Key figures"),
            "map": _("Map"),
            "map_alt": _(
                "Map of Norway: each municipality in the colour of its county's most common answer (a “1 %” group, "
                "support groups only, or neither), or marked where too few answered to show it. The tables give the "
                "figures."
            ),
            "map_caption": _(
                "Each county shows its most common answer, so no municipality's own answer can be read from the map."
            ),
            "none": _("No answers."),
        },
    }


def typeset(template: str, data: dict) -> bytes:
    return documents.typeset(TYPST_DIR, template, data)


def brief_pdf(round: Round, progress=None) -> bytes:
    """The brief on A4, for KS to take to the ministry; ``progress(percent, message)`` hears how far it is."""
    progress = progress or (lambda percent, message: None)
    progress(10, _("Counting the answers …"))
    data = brief_data(round)
    progress(60, _("Typesetting the PDF …"))
    return typeset("brief.typ", data)


# Spreadsheets ------------------------------------------------------------------------------------------


def to_csv(sheets: list[Sheet]) -> bytes:
    """UTF-8 with a BOM, semicolons and decimal commas, as Norwegian Excel opens it; a blank line between tables."""
    lines = []
    for sheet in sheets:
        lines += [*sheet.preamble, [sheet.title], sheet.header, *sheet.rows, []]
    return documents.write_csv(lines)


# Aggregates --------------------------------------------------------------------------------------------


def _cell(value: int | None, hidden: str = ""):
    """A count as a number Excel can sum, or the suppression mark."""
    return mark(hidden) if value is None else value


def _share_cell(share: float | None, hidden: str = ""):
    """A share in percent with one decimal (45.5), or the suppression mark."""
    return mark(hidden) if share is None else round(share * 100, 1)


def _cells(row, names: tuple[str, ...]) -> list:
    return [_cell(getattr(row, name), row.hidden.get(name, "")) for name in names]


def _count_sheet(title: str, column: str, counts: list[Count]) -> Sheet:
    rows = [[count.label, _cell(count.value, count.hidden)] for count in counts]
    return Sheet(title, [column, _("Municipalities")], rows)


def _area_sheet(title: str, column: str, areas: list[AreaRow]) -> Sheet:
    rows = [[a.name, a.asked, *_cells(a, AREA_FIGURES)] for a in areas]
    return Sheet(title, area_columns(column), rows)


def aggregate_sheets(picture: Picture) -> list[Sheet]:
    """The brief's tables in full: every county, police district and measure, each figure suppressed alike."""
    summary = [
        [_("Round"), picture.round.name],
        [_("Asked"), picture.asked],
        [_("Answered"), picture.answered],
        [_("Response rate (%)"), _share_cell(picture.response_rate)],
        [_("Note"), suppression_note()],
    ]
    if picture.round.is_demo:
        summary.insert(1, [_("Note"), _("Fictional demo data: the answers are invented.")])
    trend_header = [_("Round"), _("Answered"), _("Host a group (%)"), _("Crews only (%)"), _("Must act (%)")]
    return [
        Sheet(_("Summary"), [_("Figure"), _("Value")], summary),
        _area_sheet(_("By county"), _("County"), picture.counties),
        _area_sheet(_("By police district"), _("Police district"), picture.police_districts),
        _count_sheet(_("Kinds of crime"), _("Kind of crime"), picture.crime_kinds),
        _count_sheet(_("Assessment"), _("Assessment"), picture.assessments),
        _count_sheet(_("Recruitment"), _("Signs of recruitment"), picture.recruitment),
        _count_sheet(_("Guidance"), _("Wants guidance from KS"), picture.guidance),
        Sheet(
            _("Measures"),
            [_("Measure"), _("Purpose"), _("Municipalities"), _("It worked"), _("It did not"), _("Too early")],
            [[m.title, m.stage, *_cells(m, MEASURE_FIGURES)] for m in picture.measures],
        ),
        Sheet(
            _("Trends"),
            trend_header,
            [
                [p.round_name, p.answered, *(_share_cell(getattr(p, n), p.hidden.get(n, "")) for n in TREND_FIGURES)]
                for p in picture.trends
            ],
        ),
    ]


def definition_sheets(round: Round) -> list[Sheet]:
    """The counts per option of the round's definition items, suppressed as in the brief (none without one).

    A round on another topic has no national picture; its summary then gives the response rate here.
    """
    if round.definition_id is None:
        return []
    summary = definition_answers.summary(round, full=False)
    rows = [
        [entry.text, count.label, _cell(count.count, count.hidden)]
        for entry in summary
        for count in [*entry.options, definition_answers.OptionCount(_("Answered the question"), entry.answered)]
        if entry.options
    ]
    sheets = [Sheet(_("Questions"), [_("Question"), _("Answer"), _("Municipalities")], rows)]
    if not round.asks_mc:
        rates = response_rates(round)
        figures = [
            [_("Round"), round.name],
            *([[_("Note"), _("Fictional demo data: the answers are invented.")]] if round.is_demo else []),
            [_("Asked"), rates.asked],
            [_("Answered"), rates.answered],
            [_("Response rate (%)"), _share_cell(rates.rate)],
            [_("Note"), suppression_note()],
        ]
        sheets.insert(0, Sheet(_("Summary"), [_("Figure"), _("Value")], figures))
    return sheets


def aggregates(round: Round, file_format: str) -> bytes:
    """The aggregate tables of the round as xlsx or csv, suppressed as in the brief."""
    sheets = aggregate_sheets(suppressed_picture(round)) if round.asks_mc else []
    sheets += definition_sheets(round)
    if file_format == "csv":
        return to_csv(sheets)
    return to_xlsx(_("National picture %(round)s") % {"round": round}, sheets)


# Full export -------------------------------------------------------------------------------------------


def _classification() -> list[list[str]]:
    return [[CLASSIFICATION, _("Situation reports: for KS advisers only. Do not pass on.")]]


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    """Local wall-clock time without a zone, which is all Excel can hold."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _labels(keys: list[str], choices) -> str:
    names = dict(choices)
    return "; ".join(str(names.get(key, key)) for key in keys)


def _municipalities(report: Report) -> tuple[str, str]:
    municipalities = list(report.municipalities.all())
    return ", ".join(m.number for m in municipalities), ", ".join(m.name for m in municipalities)


def _report_sheet(round: Round, reports: list[Report]) -> Sheet:
    """One row per report: who and when, the deck's MC answers if the round asks them, then each definition item."""
    items = definition_answers.items(round)
    header = [_("Report"), _("Municipality numbers"), _("Municipalities"), _("Status"), _("Submitted")]
    header += _mc_header() if round.asks_mc else []
    header += [translated(item.text) for item in items]
    rows = []
    for report in reports:
        numbers, names = _municipalities(report)
        row = [report.pk, numbers, names, report.get_status_display(), _local(report.submitted_at)]
        row += _mc_answers(report) if round.asks_mc else []
        row += [_answer_cell(item, report.answers.get(item.code)) for item in items]
        rows.append(row)
    return Sheet(_("Reports"), header, rows, _classification())


def _answer_cell(item, answer):
    """A number stays a number in Excel; anything else is the answer as a reader sees it, empty when skipped."""
    if isinstance(answer, int):
        return answer
    return "" if answer is None else definition_answers.label(item, answer)


def _mc_header() -> list[str]:
    return [
        _("Hosts a “1 %” group"),
        _("Support groups (“crews”)"),
        _("Number of support groups"),
        _("Signs of recruitment among young people"),
        _("Kinds of crime"),
        _("Other kind of crime"),
        _("Assessment"),
        _("Cooperation partners"),
        _("Wants knowledge and guidance from KS"),
        _("On what"),
        _("The situation in their own words"),
    ]


def _mc_answers(report: Report) -> list:
    return [
        report.get_hosts_group_display(),
        report.get_crews_display(),
        report.crews_count,
        report.get_recruitment_signs_display(),
        _labels(report.crime_kinds, CrimeKind.choices),
        report.crime_other,
        report.get_assessment_display(),
        _labels(report.partners, Partner.choices),
        report.get_wants_guidance_display(),
        report.guidance_topics,
        report.situation,
    ]


def _group_sheet(reports: dict[int, Report]) -> Sheet:
    groups = ReportGroup.objects.filter(report__in=reports.values()).select_related("group").order_by("report", "pk")
    header = [_("Report"), _("Municipalities"), _("Group"), _("Support club"), _("Clubhouse"), _("Members")]
    rows = [
        [
            group.report_id,
            _municipalities(reports[group.report_id])[1],
            str(group),
            (_("Yes") if group.group.is_support_club else _("No")) if group.group else "",
            group.get_clubhouse_display(),
            group.get_membership_display(),
        ]
        for group in groups
    ]
    return Sheet(_("Groups"), header, rows, _classification())


def _measure_sheet(reports: dict[int, Report]) -> Sheet:
    measures = ReportMeasure.objects.filter(report__in=reports.values()).order_by("report", "pk")
    header = [
        _("Report"),
        _("Municipalities"),
        _("Purpose"),
        _("Measure"),
        _("Catalogue key"),
        _("What they did"),
        _("How it went"),
    ]
    rows = [
        [
            measure.report_id,
            _municipalities(reports[measure.report_id])[1],
            measure.get_stage_display(),
            measure.title,
            measure.measure_key,
            measure.description,
            measure.get_experience_display(),
        ]
        for measure in measures
    ]
    return Sheet(_("Measures"), header, rows, _classification())


def full_export(round: Round) -> bytes:
    """Every report of the round (drafts too, marked by status): a sheet of reports, and for a round asking the
    deck's MC questions one each for groups and measures."""
    reports = list(round.reports.prefetch_related("municipalities").order_by("pk"))
    by_pk = {report.pk: report for report in reports}
    sheets = [_report_sheet(round, reports)]
    if round.asks_mc:
        sheets += [_group_sheet(by_pk), _measure_sheet(by_pk)]
    return to_xlsx(_("Situation reports %(round)s") % {"round": round}, sheets)
