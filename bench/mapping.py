"""The national picture: 10 rounds × 357 municipalities of generated answers (fixed seed), then the picture of
the last round, with trends over all ten, as KS staff see it (no suppression, every municipality). Goal: < 500 ms.

Uses a throwaway SQLite database in a temporary directory (or DATABASE_URL, if set, for PostgreSQL).
Run: .venv/bin/python bench/mapping.py
Last line: ``mapping picture_ms=<median>``.
"""

import datetime as dt
import os
import random
import shutil
import statistics
import tempfile
import time

import django

ROUNDS, RUNS, SEED = 10, 7, 2011


def generate(rng: random.Random) -> None:
    """Ten yearly rounds; each municipality answers with probability 0.8, one in twenty as part of a region."""
    from django.utils import timezone

    from trygg.core.models import Municipality
    from trygg.mapping.models import Questionnaire, Report, ReportMeasure, Round

    questionnaire = Questionnaire.objects.get_or_create(version=1, defaults={"title": "Dialogspørsmål"})[0]
    municipalities = list(Municipality.objects.order_by("number"))
    kinds = ["narcotics", "violence", "threats", "weapons", "economic", "fraud", "trafficking", "property", "other"]
    titles = [f"Tiltak {n}" for n in range(1, 31)]
    now = timezone.now()
    for year in range(ROUNDS):
        round = Round.objects.create(
            name=str(2011 + year),
            questionnaire=questionnaire,
            opens_at=now - dt.timedelta(days=365 * (ROUNDS - year)),
            deadline=now - dt.timedelta(days=365 * (ROUNDS - year) - 60),
            status=Round.Status.CLOSED,
        )
        round.municipalities.set(municipalities)
        answering = [m for m in municipalities if rng.random() < 0.8]
        groups = []
        while answering:
            size = 3 if rng.random() < 0.05 else 1
            groups.append(answering[:size])
            answering = answering[size:]
        reports = Report.objects.bulk_create(
            Report(
                round=round,
                status=Report.Status.SUBMITTED if rng.random() < 0.95 else Report.Status.DRAFT,
                hosts_group=rng.choice(["yes", "no", "no", "no", "unknown"]),
                crews=rng.choice(["yes", "no", "no", "unknown"]),
                assessment=rng.choice(["live_with", "must_act", "unknown"]),
                crime_kinds=rng.sample(kinds, rng.randint(0, 4)),
                recruitment_signs=rng.choice(["yes", "no", "unknown"]),
                wants_guidance=rng.choice(["yes", "no"]),
                submitted_at=now,
            )
            for _ in groups
        )
        links = Report.municipalities.through
        links.objects.bulk_create(
            links(report_id=report.pk, municipality_id=m.pk)
            for report, group in zip(reports, groups, strict=True)
            for m in group
        )
        ReportMeasure.objects.bulk_create(
            ReportMeasure(
                report=report,
                stage=rng.choice(["establishment", "activity"]),
                title=rng.choice(titles),
                experience=rng.choice(["worked", "did_not", "too_early", ""]),
            )
            for report in reports
            for _ in range(rng.randint(0, 3))
        )


def main() -> None:
    directory = tempfile.mkdtemp(prefix="trygg-bench-mapping-")
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
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from trygg.core.models import Role, User
    from trygg.core.services import load_reference_data
    from trygg.mapping.models import Round
    from trygg.mapping.picture import national_picture

    call_command("migrate", verbosity=0)
    load_reference_data()
    generate(random.Random(SEED))
    viewer = User.objects.create_user(username="bench", role=Role.KS_ADVISER)
    last = Round.objects.order_by("-opens_at").first()

    timings = []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            picture = national_picture(Round.objects.get(pk=last.pk), viewer)
            timings.append((time.perf_counter() - start) * 1000)
    print(
        f"round {picture.round.name}: {picture.answered} of {picture.asked} answered, "
        f"{len(picture.trends)} rounds in the trends, {len(picture.measures)} measures, {len(queries)} queries"
    )
    print(f"runs (ms): {', '.join(f'{t:.1f}' for t in timings)}")
    print(f"mapping picture_ms={statistics.median(timings):.1f}")


if __name__ == "__main__":
    main()
