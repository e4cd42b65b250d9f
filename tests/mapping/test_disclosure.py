"""Small numbers in the national picture cannot be recovered by a municipal contact from what the picture shows.

Each leak of issue 9 is reproduced through the page, the API or the exports; a last test plays the attacker: it
writes every figure the API gives a contact as a linear equation over the answers (what the round's list of asked
municipalities makes public included) and checks by exact rank that no hidden figure follows from them.
"""

import random

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.core.test_disclosure import rank
from tests.mapping.test_api import bearer
from trygg.core.models import Municipality
from trygg.mapping.models import Assessment, CrimeKind, Report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def picture(client, user, round) -> dict:
    response = client.get(f"/api/mapping/rounds/{round.pk}/picture", headers=bearer(user))
    assert response.status_code == 200
    return response.json()


def names(count: int, county: str | None = None) -> list[str]:
    municipalities = Municipality.objects.order_by("number")
    if county:
        municipalities = municipalities.filter(county__number=county)
    return list(municipalities.values_list("name", flat=True)[:count])


def page(client, round) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client.get(reverse("mapping:picture", args=[round.pk])).content.decode()


def test_the_assessments_3_8_and_a_hidden_2_of_13_hide_the_3_too(make_round, client, users, clients):
    assessments = ["live_with"] * 3 + ["must_act"] * 8 + ["unknown"] * 2
    answers = [(n, "no", "no", a, [], "") for n, a in zip(names(13, "46"), assessments, strict=True)]
    round = make_round(answers=answers, asked=())

    body = picture(client, users["municipal_contact"], round)
    assert body["answered"] == 13
    shown = [(count["value"], count["hidden"]) for count in body["assessments"]]
    assert shown == [(None, "secondary"), (8, ""), (None, "primary")]  # live with it, must act, do not know
    html = page(clients["municipal_contact"], round)
    assert '(–)<span class="visually-hidden"> hidden to protect a small number</span>' in html
    assert 'id="secondary-note"' in html
    assert picture(client, users["ks_adviser"], round)["assessments"][0]["value"] == 3


def test_a_measure_that_worked_for_2_is_not_5_minus_0_minus_3(make_round, client, users, clients):
    experiences = ["worked"] * 2 + ["too_early"] * 3 + [""] * 3
    answers = [(n, "no", "no", "live_with", [], e) for n, e in zip(names(8, "46"), experiences, strict=True)]
    round = make_round(answers=answers, asked=())

    [measure] = picture(client, users["municipal_contact"], round)["measures"]
    figures = (measure["municipalities"], measure["worked"], measure["did_not"], measure["too_early"])
    assert figures == (5, None, None, 3)
    assert measure["hidden"] == {"worked": "primary", "did_not": "primary"}  # the 0 is told as small, not as 0
    html = page(clients["municipal_contact"], round)
    row = html[html.index('<th scope="row">Nekte skjenkebevilling</th>') :].split("</tr>")[0]
    assert row.count("hidden: fewer than 3 municipalities") == 2 and '<td class="num">5\n</td>' in row


def test_no_zero_is_shown_beside_a_hidden_1_or_2(make_round, client, users):
    answers = [
        (name, "no", "no", "live_with", ["narcotics"] + (["weapons"] if i == 0 else []), "")
        for i, name in enumerate(names(6, "46"))
    ]
    round = make_round(answers=answers, asked=())

    body = picture(client, users["municipal_contact"], round)
    kinds = dict(zip(CrimeKind.values, body["crime_kinds"], strict=True))
    assert kinds["narcotics"]["value"] == 6
    assert (kinds["weapons"]["value"], kinds["weapons"]["hidden"]) == (None, "primary")
    assert (kinds["fraud"]["value"], kinds["fraud"]["hidden"]) == (None, "primary")
    assert all(count["value"] in (None, 6) for count in kinds.values())


