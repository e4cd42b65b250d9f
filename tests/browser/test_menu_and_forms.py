"""The menu on a phone and a desktop, with and without JavaScript, and the search-as-you-type fields."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, search, use_session_of
from trygg.core.models import Organisation
from trygg.events.models import Invitation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_menu_folds_behind_a_button_on_a_phone(page):
    page.set_viewport_size(PHONE)
    page.goto("/kommuner/")
    header = page.locator(".site-header").bounding_box()
    assert header["height"] < 80, "the header leaves the screen to the content"
    menu = page.get_by_role("navigation", name="Hovedmeny")
    expect(menu).to_be_hidden()
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the brand
    page.keyboard.press("Tab")
    expect(page.locator(".menu-button")).to_be_focused()
    page.keyboard.press("Enter")
    expect(menu.get_by_role("link", name="Arrangementer")).to_be_visible()
    expect(page.get_by_role("button", name="English")).to_be_visible()
    assert_accessible(page)
    page.keyboard.press("Enter")
    expect(menu).to_be_hidden()


def test_admin_menu_fits_one_row_and_opens_its_groups(page, live_server, users):
    use_session_of(page, live_server, users["ks_admin"])
    page.goto("/oversikt/")
    menu = page.get_by_role("navigation", name="Hovedmeny")
    links = menu.locator(":scope > ul > li")
    tops = {round(links.nth(i).bounding_box()["y"]) for i in range(links.count())}
    assert len(tops) == 1, "the whole menu is one row at 1280 px"
    menu.get_by_text("Registre").click()
    expect(menu.get_by_role("link", name="Revisjonsspor")).to_be_visible()
    assert_accessible(page)
    page.keyboard.press("Escape")
    expect(menu.get_by_role("link", name="Revisjonsspor")).to_be_hidden()
    expect(menu.get_by_text("Registre")).to_be_focused()


@pytest.mark.parametrize("width", [390, 1280])
def test_menu_works_without_javascript(browser, live_server, municipalities, width):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False,
                                  viewport={"width": width, "height": 844})  # fmt: skip
    page = context.new_page()
    page.goto("/kommuner/")
    menu = page.get_by_role("navigation", name="Hovedmeny")
    if width == 390:
        expect(menu).to_be_hidden()
        page.locator(".menu-button").click()
    expect(menu.get_by_role("link", name="Arrangementer")).to_be_visible()
    context.close()


def test_organisation_gets_a_country_and_a_municipality_by_searching(page, live_server, users):
    use_session_of(page, live_server, users["ks_admin"])
    page.set_viewport_size(PHONE)
    page.goto("/organisasjoner/ny/")
    page.get_by_label("Navn", exact=True).fill("Det kriminalpreventive råd")
    page.get_by_label("Type").select_option("other")
    search(page, "id_country", "Danm", "Danmark")
    search(page, "id_municipality", "Berg", "Bergen")
    assert_accessible(page)
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Det kriminalpreventive råd")
    organisation = Organisation.objects.get(name="Det kriminalpreventive råd")
    assert (organisation.country, organisation.municipality.name) == ("DK", "Bergen")


def test_municipalities_are_invited_by_searching(page, live_server, users, trip):
    use_session_of(page, live_server, users["ks_admin"])
    page.goto(f"/arrangementer/{trip.pk}/invitasjoner/")
    page.locator("select[name=invite-tier]").select_option(index=1)
    search(page, "id_invite-municipalities", "Tromsø", "Tromsø (5501)")
    search(page, "id_invite-municipalities", "Bodø", "Bodø (1804)")
    page.keyboard.press("Escape")
    assert_accessible(page)
    page.get_by_role("button", name="Inviter de navngitte", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Bodø")
    assert set(Invitation.objects.filter(event=trip, municipality__number__in=["5501", "1804"]).values_list(
        "municipality__name", flat=True)) == {"Tromsø", "Bodø"}  # fmt: skip
