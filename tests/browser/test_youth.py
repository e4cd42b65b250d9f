"""A class answers the youth survey on a 390 px phone: the questionnaire loads once and the pages change in the
browser, axe-core on every page, a network cut mid-way and reloads lose nothing, and the answers are stored once."""

import contextlib
import datetime as dt
import json
import re
from urllib.parse import parse_qsl

import pytest
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import assert_accessible, submit
from trygg.core.models import Municipality
from trygg.questionnaires import services as questionnaires
from trygg.youth import demo, services
from trygg.youth.models import AccessCode, Inbox

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
SEND = "Send svarene mine"
FORM = {"code", "sid", "lang", "page", "whole"}  # besides the answers (a-<item>), all the form holds


def _survey(users):
    today = timezone.localdate()
    bergen, until = Municipality.objects.get(name="Bergen"), today + dt.timedelta(days=5)
    survey = services.order_survey(users["ks_admin"], bergen, today, until, "Nordnes skole; 9A; 9; 3", themes=["vold"])
    services.approve_survey(users["ks_admin"], survey)
    return list(AccessCode.objects.values_list("code", flat=True))


@pytest.fixture
def class_codes(users):
    demo.load_standard()
    return _survey(users)


def fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def shown(page):
    """The page of questions the pupil sees (the others are in the document, hidden)."""
    return page.locator("[data-section]:not([hidden])")


def next_page(page):
    """Next page, in the browser: the click shows the next section at once."""
    number = shown(page).get_attribute("data-section")
    page.get_by_role("button", name="Neste").click()
    assert shown(page).get_attribute("data-section") != number
    fits(page)


def start(page, code, language="Bokmål"):
    page.set_viewport_size(PHONE)
    page.goto("/ung/")
    fits(page)
    assert_accessible(page)
    page.get_by_label("Koden din").fill(code.lower())
    page.get_by_label(language).check()
    submit(page.get_by_role("button", name="Start"))
    page.wait_for_selector("[data-youth-page][data-whole]")
    fits(page)


def to_the_end(page, answer=None):
    while not page.get_by_role("button", name=SEND).is_visible():
        if answer:
            answer(shown(page))
        next_page(page)


def test_a_pupil_answers_on_a_phone_and_a_reload_loses_nothing(page, class_codes):
    start(page, class_codes[0])
    assert_accessible(page)
    assert page.locator("html").get_attribute("lang") == "nb"
    first = shown(page)
    assert first.get_by_text(re.compile(r"Side 1 av \d+")).is_visible()
    for target in [*first.locator("label.choice").all(), page.get_by_role("button", name="Neste")]:
        assert target.bounding_box()["height"] >= 44  # large targets on a phone
    first.get_by_label("jente").check()
    first.get_by_label("Ganske trygg").check()
    first.get_by_label("Nei, aldri").check()
    next_page(page)
    assert_accessible(page)
    pages = int(page.locator("progress").first.get_attribute("max"))
    assert page.locator("[data-announce]").text_content() == f"Side 2 av {pages}"  # read out politely
    assert page.title().startswith(f"Ungdomsundersøkelse, side 2 av {pages}")
    assert shown(page).locator("fieldset.question legend").first.is_visible()
    friends = shown(page).get_by_label("Hvor mange venner har du som du kan stole helt på?")
    friends.fill("4")
    shown(page).get_by_label("Veldig mye").first.check()  # lonely
    page.reload()  # mid-page: the answers of this page and the earlier ones stay on the device
    page.wait_for_selector("[data-youth-page][data-whole]")
    assert shown(page).get_attribute("data-section") == "1"
    friends = shown(page).get_by_label("Hvor mange venner har du som du kan stole helt på?")
    assert friends.input_value() == "4" and shown(page).get_by_label("Veldig mye").first.is_checked()
    friends.fill("400")
    page.get_by_role("button", name="Neste").click()
    assert shown(page).get_by_text("Skriv et tall fra 0 til 50.").is_visible()  # told on the spot, no round trip
    assert_accessible(page)
    friends.fill("4")
    friends.press("Enter")  # Enter goes on to the next page, it does not send
    assert shown(page).get_attribute("data-section") == "2" and not Inbox.objects.exists()

    def drunk_once(section):
        if section.get_by_label("Ja, én gang").count():
            section.get_by_label("Ja, én gang").first.check()  # drunk: the follow-up about where is asked next
        if section.get_by_label("På fest").count():
            section.get_by_label("På fest").check()

    to_the_end(page, drunk_once)
    assert_accessible(page)
    page.get_by_role("button", name=SEND).click()
    page.wait_for_url("**/ung/takk/**")
    assert_accessible(page)
    answers = Inbox.objects.get().answers  # waiting to be counted with the class's others
    assert (answers["gender"], answers["safe_evening"], answers["organised"]) == ("girl", "quite_safe", "never")
    assert (answers["close_friends"], answers["lonely"]) == (4, "very_much")
    assert answers["drunk"] == "once" and answers["drunk_where"] == ["party"]
    assert page.evaluate("window.localStorage.getItem('trygg-ung')") is None


