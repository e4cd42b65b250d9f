"""A survey's report: every indicator overall, by gender and by grade, beside its county and the country.

Figures come from the tallies kept as answers arrive and as surveys close (``aggregates``), never from a scan of
the answer sets. Every figure goes
through core's disclosure control: each share is published as three counts (answering, yes, no) of one table per
indicator, level and area, so a small count is hidden (primary) and so is any figure that would let it be worked
back out (secondary); 0 % and 100 % of a small group are hidden too. A share comes with its 95 % Wilson interval.
"""

import functools
import itertools
import math
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from trygg.core import disclosure
from trygg.core.models import County
from trygg.questionnaires.models import DECLINED, IndicatorRule, Item, translated
from trygg.questionnaires.services import latest_version

from . import own
from .models import GRADES, QUESTIONNAIRES, AreaTally, Gender, Level, Response, Survey, Tally, level_of

Z95 = 1.959964


def min_answers() -> int:
    """The fewest answers behind any published count (``YOUTH_MIN_ANSWERS``, default 10)."""
    return getattr(settings, "YOUTH_MIN_ANSWERS", 10)


def wilson(hits: int, n: int) -> tuple[float, float]:
    """The 95 % Wilson score interval of a share (Wilson 1927), which stays inside 0–1 for small groups."""
    if n == 0:
        return 0.0, 1.0
    p = hits / n
    centre = p + Z95**2 / (2 * n)
    spread = Z95 * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n**2))
    denominator = 1 + Z95**2 / n
    return max(0.0, (centre - spread) / denominator), min(1.0, (centre + spread) / denominator)


@dataclass(frozen=True)
class Figure:
    """One published share, or the reason it is hidden ("primary"/"secondary"), or nothing to show (n = 0)."""

    n: int | None
    share: float | None = None
    low: float | None = None
    high: float | None = None
    hidden: str = ""

    @property
    def percent(self) -> int | None:
        return None if self.share is None else round(100 * self.share)

    @property
    def count(self) -> int | None:
        """The number behind the share (those choosing an option, of ``n`` answering)."""
        return None if self.share is None else round(self.share * self.n)

    @property
    def interval(self) -> tuple[int, int] | None:
        """The confidence interval in whole percent."""
        return None if self.share is None else (round(100 * self.low), round(100 * self.high))


Counts = dict[tuple[str, int], tuple[int, int]]  # (gender, grade) -> (numerator, denominator)


def _groups(level: str) -> list[tuple[str, str, object]]:
    """Rows of a report: (key, label, test on (gender, grade)). Unlabelled rows are published but not shown."""
    rows = [("all", _("All"), lambda gender, grade: True)]
    for gender in (Gender.GIRL, Gender.BOY, Gender.OTHER, Gender.UNKNOWN):
        rows.append((f"gender:{gender}", gender.label, lambda g, grade, gender=gender: g == gender))
    for grade in GRADES[level]:
        label = _("Grade %(grade)s") % {"grade": grade} if grade <= 10 else _("VG%(year)s") % {"year": grade - 10}
        rows.append((f"grade:{grade}", label, lambda gender, g, grade=grade: g == grade))
    return rows


SHOWN_GROUPS = ("all", "gender:girl", "gender:boy")
GENDERS = tuple(Gender.values)
COUNTRY = AreaTally.COUNTRY


@functools.cache
def _cells(level: str) -> tuple[list, list]:
    """The level's inner cells (gender, grade, outcome) and each group's members: (key, answered, yes, no).

    The same for every table of a level, so worked out once rather than per table."""
    inner = [(gender, grade, outcome) for gender in GENDERS for grade in GRADES[level] for outcome in (True, False)]
    groups = []
    for key, _label, test in _groups(level):
        answered = frozenset(cell for cell in inner if test(cell[0], cell[1]))
        yes = frozenset(cell for cell in answered if cell[2])
        groups.append((key, answered, yes, answered - yes))
    return inner, groups


