"""The measures catalogue, the guide and the advice in a real browser, with the demo content; axe-core checks."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, in_english, log_in
from trygg.measures.models import Measure, Plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_public_filters_the_catalogue_and_reads_a_measure(page, live_server, trip):
    in_english(page, live_server)
    page.goto("/tiltak/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Measures against MC crime")
    published = Measure.objects.filter(status="published").count()
    expect(page.locator("#results-count")).to_have_text(f"{published} measures")
    assert_accessible(page)
    # Live filtering (htmx): choosing a mechanism narrows the list and the address follows.
    page.get_by_label("Mechanism").select_option("desistance")
    expect(page.locator("#results-count")).not_to_have_text(f"{published} measures")
    page.wait_for_url("**mechanism=desistance**")
    expect(page.locator(".measure-card h3 a", has_text="Exit")).to_have_count(1)
    page.locator(".measure-card h3 a", has_text="Exit").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Exit")
    expect(page.locator("main")).to_contain_text("Inconclusive")
    expect(page.locator("main")).to_contain_text("Not checked against the original")
    assert_accessible(page)


def test_the_matrix_shows_where_the_catalogue_is_thin(page, live_server, trip):
    in_english(page, live_server)
    page.goto("/tiltak/matrise/")
    table = page.get_by_role("table")
    expect(table.locator("tbody tr")).to_have_count(9)
    assert_accessible(page)
    table.locator("tbody a").first.click()
    page.wait_for_url("**/tiltak/?**mechanism=**")


def test_the_guide_has_contents_three_editions_and_their_differences(page, live_server, trip):
    in_english(page, live_server)
    page.goto("/tiltak/veileder/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Veileder: Forebygging og bekjempelse av MC-kriminalitet"
    )
    contents = page.get_by_role("navigation", name="Contents")
    expect(contents).to_be_visible()
    assert_accessible(page)
    # On a wide screen the contents stay beside the text however far one reads.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("heading", name="References", exact=True).scroll_into_view_if_needed()
    expect(contents.get_by_role("link").first).to_be_in_viewport()
    contents.get_by_role("link").first.click()
    assert "#" in page.url
    # On a phone they fold away behind "Contents".
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/tiltak/veileder/")
    expect(contents.get_by_role("link").first).to_be_hidden()
    contents.locator("summary").click()
    expect(contents.get_by_role("link").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/tiltak/veileder/sammenlign/?fra=1&til=2")
    expect(page.locator("main")).to_contain_text("Kommunalt forbud mot klubbhus (Danmark)")
    assert_accessible(page)
    # Edition 3 carries the editorial review's corrections.
    page.goto("/tiltak/veileder/sammenlign/")
    expect(page.locator("main")).to_contain_text("Fokusert avskrekking")
    expect(page.locator("main")).to_contain_text("Exitprogram for dem som vil ut")
    assert_accessible(page)


def test_an_adviser_reviews_the_sources_and_the_decided_corrections(page, live_server, trip, users):
    log_in(page, users["ks_adviser"])
    in_english(page, live_server)
    page.goto("/tiltak/kilder/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sources")
    expect(page.get_by_role("button", name="Mark as checked against the original").first).to_be_visible()
    assert_accessible(page)
    page.goto("/tiltak/rettelser/")
    expect(page.locator("main")).to_contain_text("No corrections are waiting.")
    page.get_by_role("link", name="Exitprogram for dem som vil ut").click()
    expect(page.locator("main")).to_contain_text("Accepted")
    assert_accessible(page)


def test_a_municipal_contact_gets_advice_and_saves_a_plan(page, live_server, trip, users):
    log_in(page, users["municipal_contact"])
    in_english(page, live_server)
    page.goto("/tiltak/rad/4601/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Advice for Bergen")
    assert_accessible(page)
    # The top five differ in what gave their points, and each says so.
    top = page.locator(".proposal .score-facts").all()[:5]
    explained = [table.locator("tbody").inner_text() for table in top]
    assert len(explained) == 5 and len(set(explained)) > 1
    plans_before = Plan.objects.filter(municipality__number="4601").count()
    page.get_by_label("Title").fill("Plan fra nettleseren")
    page.get_by_role("button", name="Save the plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan fra nettleseren")
    assert Plan.objects.filter(municipality__number="4601").count() == plans_before + 1
    assert_accessible(page)


def test_an_adviser_edits_a_measure_and_sees_the_history(page, live_server, trip, users):
    log_in(page, users["ks_adviser"])
    in_english(page, live_server)
    measure = Measure.objects.get(key="exitprogram")
    page.goto(f"/tiltak/{measure.key}/endre/")
    assert_accessible(page)
    page.get_by_label("Summary").fill(measure.summary + " Oppdatert i nettleseren.")
    page.get_by_label("Reason for the change").fill("Presisering")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator("main")).to_contain_text("Oppdatert i nettleseren.")
    page.goto(f"/tiltak/{measure.key}/historikk/")
    expect(page.locator("main")).to_contain_text("Presisering")
    assert_accessible(page)
