"""Faults: registration through the API while the application server and the background workers are SIGKILLed and
restarted, then proof that nothing acknowledged was lost or doubled, no quota oversold, no e-mail sent twice, and
that work interrupted by a kill finishes after the restart.

Clients (threads, each with a municipal contact's API token) register delegates for an event that is contested
(quotas add up to more than the venue); a client retries a delegate until it gets an answer, as a real client
would (a retried delegate that was in fact stored gets "already registered"). Meanwhile the gunicorn server (all
its processes) and the two workers are killed every few seconds and started again; before each kill, users' jobs
(the situation brief as PDF, seconds of typesetting) are queued and the kill waits until a worker is in one.
Afterwards the workers' own periodic tick (run every few seconds here, every 15 minutes by default) queues the
interrupted e-mails and jobs again once they are stale; nothing is recovered by hand.

Needs PostgreSQL (``--database-url``, default ``$DATABASE_URL`` or the local server); a throwaway database.

    .venv/bin/python bench/faults.py [--seconds 60] [--clients 8]

Last line: ``faults kills=<n> acknowledged=<n> stored=<n> doubled=<n> oversold=<n>``; the goal is
stored = acknowledged, doubled=0, oversold=0 (and on the line before, every job and e-mail finished).
"""

import argparse
import itertools
import json
import os
import sys
import threading
import time

import psycopg
import requests
from stack import Stack  # bench/ is on the path when the script runs

SERVER_URL = "postgres://postgres:postgres@127.0.0.1:5432/postgres"
MUNICIPALITIES, QUOTA, CAPACITY = 20, 3, 50

SETUP = f"""
import json
from trygg.core.audit import acting_as
from trygg.core.models import APIToken, Municipality, Role, User
from trygg.events.models import Event, Invitation, InvitationTier
with acting_as(None, "bench/faults.py"):
    event = Event.objects.create(
        title="Feiltest (fiktiv)", city="Oslo", status=Event.Status.REGISTRATION_OPEN, capacity={CAPACITY}
    )
    tier = InvitationTier.objects.create(event=event, name="Alle", quota={QUOTA})
    tokens = {{}}
    for municipality in Municipality.objects.order_by("-population")[:{MUNICIPALITIES}]:
        Invitation.objects.create(event=event, municipality=municipality, tier=tier)
        user = User.objects.create_user(
            username=f"feil{{municipality.number}}", email="feil@bench.invalid", role=Role.MUNICIPAL_CONTACT
        )
        user.municipalities.set([municipality])
        tokens[municipality.number] = APIToken.issue(user, "bench/faults.py")[1]
print(json.dumps({{"event": event.pk, "tokens": tokens}}))
"""

COUNT = """
import json
from collections import Counter
from trygg.events.models import Registration
rows = Registration.objects.filter(event_id={event})
confirmed = rows.filter(status="confirmed")
per_municipality = Counter(confirmed.values_list("municipality__number", flat=True))
oversold = sum(max(0, n - {quota}) for n in per_municipality.values()) + max(0, confirmed.count() - {capacity})
print(json.dumps({{"emails": list(rows.values_list("email", flat=True)), "oversold": oversold}}))
"""

JOBS = """
from trygg.core.jobs import progress
from trygg.core.models import User
from trygg.mapping import tasks
from trygg.mapping.models import Round
owner, round = User.objects.filter(is_superuser=True).first(), Round.objects.order_by("pk").first()
for _ in range({count}):
    progress.start(owner, "bench/faults.py", tasks.brief_pdf, round.pk)
"""

JOB_COUNT = """
import json
from trygg.core.jobs.models import Job
jobs = Job.objects.filter(title="bench/faults.py")
print(json.dumps({"started": jobs.count(), "done": jobs.filter(state="done").count(),
                  "interrupted": jobs.filter(attempts__gt=1).count(),
                  "waiting": jobs.filter(state__in=["queued", "running"]).count()}))
"""

# Short enough for the bench to see recovery, long enough that no job still typesetting counts as lost.
RECOVERY = {"TASK_STALE_SECONDS": "20", "TASK_TICK_SECONDS": "5"}


