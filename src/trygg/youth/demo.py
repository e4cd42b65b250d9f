"""Synthetic youth surveys for the demo: the standard questionnaire, closed surveys in a few municipalities over
two years (so reports compare with county and country), and one survey open now in Bergen whose codes work. Bergen
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
    """Bergen's own questions in a closed demo survey, answered (synthetically) by the pupils who answered it."""
    version = own.load(survey, own_questions())
    # Answer sets have random keys: ordered by their content, the same seed gives the same figures every time.
    responses = sorted(
        Response.objects.filter(survey=survey),
        key=lambda response: (response.grade, response.gender, json.dumps(response.answers, sort_keys=True)),
    )
    generated = Generator(version, [own.MODULE]).answer_sets(rng, [r.grade for r in responses], 8, 0.0)
    for response, (_grade, answers) in zip(responses, generated, strict=True):
        response.answers = {**response.answers, **answers}
    Response.objects.bulk_update(responses, ["answers"], batch_size=500)


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
    for entry in own_questions():
        own.save(admin, survey, entry)
    return services.approve_survey(admin, survey)
