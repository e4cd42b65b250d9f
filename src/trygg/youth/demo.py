"""Synthetic youth surveys for the demo: the standard questionnaire, closed surveys in a few municipalities over
two years (so reports compare with county and country), and one survey open now in Bergen whose codes work.

Every answer is generated (``synth``, fixed seed) and every survey is marked ``is_demo``: synthetic, not real.
"""

import datetime as dt
from pathlib import Path

import numpy as np
from django.conf import settings
from django.utils import timezone

from trygg.core.models import Municipality, User
from trygg.questionnaires import services as questionnaires

from . import aggregates, services
from .models import QUESTIONNAIRES, Level, Survey
from .synth import Generator

STANDARD = Path(settings.DATA_DIR) / "questionnaires" / "youth-standard.yaml"
MUNICIPALITIES = {"Bergen": 0.0, "Askøy": 0.03, "Drammen": -0.02, "Oslo": 0.04, "Tromsø": -0.03}
YEARS = {2018: -0.03, 2021: -0.02, 2024: 0.0}
THEMES = ["skole", "vold"]
SCHOOLS = ("Demo ungdomsskole", "Demo skole øst")
SEED = 2011


def load_standard() -> None:
    for data in questionnaires.parse(STANDARD.read_text(encoding="utf-8")):
        questionnaires.import_definition(data)


def load():
    if Survey.objects.filter(is_demo=True).exists():
        return []
    load_standard()
    admin = User.objects.get(username="admin")
    aggregates.ingest(_earlier(np.random.default_rng(SEED)))
    today = timezone.localdate()
    _survey(admin, Municipality.objects.get(name="Bergen"), today - dt.timedelta(days=1), today + dt.timedelta(days=60))
    return []


def _classes(municipality) -> list[tuple[str, str, int, int]]:
    return [
        (f"{school} ({municipality.name})", f"{grade}{letter}", grade, 24)
        for school in SCHOOLS
        for grade in (8, 9, 10)
        for letter in "AB"
    ]


def _earlier(rng):
    """Closed synthetic surveys in the demo's municipalities over three years, about 84 % answering."""
    version = questionnaires.latest_version(QUESTIONNAIRES[Level.LOWER])
    generator = Generator(version, THEMES)
    for name, shift in MUNICIPALITIES.items():
        municipality = Municipality.objects.select_related("county").get(name=name)
        for year, year_shift in YEARS.items():
            classes = _classes(municipality)
            grades = [grade for _s, _c, grade, size in classes for _pupil in range(size) if rng.random() < 0.84]
            answer_sets = generator.answer_sets(rng, grades, 8, shift + year_shift)
            yield aggregates.Earlier(municipality, year, classes, answer_sets, themes=THEMES, is_demo=True)


def _survey(admin, municipality, starts_on, ends_on) -> Survey:
    classes = "\n".join(f"{school}; {name}; {grade}; {size}" for school, name, grade, size in _classes(municipality))
    survey = services.order_survey(admin, municipality, starts_on, ends_on, classes, themes=THEMES)
    Survey.objects.filter(pk=survey.pk).update(is_demo=True)
    return services.approve_survey(admin, survey)
