"""Youth survey submission: classes answering at once through the real pupil endpoint (POST /ung/svar/, as the
page's script sends it) on gunicorn and PostgreSQL, with a background worker counting the inbox in batches.

Before the clock starts, every gunicorn worker has answered a page (a worker's first request loads the URLs and
the translations) and the background worker has done what the demo data queued (e-mails, the library's documents):
the figures are those of a server that is up and quiet, not of its start.

Every code of a throwaway survey is sent once by a pool of client threads on loopback. The client is the standard
library's ``http.client``, a connection per request as nginx makes them to gunicorn: it shares the cores with the
server, so it must cost little (``requests`` made a session per call and took a good share of them).

Some pupils' devices send the same submission again (a retry after a lost answer: "duplicate"), some at the very
same moment as the first; some send again with the same ID and other answers ("conflict", 409); some codes are used
a second time with a new ID ("used", 403). Afterwards the survey is closed (everything still in the inbox is
counted) and the database is asked what it holds: every acknowledged submission must be stored once and counted
once.

    .venv/bin/python bench/youth_submit.py [--database-url URL] [--pupils 3000] [--clients 24] [--web-workers 3]

Last line: ``youth_submit per_s=<x> p95_ms=<x> lost=<n> doubled=<n>``; goal per_s >= 300, p95_ms < 100, lost=0,
doubled=0. ``per_s`` counts every timed request (first sends, retries, conflicts, reused codes).
"""

import argparse
import http.client
import json
import os
import random
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from stack import Stack  # bench/ is on the path when the script runs

SERVER_URL = "postgres://postgres:postgres@127.0.0.1:5432/postgres"
CLASS_SIZE = 30

SETUP = """
import datetime as dt, json
from django.utils import timezone
from trygg.core.models import Municipality, Role, User
from trygg.youth import demo, services
from trygg.youth.models import AccessCode
demo.load_standard()
admin = User.objects.filter(role=Role.KS_ADMIN).first()
classes = "\\n".join(f"Benkskole {{n // 9}}; {{8 + n % 3}}{{'ABC'[n // 3 % 3]}}; {{8 + n % 3}}; {size}"
                     for n in range({classes}))
today = timezone.localdate()
survey = services.order_survey(admin, Municipality.objects.get(name="Bergen"), today, today + dt.timedelta(days=5),
                               classes)
services.approve_survey(admin, survey)
codes = list(AccessCode.objects.filter(school_class__school__survey=survey).values_list("code", flat=True))
print(json.dumps({{"survey": survey.pk, "codes": codes}}))
"""

COUNT = """
import json
from django.db.models import Sum
from trygg.core.models import Role, User
from trygg.youth import services
from trygg.youth.models import AccessCode, Inbox, Response, Survey, Tally
survey = Survey.objects.get(pk={survey})
waiting = Inbox.objects.filter(survey=survey).count()
services.close_survey(User.objects.filter(role=Role.KS_ADMIN).first(), survey)
sids = [str(s) for s in Response.objects.filter(survey=survey).values_list("submission_id", flat=True)]
drunk = Tally.objects.filter(survey=survey, indicator__code="drunk").aggregate(n=Sum("denominator"))["n"]
print(json.dumps({{"sids": sids, "waiting_before_close": waiting, "left": Inbox.objects.count(),
                  "spent": AccessCode.objects.filter(school_class__school__survey=survey, used=True).count(),
                  "counted": drunk}}))
"""


def answers(rng: random.Random) -> dict:
    return {
        "a-gender": rng.choice(["girl", "boy"]),
        "a-safe_evening": rng.choice(["very_safe", "quite_safe", "not_very_safe"]),
        "a-drunk": rng.choice(["never", "once"]),
        "a-close_friends": str(rng.randint(0, 12)),
    }


@dataclass
class Answer:
    status_code: int
    body: dict

    def json(self) -> dict:
        return self.body


