"""A municipality asks KS for a lecture in a real browser, on a phone; KS plans it and makes it an event in one
click; the municipality sees the status. axe-core checks every step."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, in_english, search, submit, use_session_of
from trygg.core.models import Person, SupportMember, SupportTeam
from trygg.events.models import Event
from trygg.networks.models import Lecture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _as(page, live_server, user):
    page.context.clear_cookies()
    use_session_of(page, live_server, user)
    in_english(page, live_server)


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_municipality_asks_for_a_lecture_and_ks_makes_it_an_event(page, live_server, users):
    team = SupportTeam.objects.create(name="Support team MC")
    SupportMember.objects.create(team=team, person=Person.objects.create(name="Kari Kripos"), role="Kripos")
    page.set_viewport_size(PHONE)
    _as(page, live_server, users["municipal_contact"])
    page.goto("/nettverk/")
    page.get_by_role("link", name="Lectures in municipalities and regions").click()
    page.get_by_role("link", name="Ask for a lecture").click()
    expect(page.locator("main")).to_contain_text("No private persons.")
    _fits(page)
    assert_accessible(page)
    page.get_by_label("Topic").fill("Criminal MC groups and what a municipality can do")
    page.get_by_label("Audience").fill("The politiråd")
    # A slow phone network and an impatient second tap: one request, one lecture.
    network = page.context.new_cdp_session(page)
    network.send("Network.enable")
    slow = {"offline": False, "latency": 600, "downloadThroughput": -1, "uploadThroughput": -1}
    network.send("Network.emulateNetworkConditions", slow)
    posts = []
    page.on("request", lambda request: request.method == "POST" and posts.append(request.url))
    button = page.get_by_role("button", name="Send to KS")
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    with page.expect_navigation():
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_timeout(200)
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    network.send("Network.emulateNetworkConditions", {**slow, "latency": 0})
    assert len(posts) == 1, posts
    expect(page.get_by_role("heading", level=1)).to_contain_text("Criminal MC groups")
    expect(page.locator("main")).to_contain_text("Requested")
    assert Lecture.objects.count() == 1
    lecture = Lecture.objects.get()
    _fits(page)
    assert_accessible(page)

    _as(page, live_server, users["ks_adviser"])
    page.goto(lecture.get_absolute_url())
    day = timezone.localdate() + dt.timedelta(days=30)
    page.get_by_label("Status").select_option("planned")
    page.get_by_label("Date").fill(day.isoformat())
    search(page, "id_speaker", "Kari", "Kari Kripos (Support team MC: Kripos)")
    page.get_by_label("Message to the municipality").fill("We will gladly come.")
    submit(page.get_by_role("button", name="Save plan"))
    expect(page.locator(".alert-success")).to_contain_text("The lecture plan was saved.")
    _fits(page)
    assert_accessible(page)
    submit(page.get_by_role("button", name="Make it an event"))
    expect(page.locator(".alert-success")).to_contain_text("The lecture is now an event.")
    event = Event.objects.get()
    assert event.kind == "lecture" and event.start_date == day

    _as(page, live_server, users["municipal_contact"])
    page.goto(lecture.get_absolute_url())
    expect(page.locator("main")).to_contain_text("Event created")
    expect(page.locator("main")).to_contain_text("We will gladly come.")
    _fits(page)
    assert_accessible(page)
