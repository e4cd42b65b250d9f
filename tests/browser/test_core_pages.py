"""Core pages in a real browser: login, two-factor, language, keyboard, live search, and axe-core on each."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_in
from trygg.core.models import Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_pages_are_norwegian_and_accessible(page):
    for path in ("/", "/kommuner/", "/kommuner/5001/", "/konto/logg-inn/", "/finnes-ikke/"):
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", "nb")
        assert_accessible(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Vi fant ikke siden")


def test_municipal_contact_logs_in_and_sees_their_municipalities(page, users):
    log_in(page, users["municipal_contact"])
    expect(page.get_by_role("heading", level=1)).to_contain_text("Velkommen")
    expect(page.get_by_role("link", name="Bergen", exact=True)).to_be_visible()
    assert_accessible(page)
    for path in ("/organisasjoner/", "/konto/api-nokler/"):
        page.goto(path)
        assert_accessible(page)
    page.get_by_label("Navn").fill("Statistikkeksport")
    page.get_by_role("button", name="Opprett nøkkel").click()
    expect(page.locator("#new-token")).to_contain_text("trygg_")
    assert_accessible(page)


def test_staff_log_in_with_two_factor_and_reach_their_pages(page, users):
    person = Person.objects.create(name="Ola Nordmann", title="SLT-koordinator", email="ola@example.org")
    log_in(page, users["ks_admin"])
    menu = page.get_by_role("navigation", name="Hovedmeny")
    menu.get_by_text("Registre").click()
    expect(menu.get_by_role("link", name="Revisjonsspor")).to_be_visible()
    assert_accessible(page)
    for path in ("/revisjonsspor/", "/personer/", f"/personer/{person.pk}/", "/personer/ny/"):
        page.goto(path)
        assert_accessible(page)
    page.get_by_label("E-post").fill("ikke en adresse")
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_role("alert")).to_contain_text("Rett opp feilene nedenfor")
    assert_accessible(page)


def test_wrong_two_factor_code_is_explained(page, users):
    page.goto("/konto/logg-inn/")
    page.get_by_label("Brukernavn").fill(users["ks_adviser"].username)
    page.get_by_label("Passord").fill("correct-horse-battery-staple")
    page.locator("main").get_by_role("button", name="Logg inn").click()
    page.get_by_label("Kode fra autentiseringsappen").fill("12")
    page.get_by_role("button", name="Bekreft").click()
    expect(page.locator(".error-text")).to_contain_text("seks sifrene")
    assert_accessible(page)


def test_language_switch(page):
    page.goto("/kommuner/")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Municipalities")
    assert_accessible(page)
    page.get_by_role("button", name="Norsk (bokmål)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kommuner")


def test_keyboard_user_can_skip_to_the_content(page):
    page.goto("/kommuner/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Gå til hovedinnholdet")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))


def test_live_search_updates_the_results(page):
    page.goto("/kommuner/")
    page.get_by_label("Navn eller nummer").fill("Trondheim")
    expect(page.locator("#results")).to_contain_text("Trondheim - Tråante")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"q=Trondheim"))
    page.get_by_label("Fylke").select_option(label="Oslo")
    expect(page.locator("#results")).to_contain_text("Ingen kommuner passer")
    assert_accessible(page)
