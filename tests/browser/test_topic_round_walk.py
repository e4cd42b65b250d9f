"""A new KS adviser runs a round on another topic from start to end in a real browser, checked with axe-core at
each step: imports the shipped "Trygghet i det offentlige rom" by its title, opens a round on it for Bergen, Drammen
and Oslo; the municipality's contact fills in and submits the form on a 390 px phone; the adviser reads the
per-question counts and downloads the exports."""

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, in_english, log_in, search, submit
from tests.mapping.conftest import future
from trygg.mapping.models import Report, Round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"], page.url


def workbook(download):
    with open(download.path(), "rb") as file:
        return openpyxl.load_workbook(file)


def test_an_adviser_runs_a_topic_round_and_a_contact_answers_it_on_a_phone(browser, page, live_server, users):
    adviser = users["ks_adviser"]
    log_in(page, adviser)
    in_english(page, live_server)
    page.goto("/kartlegging/sporreskjema/")
    assert_accessible(page)
    expect(page.get_by_role("button", name="Import “Safety in public space”, version 1")).to_be_visible()
    expect(page.get_by_text("youth-standard.yaml")).to_have_count(0)
    submit(page.get_by_role("button", name="Import “Safety in public space”, version 1"))
    expect(page.get_by_role("status")).to_contain_text("Imported Safety in public space v1.")
    assert_accessible(page)

    page.goto("/kartlegging/runder/ny/")
    page.get_by_label("Name", exact=True).fill("Safety 2027")
    page.get_by_label("MC questions").select_option(label="None: only the questionnaire definition below")
    page.get_by_label("Questionnaire definition").select_option(label="Safety in public space v1")
    page.get_by_label("Deadline").fill(future().strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Chosen municipalities", exact=True).first.check()
    search(page, "id_municipalities", "Berg", "Bergen (4601)")
    search(page, "id_municipalities", "Dram", "Drammen (3301)")
    search(page, "id_municipalities", "Osl", "Oslo (0301)")
    page.keyboard.press("Escape")
    assert_accessible(page)
    submit(page.get_by_role("button", name="Open the round"))
    expect(page.get_by_role("heading", level=1, name="Round Safety 2027")).to_be_visible()
    round = Round.objects.get(name="Safety 2027")
    assert round.definition.frozen and round.questionnaire is None
    assert_accessible(page)

    contact = browser.new_context(base_url=live_server.url, locale="en-US", viewport=PHONE)
    phone = contact.new_page()
    phone.console_errors = []
    log_in(phone, users["municipal_contact"])
    in_english(phone, live_server)
    phone.goto("/kartlegging/")
    fits(phone)
    assert_accessible(phone)
    table = phone.get_by_role("table", name="Your municipalities in round Safety 2027")
    submit(table.get_by_role("row", name="Bergen").get_by_role("button"))
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Situation report")
    expect(phone.get_by_text("Answer only if you answered “Yes” to “Does the municipality have places")).to_be_visible()
    fits(phone)
    assert_accessible(phone)
    phone.get_by_role("group", name="Does the municipality have places where residents feel unsafe?").get_by_label(
        "Yes", exact=True
    ).check()
    phone.get_by_label("Stations and stops").check()
    phone.get_by_role("group", name="How has safety in public space developed").get_by_label("Unchanged").check()
    phone.get_by_label("Better lighting").check()
    phone.get_by_label("The situation in your own words").fill("Mørkt ved stasjonen om kvelden.")
    submit(phone.get_by_role("button", name="Save draft"))
    expect(phone.get_by_role("status").first).to_contain_text("The draft was saved")
    fits(phone)
    assert_accessible(phone)
    submit(phone.get_by_role("button", name="Submit the report"))
    expect(phone.get_by_role("status").first).to_contain_text("The report was submitted")
    assert_accessible(phone)
    report = Report.objects.get(round=round)
    assert report.status == Report.Status.SUBMITTED and report.submitted_at <= timezone.now()
    assert report.answers["place_kinds"] == ["transport"]
    contact.close()

    page.goto(f"/kartlegging/runder/{round.pk}/")
    expect(page.get_by_role("region", name="What kinds of places?")).to_contain_text("1 report answered.")
    expect(page.get_by_role("table", name="Response rate by county")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="The answers per question").click()
    assert "Questions" in workbook(download.value).sheetnames
    with page.expect_download() as download:
        page.get_by_role("link", name="Every report of the round").click()
    reports = workbook(download.value)["Reports"]
    assert any("Mørkt ved stasjonen om kvelden." in row for row in reports.iter_rows(values_only=True))
    page.set_viewport_size(PHONE)
    page.reload()
    fits(page)
    assert_accessible(page)
