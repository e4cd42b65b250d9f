"""Browser tests: Debian's Chromium driven by Playwright; axe-core checks WCAG 2.1 A/AA on each page."""

import os
import shutil
from io import StringIO

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import sync_playwright

from tests.conftest import PASSWORD, current_code, logged_in_client
from trygg.events.models import Event

CHROMIUM = "/usr/bin/chromium"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail(f"The browser tests need Debian's Chromium at {CHROMIUM}: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, municipalities):
    """A fresh browser tab with an English-speaking browser, as many Norwegian users have."""
    context = browser.new_context(base_url=live_server.url, locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors = []
    # Console errors (CSP blocks show up there) and failing sub-resources; a page's own 404 is expected.
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and not message.text.startswith("Failed to load resource")
            and errors.append(message.text)
        ),
    )
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and response.request.resource_type != "document"
            and errors.append(f"{response.status} {response.url}")
        ),
    )
    page.console_errors = errors
    yield page
    context.close()


@pytest.fixture
def trip(municipalities):
    """The demo study trip (the source deck's Copenhagen trip), with the rest of the demo data."""
    call_command("load_demo", stdout=StringIO())
    return Event.objects.get(kind=Event.Kind.STUDY_TRIP)


def in_english(page, live_server):
    """Texts are asserted in English, the source language, where a test is about behaviour, not wording."""
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])


def assert_accessible(page):
    """No WCAG 2.1 A/AA violation that axe-core can find, and no console or resource error."""
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
    assert page.console_errors == [], f"{page.url}: {page.console_errors}"


def log_in(page, user):
    """Log in through the form; KS staff also type the current code from their authenticator."""
    page.goto("/konto/logg-inn/")
    page.get_by_label("Brukernavn").fill(user.username)
    page.get_by_label("Passord").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Logg inn").click()
    if user.is_ks_staff:
        page.wait_for_url("**/konto/tofaktor/**")
        assert_accessible(page)
        page.get_by_label("Kode fra autentiseringsappen").fill(current_code(user))
        page.get_by_role("button", name="Bekreft").click()
    page.wait_for_url("**/oversikt/")


def use_session_of(page, live_server, user):
    """Log the browser in without the form (staff past two-factor login): the session of a logged-in test client."""
    cookie = logged_in_client(user).cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def submit(button):
    """Click a button that posts a form (or a link) and wait for the new page, so the next step reads it, not the
    old one."""
    with button.page.expect_navigation():
        button.click()


def search(page, field_id, text, option):
    """Type into a search-as-you-type field (its box, as a user clicks it) and pick an option."""
    control = page.locator(f"#{field_id}-ts-control")
    if not control.evaluate("element => element === document.activeElement"):
        control.locator("xpath=..").click()
    page.keyboard.type(text)
    page.get_by_role("option", name=option, exact=True).click()
