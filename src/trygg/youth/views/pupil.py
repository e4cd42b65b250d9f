"""The pupil's pages: anonymous, no login, no session, no draft kept on the server.

Without JavaScript each page is a plain form: the code and the answers so far travel in the form itself (hidden
fields). With ``youth/answer.js`` the start form asks for the whole questionnaire at once (``whole=1``): every page
is a section of one form, hidden but the current one, rendered by the same template as a plain page, and the script
moves between them, applies the skip logic, keeps the answers on the device and sends them once at the end until the
server acknowledges them. The script's service worker (``youth/worker.js``, scoped to these pages) keeps a copy of
the questionnaire without code or answers, so a reload without network shows it again, filled from the device.
Nothing here is logged or audited (UNLOGGED_PATH_PREFIXES).

The code is what authenticates a pupil; there is no session or user. Django's CSRF check stays on all the same: it
costs a cookie and a comparison per request, and it keeps another site from posting answers through a pupil's
browser. The token travels in the form (the script sends the form's), so a page without script works as well.
"""

import uuid

from django.contrib.auth.models import AnonymousUser
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from trygg.questionnaires.models import DECLINED, translated
from trygg.questionnaires.services import LANGUAGE, asked

from .. import services
from ..services import Outcome, SurveyError

LANGUAGES = (("nb", "Bokmål"), ("nn", "Nynorsk"), ("en", "English"))
# Each language by its own name; a language a translator adds beyond these is shown by its code.
LANGUAGE_NAMES = {**dict(LANGUAGES), "se": "Davvisámegiella"}
STATUS = {Outcome.ACCEPTED: 200, Outcome.DUPLICATE: 200, Outcome.CONFLICT: 409, Outcome.USED: 403}


def _language(request) -> str:
    """The language of the questions: a switch on a question page, else the form's, else the address's; the
    questionnaire falls back to bokmål when it lacks it."""
    data = request.POST
    chosen = data.get("language") or data.get("lang") or request.GET.get("lang") or translation.get_language()
    return chosen if LANGUAGE.fullmatch(chosen or "") else "nb"


def _submission_id(value: str) -> uuid.UUID:
    """The device's submission ID; a page without script gets one made here, which its form then carries."""
    try:
        return uuid.UUID(value)
    except (TypeError, ValueError):
        return uuid.uuid4()


@never_cache
def start(request):
    language = _language(request)
    with translation.override("en" if language == "en" else "nb"):
        return render(request, "youth/start.html", {"languages": LANGUAGES, "lang": language})


def _item_language(item, language: str) -> str:
    """The language a question is shown in: the pupil's if the question and all its options are written in it,
    else bokmål (a municipality's own questions may be in bokmål only)."""
    texts = [item.text, *(option.label for option in item.options.all())]
    return language if all(text.get(language) for text in texts) else "nb"


def _item_view(item, answer, language: str, error: str | None, answers: dict) -> dict:
    chosen = set(answer) if isinstance(answer, list) else {answer}
    language = _item_language(item, language)
    invalid = ""
    if item.minimum is not None and item.maximum is not None:
        bounds = {"minimum": item.minimum, "maximum": item.maximum}
        invalid = _("Write a number from %(minimum)s to %(maximum)s.") % bounds
    elif not item.has_options:
        invalid = _("Write a whole number, or skip the question.")
    return {
        "item": item,
        "lang": language,
        "name": f"a-{item.code}",
        "text": translated(item.text, language),
        "options": [
            {"code": option.code, "label": translated(option.label, language), "checked": option.code in chosen}
            for option in item.options.all()
        ],
        "declined": answer == DECLINED,
        "value": answer if isinstance(answer, int) else "",
        "error": error,
        "invalid": invalid,
        "asked": asked(item, answers),
        "show_if": item.show_if,
    }


def _hidden(questionnaire, answers: dict, shown: set[str]) -> list[tuple[str, str]]:
    """The answers of the other pages as (name, value) pairs, so the form carries them on."""
    pairs = []
    for item in questionnaire.items:
        answer = answers.get(item.code)
        if item.code in shown or answer is None:
            continue
        for value in answer if isinstance(answer, list) else [answer]:
            pairs.append((f"a-{item.code}", str(value)))
    return pairs


def _section(page, number: int, answers: dict, language: str, errors: dict, whole: bool) -> dict:
    """One page of questions; a plain page shows only the questions asked, the whole questionnaire has them all
    (the script shows and hides follow-ups as the answers change)."""
    items = page if whole else [item for item in page if asked(item, answers)]
    return {
        "number": number,
        "module": translated(page[0].module.title, language),
        "items": [_item_view(item, answers.get(item.code), language, errors.get(item.code), answers) for item in items],
    }


def _page(request, code, questionnaire, answers, number: int, sid, language, errors=None, status=200, whole=False):
    """A page of the questionnaire, or with ``whole`` every page at once with ``number`` the one shown; the whole
    questionnaire names its offline copy, and the copy itself has no code (``code`` empty)."""
    pages, languages = questionnaire.pages, questionnaire.languages
    if language not in languages:
        language = "nb" if "nb" in languages or not languages else languages[0]
    number = max(0, min(number, len(pages) - 1))
    shown = range(len(pages)) if whole else [number]
    context = {
        "code": code,
        "sid": sid,
        "lang": language,
        "languages": [(other, LANGUAGE_NAMES.get(other, other)) for other in languages if other != language],
        "page": number,
        "pages": len(pages),
        "last": _next_page(questionnaire, answers, number) is None,
        "first": number == 0,
        "whole": whole,
        "sections": [_section(pages[n], n, answers, language, errors or {}, whole) for n in shown],
        "hidden": [] if whole else _hidden(questionnaire, answers, {item.code for item in pages[number]}),
        "declined": DECLINED,
        "offline": whole and f"{reverse('youth:offline', args=[services.offline_key(questionnaire)])}?lang={language}",
    }
    return render(request, "youth/page.html", context, status=status)


