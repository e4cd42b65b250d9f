"""A survey's report: every indicator overall, by gender and by grade, beside its county and the country.

Figures come from the tallies kept as answers arrive, never from a scan of the answer sets. Every figure goes
through core's disclosure control: each share is published as three counts (answering, yes, no) of one table per
indicator, level and area, so a small count is hidden (primary) and so is any figure that would let it be worked
back out (secondary); 0 % and 100 % of a small group are hidden too. A share comes with its 95 % Wilson interval.
"""

import math
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Sum
from django.utils.translation import gettext as _

from trygg.core import disclosure
from trygg.questionnaires.models import IndicatorRule, translated

from .models import GRADES, Gender, Level, Survey, Tally, level_of

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


def _figures(level: str, counts: Counts) -> dict[str, Figure]:
    """Each group's share through the disclosure table: n, yes and no are cells over (gender, grade, outcome)."""
    table = disclosure.Table(threshold=min_answers(), small_group=2 * min_answers())
    for gender in Gender.values:
        for grade in GRADES[level]:
            numerator, denominator = counts.get((gender, grade), (0, 0))
            table.count((gender, grade, True), numerator)
            table.count((gender, grade, False), denominator - numerator)
    groups = _groups(level)
    for key, _label, test in groups:
        total = table.publish((key, "n"), lambda inner, test=test: test(inner[0], inner[1]))
        for outcome in (True, False):
            table.publish((key, outcome), lambda inner, test=test, o=outcome: test(*inner[:2]) and inner[2] is o,
                          within=total)  # fmt: skip
    result = table.suppress()
    figures = {}
    for key, _label, _test in groups:
        n, hits = result.shown((key, "n")), result.shown((key, True))
        if result.values[(key, "n")] == 0:
            figures[key] = Figure(0)
        elif n is None or hits is None or result.shown((key, False)) is None:
            marks = [result.mark((key, part)) for part in ("n", True, False)]
            figures[key] = Figure(n, hidden="primary" if "primary" in marks else "secondary")
        else:
            low, high = wilson(hits, n)
            figures[key] = Figure(n, hits / n, low, high)
    return figures


def _tallies(surveys) -> dict[tuple[str, str], Counts]:
    """Summed tallies per (indicator code, level) of ``surveys``: one grouped query over the small tally table."""
    rows = (
        Tally.objects.filter(survey__in=surveys)
        .values("indicator__code", "gender", "grade")
        .annotate(numerator=Sum("numerator"), denominator=Sum("denominator"))
    )
    counts: dict[tuple[str, str], Counts] = defaultdict(dict)
    for row in rows:
        level = level_of(row["grade"])
        counts[(row["indicator__code"], level)][(row["gender"], row["grade"])] = (row["numerator"], row["denominator"])
    return counts


def comparison_surveys(survey: Survey):
    """The published surveys of the same year: the county's and the country's (the municipality's own included)."""
    published = Survey.objects.filter(status=Survey.Status.CLOSED, starts_on__year=survey.year)
    return published.filter(municipality__county=survey.municipality.county_id), published


def report(survey: Survey) -> list[dict]:
    """Per level, per indicator: rows of (label, municipality, county, country) figures, all suppressed."""
    county_surveys, country_surveys = comparison_surveys(survey)
    areas = [_tallies([survey]), _tallies(county_surveys), _tallies(country_surveys)]
    rules = IndicatorRule.objects.filter(version__in=survey.versions.all()).select_related("indicator", "version")
    levels = []
    for level in Level.values:
        level_rules = [rule for rule in rules if (rule.indicator.code, level) in areas[0]]
        if not level_rules:
            continue
        groups = [
            (key, label) for key, label, _test in _groups(level) if key in SHOWN_GROUPS or key.startswith("grade")
        ]
        indicators = []
        for rule in sorted(level_rules, key=lambda rule: rule.position):
            tables = [_figures(level, area.get((rule.indicator.code, level), {})) for area in areas]
            rows = [{"key": key, "label": label, "figures": [table[key] for table in tables]} for key, label in groups]
            indicators.append({"code": rule.indicator.code, "title": translated(rule.indicator.title), "rows": rows})
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
