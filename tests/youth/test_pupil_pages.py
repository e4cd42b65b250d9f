"""The pupil's question pages through HTTP: the whole questionnaire at once for the script, with the same markup as
a plain page; a question per fieldset with its legend and language; the questions in any language the definition
has in full, with and without the script."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.youth.conftest import codes
from trygg.core.models import Municipality
from trygg.questionnaires import services as questionnaires
from trygg.youth import demo, services

pytestmark = pytest.mark.django_db
ANSWER = reverse("youth:answer")


def _post(client, data):
    response = client.post(ANSWER, data)
    assert response.status_code == 200, response.content.decode()[:2000]
    return response.content.decode()


def _sections(html: str) -> list[str]:
    return re.findall(r"<section .*?</section>", html, re.S)


def _questions(html: str) -> list[str]:
    return re.findall(r"<fieldset class=\"question.*?</fieldset>", html, re.S)


def test_with_the_script_the_first_page_carries_the_whole_questionnaire(running, client):
    code = codes(running)[0]
    whole = _post(client, {"action": "start", "code": code, "lang": "nb", "sid": "", "whole": "1"})
    pages = services.questionnaire_for(services.code_of(code)).pages
    sections = _sections(whole)
    assert len(sections) == len(pages) > 3
    assert ["hidden" in section.split(">", 1)[0] for section in sections] == [False] + [True] * (len(pages) - 1)
    assert len(_questions(whole)) == sum(len(page) for page in pages)  # follow-ups too, for the script to show
    follow_up = next(question for question in _questions(whole) if 'data-item="drunk_where"' in question)
    assert 'data-show-if="drunk" data-any-of="once several" hidden disabled' in follow_up
    assert all("<legend>" in question and 'lang="nb"' in question for question in _questions(whole))
    assert re.findall(r"Side (\d+) av (\d+)", whole) == [(str(n), str(len(pages))) for n in range(1, len(pages) + 1)]
    plain = _post(client, {"action": "start", "code": code, "lang": "nb", "sid": ""})
    assert len(_sections(plain)) == 1 and 'name="whole"' not in plain
    assert _questions(plain) == _questions(_sections(whole)[0])  # the same markup with and without the script


def test_without_the_script_a_language_switch_keeps_the_page_and_the_answers(running, client):
    code = codes(running)[0]
    first = _post(client, {"action": "start", "code": code, "lang": "nb", "sid": ""})
    sid = re.search(r'name="sid" value="([^"]+)"', first).group(1)
    second = _post(client, {"action": "next", "code": code, "sid": sid, "lang": "nb", "page": "0", "a-gender": "girl"})
    assert (
        "Side 2 av" in second
        and '<button class="button button-secondary" type="submit" name="language" value="nn"' in second
    )
    nynorsk = _post(client, {"language": "nn", "code": code, "sid": sid, "lang": "nb", "page": "1", "a-gender": "girl",
                             "a-close_friends": "3"})  # fmt: skip
    assert "Side 2 av" in nynorsk and 'name="a-gender" value="girl"' in nynorsk and 'value="3"' in nynorsk
    assert 'lang="nn"' in nynorsk and "Kor mange vener har du som du kan stole heilt på?" in nynorsk
    assert '<html lang="nb">' in nynorsk  # the page around the questions stays in bokmål
    assert 'value="nb" lang="nb"' in nynorsk and 'value="nn" lang="nn"' not in nynorsk


def _with(texts_in: str, everywhere: bool):
    """The standard questionnaire with a text in ``texts_in`` beside every text, or beside the first question's only."""
    done = []

    def add(node):
        if isinstance(node, dict):
            if "nb" in node and all(isinstance(text, str) for text in node.values()):
                if everywhere or not done:
                    done.append(node)
                    return {**node, texts_in: f"{texts_in.upper()} {node['nb']}"}
                return node
            return {key: add(value) for key, value in node.items()}
        if isinstance(node, list):
            return [add(value) for value in node]
        return node

    for data in questionnaires.parse(demo.STANDARD.read_text(encoding="utf-8")):
        done.clear()
        questionnaires.import_definition(add(data))


def _survey(users):
    today = timezone.localdate()
    bergen = Municipality.objects.get(name="Bergen")
    survey = services.order_survey(
        users["ks_admin"], bergen, today, today + dt.timedelta(days=5), "Nordnes skole; 9A; 9; 3"
    )
    return services.approve_survey(users["ks_admin"], survey)


@pytest.mark.parametrize("everywhere", [True, False])
def test_north_sami_is_offered_once_every_text_has_it(users, client, everywhere):
    _with("se", everywhere)
    code = codes(_survey(users))[0]
    html = _post(client, {"action": "start", "code": code, "lang": "nb", "sid": "", "whole": "1"})
    assert ('value="se" lang="se" formnovalidate>Davvisámegiella</button>' in html) is everywhere
    sami = _post(client, {"action": "resume", "code": code, "lang": "se", "sid": "", "whole": "1"})
    if everywhere:
        assert all('lang="se"' in question for question in _questions(sami)) and "SE Er du …" in sami
    else:  # a partial translation is not offered: the questions stay in bokmål, never mixed
        assert all('lang="nb"' in question for question in _questions(sami)) and "SE " not in sami
