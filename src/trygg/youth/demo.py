"""Synthetic youth surveys for the demo: the standard questionnaire, closed surveys in a few municipalities over
two years (so reports compare with county and country), and one survey open now in Bergen whose codes work.

Every answer is generated (``synth``, fixed seed) and every survey is marked ``is_demo``: synthetic, not real.
"""

import datetime as dt
import random
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from trygg.core.models import Municipality, User
from trygg.questionnaires import services as questionnaires

from . import services
from .models import QUESTIONNAIRES, Level, SchoolClass, Survey
from .synth import Generator

STANDARD = Path(settings.DATA_DIR) / "questionnaires" / "youth-standard.yaml"
MUNICIPALITIES = {"Bergen": 0.0, "Askøy": 0.03, "Drammen": -0.02, "Oslo": 0.04, "Tromsø": -0.03}
YEARS = {2021: -0.02, 2024: 0.0}
SEED = 2011


def load_standard() -> None:
    for data in questionnaires.parse(STANDARD.read_text(encoding="utf-8")):
        questionnaires.import_definition(data)


def load():
    if Survey.objects.filter(is_demo=True).exists():
        return []
    load_standard()
    admin = User.objects.get(username="admin")
    rng = random.Random(SEED)
    for name, shift in MUNICIPALITIES.items():
        municipality = Municipality.objects.get(name=name)
        for year, year_shift in YEARS.items():
            survey = _survey(admin, municipality, dt.date(year, 2, 1), dt.date(year, 3, 20))
            load_synthetic(survey, rng, shift + year_shift, rate=0.84, submitted_on=dt.date(year, 2, 10))
            services.close_survey(admin, survey)
    today = timezone.localdate()
    _survey(admin, Municipality.objects.get(name="Bergen"), today - dt.timedelta(days=1), today + dt.timedelta(days=60))
    return []


def _survey(admin, municipality, starts_on, ends_on) -> Survey:
    classes = "\n".join(
        f"{school} ({municipality.name}); {grade}{letter}; {grade}; 24"
        for school in ("Demo ungdomsskole", "Demo skole øst")
        for grade in (8, 9, 10)
        for letter in "AB"
    )
    survey = services.order_survey(admin, municipality, starts_on, ends_on, classes, themes=["skole", "vold"])
    Survey.objects.filter(pk=survey.pk).update(is_demo=True)
    return services.approve_survey(admin, survey)


def load_synthetic(survey: Survey, rng: random.Random, shift: float, rate: float, submitted_on: dt.date) -> int:
    """Synthetic answers from about ``rate`` of the survey's pupils."""
    generators = {}
    answer_sets = []
    classes = SchoolClass.objects.filter(school__survey=survey)
    for school_class in classes:
        level = school_class.level
        if level not in generators:
            generators[level] = Generator(survey.versions.get(questionnaire__code=QUESTIONNAIRES[level]))
        first = {Level.JUNIOR: 5, Level.LOWER: 8, Level.UPPER: 11}[level]
        for _pupil in range(school_class.size):
            if rng.random() < rate:
                answer_sets.append(
                    (school_class.grade, generators[level].answers(rng, school_class.grade, first, shift))
                )
    return services.load_answer_sets(survey, answer_sets, submitted_on)
