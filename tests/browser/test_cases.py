"""Help in a difficult case in a real browser: a municipality asks, KS triages and answers; axe-core checks."""

import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, in_english, log_in, search, submit, use_session_of
from tests.cases.conftest import published_measure
from trygg.cases import services
from trygg.cases.models import Case
from trygg.core.models import Municipality

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INTERNAL = "Internal: Kripos knows this group well"
SHARED = "We suggest raising it in the politiråd next week."


def _as(page, live_server, user):
    page.context.clear_cookies()
    use_session_of(page, live_server, user)
    in_english(page, live_server)


def test_a_municipality_asks_ks_triages_and_only_the_shared_reply_reaches_the_municipality(page, live_server, users):
    contact, admin = users["municipal_contact"], users["ks_admin"]
    log_in(page, contact)
    in_english(page, live_server)
    page.goto("/oversikt/")
    menu = page.get_by_role("navigation", name="Main menu")
    menu.get_by_text("Cooperation").click()
    menu.get_by_role("link", name="Cases").click()
    page.get_by_role("link", name="Ask KS for help").click()
    expect(page.locator("main")).to_contain_text("No private persons.")
    assert_accessible(page)
    page.get_by_label("Short title").fill("Violence between groups at the youth club")
    page.get_by_label("What has happened").fill("Fights two weekends in a row.")
    page.get_by_label("Acute (within days)").check()
    page.get_by_label("Who is involved on the municipal side").fill("SLT coordinator, the youth club")
    with page.expect_navigation():
        page.get_by_role("button", name="Send to KS").dblclick()  # a double click: one case
    expect(page.get_by_role("heading", level=1)).to_contain_text("Violence between groups")
    assert Case.objects.count() == 1
    case = Case.objects.get()
    expect(page.locator(".case-facts")).to_contain_text("Received")
    expect(page.locator(".clocks")).to_contain_text("First response")
    assert_accessible(page)

    _as(page, live_server, admin)
    page.goto(case.get_absolute_url())
    page.get_by_label("Category").select_option("violence")
    search(page, "id_assignee", users["ks_adviser"].username, users["ks_adviser"].username)
    submit(page.get_by_role("button", name="Save triage"))
    expect(page.locator(".alert-success")).to_contain_text("The case was triaged.")
    page.get_by_label("Note text").fill(INTERNAL)
    submit(page.get_by_role("button", name="Add note"))
    page.get_by_label("Note text").fill(SHARED)
    page.get_by_label("Shared with the municipality").check()
    submit(page.get_by_role("button", name="Add note"))
    timeline = page.locator(".timeline")
    expect(timeline).to_contain_text(INTERNAL)
    expect(timeline).to_contain_text(SHARED)
    expect(page.locator(".clocks")).to_contain_text("Next update")
    assert_accessible(page)

    _as(page, live_server, contact)
    page.goto(case.get_absolute_url())
    expect(page.locator(".timeline")).to_contain_text(SHARED)
    expect(page.locator("main")).not_to_contain_text(INTERNAL)
    expect(page.locator(".case-facts")).to_contain_text("In progress")
    assert_accessible(page)


def test_ks_links_a_measure_and_closes_the_case_with_what_it_learnt(page, live_server, users):
    measure = published_measure(users["ks_adviser"])
    case, _created = services.submit(
        users["municipal_contact"],
        municipality=Municipality.objects.get(name="Bergen"),
        submission_key=uuid.uuid4(),
        title="A 1 % group is buying a warehouse",
        description="A bid on a warehouse next to the youth club.",
        urgency="soon",
    )
    _as(page, live_server, users["ks_admin"])
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(case.get_absolute_url())
    search(page, "id_measure", "plan", measure.name)
    submit(page.get_by_role("button", name="Link measure"))
    expect(page.locator(".alert-success")).to_contain_text("The measure was linked to the case.")
    assert_accessible(page)
    close = page.locator("#close-form")
    close.get_by_label("Tags").fill("property, planning law")
    close.get_by_label("Worked in part").check()
    submit(page.get_by_role("button", name="Close the case"))
    expect(page.locator(".alert-success")).to_contain_text("The case was closed, with what KS learnt.")
    expect(page.locator(".case-facts")).to_contain_text("Closed")
    expect(page.locator("main")).to_contain_text("planning law")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)
    case.refresh_from_db()
    assert case.tags == ["property", "planning law"] and case.linked_measures.get().outcome == "partly"
