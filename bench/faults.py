"""Faults: registration through the API and pupils' youth-survey answer sets while the application server and the
background workers are SIGKILLed and restarted, then proof that nothing acknowledged was lost or doubled, no quota
oversold, no code used twice, no e-mail sent twice, and that work interrupted by a kill finishes after the restart.

Clients (threads, each with a municipal contact's API token) register delegates for an event that is contested
(quotas add up to more than the venue); a client retries a delegate until it gets an answer, as a real client
would (a retried delegate that was in fact stored gets "already registered"). Pupils (threads, each with its own
one-time codes of a survey ordered and approved through the youth services) send answer sets to /ung/svar/ as
youth/answer.js does: the same submission ID again until the server acknowledges it ("accepted", or "duplicate"
when an earlier try was stored). Meanwhile the gunicorn server (all
its processes) and the two workers are killed every few seconds and started again; before each kill, users' jobs
(the situation brief as PDF, seconds of typesetting) are queued and the kill waits until a worker is in one.
Afterwards the workers' own periodic tick (run every few seconds here, every 15 minutes by default) queues the
interrupted e-mails and jobs again once they are stale; nothing is recovered by hand.

Needs PostgreSQL (``--database-url``, default ``$DATABASE_URL`` or the local server); a throwaway database.

    .venv/bin/python bench/faults.py [--seconds 60] [--clients 8]

Last line: ``faults kills=<n> acknowledged=<n> stored=<n> doubled=<n> oversold=<n>`` (registrations and answer
sets together); the goal is stored = acknowledged, doubled=0, oversold=0 (and on the lines before, every job and
e-mail finished, no answer set lost and no code spent twice).
"""

import argparse
import itertools
import json
import os
import random
import re
import sys
import threading
import time
import uuid

import psycopg
import requests
from stack import Stack  # bench/ is on the path when the script runs

SERVER_URL = "postgres://postgres:postgres@127.0.0.1:5432/postgres"
MUNICIPALITIES, QUOTA, CAPACITY = 20, 3, 50
CODES_PER_PUPIL = 200

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
    youth = youth_survey(PUPIL_CODES)
print(json.dumps({{"event": event.pk, "tokens": tokens, "youth": youth}}))
"""

# A survey in Oslo running today, with the pupils' codes and the questions every pupil is asked (choice, no condition).
YOUTH_SETUP = """
import datetime as dt
from django.utils import timezone
from trygg.core.models import Municipality, User
from trygg.youth import services


