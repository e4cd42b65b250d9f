"""Advice for a municipality, at national scale: ten rounds of generated reports for all 357 municipalities (the
mapping benchmark's data, fixed seed) and the starter catalogue; then the advice page's work for every municipality
— its situation from the latest report, the ranked advice and what neighbours and similar municipalities tried —
and a Norwegian search over the catalogue. Goal: advice < 300 ms per municipality (median), search < 50 ms.

Uses a throwaway SQLite database in a temporary directory (or DATABASE_URL, if set, for PostgreSQL).
Run: .venv/bin/python bench/measures.py
Last line: ``measures advice_ms=<median> search_ms=<median>``.
"""

import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).parent))
from mapping import SEED, generate  # the mapping benchmark's generated rounds

QUERIES = ["klubbhus", "skjenkebevillingen", "forbud", "rekruttering i skolen", "skatt og trygd"]


def main() -> None:
    directory = tempfile.mkdtemp(prefix="trygg-bench-measures-")
    try:
        run(directory)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def run(directory: str) -> None:
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{directory}/bench.sqlite3")
    os.environ["TRYGG_VAR_DIR"] = directory
    os.environ["DJANGO_SETTINGS_MODULE"] = "trygg.settings"
    django.setup()
    from django.core.management import call_command

    from trygg.core.models import Municipality, Role, User
    from trygg.core.services import load_reference_data
    from trygg.mapping import situation
    from trygg.measures import advice, catalogue, starter
    from trygg.measures.catalogue import Filters

    call_command("migrate", verbosity=0)
    load_reference_data()
    generate(random.Random(SEED))
    starter.load()
    viewer = User.objects.create_user(username="bench", role=Role.KS_ADVISER)

    timings, proposals = [], 0
    for municipality in Municipality.objects.order_by("number"):
        start = time.perf_counter()
        report = situation.latest_report(municipality)
        if report is not None:
            found = advice.advise(advice.situation_from_report(report))
            advice.peers(municipality, viewer)
            proposals += len(found.proposals)
        timings.append((time.perf_counter() - start) * 1000)
    searches = []
    for query in QUERIES * 5:
        start = time.perf_counter()
        catalogue.filter_measures(catalogue.published(), Filters(q=query))
        searches.append((time.perf_counter() - start) * 1000)
    print(f"{len(timings)} municipalities, {proposals} proposals, {catalogue.published().count()} measures")
    print(f"advice ms: max {max(timings):.1f}; search ms: max {max(searches):.1f}")
    print(f"measures advice_ms={statistics.median(timings):.1f} search_ms={statistics.median(searches):.1f}")


if __name__ == "__main__":
    main()