def _figures(level: str, counts: Counts) -> dict[str, Figure]:
    """Each group's share through the disclosure table: n, yes and no are cells over (gender, grade, outcome)."""
    table = disclosure.Table(threshold=min_answers(), small_group=2 * min_answers())
    inner, groups = _cells(level)
    for gender, grade, outcome in inner:
        numerator, denominator = counts.get((gender, grade), (0, 0))
        table.count((gender, grade, outcome), numerator if outcome else denominator - numerator)
    for key, answered, yes, no in groups:
        total = table.publish((key, "n"), answered)
        table.publish((key, True), yes, within=total)
        table.publish((key, False), no, within=total)
    result = table.suppress()
    figures = {}
    for key, *_members in groups:
        n, hits = result.shown((key, "n")), result.shown((key, True))
        if n == 0:
            figures[key] = Figure(0)
        elif n is None or hits is None or result.shown((key, False)) is None:
            marks = [result.mark((key, part)) for part in ("n", True, False)]
            figures[key] = Figure(n, hidden="primary" if "primary" in marks else "secondary")
        else:
            low, high = wilson(hits, n)
            figures[key] = Figure(n, hits / n, low, high)
    return figures


def _tallies(rows) -> dict[tuple[str, str], Counts]:
    """Counts per (indicator code, level) from rows of (code, gender, grade, numerator, denominator)."""
    counts: dict[tuple[str, str], Counts] = defaultdict(dict)
    for code, gender, grade, numerator, denominator in rows:
        counts[(code, level_of(grade))][(gender, grade)] = (numerator, denominator)
    return counts


def earlier_surveys(survey: Survey) -> list[Survey]:
    """The municipality's published surveys up to and including this one, oldest first: the trend's points."""
    surveys = Survey.objects.filter(
        municipality=survey.municipality_id, status=Survey.Status.CLOSED, starts_on__lte=survey.starts_on
    ).exclude(pk=survey.pk)
    return [*sorted(surveys, key=lambda earlier: (earlier.starts_on, earlier.pk)), survey]


def counts(surveys: list[Survey], county: str) -> list[list[dict]]:
    """For each survey: the counts of the municipality, its county and the country that year (two queries)."""
    own: dict[int, list] = defaultdict(list)
    for survey_id, *row in Tally.objects.filter(survey__in=surveys).values_list(
        "survey_id", "indicator__code", "gender", "grade", "numerator", "denominator"
    ):
        own[survey_id].append(row)
    areas: dict[tuple[int, str], list] = defaultdict(list)
    for year, area, *row in AreaTally.objects.filter(
        year__in={survey.year for survey in surveys}, area__in=(county, AreaTally.COUNTRY)
    ).values_list("year", "area", "indicator__code", "gender", "grade", "numerator", "denominator"):
        areas[(year, area)].append(row)
    return [
        [_tallies(own[survey.pk]), _tallies(areas[(survey.year, county)]), _tallies(areas[(survey.year, COUNTRY)])]
        for survey in surveys
    ]


def _change(before: Figure | None, now: Figure) -> int | None:
    """The change in percentage points since the survey before, only where both figures are published."""
    if before is None or before.share is None or now.share is None:
        return None
    return now.percent - before.percent


def rules_of(survey: Survey) -> list[IndicatorRule]:
    rules = IndicatorRule.objects.filter(version__in=survey.versions.all()).select_related(
        "indicator", "version__questionnaire"
    )
    return sorted(rules, key=lambda rule: rule.position)


def report(survey: Survey) -> list[dict]:
    """Per level, per indicator: rows of (label, municipality, county, country) figures and the trend, suppressed."""
    surveys = earlier_surveys(survey)
    return assemble(surveys, counts(surveys, survey.municipality.county.number), rules_of(survey))