def youth_survey(pupils):
    admin, today = User.objects.get(username="admin"), timezone.localdate()
    classes = "\\n".join(f"Feilskolen (fiktiv); 9{n}; 9; 30" for n in range(1, pupils // 30 + 2))
    survey = services.order_survey(
        admin, Municipality.objects.get(number="0301"), today, today + dt.timedelta(days=7), classes, ["skole"]
    )
    survey = services.approve_survey(admin, survey)
    codes = [code for sheet in services.code_sheets(survey) for code in sheet["codes"]]
    questionnaire = services.questionnaire_for(services.code_of(codes[0]))
    items = {
        item.code: [option.code for option in item.options.all()]
        for item in questionnaire.items
        if item.kind in ("single", "likert") and not item.show_if
    }
    return {"survey": survey.pk, "codes": codes, "items": items}
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

YOUTH_COUNT = """
import json
from django.db.models import Sum
from trygg.core.models import User
from trygg.youth import services
from trygg.youth.models import AccessCode, Response, Survey, Tally
# Closing moves what still waits in the inbox (fewer than a batch) into the answers, as a real close does.
services.close_survey(User.objects.filter(is_superuser=True).first(), Survey.objects.get(pk={survey}))
ids = [str(i) for i in Response.objects.filter(survey_id={survey}).values_list("submission_id", flat=True)]
spent = AccessCode.objects.filter(school_class__school__survey_id={survey}, used=True).count()
counted = Tally.objects.filter(survey_id={survey}).values("indicator_id").annotate(n=Sum("denominator"))
print(json.dumps({{"ids": ids, "spent": spent, "counted": max([row["n"] for row in counted], default=0)}}))
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


class Pupil(threading.Thread):
    """Sends one answer set per code, each retried with the same submission ID until the server acknowledges it."""

    def __init__(self, url: str, codes: list[str], items: dict, stop_at: float):
        super().__init__(daemon=True)
        self.url, self.codes, self.items, self.stop_at = url, codes, items, stop_at
        self.session = requests.Session()
        self.acknowledged: list[str] = []
        self.refused: list[str] = []
        self.retries = 0

    def csrf_token(self) -> str:
        """The start page's form token; its cookie is kept by hand, as production marks it Secure and requests would
        not send it back over loopback's plain HTTP."""
        while time.monotonic() < self.stop_at + 60:
            try:
                page = self.session.get(f"{self.url}/ung/", timeout=30)
                page.raise_for_status()
                self.session.headers["Cookie"] = f"csrftoken={page.cookies['csrftoken']}"
                return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
            except (requests.RequestException, KeyError, TypeError):
                self.retries += 1
                time.sleep(0.2)
        return ""

    def run(self):
        token = self.csrf_token()
        for code in self.codes:
            if time.monotonic() > self.stop_at:
                return
            sid = str(uuid.uuid4())
            answers = {f"a-{item}": random.choice(options) for item, options in self.items.items()}
            body = {"csrfmiddlewaretoken": token, "code": code, "sid": sid, "lang": "nb", "action": "send", **answers}
            while time.monotonic() < self.stop_at + 60:
                try:
                    response = self.session.post(
                        f"{self.url}/ung/svar/", data=body, headers={"X-Requested-With": "fetch"}, timeout=30
                    )
                    status = response.json().get("status")
                except (requests.RequestException, ValueError):
                    status = None
                if status in ("accepted", "duplicate"):
                    self.acknowledged.append(sid)
                    break
                if status in ("conflict", "used", "refused"):
                    self.refused.append(sid)
                    break
                self.retries += 1
                time.sleep(0.2)
            time.sleep(0.1)


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
    parser.add_argument("--pupils", type=int, default=8, help="pupils sending answer sets, each with its own codes")
    parser.add_argument("--every", type=float, default=8, help="seconds between kills")
    parser.add_argument("--max-wait", type=int, default=300, help="seconds to wait for interrupted work at most")
    args = parser.parse_args()

    with Stack(args.database_url, web_workers=2, env=RECOVERY) as stack:
        script = YOUTH_SETUP + SETUP.replace("PUPIL_CODES", str(args.pupils * CODES_PER_PUPIL))
        setup = json.loads(stack.manage("shell", "-c", script).splitlines()[-1])
        youth = setup["youth"]
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
        codes = youth["codes"]
        for n in range(args.pupils):
            mine = codes[n * CODES_PER_PUPIL : (n + 1) * CODES_PER_PUPIL]
            clients.append(Pupil(url, mine, youth["items"], stop_at))
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
        youth_counts = json.loads(
            stack.manage("shell", "-c", YOUTH_COUNT.format(survey=youth["survey"])).splitlines()[-1]
        )

    pupils = [client for client in clients if isinstance(client, Pupil)]
    clients = [client for client in clients if not isinstance(client, Pupil)]
    sent = [sid for pupil in pupils for sid in pupil.acknowledged]
    stored_ids = youth_counts["ids"]
    sets_stored = sum(1 for sid in sent if stored_ids.count(sid) == 1)
    sets_doubled = len(stored_ids) - len(set(stored_ids))
    sets_lost = len(set(sent) - set(stored_ids))
    # Each stored set spent one code, and the tallies counted it once (the most-answered indicator counts them all).
    spent_twice = abs(youth_counts["spent"] - len(stored_ids))
    miscounted = abs(youth_counts["counted"] - len(stored_ids))
    print(
        f"youth answer sets acknowledged={len(sent)} stored={sets_stored} doubled={sets_doubled} lost={sets_lost} "
        f"codes spent={youth_counts['spent']} for {len(stored_ids)} sets (spent twice or not at all={spent_twice}), "
        f"tallies miscounted={miscounted}, {sum(len(p.refused) for p in pupils)} refused, "
        f"{sum(p.retries for p in pupils)} retried requests"
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
        f"faults kills={kills} acknowledged={len(acknowledged) + len(sent)} stored={stored + sets_stored} "
        f"doubled={doubled + sets_doubled} oversold={counts['oversold']}"
    )
    ok = stored == len(acknowledged) and doubled == 0 and counts["oversold"] == 0
    ok = ok and sets_stored == len(sent) and sets_doubled == spent_twice == miscounted == 0
    finished = mail["twice"] == 0 and mail["written"] == mail["sent"] and mail["waiting"] == 0
    finished = finished and jobs["done"] == jobs["started"]
    return 0 if ok and finished else 1


if __name__ == "__main__":
    sys.exit(main())
