"""Synthetic answer sets, deterministic for a seed: for the demo and the benchmarks, never for real reports.

Each indicator's chance of a "yes" differs plausibly by gender, grade, municipality and year (girls report more
loneliness, older pupils drink more, …), so the report has differences to show. Some answers are declined or
skipped, as real pupils do.
"""

import random

from trygg.questionnaires.models import DECLINED, Item

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
GENDERS = (("girl", 0.48), ("boy", 0.48), ("other", 0.02), (None, 0.02))


class Generator:
    """Answer sets for one questionnaire version: ``answers(rng, grade, shift)`` gives one pupil's."""

    def __init__(self, version):
        self.items = list(version.items.prefetch_related("options").select_related("module"))
        self.indicator_of = {
            rule.item.code: (rule.indicator.code, set(rule.numerator), set(rule.denominator))
            for rule in version.indicator_rules.select_related("indicator", "item")
        }

    def answers(self, rng: random.Random, grade: int, first_grade: int, shift: float) -> dict:
        answers: dict = {}
        gender = rng.choices([g for g, _w in GENDERS], [w for _g, w in GENDERS])[0]
        for item in self.items:
            if item.show_if:
                chosen = answers.get(item.show_if["item"])
                if chosen not in item.show_if["any_of"]:
                    continue
            if item.code == "gender":
                answers["gender"] = gender
                continue
            roll = rng.random()
            if roll < 0.02:
                answers[item.code] = DECLINED
                continue
            if roll < 0.05:
                answers[item.code] = None
                continue
            answers[item.code] = self._answer(rng, item, gender, grade - first_grade, shift)
        return answers

    def _answer(self, rng, item, gender, step, shift):
        if item.kind == Item.Kind.NUMBER:
            return min(item.maximum or 50, max(item.minimum or 0, int(rng.gauss(4, 2))))
        codes = [option.code for option in item.options.all()]
        if item.kind == Item.Kind.MULTIPLE:
            return sorted(rng.sample(codes, rng.randint(1, 2)), key=codes.index)
        indicator = self.indicator_of.get(item.code)
        if indicator is None:
            return rng.choice(codes)
        code, numerator, denominator = indicator
        base, girls, per_grade = PROFILE.get(code, (0.5, 0.0, 0.0))
        chance = base + (girls if gender == "girl" else 0) + per_grade * step + shift
        others = [c for c in codes if c not in numerator and (not denominator or c in denominator)]
        outside = [c for c in codes if denominator and c not in denominator]
        if outside and rng.random() < 0.04:
            return rng.choice(outside)
        if rng.random() < min(0.97, max(0.01, chance)):
            return rng.choice(sorted(numerator, key=codes.index))
        return rng.choice(others)
