"""Synthetic youth surveys for the demo: the standard questionnaire, closed surveys at every school level in the
source deck's municipalities (and Askøy and Drammen, neighbours of the demo's contact) over three years, so reports
compare with county and country and show a trend, and one survey open now in Bergen whose codes work. Bergen
asks two questions of its own (``own_questions``), in its latest closed survey and in the open one.

Every answer is generated (``synth``, fixed seed) and every survey is marked ``is_demo``: synthetic, not real.
"""

import datetime as dt
import json
from pathlib import Path

import numpy as np
from django.conf import settings
from django.utils import timezone

from trygg.core.models import Municipality, User
from trygg.questionnaires import services as questionnaires

from . import aggregates, own, services
from .models import QUESTIONNAIRES, Level, Response, Survey
from .synth import Generator

STANDARD = Path(settings.DATA_DIR) / "questionnaires" / "youth-standard.yaml"
# The deck's municipalities with a "1 %" milieu (its study trip), each with a small shift of its shares.
MUNICIPALITIES = {
    "Oslo": 0.04,
    "Bergen": 0.0,
    "Trondheim - Tråante": 0.01,
    "Stavanger": -0.01,
    "Kristiansand": 0.02,
    "Tromsø": -0.03,
    "Bærum": -0.04,
    "Askøy": 0.03,
    "Drammen": -0.02,
}
YEARS = {2018: -0.03, 2021: -0.02, 2024: 0.0}
THEMES = ["skole", "vold"]
SCHOOLS = ("Demo ungdomsskole", "Demo skole øst")
# Per level: its schools, grades and share answering (Ungdata: about 84 % in grades 8–10, 68 % in upper secondary).
LEVELS = {
    Level.LOWER: (SCHOOLS, (8, 9, 10), 0.84),
    Level.UPPER: (("Demo videregående skole",), (11, 12, 13), 0.68),
    Level.JUNIOR: (("Demo barneskole",), (5, 6, 7), 0.9),
}
SEED = 2011


def load_standard() -> None:
    for data in questionnaires.parse(STANDARD.read_text(encoding="utf-8")):
        questionnaires.import_definition(data)


def load():
    if Survey.objects.filter(is_demo=True).exists():
        return []
    load_standard()
    admin = User.objects.get(username="admin")
    rng = np.random.default_rng(SEED)
    aggregates.ingest(_earlier(rng))
    _own_answers(rng, Survey.objects.get(municipality__name=OWN_QUESTIONS_IN, starts_on__year=max(YEARS)))
    today = timezone.localdate()
    _survey(admin, Municipality.objects.get(name="Bergen"), today - dt.timedelta(days=1), today + dt.timedelta(days=60))
    return []


# Two questions of Bergen's own, in its latest closed survey (with synthetic answers) and in the one open now.
OWN_QUESTIONS_IN = "Bergen"


def own_questions() -> list[dict]:
    satisfied = ("Svært fornøyd", "Ganske fornøyd", "Lite fornøyd", "Ikke fornøyd")
    satisfied_en = ("Very satisfied", "Quite satisfied", "Not very satisfied", "Not satisfied")
    sources = ("Skolen", "Venner", "Sosiale medier", "Foreldre", "Kommunens nettsider")
    return [
        own.question(
            "likert",
            {"nb": "Hvor fornøyd er du med fritidstilbudet for ungdom i bydelen din?",
             "en": "How satisfied are you with what there is to do for young people in your part of town?"},
            {"nb": satisfied, "en": satisfied_en},
        ),
        own.question(
            "multiple", {"nb": "Hvor får du vite om fritidstilbud?"}, {"nb": sources}
        ),
    ]  # fmt: skip


def _own_answers(rng, survey: Survey) -> None:
    """Bergen's own questions in a closed demo survey, answered (synthetically) by the pupils of grades 8 and up
    who answered it (grades 5–7 are not asked them)."""
    version = own.load(survey, own_questions())
    # Answer sets have random keys: ordered by their content, the same seed gives the same figures every time.
    responses = sorted(
        Response.objects.filter(survey=survey, grade__gte=8),
        key=lambda response: (response.grade, response.gender, json.dumps(response.answers, sort_keys=True)),
    )
    generated = Generator(version, [own.MODULE]).answer_sets(rng, [r.grade for r in responses], 8, 0.0)
    for response, (_grade, answers) in zip(responses, generated, strict=True):
        response.answers = {**response.answers, **answers}
    Response.objects.bulk_update(responses, ["answers"], batch_size=500)


def _classes(municipality, levels=(Level.LOWER,)) -> list[tuple[str, str, int, int]]:
    return [
        (f"{school} ({municipality.name})", f"{grade}{letter}", grade, 24)
        for level in levels
        for school in LEVELS[level][0]
        for grade in LEVELS[level][1]
        for letter in "AB"
    ]


def _earlier(rng):
    """Closed synthetic surveys in the demo's municipalities over three years, at every school level."""
    generators = {level: Generator(questionnaires.latest_version(QUESTIONNAIRES[level]), THEMES) for level in LEVELS}
    for name, shift in MUNICIPALITIES.items():
        municipality = Municipality.objects.select_related("county").get(name=name)
        for year, year_shift in YEARS.items():
            classes = _classes(municipality, tuple(LEVELS))
            answer_sets = []
            for level, (_schools, grades, answering) in LEVELS.items():
                pupils = [grade for _s, _c, grade, size in classes if grade in grades for _pupil in range(size)]
                answered = [grade for grade in pupils if rng.random() < answering]
                answer_sets += generators[level].answer_sets(rng, answered, grades[0], shift + year_shift)
            yield aggregates.Earlier(municipality, year, classes, answer_sets, themes=THEMES, is_demo=True)


def _survey(admin, municipality, starts_on, ends_on) -> Survey:
    classes = "\n".join(f"{school}; {name}; {grade}; {size}" for school, name, grade, size in _classes(municipality))
    survey = services.order_survey(admin, municipality, starts_on, ends_on, classes, themes=THEMES)
    Survey.objects.filter(pk=survey.pk).update(is_demo=True)
    for entry in own_questions():
        own.save(admin, survey, entry)
    return services.approve_survey(admin, survey)