def assemble(surveys: list[Survey], years: list[list[dict]], rules: list[IndicatorRule]) -> list[dict]:
    """The report from the counts of each survey year (``counts``), the last one the report's own.

    Each year's figures come from that year's own disclosure tables, the same ones its own report used, so a trend
    shows exactly what each year's report showed: a figure hidden one year stays hidden in every trend. Years are
    separate groups of pupils and no sum over years is published, so no other year's figure can work one out; the
    change since the survey before is given only between two published figures.
    """
    levels = []
    for level in Level.values:
        level_rules = [
            rule
            for rule in rules  # each level's questionnaire has its own rule for an indicator: the level's own counts
            if rule.version.questionnaire.code == QUESTIONNAIRES[level] and (rule.indicator.code, level) in years[-1][0]
        ]
        if not level_rules:
            continue
        groups = [
            (key, label) for key, label, _test in _groups(level) if key in SHOWN_GROUPS or key.startswith("grade")
        ]
        indicators = []
        for rule in level_rules:
            key = (rule.indicator.code, level)
            tables = [[_figures(level, area.get(key, {})) for area in year] for year in years]
            rows = [
                {"key": group, "label": label, "figures": [table[group] for table in tables[-1]]}
                for group, label in groups
            ]
            trend, before = [], None
            for earlier, year_counts, year in zip(surveys, years, tables, strict=True):
                if key not in year_counts[0]:
                    continue  # that survey did not ask this level
                figures = [table["all"] for table in year]
                trend.append({"year": earlier.year, "figures": figures, "change": _change(before, figures[0])})
                before = figures[0]
            indicators.append(
                {"code": rule.indicator.code, "title": translated(rule.indicator.title), "rows": rows, "trend": trend}
            )
        levels.append({"level": level, "label": Level(level).label, "indicators": indicators})
    return levels


def published_rows(survey: Survey) -> list[dict]:
    """The report as flat rows, for Excel and the API: nothing the web page does not show."""
    areas = (_("Municipality"), _("County"), _("Norway"))
    rows = []
    for level in report(survey):
        for indicator in level["indicators"]:
            for row in indicator["rows"]:
                for area, figure in zip(areas, row["figures"], strict=True):
                    rows.append(
                        {
                            "level": level["level"],
                            "indicator": indicator["code"],
                            "title": indicator["title"],
                            "group": row["key"],
                            "group_label": str(row["label"]),
                            "area": ("municipality", "county", "country")[areas.index(area)],
                            "area_label": str(area),
                            "figure": figure,
                        }
                    )
    return rows


# The municipality's own questions ----------------------------------------------------------------------------
#
# Counted from the stored answer sets when the report is read: nobody else asked them, so there is no county or
# national figure to keep up to date, and a closed survey holds a few thousand answer sets at most (one query, one
# pass). Tallies kept as answers arrive (``Tally``) would put every survey's own codes into the path each pupil's
# submission takes, for a page read a handful of times.

OWN_GROUPS = ("all", "gender:girl", "gender:boy")
NUMBER_BINS = 5


def _bins(item: Item) -> list[tuple[str, str, int, int]]:
    """A number question's answers in at most ``NUMBER_BINS`` ranges: (code, label, low, high)."""
    low, high = item.minimum, item.maximum
    if high - low + 1 <= NUMBER_BINS + 1:
        return [(str(value), str(value), value, value) for value in range(low, high + 1)]
    edges = [low + round(index * (high - low + 1) / NUMBER_BINS) for index in range(NUMBER_BINS + 1)]
    return [(f"{a}-{b - 1}", f"{a}–{b - 1}", a, b - 1) for a, b in itertools.pairwise(edges)]


def _choices(item: Item) -> list[tuple[str, str]]:
    """The reported answers of a question: its options, or a number question's ranges, as (code, label)."""
    if item.kind == Item.Kind.NUMBER:
        return [(code, label) for code, label, _low, _high in _bins(item)]
    return [(option.code, translated(option.label)) for option in item.options.all()]


def _chosen(item: Item, answer) -> tuple[str, ...] | None:
    """What one pupil chose, as the codes ``_choices`` reports; None when not a real answer."""
    if answer is None or answer == DECLINED:
        return None
    if item.kind == Item.Kind.NUMBER:
        return tuple(code for code, _label, low, high in _bins(item) if low <= answer <= high) or None
    return tuple(answer) if isinstance(answer, list) else (answer,)