def test_no_request_goes_to_the_server_between_pages_and_nothing_identifying_is_kept_or_sent(page, class_codes):
    start(page, class_codes[1])
    requests = []
    page.on("request", lambda request: requests.append(request))
    shown(page).get_by_label("gutt").check()
    to_the_end(page)
    assert shown(page).get_attribute("data-section") == str(page.locator("progress").count() - 1)
    page.get_by_role("button", name="Tilbake").click()
    page.get_by_role("button", name="Neste").click()
    assert requests == []  # every page and the way back without the server
    kept = json.loads(page.evaluate("window.localStorage.getItem('trygg-ung')"))
    assert set(kept) == {"sid", "page", "fields", "sending"}  # no time, nothing about the device
    assert all(name in FORM or name.startswith("a-") for name, _value in kept["fields"])
    page.get_by_role("button", name=SEND).click()
    page.wait_for_url("**/ung/takk/**")
    posts = [request for request in requests if request.method == "POST"]
    assert len(posts) == 1
    sent = dict(form_fields(posts[0]))
    assert all(name in {*FORM, "action", "csrfmiddlewaretoken"} or name.startswith("a-") for name in sent)
    assert sent["a-gender"] == "boy" and sent["action"] == "send"
    assert Inbox.objects.get().submission_id.hex == sent["sid"].replace("-", "")


def form_fields(request):
    """The fields of a posted form, multipart (FormData) or urlencoded."""
    body = request.post_data or ""
    if "form-data" not in (request.headers.get("content-type") or ""):
        return parse_qsl(body)
    return re.findall(r'name="([^"]+)"\r\n\r\n(.*?)\r\n', body)


def cut(page):
    """The classroom network goes: the browser is offline, and nothing it asks for, page or not, gets through."""
    page.context.set_offline(True)
    page.context.route("**/*", lambda route: route.abort("internetdisconnected"))


def back_online(page, reload=False):
    """The network returns (and the pupil reloads; Chromium also reloads its own offline page by itself by then, and
    whichever reload comes second cuts the first short)."""
    page.context.unroute("**/*")
    page.context.set_offline(False)
    if reload:
        with contextlib.suppress(PlaywrightError):
            page.reload()


def test_a_network_cut_mid_way_only_delays_the_answers_and_they_are_stored_once(page, class_codes):
    start(page, class_codes[2])
    shown(page).get_by_label("gutt").check()
    next_page(page)
    cut(page)
    assert page.get_by_text("Ingen nettverk nå. Du kan svare videre:").is_visible()
    shown(page).get_by_label("Hvor mange venner har du som du kan stole helt på?").fill("7")
    to_the_end(page)
    page.get_by_role("button", name=SEND).click()
    page.get_by_text("Får ikke kontakt med serveren ennå").wait_for()
    assert_accessible(page)
    assert not Inbox.objects.exists()
    back_online(page)
    page.wait_for_url("**/ung/takk/**", timeout=20_000)
    answers = Inbox.objects.get().answers
    assert (answers["gender"], answers["close_friends"]) == ("boy", 7)
    assert AccessCode.objects.filter(used=True).count() == 1


def offline_copy(page):
    """The text of the questionnaire's copy the service worker keeps for a reload without network, once it is kept."""
    script = "caches.open('trygg-ung-page').then(c => c.match('/ung/svar/')).then(r => r ? r.text() : null)"
    for _attempt in range(50):
        if text := page.evaluate(script):
            return text
        page.wait_for_timeout(100)
    raise AssertionError("the service worker kept no offline copy")


