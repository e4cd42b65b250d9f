"""The registration flow in a real browser: a municipal contact registers their delegation within the quota."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_in
from trygg.events.models import Registration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_contact_registers_a_delegate_and_sees_the_checklist_update(page, trip, users):
    log_in(page, users["municipal_contact"])
    page.get_by_role("link", name=trip.title).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(trip.title)
    assert_accessible(page)
    page.get_by_role("link", name="Bergen").click()
    expect(page.locator(".checklist")).to_contain_text("Politi – mangler")
    assert_accessible(page)
    page.get_by_label("Navn", exact=True).fill("Politi Betjent (fiktiv)")
    page.get_by_label("Rolle").select_option("police")
    page.get_by_label("E-post").fill("betjent@bergen.eksempel.invalid")
    page.get_by_role("button", name="Meld på").click()
    expect(page.get_by_role("status").first).to_contain_text("Politi Betjent (fiktiv)")
    expect(page.locator(".checklist")).to_contain_text("Politi – påmeldt")
    assert_accessible(page)
    assert Registration.objects.get(email="betjent@bergen.eksempel.invalid").status == "confirmed"


def test_ks_sees_quotas_participants_and_budget(page, trip, users):
    log_in(page, users["ks_admin"])
    for path in ("invitasjoner/", "deltakere/", "budsjett/", "program/", "stotteteam/", "endre/"):
        page.goto(f"/arrangementer/{trip.pk}/{path}")
        assert_accessible(page)
    page.goto(f"/arrangementer/{trip.pk}/invitasjoner/")
    expect(page.get_by_role("table")).to_contain_text("Øvre Eiker")
    expect(page.get_by_role("table")).to_contain_text("Oslo")
