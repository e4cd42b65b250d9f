"""Synthetic youth-survey answer sets over every municipality and ten years, deterministic for a fixed seed.

Each municipality surveys its lower secondary schools every third year (as Ungdata's municipalities do), so ten
years hold about 1 200 surveys; ``N`` answer sets are spread over them, about 84 % of the invited pupils answering.
Answers differ plausibly by gender, grade, municipality and year (``trygg.youth.synth``), and every survey is
marked as synthetic. Rows are drawn a class at a time and stored through ``youth.aggregates.ingest`` in bulk.

Uses a throwaway SQLite database in a temporary directory (or DATABASE_URL, if set).
Run: .venv/bin/python bench/youth_synth.py 20000
Last line: ``youth_synth answers=<n> surveys=<s> seconds=<x>``.
"""

import os
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager

import django

SEED, FIRST_YEAR, YEARS, CLASS_SIZE, RATE = 2011, 2016, 10, 25, 0.84


def plan(n: int, seed: int = SEED):
    """(municipality, year, pupils answering, shift) for every survey: every third year, sizes spread lognormally."""
    import numpy as np

    from trygg.core.models import Municipality

    rng = np.random.default_rng(seed)
    municipalities = list(Municipality.objects.select_related("county").order_by("number"))
    shifts = dict(zip(municipalities, rng.normal(0, 0.03, len(municipalities)), strict=True))
    surveys = [
        (municipality, year)
        for index, municipality in enumerate(municipalities)
        for year in range(FIRST_YEAR, FIRST_YEAR + YEARS)
        if (year + index) % 3 == 0
    ]
    sizes = rng.lognormal(0, 0.8, len(surveys))
    pupils = np.maximum(1, np.floor(n * sizes / sizes.sum())).astype(int)
    remainder = n - int(pupils.sum())
    if remainder > 0:
        pupils[:remainder] += 1  # so exactly n in all
    trend = rng.normal(0, 0.01, YEARS).cumsum()
    return [
        (municipality, year, int(count), float(shifts[municipality] + trend[year - FIRST_YEAR]))
        for (municipality, year), count in zip(surveys, pupils, strict=True)
    ], rng


def earlier_surveys(n: int, seed: int = SEED):
    """The synthetic surveys, one at a time (a million answer sets never sit in memory at once)."""
    from trygg.questionnaires.services import latest_version
    from trygg.youth import aggregates
    from trygg.youth.models import QUESTIONNAIRES, Level
    from trygg.youth.synth import Generator

    surveys, rng = plan(n, seed)
    generator = Generator(latest_version(QUESTIONNAIRES[Level.LOWER]))
    for municipality, year, pupils, shift in surveys:
        per_class = max(1, -(-round(pupils / RATE) // (3 * CLASS_SIZE)))
        classes = [
            (f"Skole {number + 1}", f"{grade}{chr(65 + number % 26)}{number // 26 or ''}", grade, CLASS_SIZE)
            for grade in (8, 9, 10)
            for number in range(per_class)
        ]
        grades = [8 + index % 3 for index in range(pupils)]
        answer_sets = generator.answer_sets(rng, grades, 8, shift)
        yield aggregates.Earlier(municipality, year, classes, answer_sets, is_demo=True)


def synthesise(n: int, seed: int = SEED) -> tuple[int, int]:
    """Create the surveys and ``n`` answer sets; returns (answer sets stored, surveys)."""
    from trygg.youth import aggregates, demo
    from trygg.youth.models import Survey

    demo.load_standard()
    stored = aggregates.ingest(earlier_surveys(n, seed))
    return stored, Survey.objects.count()


@contextmanager
def bench_database(prefix: str):
    """Django on a throwaway SQLite database (or DATABASE_URL), migrated, with the reference data."""
    directory = tempfile.mkdtemp(prefix=prefix)
    try:
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{directory}/bench.sqlite3")
        os.environ["TRYGG_VAR_DIR"] = directory
        os.environ["DJANGO_SETTINGS_MODULE"] = "trygg.settings"
        django.setup()
        from django.core.management import call_command

        from trygg.core.services import load_reference_data

        call_command("migrate", verbosity=0)
        load_reference_data()
        yield
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    with bench_database("trygg-bench-youth-synth-"):
        start = time.perf_counter()
        stored, surveys = synthesise(n)
        print(f"youth_synth answers={stored} surveys={surveys} seconds={time.perf_counter() - start:.1f}")


if __name__ == "__main__":
    main()
