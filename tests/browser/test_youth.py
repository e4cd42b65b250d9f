"""A class answers the youth survey on a 390 px phone: axe-core on every page, a reload mid-way loses nothing,
and a network cut at the moment of sending only delays the answers."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.browser.conftest import assert_accessible, submit
from trygg.core.models import Municipality
from trygg.youth import demo, services
from trygg.youth.models import AccessCode, Inbox

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def class_codes(users):
    demo.load_standard()
    today = timezone.localdate()
    bergen, until = Municipality.objects.get(name="Bergen"), today + dt.timedelta(days=5)
    survey = services.order_survey(users["ks_admin"], bergen, today, until, "Nordnes skole; 9A; 9; 3", themes=["vold"])
    services.approve_survey(users["ks_admin"], survey)
    return list(AccessCode.objects.values_list("code", flat=True))


def fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def next_page(page):
    submit(page.get_by_role("button", name="Neste"))
    fits(page)


def start(page, code):
    page.set_viewport_size(PHONE)
    page.goto("/ung/")
    fits(page)
    assert_accessible(page)
    page.get_by_label("Koden din").fill(code.lower())
    submit(page.get_by_role("button", name="Start"))
    fits(page)


def test_a_pupil_answers_on_a_phone_and_a_reload_loses_nothing(page, class_codes):
    start(page, class_codes[0])
    assert_accessible(page)
    page.get_by_label("jente").check()
    page.get_by_label("Ganske trygg").check()
    page.get_by_label("Nei, aldri").check()
    next_page(page)
    assert_accessible(page)
    friends = page.get_by_label("Hvor mange venner har du som du kan stole helt på?")
    friends.fill("4")
    page.get_by_label("Veldig mye").first.check()  # lonely
    page.reload()  # mid-page: the answers of this page and the earlier ones stay on the device
    page.wait_for_selector("[data-youth-page]")
    assert friends.input_value() == "4" and page.get_by_label("Veldig mye").first.is_checked()
    while page.get_by_role("button", name="Send svarene mine").count() == 0:
        if page.get_by_label("Ja, én gang").count():
            page.get_by_label("Ja, én gang").first.check()  # drunk: the follow-up about where comes next
        next_page(page)
        assert_accessible(page)
    page.get_by_role("button", name="Send svarene mine").click()
    page.wait_for_url("**/ung/takk/**")
    assert_accessible(page)
    answers = Inbox.objects.get().answers  # waiting to be counted with the class's others
    assert (answers["gender"], answers["safe_evening"], answers["organised"]) == ("girl", "quite_safe", "never")
    assert (answers["close_friends"], answers["lonely"]) == (4, "very_much")
    assert "drunk_where" in answers
    assert page.evaluate("window.localStorage.getItem('trygg-ung')") is None


def test_a_network_cut_while_sending_only_delays_the_answers(page, class_codes):
    start(page, class_codes[1])
    page.get_by_label("gutt").check()
    while page.get_by_role("button", name="Send svarene mine").count() == 0:
        next_page(page)
    page.context.set_offline(True)
    page.get_by_role("button", name="Send svarene mine").click()
    page.get_by_text("Prøver igjen").wait_for()
    assert not Inbox.objects.exists()
    page.context.set_offline(False)
    page.wait_for_url("**/ung/takk/**", timeout=15_000)
    assert Inbox.objects.get().answers["gender"] == "boy"
    assert AccessCode.objects.filter(used=True).count() == 1