def test_reloads_while_offline_show_the_questionnaire_with_the_answers_and_send_them_once(page, class_codes):
    start(page, class_codes[0])
    shown(page).get_by_label("jente").check()
    next_page(page)
    copy = offline_copy(page)
    sid = page.locator("[data-sid]").input_value()
    assert class_codes[0] not in copy and sid not in copy and "checked" not in copy  # no code, no answers
    cut(page)
    shown(page).get_by_label("Hvor mange venner har du som du kan stole helt på?").fill("2")
    next_page(page)
    page.reload()  # the service worker's copy, filled from the device: not the browser's "no internet" page
    page.wait_for_selector("[data-youth-page][data-whole]")
    assert shown(page).get_attribute("data-section") == "2"
    assert page.get_by_text("Ingen nettverk nå. Du kan svare videre:").is_visible()  # told at once, not at the next cut
    assert (
        page.locator("[name=code]").input_value() == class_codes[0] and page.locator("[data-sid]").input_value() == sid
    )
    fits(page)
    assert_accessible(page)
    page.get_by_role("button", name="Tilbake").click()
    assert shown(page).get_by_label("Hvor mange venner har du som du kan stole helt på?").input_value() == "2"
    page.get_by_role("button", name="Tilbake").click()
    assert shown(page).get_by_label("jente").is_checked()
    to_the_end(page)
    page.get_by_role("button", name=SEND).click()
    page.get_by_text("Får ikke kontakt med serveren ennå").wait_for()
    page.reload()  # while the answers are on their way: the copy goes on sending them
    page.get_by_text("Får ikke kontakt med serveren ennå").wait_for()
    assert not Inbox.objects.exists()
    back_online(page)
    page.wait_for_url("**/ung/takk/**", timeout=20_000)
    assert Inbox.objects.count() == 1
    answers = Inbox.objects.get().answers
    assert (answers["gender"], answers["close_friends"]) == ("girl", 2)
    assert AccessCode.objects.filter(used=True).count() == 1


def test_an_acknowledgement_lost_on_the_way_back_stores_the_answers_once(page, class_codes):
    start(page, class_codes[1])
    shown(page).get_by_label("gutt").check()
    to_the_end(page)
    lost = []

    def acknowledgement_lost(route):
        if route.request.method == "POST" and not lost:
            lost.append(route.fetch())  # the server stores the answers, but its answer never reaches the phone
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route("**/ung/svar/", acknowledgement_lost)
    page.get_by_role("button", name=SEND).click()
    page.wait_for_url("**/ung/takk/**", timeout=20_000)
    assert lost[0].json()["status"] == "accepted"  # and the retry was told "duplicate", which is success
    assert Inbox.objects.count() == 1 and Inbox.objects.get().answers["gender"] == "boy"
    assert AccessCode.objects.filter(used=True).count() == 1


@pytest.fixture
def sami_codes(users):
    """The standard questionnaire with a North Sami text beside every text, as a translator would add it."""

    def with_sami(node):
        if isinstance(node, dict):
            if "nb" in node and all(isinstance(text, str) for text in node.values()):
                return {**node, "se": f"SE {node['nb']}"}
            return {key: with_sami(value) for key, value in node.items()}
        if isinstance(node, list):
            return [with_sami(value) for value in node]
        return node

    for data in questionnaires.parse(demo.STANDARD.read_text(encoding="utf-8")):
        questionnaires.import_definition(with_sami(data))
    return _survey(users)


def test_the_pupil_reads_the_questions_in_nynorsk_or_in_north_sami_when_the_definition_has_it(page, class_codes):
    start(page, class_codes[0], "Nynorsk")
    legend = shown(page).locator("fieldset.question").nth(1)
    assert legend.get_attribute("lang") == "nn"
    assert (
        legend.locator("legend").text_content() == "Kor trygg kjenner du deg når du er ute i nabolaget ditt om kvelden?"
    )
    assert page.get_by_role("button", name="Bokmål").is_visible()
    assert page.get_by_role("button", name="Davvisámegiella").count() == 0  # the standard has no North Sami yet
    assert_accessible(page)


def test_a_north_sami_translation_is_offered_and_the_answers_stay_when_switching(page, sami_codes):
    start(page, sami_codes[0])
    shown(page).get_by_label("gutt").check()
    next_page(page)
    submit(page.get_by_role("button", name="Davvisámegiella"))
    page.wait_for_selector("[data-youth-page][data-whole]")
    assert shown(page).get_attribute("data-section") == "1"
    question = shown(page).locator("fieldset.question").first
    assert question.get_attribute("lang") == "se" and question.locator("legend").text_content().startswith("SE ")
    assert_accessible(page)
    page.get_by_role("button", name="Tilbake").click()
    assert shown(page).get_by_label("SE gutt").is_checked()
