"""Load: Locust, headless, against the production set-up — the main pages of every role, registration,
situation-report saving, library search, a case, and pupils sending youth-survey answer sets — with two gunicorn
servers and two background workers that share nothing but the database and the storage directory (the "more than
one machine" set-up, on one machine).

Everything runs on loopback and is bounded: ``--users`` simulated users for ``--seconds``. The database is a
throwaway one on the PostgreSQL server (``--database-url``, default ``$DATABASE_URL`` or the local server), or a
SQLite file with ``--sqlite`` (then one server and one worker, as SQLite allows one writer).

    .venv/bin/python bench/load.py [--users 50] [--seconds 120] [--think realistic|aggressive] [--servers 2]

Users pause after every page as people do (``--think realistic``, 3 to 10 s; see bench/locustfile.py), so the p95
is response time; ``--think aggressive`` (0.5 to 2 s) is the stress mode, where a small machine queues requests.
Pupils' answer sets are counted twice: as the servers acknowledged them, and as stored in the database.

Last line: ``load users=<n> p95_ms=<x> errors=<n>``; the goal is p95_ms < 100 and errors=0.
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import urllib.request

from stack import BIN, REPO, Stack  # bench/ is on the path when the script runs

SERVER_URL = "postgres://postgres:postgres@127.0.0.1:5432/postgres"
# Stored: moved into the answers, or still waiting in the inbox for a batch to fill (youth.inbox).
STORED = (
    "from trygg.youth.models import Inbox, Response; "
    "print(sum(m.objects.filter(survey_id={survey}).count() for m in (Inbox, Response)))"
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL") or SERVER_URL)
    parser.add_argument("--sqlite", action="store_true", help="a SQLite file instead of PostgreSQL")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--seconds", type=int, default=120, help="long enough for pupils to finish a survey")
    parser.add_argument("--think", choices=("realistic", "aggressive"), default="realistic")
    parser.add_argument("--servers", type=int, default=2, help="gunicorn servers, each with --web-workers")
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="background workers")
    args = parser.parse_args()
    if args.sqlite:
        args.servers, args.workers, args.web_workers = 1, 1, 1

    with Stack(None if args.sqlite else args.database_url, web_workers=args.web_workers) as stack:
        setup = stack.setup_load_users(staff_sessions=args.users)
        hosts = [stack.start_web(f"web{n}") for n in range(1, args.servers + 1)]
        for n in range(1, args.workers + 1):
            stack.start_worker(f"worker{n}")
        warm_up(hosts, setup, args.web_workers)
        stats = run_locust(stack, hosts, setup, args)
        mail = stack.mail()
        stored = int(stack.manage("shell", "-c", STORED.format(survey=setup["survey"])).splitlines()[-1])

    total = stats["Aggregated"]
    errors = int(total["Failure Count"])
    print(f"{'request':<46} {'count':>6} {'fail':>5} {'p50':>6} {'p95':>6}")
    for name, row in sorted(stats.items()):
        if name != "Aggregated":
            print(f"{name:<46} {row['Request Count']:>6} {row['Failure Count']:>5} {row['50%']:>6} {row['95%']:>6}")
    requests = int(total["Request Count"])
    print(
        f"{args.servers} servers x {args.web_workers} gunicorn workers, {args.workers} background workers, "
        f"think time {args.think}"
    )
    print(f"requests={requests} error_rate={errors / max(requests, 1):.4f} p50_ms={total['50%']} p95_ms={total['95%']}")
    sent = stats.get("youth answer set", {})
    acknowledged = int(sent.get("Request Count", 0)) - int(sent.get("Failure Count", 0))
    print(f"youth answer sets acknowledged={acknowledged} stored={stored}")
    print(f"e-mails queued={mail['queued']} sent={mail['sent']} written={mail['written']} twice={mail['twice']}")
    print(f"load users={args.users} p95_ms={total['95%']} errors={errors}")
    delivered = mail["twice"] == 0 and mail["written"] == mail["sent"]
    return 0 if errors == 0 and delivered and acknowledged == stored else 1


def warm_up(hosts: list[str], setup: dict, web_workers: int) -> None:
    """Each server's processes see the main pages once before the clock starts (imports, compiled templates), as a
    server in service has: otherwise a short run's p95 measures the first requests of fresh processes."""
    cookie = f"{setup['session_cookie']}={setup['sessions']['admin'][0]}"
    pages = ["/", "/oversikt/", "/kartlegging/", "/tiltak/", "/tiltak/veileder/", "/revisjonsspor/", "/bibliotek/",
             f"/saker/{setup['case']}/", f"/arrangementer/{setup['event']}/", "/ung/", "/konto/logg-inn/"]  # fmt: skip
    for host in hosts:
        for path in pages * (2 * web_workers):
            request = urllib.request.Request(host + path, headers={"Cookie": cookie})  # noqa: S310 (loopback)
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (loopback)
                response.read()


def run_locust(stack: Stack, hosts: list[str], setup: dict, args) -> dict[str, dict]:
    prefix = stack.folder / "locust"
    env = {
        **os.environ,
        "TRYGG_LOAD_HOSTS": ",".join(hosts),
        "TRYGG_LOAD_SETUP": json.dumps(setup),
        "TRYGG_LOAD_THINK": args.think,
    }
    command = [
        BIN / "locust", "-f", REPO / "bench" / "locustfile.py", "--headless", "--only-summary",
        "--users", str(args.users), "--spawn-rate", str(args.spawn_rate), "--run-time", f"{args.seconds}s",
        "--stop-timeout", "10", "--csv", prefix, "--exit-code-on-error", "0", "--loglevel", "WARNING",
    ]  # fmt: skip
    subprocess.run(command, env=env, check=True, timeout=args.seconds + 120, stdout=subprocess.DEVNULL)
    with open(f"{prefix}_stats.csv", newline="") as handle:
        return {row["Name"]: row for row in csv.DictReader(handle)}


if __name__ == "__main__":
    sys.exit(main())
