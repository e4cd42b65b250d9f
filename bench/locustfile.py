"""Locust users for bench/load.py: every role's main pages, registration, situation-report saving, library search,
a case, and pupils answering the youth survey with one-time codes.

bench/load.py passes the servers (``TRYGG_LOAD_HOSTS``, comma-separated: each simulated user picks one) and what
bench/load_setup.py made (``TRYGG_LOAD_SETUP``, JSON). Pages that should succeed but answer with a form again (a
refused login, a save that did not save, an answer set not acknowledged) count as failures, not only HTTP errors.

Think time (``TRYGG_LOAD_THINK``) is the pause after every page, while its reader reads it or fills it in:

- ``realistic`` (default): 3 to 10 s. Staff and contacts read a list, a case or a report for several seconds before
  the next click, and a pupil reads and taps through a page of at most four short closed questions
  (``questionnaires.ITEMS_PER_PAGE``) in about as long. So 50 users ask for about 8 pages a second, as 50 people at
  work would, and the figure measures response time.
- ``aggressive``: 0.5 to 2 s, about five times the demand. On a small machine requests then queue for the CPU and
  the figure measures the queue: a stress mode, and the short run in the test suite uses it to do much in little
  time.
"""

import itertools
import json
import os
import random
from html.parser import HTMLParser

import gevent
from locust import HttpUser, between, constant, task
from requests.cookies import RequestsCookieJar

SETUP = json.loads(os.environ.get("TRYGG_LOAD_SETUP", "{}"))
HOSTS = itertools.cycle(os.environ.get("TRYGG_LOAD_HOSTS", "http://127.0.0.1:8000").split(","))
CONTACTS = itertools.cycle(SETUP.get("contacts", []))
STAFF_SESSIONS = {role: itertools.cycle(keys) for role, keys in SETUP.get("sessions", {}).items()}
COUNTER = itertools.count(1)
CODES = iter(SETUP.get("codes", []))  # each one-time code once: a pupil who gets none has nothing to answer
THINK = {"realistic": between(3, 10), "aggressive": between(0.5, 2)}[os.environ.get("TRYGG_LOAD_THINK", "realistic")]
DECLINED = "_declined"  # trygg.questionnaires.models.DECLINED: "I don't want to answer"
SEARCHES = ["ungdom", "kriminalitet", "politiråd", "SLT", "forebygging", "rus", "vold", "kommunen"]


class Forms(HTMLParser):
    """The POST forms of a page with the values a browser would send unchanged."""

    def __init__(self, html: str):
        super().__init__()
        self.forms: list[dict] = []
        self._select = self._textarea = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(
                {"action": attrs.get("action", ""), "fields": {}, "post": attrs.get("method") == "post",
                 "choices": {}, "numbers": {}, "buttons": []}
            )  # fmt: skip
        elif not self.forms:
            return
        form = self.forms[-1]
        fields, name, kind = form["fields"], attrs.get("name"), attrs.get("type")
        if tag == "button" and name:
            form["buttons"].append(attrs.get("value", ""))
        if tag == "input" and kind in ("checkbox", "radio") and name:
            form["choices"].setdefault(name, []).append(attrs.get("value", ""))
        if tag == "input" and kind == "number" and name:
            form["numbers"][name] = (int(attrs.get("min", 0)), int(attrs.get("max", 20)))
        if tag == "input" and name and kind not in ("submit", "button", "file"):
            if kind not in ("checkbox", "radio") or "checked" in attrs:
                fields.setdefault(name, []).append(attrs.get("value", ""))
        elif tag == "select" and name:
            self._select = name
            fields[name] = []
        elif tag == "option" and self._select:
            values = fields[self._select]
            if "selected" in attrs:
                values[:] = [*[v for v in values if not v.startswith("\0")], attrs.get("value", "")]
            elif not values:
                values.append("\0" + attrs.get("value", ""))  # the first option, unless another is selected
        elif tag == "textarea" and name:
            self._textarea = name
            fields[name] = [""]

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            fields = self.forms[-1]["fields"]
            fields[self._select] = [value.lstrip("\0") for value in fields[self._select]]
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.forms[-1]["fields"][self._textarea][0] += data

    def with_field(self, name: str) -> dict:
        return self.form_with(name)["fields"]

    def form_with(self, name: str) -> dict:
        return next(form for form in self.forms if form["post"] and name in form["fields"])


class LoopbackJar(RequestsCookieJar):
    """Keeps Secure cookies for plain HTTP, as browsers do for loopback (``make serve``); requests would drop them."""

    def set_cookie(self, cookie, *args, **kwargs):
        cookie.secure = False
        return super().set_cookie(cookie, *args, **kwargs)


class TryggUser(HttpUser):
    abstract = True
    wait_time = constant(0)  # the think time follows each page (``read``), not only each task
    host = "http://127.0.0.1:8000"

    def on_start(self):
        self.client.base_url = next(HOSTS)
        self.client.cookies = LoopbackJar()

    def read(self) -> None:
        gevent.sleep(THINK(self))

    def page(self, path: str, name: str | None = None):
        response = self.client.get(path, name=name or path)
        self.read()
        return response

    def post_form(self, path: str, field: str, changes: dict, name: str, done) -> None:
        """Fetch the page, send its form back with ``changes``, and count it a failure unless ``done(response)``."""
        form = Forms(self.page(path, name=f"{name} (form)").text).with_field(field)
        data = {**form, **changes}
        with self.client.post(path, data=data, name=name, catch_response=True) as response:
            if response.ok and not done(response):
                response.failure(f"{name}: the form came back unsaved")
        self.read()

    def login(self, username: str, password: str) -> None:
        self.post_form(
            "/konto/logg-inn/",
            "username",
            {"username": username, "password": password},
            "login",
            lambda response: not response.url.endswith("/konto/logg-inn/"),
        )


