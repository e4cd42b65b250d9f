"""The questionnaire's offline copy and the service worker that keeps it, through HTTP: the copy carries no code, no
submission ID, no answers and no teacher logged in on the same PC; the worker is served from the pupil's address, so
its scope is the pupil's pages, under the strict CSP."""

import re

import pytest
from django.urls import reverse

from tests.youth.conftest import codes
from trygg.youth import services

pytestmark = pytest.mark.django_db
ANSWER = reverse("youth:answer")


def _copy_address(client, code: str) -> str:
    whole = client.post(ANSWER, {"action": "start", "code": code, "lang": "nb", "sid": "", "whole": "1"})
    return re.search(r'data-keep="([^"]+)"', whole.content.decode()).group(1).replace("&amp;", "&")


def test_the_copy_of_the_questionnaire_has_no_code_submission_id_or_answers(running, client):
    code = codes(running)[0]
    address = _copy_address(client, code)
    assert code not in address and address.startswith("/ung/skjema/") and address.endswith("?lang=nb")
    response = client.get(address)
    copy = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert code not in copy and "data-copy" in copy and "data-keep" not in copy
    assert re.search(r'name="code" value=""', copy) and re.search(r'name="sid" value=""', copy)
    assert "checked" not in copy  # no answer chosen
    whole = client.post(ANSWER, {"action": "resume", "code": code, "lang": "nb", "sid": "", "whole": "1"})
    assert _sections(copy) == _sections(whole.content.decode())  # the same questions the pupil got
    other = codes(running)[1]
    assert _copy_address(client, other) == address  # one copy for the whole level: it names no class and no pupil


def _sections(html: str) -> list[str]:
    return [re.sub(r" hidden(?=[ >])", "", section) for section in re.findall(r"<section .*?</section>", html, re.S)]


def test_a_plain_page_names_no_copy_and_the_copy_leaves_out_a_logged_in_teacher(running, client, clients, users):
    code = codes(running)[0]
    plain = client.post(ANSWER, {"action": "start", "code": code, "lang": "nb", "sid": ""}).content.decode()
    assert "data-keep" not in plain and "data-copy" not in plain
    address = _copy_address(client, code)
    teacher = clients["municipal_contact"]
    copy = teacher.get(address).content.decode()
    assert "Logg ut" not in copy and users["municipal_contact"].username not in copy


@pytest.mark.parametrize("key", ["x", "WzEsImxvd2VyIl0:1xY3nm:forged", "WzEsImxvd2VyIl0"])
def test_an_unknown_or_forged_copy_is_not_found_with_a_clear_message(running, client, key):
    response = client.get(reverse("youth:offline", args=[key]))
    assert response.status_code == 404 and "Vi kjenner ikke det spørreskjemaet." in response.content.decode()


def test_a_copy_of_a_deleted_survey_is_not_found(running, client):
    key = services.offline_key(services.questionnaire_for(services.code_of(codes(running)[0])))
    running.delete()
    assert client.get(reverse("youth:offline", args=[key])).status_code == 404


def test_the_service_worker_is_served_from_the_pupils_address_under_the_strict_csp(client):
    response = client.get(reverse("youth:worker"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/javascript")
    assert reverse("youth:worker").startswith(reverse("youth:start"))  # its scope: the pupil's pages only
    assert "no-store" in response["Cache-Control"]
    policy = response["Content-Security-Policy"]
    assert "worker-src 'self'" in policy and "script-src 'self'" in policy and "unsafe" not in policy
    worker = response.content.decode()
    assert f'"{ANSWER}"' in worker and 'if (request.method !== "GET") { return; }' in worker
    page_policy = client.get(reverse("youth:start"))["Content-Security-Policy"]
    assert "worker-src 'self'" in page_policy
