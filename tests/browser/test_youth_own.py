"""A municipality's own questions in the browser: written on a phone and a desktop, answered by a pupil with the
page-by-page script, and shown in the report; axe-core on each page, nothing wider than a 390 px phone."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from tests.browser.conftest import assert_accessible, submit, use_session_of
from tests.browser.test_youth import PHONE, SEND, fits, next_page, shown, start
from trygg.core.models import Municipality
from trygg.youth import demo, own, services
from trygg.youth.models import AccessCode, Inbox

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
QUESTION = "Hvor ofte bruker du biblioteket?"


def _order(users, classes="Nordnes skole; 9A; 9; 3"):
    demo.load_standard()
    today = timezone.localdate()
    bergen = Municipality.objects.get(name="Bergen")
    return services.order_survey(users["municipal_contact"], bergen, today, today + dt.timedelta(days=5), classes)


def test_a_contact_writes_own_questions_on_a_desktop_and_a_phone(page, live_server, users):
    survey = _order(users)
    use_session_of(page, live_server, users["municipal_contact"])
    page.goto(survey.get_absolute_url())
    submit(page.get_by_role("link", name="Skriv kommunens egne spørsmål"))
    assert_accessible(page)
    page.get_by_label("Spørsmål (bokmål)").fill(QUESTION)
    page.get_by_label("Ett valg").check()
    page.get_by_label("Svaralternativer (bokmål)").fill("Aldri\nAv og til\nOfte")
    page.get_by_text("Nynorsk og engelsk (valgfritt)").click()
    page.get_by_label("Spørsmål (engelsk)").fill("How often do you use the library?")
    submit(page.get_by_role("button", name="Lagre spørsmålet"))
    assert page.get_by_text("Spørsmålet er lagret.").is_visible() and page.get_by_text(QUESTION).is_visible()
    page.get_by_label("Spørsmål (bokmål)").fill("Hvor mange minutter går du til skolen?")
    page.get_by_label("Tall", exact=True).check()
    page.get_by_label("Laveste svar (tallspørsmål)").fill("0")
    submit(page.get_by_role("button", name="Lagre spørsmålet"))
    assert page.get_by_text("trenger et laveste og et høyeste svar").is_visible()  # the typed text stays
    assert page.get_by_label("Spørsmål (bokmål)").input_value() == "Hvor mange minutter går du til skolen?"
    assert_accessible(page)
    page.get_by_label("Høyeste svar (tallspørsmål)").fill("60")
    submit(page.get_by_role("button", name="Lagre spørsmålet"))
    submit(page.get_by_role("button", name="Flytt opp spørsmål 2"))
    assert page.locator(".own-question-text").first.text_content() == "Hvor mange minutter går du til skolen?"
    page.set_viewport_size(PHONE)
    fits(page)
    assert_accessible(page)
    submit(page.get_by_role("link", name="Endre spørsmål 2"))
    fits(page)
    assert_accessible(page)
    assert page.get_by_label("Spørsmål (bokmål)").input_value() == QUESTION
    assert [entry["text"]["nb"] for entry in own.definitions(survey)][1] == QUESTION


def test_a_pupil_answers_an_own_question_on_a_phone(page, users):
    survey = _order(users)
    own.save(users["municipal_contact"], survey, own.question(
        "single", {"nb": QUESTION}, {"nb": ["Aldri", "Av og til", "Ofte"]}
    ))  # fmt: skip
    services.approve_survey(users["ks_admin"], survey)
    start(page, AccessCode.objects.values_list("code", flat=True).first())
    while not shown(page).get_by_text(QUESTION).count():
        next_page(page)
    assert shown(page).get_by_role("heading", name="Kommunens egne spørsmål").is_visible()
    shown(page).get_by_label("Av og til").check()
    assert_accessible(page)
    fits(page)
    while not page.get_by_role("button", name=SEND).is_visible():
        next_page(page)
    page.get_by_role("button", name=SEND).click()
    page.wait_for_url("**/ung/takk/**")
    assert Inbox.objects.get().answers[f"egen-{survey.pk}-1"] == "2"


def test_the_report_shows_the_own_questions_on_a_phone(page, live_server, users):
    survey = _order(users, "Nordnes skole; 9A; 9; 30")
    own.save(users["municipal_contact"], survey, own.question(
        "single", {"nb": QUESTION}, {"nb": ["Aldri", "Av og til", "Ofte"]}
    ))  # fmt: skip
    survey = services.approve_survey(users["ks_admin"], survey)
    chosen = [("girl", "2")] * 12 + [("boy", "3")] * 12 + [("girl", "1")] * 3
    for access, (gender, option) in zip(AccessCode.objects.all(), chosen, strict=False):
        answers = {"gender": gender, f"egen-{survey.pk}-1": option}
        assert services.submit(access, uuid.uuid4(), answers) == services.Outcome.ACCEPTED
    services.close_survey(users["ks_admin"], survey)
    use_session_of(page, live_server, users["municipal_contact"])
    page.set_viewport_size(PHONE)
    page.goto(f"/ungdomsundersokelse/{survey.pk}/rapport/")
    section = page.locator("section[aria-labelledby=own-questions]")
    assert section.get_by_text(QUESTION).is_visible() and section.locator("abbr").count()
    fits(page)
    assert_accessible(page)
