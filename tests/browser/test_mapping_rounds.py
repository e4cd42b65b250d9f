"""Rounds in a real browser: KS opens a round and sees its page; a contact sees their municipalities' status."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, in_english, log_in, search
from tests.mapping.conftest import make_round, questionnaire  # noqa: F401 (fixtures)
from trygg.mapping.models import Round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_ks_admin_opens_a_round_for_chosen_municipalities(page, live_server, users, questionnaire):  # noqa: F811
    log_in(page, users["ks_admin"])
    in_english(page, live_server)
    page.goto("/kartlegging/")
    expect(page.get_by_role("heading", level=1, name="Situation reports")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="New round").click()
    expect(page.get_by_role("heading", level=1, name="New round")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Name", exact=True).fill("2027")
    deadline = timezone.localtime() + dt.timedelta(days=30)
    page.get_by_label("Deadline").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Chosen municipalities", exact=True).first.check()
    search(page, "id_municipalities", "Berg", "Bergen (4601)")
    search(page, "id_municipalities", "Dram", "Drammen (3301)")
    page.keyboard.type("Hobøl")  # a former name (2011) is kept as typed and resolved by the server
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Open the round").click()

    expect(page.get_by_role("heading", level=1, name="Round 2027")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("3 municipalities are asked")
    round = Round.objects.get(name="2027")
    assert sorted(round.municipalities.values_list("name", flat=True)) == ["Bergen", "Drammen", "Indre Østfold"]
    expect(page.get_by_role("table", name="Response rate by county").locator("tbody tr")).to_have_count(3)
    expect(page.get_by_role("button", name="Close the round")).to_be_visible()
    assert_accessible(page)


def test_ks_admin_sees_a_clear_message_for_a_past_deadline(page, live_server, users, questionnaire):  # noqa: F811
    log_in(page, users["ks_admin"])
    in_english(page, live_server)
    page.goto("/kartlegging/runder/ny/")
    page.get_by_label("Name", exact=True).fill("For sent")
    page.get_by_label("Deadline").fill("2011-03-01T12:00")
    page.get_by_role("button", name="Open the round").click()
    expect(page.get_by_role("alert")).to_contain_text("The deadline must be in the future.")
    assert_accessible(page)
    assert not Round.objects.exists()


def test_contact_sees_their_municipalities_in_the_index(page, live_server, users, make_round):  # noqa: F811
    round = make_round(answers=[])
    round.municipalities.add(*users["municipal_contact"].municipalities.all())
    log_in(page, users["municipal_contact"])
    in_english(page, live_server)
    page.reload()
    panel = page.get_by_role("region", name="Open rounds of situation reports")
    expect(panel).to_contain_text("Bergen: Not started")
    assert_accessible(page)
    page.goto("/kartlegging/")
    table = page.get_by_role("table", name="Your municipalities in round 2011")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table).to_contain_text("Bergen")
    expect(table).to_contain_text("Not started")
    assert_accessible(page)

    page.get_by_role("link", name="2011").click()
    expect(page.get_by_role("heading", level=1, name="Round 2011")).to_be_visible()
    expect(page.get_by_role("table", name="Your municipalities and their status").locator("tbody tr")).to_have_count(2)
    expect(page.get_by_role("button", name="Close the round")).to_have_count(0)
    assert_accessible(page)
