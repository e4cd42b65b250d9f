"""Synthetic youth-survey answer sets over every municipality and ten years, deterministic for a fixed seed.

Each municipality surveys its lower secondary schools every third year (as Ungdata's municipalities do), so ten
years hold about 1 200 surveys; ``N`` answer sets are spread over them, about 84 % of the invited pupils answering.
Answers differ plausibly by gender, grade, municipality and year (``trygg.youth.synth``), and every survey is
marked as synthetic. Used by the demo (a few municipalities) and by the other youth benchmarks.

Uses a throwaway SQLite database in a temporary directory (or DATABASE_URL, if set).
Run: .venv/bin/python bench/youth_synth.py 20000
Last line: ``youth_synth answers=<n> surveys=<s> seconds=<x>``.
"""

import datetime as dt
import os
import random
import shutil
import sys
import tempfile
import time

import django

SEED, FIRST_YEAR, YEARS, CLASS_SIZE, RATE = 2011, 2016, 10, 25, 0.84


def synthesise(n: int, seed: int = SEED) -> tuple[int, int]:
    """Create the surveys and ``n`` answer sets; returns (answer sets stored, surveys)."""
    from trygg.core.models import Municipality, Role, User
    from trygg.youth import demo, services
    from trygg.youth.models import Survey

    rng = random.Random(seed)
    demo.load_standard()
    admin = User.objects.filter(role=Role.KS_ADMIN).first() or User.objects.create_user(
        username="synth", role=Role.KS_ADMIN
    )
    municipalities = list(Municipality.objects.order_by("number"))
    plan = [
        (municipality, year, rng.lognormvariate(0, 0.8), rng.gauss(0, 0.03))
        for index, municipality in enumerate(municipalities)
        for year in range(FIRST_YEAR, FIRST_YEAR + YEARS)
        if (year + index) % 3 == 0
    ]
    weight = sum(size for _m, _y, size, _s in plan)
    stored = 0
    for municipality, year, size, shift in plan:
        pupils = max(1, round(n * size / weight))
        classes_per_grade = max(1, -(-round(pupils / RATE) // (3 * CLASS_SIZE)))
        lines = "\n".join(
            f"Skole {number + 1}; {grade}{chr(65 + number)}; {grade}; {CLASS_SIZE}"
            for grade in (8, 9, 10)
            for number in range(classes_per_grade)
        )
        survey = services.order_survey(admin, municipality, dt.date(year, 2, 1), dt.date(year, 3, 20), lines)
        Survey.objects.filter(pk=survey.pk).update(is_demo=True)
        survey = services.approve_survey(admin, survey)
        rate = min(1.0, pupils / (3 * classes_per_grade * CLASS_SIZE))
        stored += demo.load_synthetic(survey, rng, shift, rate=rate, submitted_on=dt.date(year, 2, 10))
        services.close_survey(admin, survey)
    return stored, len(plan)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    directory = tempfile.mkdtemp(prefix="trygg-bench-youth-synth-")
    try:
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{directory}/bench.sqlite3")
        os.environ["TRYGG_VAR_DIR"] = directory
        os.environ["DJANGO_SETTINGS_MODULE"] = "trygg.settings"
        django.setup()
        from django.core.management import call_command

        from trygg.core.services import load_reference_data

        call_command("migrate", verbosity=0)
        load_reference_data()
        start = time.perf_counter()
        stored, surveys = synthesise(n)
        print(f"youth_synth answers={stored} surveys={surveys} seconds={time.perf_counter() - start:.1f}")
    finally:
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