def test_a_county_with_one_municipality_does_not_show_whether_it_answered(make_round, client, users, clients):
    round = make_round()  # Oslo answered; it is the only municipality of its county and its police district

    body = picture(client, users["municipal_contact"], round)
    for rows in (body["counties"], body["police_districts"]):
        oslo = next(row for row in rows if row["name"].startswith("Oslo"))
        assert (oslo["asked"], oslo["answered"], oslo["hidden"]["answered"]) == (1, None, "primary")
    html = page(clients["municipal_contact"], round)
    assert '<th scope="row">Oslo</th>\n      <td class="num">1</td>\n      <td class="num">–<span' in html
    csv = clients["municipal_contact"].get(reverse("mapping:aggregates_export", args=[round.pk, "csv"]))
    assert '"Oslo";1;"–";"–";"–";"–";"–"\r\n' in csv.content.decode()
    staff = picture(client, users["ks_adviser"], round)
    assert next(row for row in staff["counties"] if row["name"] == "Oslo")["answered"] == 1


# The attacker ---------------------------------------------------------------------------------------------------

CATEGORIES = ("group", "crews", "neither")
ROW_FIGURES = {"answered": None, "hosts_group": "group", "crews_only": "crews", "neither": "neither"}


def _random_round(make_round, seed: int):
    """About 45 municipalities in four counties (two of them split between police districts), a few not answering."""
    rng = random.Random(seed)
    pool = [name for county in ("03", "31", "33", "46", "50") for name in names(12, county)]
    chosen = rng.sample(pool, 45)
    answers, asked = [], []
    for name in chosen:
        if rng.random() < 0.15:
            asked.append(name)
            continue
        group = rng.choice(["yes", "no", "no"])
        crews = rng.choice(["yes", "no"])
        assessment = rng.choice(["live_with", "must_act", "must_act", "unknown"])
        answers.append((name, group, crews, assessment, [], ""))
    return make_round(answers=answers, asked=asked)


def _equations(round, body: dict):
    """(published equations, hidden figures) as vectors over the unknown answers of the asked municipalities."""
    municipalities = Municipality.objects.filter(pk__in=round.municipalities.values("pk"))
    places = {
        (m.county.name, m.police_district.name) for m in municipalities.select_related("county", "police_district")
    }
    assessments = [*Assessment.values, ""]
    unknowns = [(p, c, a) for p in places for c in CATEGORIES for a in assessments] + [(p, "none", "") for p in places]

    def vector(test) -> dict:
        return {u: 1 for u in unknowns if test(*u)}

    published, hidden = [], []
    for place in places:  # how many were asked in each county and police district together is public
        published.append(vector(lambda p, c, a, place=place: p == place))
    published.append(vector(lambda p, c, a: c != "none"))  # the number that answered
    published.append(vector(lambda p, c, a: c != "none" and a == ""))  # assumed known: those without an assessment
    for level, position in (("counties", 0), ("police_districts", 1)):
        for row in body[level]:
            for name, category in ROW_FIGURES.items():
                here = lambda p, c, a, row=row, position=position: p[position] == row["name"]  # noqa: E731
                if category is None:
                    equation = vector(lambda p, c, a, here=here: here(p, c, a) and c != "none")
                else:
                    equation = vector(lambda p, c, a, here=here, k=category: here(p, c, a) and c == k)
                (published if row[name] is not None else hidden).append(equation)
            equation = vector(lambda p, c, a, row=row, i=position: p[i] == row["name"] and a == "must_act")
            (published if row["must_act"] is not None else hidden).append(equation)
    for value, count in zip(Assessment.values, body["assessments"], strict=True):
        (published if count["value"] is not None else hidden).append(vector(lambda p, c, a, v=value: a == v))
    trend = body["trends"][-1]
    for name, test in (
        ("hosts_group_share", lambda p, c, a: c == "group"),
        ("crews_share", lambda p, c, a: c == "crews"),
        ("must_act_share", lambda p, c, a: a == "must_act"),
    ):
        (published if trend[name] is not None else hidden).append(vector(test))
    return [e for e in published if e], [e for e in hidden if e]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_no_hidden_figure_follows_from_the_published_ones(make_round, client, users, seed):
    round = _random_round(make_round, seed)
    body = picture(client, users["municipal_contact"], round)
    published, hidden = _equations(round, body)
    assert hidden, "the round should have something to hide"
    base = rank(published)
    for equation in hidden:
        assert rank([*published, equation]) > base
    assert Report.objects.filter(round=round).count() == body["answered"]
