"""The discussion groups in a real browser: KS makes them, moves a municipality with the keyboard, sees the
change in the total, and prints them; axe-core checks every page."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, in_english, log_in
from trygg.core.models import Municipality
from trygg.events import grouping
from trygg.events.models import GroupAssignment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_ks_makes_the_groups_moves_a_municipality_and_prints_them(page, live_server, users, trip):
    log_in(page, users["ks_admin"])
    in_english(page, live_server)
    page.goto(f"/arrangementer/{trip.pk}/grupper/")
    expect(page.get_by_role("heading", level=2, name="Discussion groups")).to_be_visible()
    expect(page.get_by_text("No groups have been made yet.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Make the groups").click()
    expect(page.get_by_role("status")).to_contain_text("7 groups for 15 municipalities")
    expect(page.locator(".group-card")).to_have_count(7)
    expect(page.locator("#groups-status")).to_have_text("Optimal")
    optimum = grouping.current_groups(trip).total
    expect(page.locator("#groups-total")).to_have_text(f"{optimum:,} km")
    assert_accessible(page)

    baerum = Municipality.objects.get(name="Bærum")
    target = GroupAssignment.objects.get(event=trip, municipality__name="Oslo").group
    select = page.get_by_label("Move Bærum to")
    select.select_option(label=f"Group {target}")
    select.focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Move Bærum")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text(f"Bærum is now in group {target}.")
    total = grouping.current_groups(trip).total
    expect(page.get_by_role("status")).to_contain_text(
        f"Bærum is now in group {target}. Total distance: {total:,} km (+{total - optimum:,} km)."
    )
    expect(page.locator("#groups-total")).to_have_text(f"{total:,} km")
    expect(page.locator("#groups-status")).to_have_text(
        f"{total - optimum:,} km more than the optimum of {optimum:,} km"
    )
    expect(page.locator(f"#group-{target}")).to_contain_text("Bærum")
    expect(page.locator(f"#move-{baerum.pk}")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Printable list").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Discussion groups")
    expect(page.locator(".print-group")).to_have_count(7)
    expect(page.locator(f"#print-group-{target}").locator("..")).to_contain_text("Bærum")
    assert_accessible(page)
    page.emulate_media(media="print")
    expect(page.locator(".print-hint")).to_be_hidden()
    expect(page.locator(".site-header")).to_be_hidden()


def test_a_partner_reading_events_sees_the_groups_without_forms(page, live_server, users, trip):
    grouping.allocate_groups(users["ks_admin"], trip)
    partner = users["partner"]
    partner.partner_areas = ["events"]
    partner.save()
    log_in(page, partner)
    in_english(page, live_server)
    page.goto(f"/arrangementer/{trip.pk}/grupper/")
    expect(page.locator(".group-card")).to_have_count(7)
    expect(page.locator(".move-form")).to_have_count(0)
    expect(page.get_by_role("button", name="Make the groups again")).to_have_count(0)
    assert_accessible(page)
