"""The embedded default takes a classroom or a double click: no "database is locked", nothing lost.

A real ``runserver`` (what ``make run`` starts: one process, a thread per request) on a fresh SQLite file gets
requests all at once: registrations through the API, logins, and saves of one situation report from several
browsers. Every request must get a real answer (never a 500), and the database must hold exactly what was
acknowledged. This runs against its own SQLite file, whichever database the rest of the suite uses.
"""

import http.cookiejar
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
MANAGE = [sys.executable, str(REPO / "manage.py")]
AT_ONCE = 12
TIMEOUT = 180  # seconds: a busy CI machine is slow, never wrong


class FormFields(HTMLParser):
    """The fields a browser would submit from the page's form with the given class, as it was rendered."""

    def __init__(self, form_class: str):
        super().__init__()
        self.form_class, self.inside, self.fields = form_class, False, []
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = self.form_class in (attrs.get("class") or "").split()
        if not self.inside or ("name" not in attrs and tag in {"input", "select", "textarea"}):
            return
        if tag == "input" and attrs.get("type") not in {"checkbox", "radio", "submit"}:
            self.fields.append((attrs["name"], attrs.get("value", "")))
        elif tag == "input" and attrs.get("type") in {"checkbox", "radio"} and "checked" in attrs:
            self.fields.append((attrs["name"], attrs.get("value", "on")))
        elif tag == "select":
            self._select = [attrs["name"], None, None]
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            self._select[1] = self._select[1] if self._select[1] is not None else value
            if "selected" in attrs:
                self._select[2] = value
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]

    def handle_data(self, data):
        if self._textarea:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select:
            name, first, selected = self._select
            self.fields.append((name, selected if selected is not None else first))
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.fields.append(tuple(self._textarea))
            self._textarea = None


class Browser:
    """One visitor with their own cookies; answers are (status, body) and never raise."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
        )

    def request(self, path: str, data: list | None = None, headers: dict | None = None, body: bytes | None = None):
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": self.base + path,
                **(headers or {}),
            }
        request = urllib.request.Request(self.base + path, data=body, headers=headers or {})  # noqa: S310 - loopback
        try:
            with self.opener.open(request, timeout=TIMEOUT) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def form(self, path: str, form_class: str) -> list:
        status, page = self.request(path)
        assert status == 200, (path, status)
        parser = FormFields(form_class)
        parser.feed(page)
        return parser.fields

    def log_in(self, username: str, password: str) -> int:
        fields = dict(self.form("/konto/logg-inn/", "form"))
        fields.update(username=username, password=password)
        return self.request("/konto/logg-inn/", list(fields.items()))[0]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def all_at_once(count: int, work) -> list:
    """Run ``work(index)`` in ``count`` threads released together; returns each result or exception."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(index):
        barrier.wait(timeout=30)
        try:
            results[index] = work(index)
        except Exception as error:
            results[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``make run``'s server on a fresh SQLite file, seeded; yields (base URL, seed, environment)."""
    var = tmp_path_factory.mktemp("embedded")
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(TRYGG_VAR_DIR=str(var), DJANGO_SETTINGS_MODULE="trygg.settings", PYTHONPATH=str(REPO))
    for command in (["migrate", "--no-input", "-v0"], ["collectstatic", "--no-input", "-v0"]):
        subprocess.run([*MANAGE, *command], env=env, check=True, cwd=REPO)
    seed_script = REPO / "tests" / "concurrency" / "sqlite_seed.py"
    seed = json.loads(
        subprocess.run(
            [sys.executable, str(seed_script)], env=env, check=True, capture_output=True, text=True, cwd=REPO
        ).stdout
    )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = open(var / "server.log", "w")  # noqa: SIM115 - closed when the server stops
    process = subprocess.Popen(
        [*MANAGE, "runserver", f"127.0.0.1:{port}", "--noreload"], env=env, cwd=REPO, stdout=log, stderr=log
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/", timeout=1)  # noqa: S310 - loopback
            break
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    yield base, seed, env, var
    process.terminate()
    process.wait(timeout=10)
    log.close()


def query(env, code: str) -> str:
    """Run ``code`` in the server's environment and return what it prints: the database as it is."""
    script = f"import django; django.setup()\n{code}"
    return subprocess.run([sys.executable, "-c", script], env=env, check=True, capture_output=True, text=True).stdout


def test_parallel_registrations_and_logins_all_succeed_and_nothing_is_lost(server):
    base, seed, env, var = server

    def register(index):
        if index % 3 == 2:  # a third of the classroom logs in meanwhile
            return "login", Browser(base).log_in(seed["username"], seed["password"])
        body = json.dumps(
            {"name": f"Delegat {index}", "email": f"delegat.{index}@example.org", "municipality": "0301"}
        ).encode()
        headers = {"Authorization": f"Bearer {seed['token']}", "Content-Type": "application/json"}
        return "register", Browser(base).request(
            f"/api/events/{seed['event']}/registrations", headers=headers, body=body
        )[0]

    results = all_at_once(AT_ONCE * 2, register)
    assert not [r for r in results if isinstance(r, Exception)], results
    registrations = [status for kind, status in results if kind == "register"]
    logins = [status for kind, status in results if kind == "login"]
    assert registrations == [201] * len(registrations), results
    assert logins == [302] * len(logins), results
    stored = json.loads(
        query(
            env,
            "import json; from trygg.events.models import Registration as R\n"
            f"print(json.dumps(list(R.objects.filter(event_id={seed['event']}).values_list('status', flat=True))))",
        )
    )
    assert len(stored) == len(registrations)
    assert stored.count("confirmed") == 3, "the quota of three holds"
    assert "database is locked" not in (var / "server.log").read_text()


def test_parallel_saves_of_one_report_keep_one_and_tell_the_others(server):
    base, seed, env, var = server
    path = f"/kartlegging/rapporter/{seed['report']}/endre/"
    browsers = [Browser(base) for _ in range(AT_ONCE)]
    assert all_at_once(AT_ONCE, lambda i: browsers[i].log_in(seed["username"], seed["password"])) == [302] * AT_ONCE
    forms = [browser.form(path, "report-form") for browser in browsers]

    def save(index):
        fields = [(name, value) for name, value in forms[index] if name != "crime_other"]
        return browsers[index].request(path, [*fields, ("crime_other", f"Versjon {index}")])[0]

    statuses = all_at_once(AT_ONCE, save)
    assert not [s for s in statuses if isinstance(s, Exception)], statuses
    assert sorted(statuses) == [302] + [409] * (AT_ONCE - 1), statuses
    saved = query(
        env, f"from trygg.mapping.models import Report; print(Report.objects.get(pk={seed['report']}).crime_other)"
    )
    assert saved.strip() == f"Versjon {statuses.index(302)}"
    assert "database is locked" not in (var / "server.log").read_text()