class Client(threading.Thread):
    """Registers its delegates one by one, retrying each until the server answers it."""

    def __init__(self, url: str, event: int, number: str, token: str, delegates, stop_at: float):
        super().__init__(daemon=True)
        self.url, self.event, self.number, self.stop_at = url, event, number, stop_at
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"
        self.delegates = delegates
        self.acknowledged: list[str] = []
        self.already: list[str] = []
        self.refused: list[str] = []
        self.retries = 0

    def run(self):
        for index in self.delegates:
            if time.monotonic() > self.stop_at:
                return
            email = f"delegat.{index}@feil.invalid"
            body = {"municipality": self.number, "name": f"Delegat {index} (fiktiv)", "email": email}
            while time.monotonic() < self.stop_at + 60:
                try:
                    response = self.session.post(
                        f"{self.url}/api/events/{self.event}/registrations", json=body, timeout=30
                    )
                except requests.RequestException:
                    response = None
                if response is not None and response.status_code == 201:
                    self.acknowledged.append(email)
                    break
                if response is not None and response.status_code == 400:
                    (
                        self.already if "already" in response.text or "allerede" in response.text else self.refused
                    ).append(email)
                    break
                self.retries += 1
                time.sleep(0.2)


def wait_for_a_running_job(database_url: str, timeout: float = 20) -> None:
    """Poll the job table directly (a ``manage.py shell`` takes seconds to start) until a worker is in a job."""
    deadline = time.monotonic() + timeout
    with psycopg.connect(database_url, autocommit=True) as connection:
        while time.monotonic() < deadline:
            running = connection.execute(
                "SELECT count(*) FROM core_job WHERE state = 'running' AND title = 'bench/faults.py'"
            ).fetchone()[0]
            if running:
                return
            time.sleep(0.05)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL") or SERVER_URL)
    parser.add_argument("--seconds", type=int, default=60, help="how long clients register while faults happen")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--every", type=float, default=8, help="seconds between kills")
    parser.add_argument("--max-wait", type=int, default=300, help="seconds to wait for interrupted work at most")
    args = parser.parse_args()

    with Stack(args.database_url, web_workers=2, env=RECOVERY) as stack:
        setup = json.loads(stack.manage("shell", "-c", SETUP).splitlines()[-1])
        url = stack.start_web("web")
        stack.start_worker("worker1")
        stack.start_worker("worker2")
        stop_at = time.monotonic() + args.seconds
        numbers = itertools.cycle(setup["tokens"])
        clients = []
        for n in range(args.clients):
            number = next(numbers)
            delegates = range(n * 1000, n * 1000 + 1000)
            clients.append(Client(url, setup["event"], number, setup["tokens"][number], delegates, stop_at))
        for client in clients:
            client.start()

        kills = 0
        while time.monotonic() < stop_at:
            time.sleep(args.every)
            stack.manage("shell", "-c", JOBS.format(count=2))
            wait_for_a_running_job(stack.env["DATABASE_URL"])
            for name in ("web", "worker1", "worker2"):  # the job runs on one of the two workers
                stack.kill(name)
            kills += 3
            time.sleep(1)
            stack.start_worker("worker1")
            stack.start_worker("worker2")
            stack.start_web("web")
        for client in clients:
            client.join()

        started = time.monotonic()
        while True:  # the workers' tick queues interrupted work again once it is stale
            mail = stack.mail(settle=0)
            jobs = json.loads(stack.manage("shell", "-c", JOB_COUNT).splitlines()[-1])
            if not (mail["waiting"] or jobs["waiting"]) or time.monotonic() - started > args.max_wait:
                break
            time.sleep(5)
        waited = round(time.monotonic() - started)
        counts = json.loads(
            stack.manage(
                "shell", "-c", COUNT.format(event=setup["event"], quota=QUOTA, capacity=CAPACITY)
            ).splitlines()[-1]
        )

    acknowledged = [email for client in clients for email in client.acknowledged]
    already = [email for client in clients for email in client.already]
    stored_rows = counts["emails"]
    stored = sum(1 for email in acknowledged if stored_rows.count(email) == 1)
    doubled = len(stored_rows) - len(set(stored_rows))
    lost = sum(1 for email in acknowledged if email not in stored_rows)
    print(
        f"{args.clients} clients, {sum(c.retries for c in clients)} retried requests, {len(already)} answered "
        f"'already registered' after a retry, {sum(len(c.refused) for c in clients)} refused, {lost} lost"
    )
    print(
        f"e-mails queued={mail['queued']} sent={mail['sent']} written={mail['written']} twice={mail['twice']} "
        f"unfinished={mail['waiting']}; jobs started={jobs['started']} interrupted={jobs['interrupted']} "
        f"done={jobs['done']} unfinished={jobs['waiting']} (waited {waited} s for interrupted work)"
    )
    print(
        f"faults kills={kills} acknowledged={len(acknowledged)} stored={stored} doubled={doubled} "
        f"oversold={counts['oversold']}"
    )
    ok = stored == len(acknowledged) and doubled == 0 and counts["oversold"] == 0
    finished = mail["twice"] == 0 and mail["waiting"] == 0 and jobs["done"] == jobs["started"]
    return 0 if ok and finished else 1


if __name__ == "__main__":
    sys.exit(main())