class Pupils(threading.Thread):
    """One client thread: takes codes from the shared list and sends each pupil's answers, with the retries."""

    def __init__(self, url: str, work: list, lock: threading.Lock, seed: int):
        super().__init__(daemon=True)
        self.address, self.work, self.lock, self.rng = urlsplit(url).netloc, work, lock, random.Random(seed)
        self.token = ""
        self.timings: list[float] = []
        self.statuses: Counter = Counter()
        self.acknowledged: list[str] = []  # submission IDs answered 200
        self.accepted: list[str] = []  # of them, answered "accepted" (stored now)
        self.unexpected: list[str] = []

    def run(self):
        connection = http.client.HTTPConnection(self.address, timeout=30)
        connection.request("GET", "/ung/")
        response = connection.getresponse()
        response.read()
        connection.close()
        self.token = SimpleCookie(response.getheader("Set-Cookie"))["csrftoken"].value  # as a browser gets it
        while True:
            with self.lock:
                if not self.work:
                    return
                code = self.work.pop()
            self.pupil(code)

    def send(self, body: dict) -> Answer | None:
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={self.token}",
                   "X-Requested-With": "fetch"}  # fmt: skip
        started = time.perf_counter()
        connection = http.client.HTTPConnection(self.address, timeout=30)
        try:
            connection.request("POST", "/ung/svar/", urlencode(body), headers)
            response = connection.getresponse()
            answer = Answer(response.status, json.loads(response.read()))
        except (OSError, http.client.HTTPException, ValueError):
            answer = None
        finally:
            connection.close()
        with self.lock:
            self.timings.append(time.perf_counter() - started)
            self.statuses["no answer" if answer is None else f"{answer.status_code} {answer.body.get('status')}"] += 1
        return answer

    def pupil(self, code: str):
        sid = str(uuid.uuid4())
        body = {"action": "send", "code": code, "sid": sid, "lang": "nb", "csrfmiddlewaretoken": self.token,
                **answers(self.rng)}  # fmt: skip
        roll = self.rng.random()
        if roll < 0.05:  # the same submission twice at the very same moment (a double tap, a resend on a timeout)
            twin = threading.Thread(target=self.expect, args=(dict(body), sid, (200,)))
            twin.start()
            self.expect(body, sid, (200,))
            twin.join()
            return
        while (response := self.send(body)) is None:  # retried until the server answers, as the page's script does
            time.sleep(0.2)
        self.check(response, sid, (200,))
        if roll < 0.15:  # a retry after a lost acknowledgement
            self.expect(body, sid, (200,), status="duplicate")
        elif roll < 0.20:  # the same ID with other answers
            self.expect({**body, "a-close_friends": "49"}, sid, (409,))
        elif roll < 0.25:  # a code used a second time, by another device
            self.expect({**body, "sid": str(uuid.uuid4())}, None, (403,))

    def expect(self, body: dict, sid: str | None, codes: tuple, status: str | None = None):
        while (response := self.send(body)) is None:
            time.sleep(0.2)
        self.check(response, sid, codes, status)

    def check(self, response: Answer, sid: str | None, codes: tuple, status: str | None = None):
        answer = response.json().get("status")
        if response.status_code not in codes or (status and answer != status):
            self.unexpected.append(f"{response.status_code} {answer}")
        if response.status_code == 200:
            with self.lock:
                self.acknowledged.append(sid)
                if answer == "accepted":
                    self.accepted.append(sid)


IDLE = """
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult
print(DBTaskResult.objects.ready().count() + DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count())
"""


def warm_up(stack: Stack, url: str) -> None:
    """Every web worker answers a first request (many at once, so that a busy worker leaves some to the others),
    and the background worker runs out of queued work."""
    address = urlsplit(url).netloc

    def first_page():
        connection = http.client.HTTPConnection(address, timeout=60)
        connection.request("GET", "/ung/")
        connection.getresponse().read()
        connection.close()

    pages = [threading.Thread(target=first_page) for _ in range(8 * stack.web_workers)]
    for page in pages:
        page.start()
    for page in pages:
        page.join()
    deadline = time.monotonic() + 300
    while int(stack.manage("shell", "-c", IDLE).split()[-1]) and time.monotonic() < deadline:
        time.sleep(1)


