"""A classroom PC shared by a class: the youth survey's service worker serves the pupil's pages only, and once the
answers are acknowledged the next pupil on the same browser finds nothing of the one before — no answers, no code,
no thank-you page behind the back button, nothing kept on the device but the pages' stylesheets and scripts."""

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import assert_accessible, use_session_of
from tests.browser.test_youth import (
    SEND,
    back_online,
    class_codes,
    cut,
    next_page,
    offline_copy,
    shown,
    start,
    to_the_end,
)
from trygg.youth.models import AccessCode, Inbox

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["class_codes"]  # the fixture, for pytest

KEPT = """async () => {
  const kept = {};
  for (const name of await caches.keys()) {
    kept[name] = (await (await caches.open(name)).keys()).map(request => new URL(request.url).pathname);
  }
  return {local: {...localStorage}, session: {...sessionStorage}, caches: kept};
}"""


def kept_after_forgetting(page):
    """What the browser keeps once the offline copy is gone (the service worker forgets it as the answers arrive)."""
    for _attempt in range(50):
        kept = page.evaluate(KEPT)
        if "trygg-ung-page" not in kept["caches"]:
            return kept
        page.wait_for_timeout(100)
    raise AssertionError(f"the offline copy was kept: {kept}")


def test_the_next_pupil_on_the_same_browser_finds_nothing_of_the_one_before(page, class_codes):
    start(page, class_codes[0])
    first_sid = page.locator("[data-sid]").input_value()
    shown(page).get_by_label("jente").check()
    next_page(page)
    shown(page).get_by_label("Hvor mange venner har du som du kan stole helt på?").fill("3")
    offline_copy(page)
    to_the_end(page)
    page.get_by_role("button", name=SEND).click()
    page.wait_for_url("**/ung/takk/**")
    assert Inbox.objects.count() == 1
    kept = kept_after_forgetting(page)
    assert kept["local"] == {}
    assert kept["session"] == {"htmx-current-path-for-history": "/ung/takk/?lang=nb"}  # htmx's own: the address
    assert set(kept["caches"]) <= {"trygg-ung-static"} and all(
        path.startswith("/static/") for path in kept["caches"].get("trygg-ung-static", [])
    )
    page.get_by_role("link", name="Ferdig – startsiden for neste elev").click()
    page.wait_for_url("**/ung/?lang=nb")
    assert_accessible(page)
    page.go_back()  # neither the thank-you page nor a page of answers is behind the back button
    assert page.url.endswith("/ung/") and page.get_by_label("Koden din").input_value() == ""
    page.go_forward()
    assert page.url.endswith("/ung/?lang=nb")
    cut(page)
    with pytest.raises(PlaywrightError):
        page.goto("/ung/svar/")  # no copy of the questionnaire is left to show
    back_online(page)

    start(page, class_codes[1])  # the next pupil
    assert page.locator("[data-sid]").input_value() not in ("", first_sid)
    assert page.locator("[data-section] input:checked").count() == 0
    next_page(page)
    assert shown(page).get_by_label("Hvor mange venner har du som du kan stole helt på?").input_value() == ""
    page.reload()  # a reload resumes this pupil's own answers, none of the first pupil's
    page.wait_for_selector("[data-youth-page][data-whole]")
    assert page.locator("[name=code]").input_value() == class_codes[1]
    assert page.locator("[data-section] input:checked").count() == 0
    assert AccessCode.objects.filter(used=True).count() == 1


def test_a_pupil_going_back_after_sending_sees_no_answers(page, class_codes):
    page.goto("/ung/?lang=nb")
    start(page, class_codes[0])
    shown(page).get_by_label("gutt").check()
    to_the_end(page)
    page.get_by_role("button", name=SEND).click()
    page.wait_for_url("**/ung/takk/**")
    page.go_back()
    page.wait_for_load_state()
    assert "/ung/svar/" not in page.url and page.locator("[data-section]").count() == 0
    assert page.get_by_label("Koden din").input_value() == ""


def test_the_service_worker_leaves_staff_pages_alone(page, live_server, users, class_codes):
    start(page, class_codes[0])  # the pupil's pages install the service worker
    offline_copy(page)
    use_session_of(page, live_server, users["ks_adviser"])
    page.goto("/ungdomsundersokelse/")
    assert page.evaluate("navigator.serviceWorker.controller") is None
    cut(page)
    with pytest.raises(PlaywrightError):
        page.reload()  # the browser's own page: nothing of a staff page is kept to show
    back_online(page)
    page.goto("/ungdomsundersokelse/")
    kept = page.evaluate(KEPT)["caches"]
    assert all(path.startswith("/static/") for path in kept["trygg-ung-static"])
    assert kept["trygg-ung-page"] == ["/ung/svar/"]
