"""The youth survey's reports in a browser: the municipality's report with its trend charts on a phone, the PDF
through the job page, and KS's national and county overviews, all without sideways scrolling and axe-clean."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, in_english, use_session_of
from tests.youth.test_reports import closed_survey
from trygg.youth import demo

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def bergen(municipalities):
    demo.load_standard()
    closed_survey("Askøy", 1, year=2022)
    closed_survey("Bergen", 2, year=2022)
    return closed_survey("Bergen", 3, year=2025)


@pytest.fixture
def page(page):
    """The shared tab, with time for a busy machine: a report page carries a chart per indicator."""
    page.set_default_timeout(30_000)
    return page


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_report_shows_the_trend_on_a_phone_and_makes_the_pdf(page, live_server, users, bergen):
    use_session_of(page, live_server, users["municipal_contact"])
    in_english(page, live_server)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/ungdomsundersokelse/{bergen.pk}/rapport/")
    expect(page.get_by_role("img", name="Trend of “Feel safe in the neighbourhood in the evening”")).to_be_visible()
    expect(
        page.get_by_role("table", name="Feel safe in the neighbourhood in the evening: trend, all pupils")
    ).to_be_visible()
    assert fits(page)
    assert_accessible(page)
    page.get_by_role("button", name="Report (PDF)").click()
    page.wait_for_url("**/jobber/**")
    link = page.get_by_role("link", name="Download youth-survey-bergen-2025.pdf")
    expect(link).to_be_visible()
    assert page.request.get(link.get_attribute("href")).body().startswith(b"%PDF")


def test_ks_sees_the_national_and_the_county_overview(page, live_server, users, bergen):
    use_session_of(page, live_server, users["ks_adviser"])
    in_english(page, live_server)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/ungdomsundersokelse/oversikt/")
        expect(page.get_by_role("heading", name="Youth survey: national overview")).to_be_visible()
        assert fits(page)
        assert_accessible(page)
    page.get_by_role("link", name="Vestland").click()
    expect(page.get_by_role("table", name="Feel safe in the neighbourhood in the evening")).to_be_visible()
    assert fits(page)
    assert_accessible(page)
