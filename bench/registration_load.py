"""Registration under load: many municipalities registering at once must never oversell, and must be quick.

Creates a throwaway database on the PostgreSQL server (``trygg_bench_<pid>``), migrates it, loads the reference
data, invites 40 municipalities with a quota of 3 each to an event for 100 (120 places by quota, so the venue is
contested too), then fires 200 registrations from worker processes, each with its own connection, as gunicorn
serves them: by default one per core, since PostgreSQL shares the machine and more workers only compete for it. The
database is dropped afterwards, also on error. E-mails go to Django's in-memory outbox, so rendering them counts
but no mail server does.

    .venv/bin/python bench/registration_load.py [--database-url postgres://user:pass@host:5432/postgres]

Last line: ``registration oversold=<n> registrations=<n> per_s=<x>``; the goal is oversold=0 and per_s >= 200.
"""

import argparse
import multiprocessing
import os
import sys
import time
from collections import Counter
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

SERVER_URL = "postgres://postgres:postgres@127.0.0.1:5432/postgres"
MUNICIPALITIES, QUOTA, CAPACITY, ATTEMPTS = 40, 3, 100, 200


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def run(workers: int) -> tuple[int, int, float, Counter]:
    """Set up the event, fire the registrations, and count what was confirmed."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from trygg.core.models import Municipality, Role, User
    from trygg.core.services import load_reference_data
    from trygg.events import services
    from trygg.events.models import Event, Invitation, InvitationTier, Registration

    call_command("migrate", verbosity=0)
    load_reference_data()
    actor = User.objects.create_user(username="bench", role=Role.KS_ADVISER)
    event = Event.objects.create(
        title="Belastningstest", city="Oslo", status=Event.Status.REGISTRATION_OPEN, capacity=CAPACITY
    )
    tier = InvitationTier.objects.create(event=event, name="Alle", quota=QUOTA)
    invited = list(Municipality.objects.order_by("-population")[:MUNICIPALITIES])
    for municipality in invited:
        Invitation.objects.create(event=event, municipality=municipality, tier=tier)
    attempts = [(index, invited[index % len(invited)]) for index in range(ATTEMPTS)]
    connection.close()

    # Worker processes, as gunicorn runs them: each has its own interpreter and database connection.
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(workers + 1)
    results = context.Queue()

    def worker(share: list) -> None:
        outcomes = Counter()
        try:
            connection.ensure_connection()
            barrier.wait()
            for index, municipality in share:
                delegate = {"name": f"Delegat {index}", "email": f"delegat.{index}@bench.invalid"}
                try:
                    outcomes[services.register(actor, event, municipality, delegate).status] += 1
                except services.EventError as error:
                    outcomes[f"error: {error}"] += 1
        finally:
            connection.close()
            results.put(outcomes)

    processes = [context.Process(target=worker, args=(attempts[n::workers],)) for n in range(workers)]
    for process in processes:
        process.start()
    barrier.wait()
    started = time.perf_counter()
    outcomes = sum((results.get() for _ in processes), Counter())
    elapsed = time.perf_counter() - started
    for process in processes:
        process.join()

    confirmed = Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED)
    per_municipality = Counter(confirmed.values_list("municipality_id", flat=True))
    oversold = sum(max(0, n - QUOTA) for n in per_municipality.values()) + max(0, confirmed.count() - CAPACITY)
    registrations = Registration.objects.filter(event=event).count()
    connection.close()
    return oversold, registrations, elapsed, outcomes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=SERVER_URL, help="PostgreSQL server (any database on it)")
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 2, help="worker processes, one connection each"
    )
    args = parser.parse_args()

    name = f"trygg_bench_{os.getpid()}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "trygg.settings"
    os.environ["DATABASE_URL"] = with_database(args.database_url, name)
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"

    with psycopg.connect(args.database_url, autocommit=True) as server:
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        oversold, registrations, elapsed, outcomes = run(args.workers)
    finally:
        with psycopg.connect(args.database_url, autocommit=True) as server:
            server.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    for outcome, count in sorted(outcomes.items()):
        print(f"{outcome}: {count}")
    print(f"{args.workers} processes, {elapsed:.2f} s for {ATTEMPTS} attempts")
    print(f"registration oversold={oversold} registrations={registrations} per_s={registrations / elapsed:.1f}")
    return 0 if oversold == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
