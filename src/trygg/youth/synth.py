"""Synthetic answer sets, deterministic for a seed: for the demo and the benchmarks, never for real reports.

Each indicator's chance of a "yes" differs plausibly by gender, grade, municipality and year (girls report more
loneliness, older pupils drink more, …), so the report has differences to show. Some answers are declined or
skipped, as real pupils do. A class's answers are drawn a column at a time (numpy), so a million come quickly.
"""

import numpy as np

from trygg.questionnaires.models import DECLINED, Item, Module

# Base chance of the indicator's numerator, and how it moves for girls and per grade above the level's first.
PROFILE = {
    "safe_evening": (0.88, -0.06, -0.01),
    "local_satisfied": (0.80, -0.02, -0.03),
    "organised": (0.62, -0.02, -0.06),
    "lonely": (0.14, 0.09, 0.02),
    "depressive": (0.16, 0.10, 0.03),
    "happy_life": (0.74, -0.05, -0.03),
    "bullied": (0.08, 0.01, -0.01),
    "screen_time": (0.30, -0.04, 0.05),
    "drunk": (0.10, 0.01, 0.11),
    "cannabis": (0.03, -0.01, 0.02),
}
GENDERS, GENDER_WEIGHTS = ("girl", "boy", "other", None), (0.48, 0.48, 0.02, 0.02)
ABSENT = object()  # not asked (skip logic): no answer at all


class Generator:
    """Answer sets for one questionnaire version, its core and the ``themes`` given."""

    def __init__(self, version, themes=()):
        self.items = [
            item
            for item in version.items.prefetch_related("options").select_related("module")
            if item.module.kind == Module.Kind.CORE or item.module.code in themes
        ]
        self.indicator_of = {
            rule.item.code: (rule.indicator.code, set(rule.numerator), set(rule.denominator))
            for rule in version.indicator_rules.select_related("indicator", "item")
        }

    def answer_sets(self, rng: np.random.Generator, grades: list[int], first_grade: int, shift: float) -> list:
        """(grade, answers) for each pupil of ``grades`` (one entry per pupil)."""
        size = len(grades)
        steps = np.asarray(grades) - first_grade
        gender = rng.choice(len(GENDERS), size=size, p=GENDER_WEIGHTS)
        girls = gender == 0
        columns: dict[str, list] = {}
        for item in self.items:
            if item.code == "gender":
                columns[item.code] = [GENDERS[index] for index in gender]
                continue
            values = self._column(rng, item, girls, steps, shift)
            roll = rng.random(size)
            values = [DECLINED if r < 0.02 else None if r < 0.05 else v for r, v in zip(roll, values, strict=True)]
            if item.show_if:
                shown_if = set(item.show_if["any_of"])
                before = columns[item.show_if["item"]]
                values = [v if b in shown_if else ABSENT for b, v in zip(before, values, strict=True)]
            columns[item.code] = values
        codes = list(columns)
        return [
            (grade, {code: value for code, value in zip(codes, row, strict=True) if value is not ABSENT})
            for grade, row in zip(grades, zip(*columns.values(), strict=True), strict=True)
        ]

    def _column(self, rng, item, girls, steps, shift) -> list:
        size = len(steps)
        if item.kind == Item.Kind.NUMBER:
            low, high = item.minimum or 0, item.maximum or 50
            return np.clip(np.rint(rng.normal(4, 2, size)), low, high).astype(int).tolist()
        codes = [option.code for option in item.options.all()]
        if item.kind == Item.Kind.MULTIPLE:
            first, second = rng.integers(len(codes), size=size), rng.integers(len(codes), size=size)
            both = rng.random(size) < 0.5
            return [
                sorted({codes[a], codes[b]} if two else {codes[a]}, key=codes.index)
                for a, b, two in zip(first, second, both, strict=True)
            ]
        indicator = self.indicator_of.get(item.code)
        if indicator is None:
            return np.asarray(codes, dtype=object)[rng.integers(len(codes), size=size)].tolist()
        code, numerator, denominator = indicator
        base, girl, per_grade = PROFILE.get(code, (0.5, 0.0, 0.0))
        chance = np.clip(base + girl * girls + per_grade * steps + shift, 0.01, 0.97)
        yes = np.asarray(sorted(numerator, key=codes.index), dtype=object)
        no = np.asarray(
            [c for c in codes if c not in numerator and (not denominator or c in denominator)], dtype=object
        )
        outside = [c for c in codes if denominator and c not in denominator]
        values = np.where(
            rng.random(size) < chance, yes[rng.integers(len(yes), size=size)], no[rng.integers(len(no), size=size)]
        )
        if outside:
            away = rng.random(size) < 0.04
            values[away] = np.asarray(outside, dtype=object)[rng.integers(len(outside), size=int(away.sum()))]
        return values.tolist()