def _own_table(codes: list[str], answers: list[tuple[str, tuple]]) -> disclosure.Disclosure:
    """The disclosure table of one question: inner cells (gender, what was chosen) — a partition of the pupils
    answering, also for multiple choice — and per gender group how many answered and chose each option. A gender
    with answers has a 0 declared for each option, so 0 % of a small group is caught."""
    table = disclosure.Table(threshold=min_answers(), small_group=2 * min_answers())
    for gender in {gender for gender, _chosen in answers}:
        for code in codes:
            table.count((gender, (code,)), 0)
    for cell in answers:
        table.count(cell)
    for key, test in _OWN_GROUPS:
        total = table.publish((key, "n"), lambda cell, test=test: test(cell[0], None))
        for code in codes:
            table.publish((key, code), lambda cell, test=test, code=code: test(cell[0], None) and code in cell[1],
                          within=total)  # fmt: skip
    return table.suppress()


_OWN_GROUPS = [(key, test) for key, _label, test in _groups(Level.LOWER) if not key.startswith("grade")]


def _own_figures(item: Item, answers: list[tuple[str, tuple]]) -> dict:
    """Every figure of one question, suppressed."""
    codes = [code for code, _label in _choices(item)]
    result = _own_table(codes, answers)
    figures = {}
    for key, _test in _OWN_GROUPS:
        n = result.shown((key, "n"))
        figures[(key, "n")] = Figure(n, hidden=result.mark((key, "n")))
        for code in codes:
            hits = result.shown((key, code))
            if n == 0:
                figures[(key, code)] = Figure(0)
            elif n is None or hits is None:
                marks = [result.mark((key, "n")), result.mark((key, code))]
                figures[(key, code)] = Figure(n, hidden="primary" if "primary" in marks else "secondary")
            else:
                figures[(key, code)] = Figure(n, hits / n, *wilson(hits, n))
    return figures


def own_questions(survey: Survey) -> list[dict]:
    """Per own question: how many answered and chose each option, for all pupils and by gender, suppressed as
    every figure is. Nothing before the survey is closed."""
    if survey.status != Survey.Status.CLOSED:
        return []
    items = own.items_asked(survey)
    if not items:
        return []
    rows = list(Response.objects.filter(survey=survey).values_list("gender", "answers"))
    labels = {key: label for key, label, _test in _groups(Level.LOWER)}
    questions = []
    for item in items:
        answers = [(gender, chosen) for gender, answer in rows if (chosen := _chosen(item, answer.get(item.code)))]
        figures = _own_figures(item, answers)
        questions.append(
            {
                "code": item.code,
                "text": translated(item.text),
                "multiple": item.kind == Item.Kind.MULTIPLE,
                "groups": [(key, labels[key]) for key in OWN_GROUPS],
                "answered": [figures[(key, "n")] for key in OWN_GROUPS],
                "rows": [
                    {"code": code, "label": label, "figures": [figures[(key, code)] for key in OWN_GROUPS]}
                    for code, label in _choices(item)
                ],
            }
        )
    return questions


def own_rows(survey: Survey) -> list[dict]:
    """The own questions' figures as flat rows, for Excel and the API; ``answer`` is blank on the row of how many
    answered."""
    rows = []
    for question in own_questions(survey):
        lines = [("", _("Answered"), question["answered"])]
        lines += [(row["code"], row["label"], row["figures"]) for row in question["rows"]]
        for code, label, figures in lines:
            for (group, group_label), figure in zip(question["groups"], figures, strict=True):
                rows.append({"question": question["code"], "text": question["text"], "answer": code,
                             "answer_label": str(label), "group": group, "group_label": str(group_label),
                             "figure": figure})  # fmt: skip
    return rows


# Overviews for KS: every indicator per county and for the country --------------------------------------------

OVERVIEW_YEARS = 5


