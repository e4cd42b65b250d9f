"""New youth-survey pages in a browser on a phone: KS grants a researcher access, the researcher downloads the
answer sets; the parents' sheet from the survey page; the report's measures for weak indicators and KS's tagging of
a measure. No sideways scrolling, axe-clean."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, in_english, search, submit, use_session_of
from tests.youth.test_reports import closed_survey
from tests.youth.test_weak_indicators import _measures
from trygg.measures.models import Measure
from trygg.youth import demo, research

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def bergen(municipalities):
    demo.load_standard()
    closed_survey("Oslo", 1)
    closed_survey("Askøy", 2)
    return closed_survey("Bergen", 3, shift=0.15)


@pytest.fixture
def page(page):
    page.set_default_timeout(30_000)
    page.set_viewport_size({"width": 390, "height": 844})
    return page


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_ks_grants_access_and_the_researcher_downloads_on_a_phone(page, live_server, users, bergen):
    researcher = users["partner"]
    use_session_of(page, live_server, users["ks_adviser"])
    in_english(page, live_server)
    page.goto("/ungdomsundersokelse/forskning/")
    page.get_by_role("link", name="Grant access").click()
    expect(page.get_by_role("heading", name="Grant research access")).to_be_visible()
    assert fits(page)
    assert_accessible(page)
    search(page, "id_user", researcher.username, researcher.username)
    page.get_by_label("Purpose").fill("Loneliness and screen time, master's thesis")
    search(page, "id_surveys", "Bergen", str(bergen))
    page.get_by_label("Access until").fill((timezone.localdate() + dt.timedelta(days=30)).isoformat())
    submit(page.get_by_role("button", name="Grant access"))
    expect(page.get_by_text("Access granted.")).to_be_visible()
    assert_accessible(page)

    page.context.clear_cookies()
    use_session_of(page, live_server, researcher)
    in_english(page, live_server)
    page.goto("/ungdomsundersokelse/forskning/")
    expect(page.get_by_text("Loneliness and screen time, master's thesis")).to_be_visible()
    assert fits(page)
    assert_accessible(page)
    link = page.get_by_role("link", name="Answer sets (CSV)")
    body = page.request.get(link.get_attribute("href")).body().decode("utf-8-sig")
    assert body.startswith('"year";"municipality_number"') and "Bergen" in body


def test_the_report_points_weak_indicators_to_measures_ks_tagged(page, live_server, users, bergen):
    tagged, *_rest = _measures()
    use_session_of(page, live_server, users["ks_adviser"])
    in_english(page, live_server)
    page.goto(f"/tiltak/{tagged.key}/")
    submit(page.get_by_role("link", name="Youth survey indicators"))
    assert fits(page)
    assert_accessible(page)
    page.get_by_label("Clearly drunk in the last 12 months").check()
    submit(page.get_by_role("button", name="Save"))
    assert Measure.objects.get(pk=tagged.pk).youth_indicators == ["drunk"]

    page.context.clear_cookies()
    use_session_of(page, live_server, users["municipal_contact"])
    in_english(page, live_server)
    page.goto(f"/ungdomsundersokelse/{bergen.pk}/rapport/")
    expect(page.get_by_role("heading", name="Measures that may help")).to_be_visible()
    expect(page.get_by_role("link", name=tagged.name)).to_be_visible()
    assert fits(page)
    assert_accessible(page)
    page.goto(f"/ungdomsundersokelse/{bergen.pk}/")
    pdf = page.get_by_role("link", name="Information for parents (PDF, English)")
    assert page.request.get(pdf.get_attribute("href")).body().startswith(b"%PDF")
    assert fits(page)
    assert_accessible(page)


def test_a_revoked_access_says_so_plainly_on_a_phone(page, live_server, users, bergen):
    researcher = users["partner"]
    until = timezone.localdate() + dt.timedelta(days=30)
    grant = research.grant(users["ks_adviser"], researcher, "Trivsel over tid", until, [bergen])
    research.revoke(users["ks_adviser"], grant)
    use_session_of(page, live_server, researcher)
    in_english(page, live_server)
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 844})
        response = page.goto(f"/ungdomsundersokelse/forskning/{grant.pk}/svar.csv")
        assert response.status == 403
        expect(page.get_by_role("alert")).to_contain_text("This access was revoked.")
        assert fits(page)
        assert_accessible(page)
