"""The national picture in a real browser: KS sees municipalities, a municipal contact counties; axe-core checks."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, in_english, log_in, submit
from tests.mapping import conftest as mapping

# The mapping tests' fixtures: a questionnaire and a round of fictional submitted reports.
questionnaire, make_round = mapping.questionnaire, mapping.make_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_ks_admin_sees_the_full_picture(page, live_server, users, make_round):
    round = make_round()
    log_in(page, users["ks_admin"])
    in_english(page, live_server)
    page.goto(f"/kartlegging/runder/{round.pk}/bilde/")
    expect(page.get_by_role("heading", level=1)).to_have_text("The national picture, round 2011")
    expect(page.locator(".norway-map .m")).to_have_count(357)
    expect(page.locator("#figure-answered")).to_have_text("8")
    assert_accessible(page)
    page.locator(".norway-map a", has=page.locator("title", has_text="Oslo:")).click()
    page.wait_for_url("**/rapporter/**")


def test_municipal_contact_sees_counties_only(page, live_server, users, make_round):
    round = make_round()
    log_in(page, users["municipal_contact"])
    in_english(page, live_server)
    page.goto(f"/kartlegging/runder/{round.pk}/bilde/")
    expect(page.locator("#county-03")).to_contain_text("hidden: fewer than 3 municipalities")
    expect(page.locator("#suppressed-note")).to_be_visible()
    assert_accessible(page)


def test_a_contact_zooms_in_with_the_keyboard_and_sees_no_hidden_answer(page, live_server, users, make_round):
    """Oslo is a county of one municipality: zoomed in, its answer stays hidden; the participants fit a phone."""
    round = make_round()
    log_in(page, users["municipal_contact"])
    in_english(page, live_server)
    page.goto(f"/kartlegging/runder/{round.pk}/bilde/")
    choice = page.get_by_label("Show", exact=True)
    choice.focus()
    choice.select_option("03")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Show on the map")).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    links = page.locator(".norway-map.zoomed a")
    expect(links).to_have_count(1)
    expect(links.locator("title")).to_have_text(
        "Oslo, Oslo: Not shown: too few answered (the county's most common answer)"
    )
    assert_accessible(page)
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_label("Show", exact=True).select_option("deltakere")
    submit(page.get_by_role("button", name="Show on the map"))
    expect(page.locator(".map-tiles li")).to_have_count(10)
    expect(page.locator(".map-tiles li", has_text="Oslo")).to_contain_text("Oslo: Not shown: too few answered")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)