def _area_figures(areas, years=None) -> dict[tuple[str, str, str, int], Figure]:
    """The "all pupils" figure per (indicator code, level, area, year), through the same tables as every report."""
    tallies = AreaTally.objects.filter(area__in=areas)
    if years is not None:
        tallies = tallies.filter(year__in=years)
    rows: dict[tuple[int, str], list] = defaultdict(list)
    for year, area, *row in tallies.values_list(
        "year", "area", "indicator__code", "gender", "grade", "numerator", "denominator"
    ):
        rows[(year, area)].append(row)
    return {
        (code, level, area, year): _figures(level, counts)["all"]
        for (year, area), area_rows in rows.items()
        for (code, level), counts in _tallies(area_rows).items()
    }


def _indicators(level: str, figures: dict) -> list[IndicatorRule]:
    """The level's indicators in the order of its latest standard questionnaire, those with figures only."""
    version = latest_version(QUESTIONNAIRES[level])
    if version is None:
        return []
    present = {(code, figure_level) for code, figure_level, _area, _year in figures}
    rules = version.indicator_rules.select_related("indicator").order_by("position")
    return [rule for rule in rules if (rule.indicator.code, level) in present]


def includes_demo(county: County | None = None) -> bool:
    """Whether synthetic demo surveys are among those behind the country's (or the county's) figures."""
    surveys = Survey.objects.filter(status=Survey.Status.CLOSED, is_demo=True)
    return (surveys.filter(municipality__county=county) if county else surveys).exists()


def national_overview() -> list[dict]:
    """Per level: the country's figures over its last years, and each county's latest year with published figures."""
    years = sorted(AreaTally.objects.filter(area=AreaTally.COUNTRY).values_list("year", flat=True).distinct())
    country = _area_figures([AreaTally.COUNTRY], years[-OVERVIEW_YEARS:])
    counties = {county.number: county for county in County.objects.all()}
    latest = {}
    for area, year in AreaTally.objects.exclude(area=AreaTally.COUNTRY).values_list("area", "year").distinct():
        latest[area] = max(year, latest.get(area, year))
    by_county = {}
    for number, year in latest.items():
        by_county.update(_area_figures([number], [year]))
    levels = []
    for level in Level.values:
        rules = _indicators(level, country)
        if not rules:
            continue
        shown_years = sorted({year for code, lv, _area, year in country if lv == level})
        indicators = [
            {
                "code": rule.indicator.code,
                "title": translated(rule.indicator.title),
                "trend": [
                    {"year": year, "figures": [country.get((rule.indicator.code, level, COUNTRY, year), Figure(0))]}
                    for year in shown_years
                ],
            }
            for rule in rules
        ]
        rows = []
        for number in sorted(latest, key=lambda number: counties[number].name):
            year = latest[number]
            if not any(key[1] == level and key[2] == number for key in by_county):
                continue
            figures = [by_county.get((rule.indicator.code, level, number, year), Figure(0)) for rule in rules]
            rows.append({"county": counties[number], "year": year, "figures": figures})
        levels.append({"level": level, "label": Level(level).label, "indicators": indicators, "counties": rows})
    return levels


def county_overview(county: County) -> list[dict]:
    """Per level and indicator: the county beside the country in every year the county has figures for."""
    years = set(AreaTally.objects.filter(area=county.number).values_list("year", flat=True))
    figures = _area_figures([county.number, AreaTally.COUNTRY], years)
    levels = []
    for level in Level.values:
        rules = [
            rule
            for rule in _indicators(level, figures)
            if any(key[0] == rule.indicator.code and key[2] == county.number for key in figures)
        ]
        if not rules:
            continue
        indicators = []
        for rule in rules:
            code = rule.indicator.code
            trend = [
                {"year": year, "figures": [figures[(code, level, area, year)] for area in (county.number, COUNTRY)]}
                for year in sorted(years)
                if (code, level, county.number, year) in figures
            ]
            indicators.append({"code": code, "title": translated(rule.indicator.title), "trend": trend})
        levels.append({"level": level, "label": Level(level).label, "indicators": indicators})
    return levels
