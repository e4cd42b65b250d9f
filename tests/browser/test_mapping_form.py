"""The situation report form in a real browser: a municipal contact answers, saves a draft and submits."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, in_english, log_in
from tests.mapping.conftest import ANSWERS, make_round, questionnaire  # noqa: F401 (fixtures)
from trygg.core.models import Municipality
from trygg.mapping import reports
from trygg.mapping.models import Report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_contact_fills_in_saves_a_draft_and_submits(page, live_server, make_round, users):  # noqa: F811
    round = make_round(answers=[a for a in ANSWERS if a[0] != "Bergen"], asked=("Bergen",))
    contact = users["municipal_contact"]
    report = reports.start_report(contact, round, [Municipality.objects.get(name="Bergen")])
    log_in(page, contact)
    in_english(page, live_server)
    page.goto(f"/kartlegging/rapporter/{report.pk}/endre/")
    expect(page.locator(".exempt-banner")).to_contain_text("Unntatt offentlighet")
    assert_accessible(page)

    page.get_by_role("group", name="Does the municipality host a “1 %” group?").get_by_label("Yes").check()
    page.get_by_role("group", name="Group 1").get_by_label("Group on the list").select_option(label="Demo MC Nord")
    page.get_by_role("group", name="Group 1").get_by_label("Members").select_option("11-25")
    page.get_by_role("group", name="Are there support groups (“crews”)?").get_by_label("Yes").check()
    page.get_by_label("How many support groups?").fill("-2")
    page.get_by_label("Narcotics").check()
    page.get_by_label("The situation in your own words", exact=True).fill("Klubbhus ved havna. Ring 91234567.")
    page.get_by_role("button", name="Save draft").click()

    expect(page.get_by_role("alert")).to_contain_text("Please correct the errors below.")
    expect(page.get_by_text("a whole number from 0 to 200")).to_be_visible()
    expect(page.get_by_label("The situation in your own words", exact=True)).to_have_value(
        "Klubbhus ved havna. Ring 91234567."
    )
    expect(page.get_by_text("seems to contain a phone number")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("How many support groups?").fill("2")
    page.get_by_role("group", name="Is this something the municipality can live with, or must it act?").get_by_label(
        "We must act"
    ).check()
    page.get_by_role("group", name="Measure 1").get_by_label("Purpose").select_option("establishment")
    page.get_by_role("group", name="Measure 1").get_by_label("Measure", exact=True).fill("Nektet skjenkebevilling")
    page.get_by_role("group", name="Measure 1").get_by_label("How it went").select_option("worked")
    page.get_by_role("button", name="Save draft").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_role("status").first).to_contain_text("The draft was saved")
    expect(page.get_by_text("Check these answers for personal contact details")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Submit the report").click()
    expect(page.get_by_role("status").first).to_contain_text("The report was submitted")
    expect(page.get_by_role("button", name="Reopen to make changes")).to_be_visible()
    assert_accessible(page)

    report.refresh_from_db()
    assert (report.status, report.hosts_group, report.crews_count, report.assessment) == (
        Report.Status.SUBMITTED,
        "yes",
        2,
        "must_act",
    )
    assert report.groups.get().membership == "11-25"
    assert report.measures.get().title == "Nektet skjenkebevilling"
