"""The date poll in a real browser: a speaker answers with the keyboard alone; KS staff's page passes axe-core."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, in_english, log_in
from tests.conftest import spoken
from trygg.core.models import Person
from trygg.events import poll
from trygg.events.demo import FIRST_DAY

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The demo trip's candidate dates: a week before the planned first day, the day itself and a week after.
CANDIDATES = [FIRST_DAY + dt.timedelta(days=offset) for offset in (-7, 0, 7)]
DATES = [spoken(date) for date in CANDIDATES]


def test_speaker_answers_with_the_keyboard_without_an_account(page, live_server, trip):
    speaker = poll.add_participant(None, trip, Person.objects.get(name="Yngve Carlsson"))
    in_english(page, live_server)
    page.goto(f"/arrangementer/svar/{speaker.token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Which dates suit you?")
    expect(page.get_by_text(trip.title)).to_be_visible()
    assert_accessible(page)

    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the skip link, to the main content
    page.keyboard.press("Tab")
    first = page.get_by_role("group", name=DATES[0]).get_by_label("Yes", exact=True)
    expect(first).to_be_focused()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")  # yes → if need be
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # yes → if need be → no
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Save my answers")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("Thank you! Your answers are saved.")
    for date, label in zip(DATES, ["Yes", "If need be", "No"], strict=True):
        expect(page.get_by_role("group", name=date).get_by_label(label, exact=True)).to_be_checked()
    assert_accessible(page)
    assert dict(speaker.answers.values_list("candidate__date", "answer")) == {
        CANDIDATES[0]: "yes",
        CANDIDATES[1]: "if_need_be",
        CANDIDATES[2]: "no",
    }


def test_missing_answers_are_explained_accessibly(page, live_server, trip):
    speaker = poll.add_participant(None, trip, Person.objects.get(name="Yngve Carlsson"))
    in_english(page, live_server)
    page.goto(f"/arrangementer/svar/{speaker.token}/")
    page.get_by_role("group", name=DATES[0]).get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Save my answers").click()
    expect(page.get_by_role("alert")).to_contain_text("Please correct the errors below.")
    expect(page.locator(".error-text")).to_have_count(2)
    expect(page.get_by_role("group", name=re.compile(DATES[0])).get_by_label("No", exact=True)).to_be_checked()
    assert_accessible(page)


def test_ks_staff_run_the_poll(page, live_server, trip, users):
    log_in(page, users["ks_admin"])
    in_english(page, live_server)
    page.goto(f"/arrangementer/{trip.pk}/datoavstemning/")
    expect(page.get_by_role("heading", level=2, name="Date poll with the key speakers")).to_be_visible()
    matrix = page.get_by_role("table", name="Answers of each participant for each candidate date")
    expect(matrix.get_by_role("columnheader", name=DATES[1])).to_be_visible()
    expect(matrix.get_by_role("row", name="Christian Klement No Yes If need be")).to_be_visible()
    expect(page.locator("#suggested-date")).to_contain_text(DATES[1])
    assert_accessible(page)

    page.get_by_label("First day").fill("2020-01-07")
    page.get_by_role("button", name="Add date").click()
    expect(page.locator(".error-text")).to_contain_text("has already passed")
    assert_accessible(page)

    page.get_by_role("button", name=f"Choose {DATES[0]}").click()
    expect(page.get_by_role("status")).to_contain_text("The date is decided")
    expect(page.get_by_role("table", name="Candidate dates").get_by_role("row")).to_have_count(4)  # all kept
    assert_accessible(page)
    trip.refresh_from_db()
    assert trip.start_date == CANDIDATES[0]