def _next_page(questionnaire, answers, number: int, step: int = 1) -> int | None:
    """The next page (or previous, ``step=-1``) with at least one question asked, skipping pages skip logic empties."""
    pages = questionnaire.pages
    number += step
    while 0 <= number < len(pages):
        if any(asked(item, answers) for item in pages[number]):
            return number
        number += step
    return None


@never_cache
@require_http_methods(["GET", "POST"])
def answer(request):
    language = _language(request)
    with translation.override("en" if language == "en" else "nb"):
        if request.method == "GET":
            # A reload of a page reached by POST: the script sends the answers kept on the device back.
            return render(request, "youth/resume.html", {"lang": language})
        return _answer(request, language)


def _answer(request, language):
    data = request.POST
    action = data.get("action", "")
    fetch = request.headers.get("X-Requested-With") == "fetch"
    try:
        code = services.open_code(data.get("code", "")) if action != "send" else None
    except SurveyError as error:
        if action in ("start", "resume"):
            context = {"languages": LANGUAGES, "lang": language, "error": error.message, "code": data.get("code", "")}
            return render(request, "youth/start.html", context, status=400)
        return render(request, "youth/problem.html", {"message": error.message, "lang": language}, status=400)
    sid = _submission_id(data.get("sid"))
    if action == "send":
        return _send(request, data, sid, language, fetch)
    questionnaire = services.questionnaire_for(code)
    answers, _errors = services.read_answers(questionnaire, data)
    try:
        number = int(data.get("page", 0))
    except ValueError:
        number = 0
    whole = data.get("whole") == "1"  # the script asks for every page at once
    if action == "start":
        return _page(request, code.code, questionnaire, {}, 0, sid, language, whole=whole)
    if action == "resume" or "language" in data:
        return _page(request, code.code, questionnaire, answers, number, sid, language, whole=whole)
    page_items = questionnaire.pages[max(0, min(number, len(questionnaire.pages) - 1))]
    _page_answers, errors = services.read_answers(questionnaire, data, page_items)
    if errors and action == "next":
        return _page(request, code.code, questionnaire, answers, number, sid, language, errors, 400, whole)
    step = -1 if action == "back" else 1
    target = _next_page(questionnaire, answers, number, step)
    number = number if target is None else target
    return _page(request, code.code, questionnaire, answers, number, sid, language, whole=whole)


def _send(request, data, sid, language, fetch: bool):
    """The last page: store the answer set once. With the script, the answer is JSON the script understands."""
    try:
        code = services.code_of(data.get("code", ""))
        questionnaire = services.questionnaire_for(code)
        answers, errors = services.read_answers(questionnaire, data)
        if errors:
            raise SurveyError(_("Some answers could not be read. Go back and check them."))
        outcome = services.submit(code, sid, answers)
    except SurveyError as error:
        if fetch:
            return JsonResponse({"status": "refused", "message": error.message}, status=400)
        return render(request, "youth/problem.html", {"message": error.message, "lang": language}, status=400)
    messages = {
        Outcome.CONFLICT: _("These answers were already sent with other content; the first ones are kept."),
        Outcome.USED: _("That code has already been used to answer."),
    }
    thanks = f"{reverse('youth:thanks')}?lang={language}"
    if fetch:
        return JsonResponse(
            {"status": outcome.value, "message": messages.get(outcome, ""), "next": thanks}, status=STATUS[outcome]
        )
    if outcome in (Outcome.ACCEPTED, Outcome.DUPLICATE):
        return redirect(thanks)
    return render(
        request, "youth/problem.html", {"message": messages[outcome], "lang": language}, status=STATUS[outcome]
    )


@never_cache
def offline(request, key):
    """The whole questionnaire with no code, no submission ID and no answers: the copy the service worker keeps for a
    reload without network, which the script fills from the device. A teacher logged in on a shared PC is left out."""
    language = _language(request)
    with translation.override("en" if language == "en" else "nb"):
        try:
            questionnaire = services.offline_questionnaire(key)
        except SurveyError as error:
            return render(request, "youth/problem.html", {"message": error.message, "lang": language}, status=404)
        request.user = AnonymousUser()
        return _page(request, "", questionnaire, {}, 0, "", language, whole=True)


@never_cache
def worker(request):
    """The service worker; served from the pupil's address so that its scope is the pupil's pages and no other."""
    return render(request, "youth/worker.js", content_type="text/javascript")


@never_cache
def thanks(request):
    language = _language(request)
    with translation.override("en" if language == "en" else "nb"):
        return render(request, "youth/thanks.html", {"lang": language})


urlpatterns = [
    path("ung/", start, name="start"),
    path("ung/svar/", answer, name="answer"),
    path("ung/takk/", thanks, name="thanks"),
    path("ung/skjema/<str:key>/", offline, name="offline"),
    path("ung/worker.js", worker, name="worker"),
]
