"""Locust users for bench/load.py: every role's main pages, registration and situation-report saving.

bench/load.py passes the servers (``TRYGG_LOAD_HOSTS``, comma-separated: each simulated user picks one) and what
bench/load_setup.py made (``TRYGG_LOAD_SETUP``, JSON). Pages that should succeed but answer with a form again (a
refused login, a save that did not save) count as failures, not only HTTP errors.
"""

import itertools
import json
import os
import random
from html.parser import HTMLParser

from locust import HttpUser, between, task
from requests.cookies import RequestsCookieJar

SETUP = json.loads(os.environ.get("TRYGG_LOAD_SETUP", "{}"))
HOSTS = itertools.cycle(os.environ.get("TRYGG_LOAD_HOSTS", "http://127.0.0.1:8000").split(","))
CONTACTS = itertools.cycle(SETUP.get("contacts", []))
STAFF_SESSIONS = {role: itertools.cycle(keys) for role, keys in SETUP.get("sessions", {}).items()}
COUNTER = itertools.count(1)


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
            self.forms.append({"action": attrs.get("action", ""), "fields": {}, "post": attrs.get("method") == "post"})
        elif not self.forms:
            return
        fields = self.forms[-1]["fields"] if self.forms else {}
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
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
        return next(form["fields"] for form in self.forms if form["post"] and name in form["fields"])


class LoopbackJar(RequestsCookieJar):
    """Keeps Secure cookies for plain HTTP, as browsers do for loopback (``make serve``); requests would drop them."""

    def set_cookie(self, cookie, *args, **kwargs):
        cookie.secure = False
        return super().set_cookie(cookie, *args, **kwargs)


class TryggUser(HttpUser):
    abstract = True
    wait_time = between(0.5, 2.0)
    host = "http://127.0.0.1:8000"

    def on_start(self):
        self.client.base_url = next(HOSTS)
        self.client.cookies = LoopbackJar()

    def page(self, path: str, name: str | None = None):
        return self.client.get(path, name=name or path)

    def post_form(self, path: str, field: str, changes: dict, name: str, done) -> None:
        """Fetch the page, send its form back with ``changes``, and count it a failure unless ``done(response)``."""
        form = Forms(self.page(path, name=f"{name} (form)").text).with_field(field)
        data = {**form, **changes}
        with self.client.post(path, data=data, name=name, catch_response=True) as response:
            if response.ok and not done(response):
                response.failure(f"{name}: the form came back unsaved")

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


class Admin(Staff):
    weight = 7
    username = "admin"

    @task
    def pages(self):
        self.page("/oversikt/")
        self.page("/revisjonsspor/")
        self.page("/personer/")
        self.page(f"/kartlegging/runder/{SETUP['round']}/bilde/", name="/kartlegging/runder/[pk]/bilde/")
