"""A round on another topic in a real browser on a 390 px phone: the form generated from the shipped "Trygghet i
det offentlige rom" definition is accessible, fits the screen, skips an unasked follow-up and submits."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, in_english, log_in, submit
from trygg.core.models import Municipality
from trygg.mapping import reports
from trygg.mapping.models import Report, Round
from trygg.questionnaires.services import import_text, shipped

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def test_contact_answers_the_generated_form_on_a_phone(page, live_server, users):
    version = import_text(shipped()["trygghet-offentlig-rom.yaml"].read_text(encoding="utf-8"))[0]
    now = timezone.now()
    round = Round.objects.create(
        name="Trygghet 2027", definition=version, opens_at=now - dt.timedelta(days=1), deadline=now + dt.timedelta(7)
    )
    bergen = Municipality.objects.get(name="Bergen")
    round.municipalities.add(bergen)
    contact = users["municipal_contact"]
    report = reports.start_report(contact, round, [bergen])
    page.set_viewport_size(PHONE)
    log_in(page, contact)
    in_english(page, live_server)
    page.goto(f"/kartlegging/rapporter/{report.pk}/endre/")
    expect(page.locator(".exempt-banner")).to_contain_text("Unntatt offentlighet")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)

    page.get_by_role("group", name="Does the municipality have places where residents feel unsafe?").get_by_label(
        "No", exact=True
    ).check()
    page.get_by_label("Parks and open spaces").check()  # a follow-up to "yes": not saved
    page.get_by_role("group", name="How has safety in public space developed").get_by_label("Somewhat worse").check()
    page.get_by_label("Better lighting").check()
    page.get_by_label("How many full-time equivalents").fill("900")
    submit(page.get_by_role("button", name="Save draft"))
    expect(page.get_by_text("Write a whole number from 0 to 500, or leave it empty.")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("How many full-time equivalents").fill("2")
    submit(page.get_by_role("button", name="Save draft"))
    expect(page.get_by_role("status").first).to_contain_text("The draft was saved")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)
    submit(page.get_by_role("button", name="Submit the report"))
    expect(page.get_by_role("status").first).to_contain_text("The report was submitted")
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED
    assert report.answers == {"unsafe_places": "no", "development": "worse", "measures": ["lighting"], "staff_years": 2}
    assert page.console_errors == []