def cpu_seconds(stack: Stack) -> Counter:
    """CPU seconds (user + system) used so far by the web server's processes, the background worker, and the
    database server's processes for the bench's database (from /proc, Linux): a figure a loaded machine does not
    change much, unlike the wall-clock ones."""
    web, worker = stack.processes["web"].pid, stack.processes["worker"].pid
    ticks, used = os.sysconf("SC_CLK_TCK"), Counter()
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
            command = Path(entry.path, "cmdline").read_bytes()
        except OSError:
            continue
        pid, fields = int(entry.name), stat[stat.rindex(")") + 2 :].split()
        part = ("web" if web in (pid, int(fields[1])) else "worker" if pid == worker
                else "database" if stack.name.encode() in command else None)  # fmt: skip
        if part:
            used[part] += (int(fields[11]) + int(fields[12])) / ticks
    return used


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL") or SERVER_URL)
    parser.add_argument("--pupils", type=int, default=3000, help="codes to send (rounded up to whole classes)")
    parser.add_argument("--clients", type=int, default=24, help="client threads sending at once")
    parser.add_argument("--web-workers", type=int, default=3, help="gunicorn worker processes")
    args = parser.parse_args()
    classes = -(-args.pupils // CLASS_SIZE)

    with Stack(args.database_url, web_workers=args.web_workers) as stack:
        setup = json.loads(stack.manage("shell", "-c", SETUP.format(classes=classes, size=CLASS_SIZE)).splitlines()[-1])
        url = stack.start_web("web")
        stack.start_worker("worker")
        warm_up(stack, url)
        work, lock = list(setup["codes"]), threading.Lock()
        random.Random(1).shuffle(work)
        clients = [Pupils(url, work, lock, seed) for seed in range(args.clients)]
        used, client_cpu, started = cpu_seconds(stack), time.process_time(), time.perf_counter()
        for client in clients:
            client.start()
        for client in clients:
            client.join(timeout=600)
        seconds = time.perf_counter() - started
        used = cpu_seconds(stack) - used
        used["client"] = time.process_time() - client_cpu
        counted = json.loads(stack.manage("shell", "-c", COUNT.format(survey=setup["survey"])).splitlines()[-1])

    timings = [t for client in clients for t in client.timings]
    statuses = sum((client.statuses for client in clients), Counter())
    unexpected = Counter(u for client in clients for u in client.unexpected)
    acknowledged = {sid for client in clients for sid in client.acknowledged}
    accepted = Counter(sid for client in clients for sid in client.accepted)
    stored = Counter(counted["sids"])
    lost = len(acknowledged - set(stored))
    doubled = sum(n - 1 for n in stored.values()) + sum(n - 1 for n in accepted.values())
    per_s, p95 = len(timings) / seconds, 1000 * percentile(timings, 0.95)
    print(f"{len(setup['codes'])} codes, {args.clients} clients, 1 gunicorn server x {args.web_workers} workers, "
          f"1 background worker, PostgreSQL; {os.cpu_count()} cores shared with the clients")  # fmt: skip
    print("answers:", ", ".join(f"{name}={n}" for name, n in sorted(statuses.items())))
    print(f"requests={len(timings)} seconds={seconds:.1f} p50_ms={1000 * percentile(timings, 0.5):.1f} "
          f"p99_ms={1000 * percentile(timings, 0.99):.1f} unexpected={dict(unexpected)}")  # fmt: skip
    per_request = {part: 1000 * used[part] / max(1, len(timings)) for part in ("web", "database", "worker", "client")}
    capacity = 1000 * os.cpu_count() / sum(per_request.values())
    print("cpu_ms_per_request", " ".join(f"{part}={ms:.2f}" for part, ms in per_request.items()),
          f"capacity_per_s_on_{os.cpu_count()}_cores={capacity:.0f}")  # fmt: skip
    print(f"acknowledged={len(acknowledged)} stored={len(stored)} codes_spent={counted['spent']} "
          f"counted={counted['counted']} waiting_before_close={counted['waiting_before_close']} "
          f"left_in_inbox={counted['left']}")  # fmt: skip
    print(f"youth_submit per_s={per_s:.0f} p95_ms={p95:.0f} lost={lost} doubled={doubled}")
    consistent = counted["spent"] == len(stored) == counted["counted"] and counted["left"] == 0 and not unexpected
    return 0 if consistent and lost == 0 and doubled == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