class Visitor(TryggUser):
    weight = 10

    @task(3)
    def public_pages(self):
        self.page("/")
        self.page("/kommuner/")
        self.page(f"/kommuner/{random.choice(['0301', '4601', '3301', '5001'])}/", name="/kommuner/[number]/")

    @task(2)
    def events(self):
        self.page("/arrangementer/")
        self.page(f"/arrangementer/{SETUP['event']}/", name="/arrangementer/[pk]/")

    @task(2)
    def measures(self):
        self.page("/tiltak/")
        self.page("/tiltak/matrise/")
        self.page("/tiltak/veileder/")


class Contact(TryggUser):
    """A municipal contact: the event, the own delegation (registration) and the own situation report (saving)."""

    weight = 20

    def on_start(self):
        super().on_start()
        self.account = next(CONTACTS)
        self.login(self.account["username"], SETUP["password"])

    @task(2)
    def pages(self):
        self.page("/oversikt/")
        self.page(f"/arrangementer/{SETUP['event']}/", name="/arrangementer/[pk]/")
        self.page("/kartlegging/")
        self.page(f"/tiltak/rad/{self.account['number']}/", name="/tiltak/rad/[number]/")

    @task(1)
    def register(self):
        number = next(COUNTER)
        name = f"Last Delegat {number} (fiktiv)"
        self.post_form(
            f"/arrangementer/{SETUP['event']}/kommuner/{self.account['number']}/",
            "name",
            {"name": name, "email": f"delegat.{number}@last.invalid"},
            "registration",
            lambda response: name in response.text,
        )

    @task(1)
    def save_report(self):
        if not self.account["report"]:
            return
        path = f"/kartlegging/rapporter/{self.account['report']}/endre/"
        self.post_form(
            path,
            "revision",
            {"crime_other": f"Lagret under last {next(COUNTER)}"},
            "report save",
            lambda response: not response.url.endswith("/endre/"),
        )


class Partner(TryggUser):
    weight = 5

    def on_start(self):
        super().on_start()
        self.login("partner", "trygg-demo-2026")

    @task
    def pages(self):
        self.page("/oversikt/")
        self.page("/kartlegging/")
        self.page(f"/kartlegging/runder/{SETUP['round']}/bilde/", name="/kartlegging/runder/[pk]/bilde/")
        self.page("/tiltak/")


class Staff(TryggUser):
    """KS staff, signed in and past two-factor through a session that bench/load_setup.py made."""

    abstract = True
    username = ""

    def on_start(self):
        super().on_start()
        host = self.client.base_url.split("://", 1)[1].split(":")[0]
        self.client.cookies.set(SETUP["session_cookie"], next(STAFF_SESSIONS[self.username]), domain=host)


class Adviser(Staff):
    weight = 8
    username = "radgiver"

    @task
    def pages(self):
        event = SETUP["event"]
        self.page("/oversikt/")
        self.page(f"/arrangementer/{event}/deltakere/", name="/arrangementer/[pk]/deltakere/")
        self.page(f"/arrangementer/{event}/invitasjoner/", name="/arrangementer/[pk]/invitasjoner/")
        self.page(f"/kartlegging/runder/{SETUP['round']}/", name="/kartlegging/runder/[pk]/")
        self.page("/organisasjoner/")

    @task
    def library_and_case(self):
        self.page(f"/bibliotek/?q={random.choice(SEARCHES)}", name="/bibliotek/?q=[words]")
        self.page("/saker/")
        self.page(f"/saker/{SETUP['case']}/", name="/saker/[pk]/")


class Admin(Staff):
    weight = 7
    username = "admin"

    @task
    def pages(self):
        self.page("/oversikt/")
        self.page("/revisjonsspor/")
        self.page("/personer/")
        self.page(f"/kartlegging/runder/{SETUP['round']}/bilde/", name="/kartlegging/runder/[pk]/bilde/")
        self.page(f"/bibliotek/?q={random.choice(SEARCHES)}", name="/bibliotek/?q=[words]")
        self.page(f"/saker/{SETUP['case']}/", name="/saker/[pk]/")


class Pupil(TryggUser):
    """A pupil on a phone: a one-time code, the survey's pages through the plain forms (every question answered
    at random, skip logic as the server applies it) and the answer set sent once. No login, no script."""

    weight = 15

    @task
    def answer(self):
        code = next(CODES, None)
        if code is None:  # every code is spent: this pupil only looks at the start page
            self.page("/ung/")
            return
        form = Forms(self.page("/ung/").text).form_with("code")
        response = self.client.post(
            "/ung/svar/", data={**form["fields"], "code": code, "action": "start"}, name="/ung/svar/ (page)"
        )
        while response.ok:
            self.read()
            form = Forms(response.text).form_with("sid")
            action = "send" if "send" in form["buttons"] else "next"
            data = {**form["fields"], **self.answers(form), "action": action}
            if action == "next":
                response = self.client.post("/ung/svar/", data=data, name="/ung/svar/ (page)")
                continue
            with self.client.post("/ung/svar/", data=data, name="youth answer set", catch_response=True) as sent:
                if sent.ok and "/ung/takk/" not in sent.url:
                    sent.failure("youth answer set: not acknowledged")
            self.read()
            return

    @staticmethod
    def answers(form: dict) -> dict:
        """An answer to every question on the page; now and then "I don't want to answer" or a skipped one."""
        chosen = {}
        for name, values in form["choices"].items():
            if random.random() < 0.9:
                chosen[name] = random.choice([value for value in values if value != DECLINED] or values)
        for name, (low, high) in form["numbers"].items():
            chosen[name] = str(random.randint(low, high))
        return chosen
