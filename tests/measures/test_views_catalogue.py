"""Reading the catalogue in the browser: search and filters, the matrix, one measure, its history and old versions."""

import pytest
from django.urls import reverse

from tests.conftest import logged_in_client
from trygg.events.models import Event
from trygg.measures import catalogue
from trygg.measures.models import GroupVerdict, Measure

from .conftest import PUBLISHABLE, SOURCES

pytestmark = pytest.mark.django_db

LIST = reverse("measures:list")
MATRIX = reverse("measures:matrix")

EXIT = {
    "name": "Exitprogram for medlemmer",
    "summary": "Hjelp til å forlate miljøet: bolig, arbeid og beskyttelse.",
    "description": "Programmet følger den som vil ut.",
    "mechanisms": ["desistance"],
    "stages": ["exit"],
    "actors": ["nav", "corrections"],
    "verdict": "inconclusive",
    "transferability": "medium",
    "backfires": [],
}


def english(client):
    client.cookies["django_language"] = "en"
    return client


def url(measure: Measure) -> str:
    return reverse("measures:measure", args=[measure.key])


def listed(client, **params) -> str:
    response = client.get(LIST, params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def editor_client(editor):
    return english(logged_in_client(editor))


@pytest.fixture
def public(clients):
    return english(clients["anonymous"])


# The list --------------------------------------------------------------------------------------------------------


def test_search_finds_stemmed_norwegian_words(make_measure, public):
    ban = make_measure(name="Klubbhusforbud", summary="Kommunen forbyr bruk av eiendommen som samlingssted.")
    licence = make_measure(name="Skjenkekontroll", experiences=[])  # the default experience is in a clubhouse
    page = listed(public, q="klubbhusene")
    assert url(ban) in page
    assert url(licence) not in page
    assert "1 measure" in page


def test_filters_narrow_the_list(make_measure, public):
    licence = make_measure()
    exit_programme = make_measure(**EXIT)
    for params in (
        {"mechanism": "desistance"},
        {"stage": "exit"},
        {"actor": "nav"},
        {"verdict": "inconclusive"},
        {"transferability": "medium"},
        {"mechanism": "desistance", "stage": "exit", "q": "bolig"},
    ):
        page = listed(public, **params)
        assert url(exit_programme) in page, params
        assert url(licence) not in page, params
    page = listed(public, mechanism="deterrence", stage="exit")
    assert url(licence) not in page and url(exit_programme) not in page
    assert "No measure matches your search and filters." in page


def test_cards_show_verdict_in_words_and_the_classification(make_measure, public):
    make_measure()
    page = listed(public)
    assert "verdict-promising" in page and "Promising" in page
    assert "3. Deterrence" in page and "7. Reducing the rewards of crime" in page
    assert "Hinder activity" in page
    assert "Low (self-report, no comparison group, single case)" in page
    assert "2 measures" not in page and "1 measure" in page


@pytest.mark.parametrize(
    ("params", "bad"),
    [
        ({"verdict": "brilliant"}, "brilliant"),
        ({"mechanism": "<script>alert(1)</script>"}, "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ({"stage": "everywhere", "transferability": "total"}, "everywhere"),
    ],
)
def test_bad_filter_values_are_a_message_not_an_error(make_measure, public, params, bad):
    measure = make_measure()
    page = listed(public, **params)
    assert "not on the list, so they were left out" in page
    assert bad in page
    assert "<script>alert" not in page
    assert url(measure) in page  # the bad filter is left out, the list still shows


def test_a_search_text_that_is_too_long_is_a_message(make_measure, public):
    page = listed(public, q="klubbhus " * 40)
    assert "not on the list, so they were left out" in page


def test_htmx_gets_only_the_results(make_measure, public):
    measure = make_measure()
    response = public.get(LIST, {"q": "skjenkekontroll"}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page and url(measure) in page
    assert 'id="results-status" hx-swap-oob="innerHTML"' in page
    assert "HX-Request" in response["Vary"]


def test_editor_links_only_for_editors(make_measure, public, editor_client):
    assert reverse("measures:create") not in listed(public)
    assert reverse("measures:create") in listed(editor_client)


# Who sees what -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["anonymous", "municipal_contact", "partner"])
def test_only_published_measures_outside_the_editors(make_measure, clients, role):
    published = make_measure()
    draft = make_measure(name="Utkast om sonestyring", status="draft", mechanisms=["incapacitation"])
    review = make_measure(name="Til vurdering", status="review", mechanisms=["incapacitation"])
    client = english(clients[role])
    page = listed(client)
    assert url(published) in page
    assert url(draft) not in page and url(review) not in page
    assert listed(client, status="draft").count('class="card measure-card"') == 1  # status is no filter for them
    assert client.get(url(draft)).status_code == 404
    assert client.get(url(review)).status_code == 404
    assert client.get(url(published)).status_code == 200
    matrix = client.get(MATRIX)
    incapacitation = next(row for row in matrix.context["rows"] if row["label"] == "Incapacitation")
    assert incapacitation["total"] == 0
    assert matrix.context["total"] == 1


@pytest.mark.parametrize("who", ["editor", "measures_partner"])
def test_editors_see_drafts_and_filter_by_status(make_measure, request, who):
    client = english(logged_in_client(request.getfixturevalue(who)))
    published = make_measure()
    draft = make_measure(name="Utkast om sonestyring", status="draft")
    page = listed(client)
    assert url(published) in page and url(draft) in page
    assert 'name="status"' in page and "status-draft" in page
    page = listed(client, status="draft")
    assert url(draft) in page and url(published) not in page
    response = client.get(url(draft))
    assert response.status_code == 200
    assert reverse("measures:history", args=[draft.key]) in response.content.decode()


def test_the_public_gets_no_status_filter(make_measure, public):
    make_measure()
    page = listed(public)
    assert 'name="status"' not in page and "status-published" not in page


# The matrix --------------------------------------------------------------------------------------------------------


def test_matrix_counts_and_links(make_measure, public):
    make_measure()  # deterrence + rewards, at the activity stage
    make_measure(name="Skjenkebevilling", mechanisms=["rewards"], stages=["activity", "establishment"])
    make_measure(**EXIT)
    response = public.get(MATRIX)
    assert response.status_code == 200
    rows = {row["label"]: row for row in response.context["rows"]}
    assert [row["number"] for row in response.context["rows"]] == list(range(1, 10))
    rewards = {cell["stage"]: cell["count"] for cell in rows["Reducing the rewards of crime"]["cells"]}
    assert rewards == {
        "Hinder establishment": 1,
        "Hinder activity": 2,
        "Stop recruitment": 0,
        "Support exit": 0,
        "Protect": 0,
        "Reduce harm": 0,
    }
    assert rows["Reducing the rewards of crime"]["total"] == 2
    assert rows["Desistance and rehabilitation"]["total"] == 1
    assert response.context["total"] == 3
    page = response.content.decode()
    link = f"{LIST}?mechanism=rewards&amp;stage=activity"
    assert f'href="{link}"' in page
    assert "no measures" in page and "<caption>" in page and '<th scope="row">' in page
    assert listed(public, mechanism="rewards", stage="activity").count('class="card measure-card"') == 2


# One measure --------------------------------------------------------------------------------------------------------


def test_measure_page_shows_the_evidence(make_measure, public, editor):
    measure = make_measure(
        mechanism_note="Det blir **dyrere** å drive klubbhuset.",
        mechanism_quality="low",
        economic_cost="Lite: kontrollene gjøres uansett.",
        economic_cost_quality="none",
    )
    event = Event.objects.create(title="Studietur til København", city="København", country="DK")
    GroupVerdict.objects.create(
        measure=measure,
        event=event,
        group=3,
        transferability="high",
        reasons="Alkoholloven gir hjemmel.",
        created_by=editor,
    )
    response = public.get(url(measure))
    page = response.content.decode()
    assert response.status_code == 200
    assert "verdict-promising" in page and "Promising" in page
    assert PUBLISHABLE["verdict_reason"] in page
    assert "Step 3 of 8:" in page and "Some evidence of reduction, not significant" in page
    assert "effect-step-3 is-current" in page
    assert "Det blir <strong>dyrere</strong> å drive klubbhuset." in page
    assert "No evaluation (experience or assertion only)" in page
    assert "Displacement to other places" in page
    assert "Studietur til København" in page and "Alkoholloven gir hjemmel." in page
    assert "Drammen" in page and "2010–2012" in page and "Færre fester i klubbhuset." in page
    assert SOURCES[0]["reference"] in page and 'id="source-1"' in page
    assert "Alkoholloven § 1-8" in page
    assert reverse("measures:edit", kwargs={"key": measure.key}) not in page
    assert reverse("measures:history", kwargs={"key": measure.key}) not in page


def test_sources_are_numbered_and_linked(make_measure, public):
    measure = make_measure(
        sources=[
            {"reference": "Klement & Kyvsgaard (2014). Flowet i rocker/bandemiljøerne.", "year": 2014},
            {
                "reference": "Rigsrevisionen, Serviceeftersyn",
                "url": "https://www.justitsministeriet.dk/serviceeftersyn",
            },
        ],
        experiences=[
            {"country": "Danmark", "outcome": "Medlemmer kom tilbake.", "source": "Rigsrevisionen, Serviceeftersyn"}
        ],
    )
    page = public.get(url(measure)).content.decode()
    assert 'id="source-1"' in page and 'id="source-2"' in page
    assert 'href="https://www.justitsministeriet.dk/serviceeftersyn"' in page
    assert 'href="#source-2">[2]</a>' in page
    assert page.count("(2014)") == 1  # the year is in the reference already


def test_script_in_a_description_is_escaped(make_measure, public):
    measure = make_measure()
    Measure.objects.filter(pk=measure.pk).update(
        description="<script>alert(1)</script>", limitations='<img src=x onerror="alert(2)">'
    )
    page = public.get(url(measure)).content.decode()
    assert "&lt;script&gt;" in page
    assert "<script>alert" not in page
    assert "<img src=x" not in page


def test_unknown_measure_is_404(public):
    assert public.get(reverse("measures:measure", args=["finnes-ikke"])).status_code == 404


def test_editors_get_the_edit_and_history_links(make_measure, editor_client):
    measure = make_measure(status="review")
    page = editor_client.get(url(measure)).content.decode()
    assert reverse("measures:edit", kwargs={"key": measure.key}) in page
    assert reverse("measures:history", kwargs={"key": measure.key}) in page
    assert "status-review" in page


# History and old versions ----------------------------------------------------------------------------------------


def test_history_lists_versions_with_who_why_and_what_changed(make_measure, editor, editor_client):
    measure = make_measure()
    catalogue.save_measure(
        editor,
        measure,
        {**PUBLISHABLE, "summary": "Ny kortfattet beskrivelse.", "verdict_quality": "moderate"},
        sources=SOURCES,
        experiences=[],
        reason="Rettet etter ny evaluering",
        revision=measure.revision,
    )
    response = editor_client.get(reverse("measures:history", args=[measure.key]))
    page = response.content.decode()
    assert response.status_code == 200
    assert [row["version"].revision for row in response.context["rows"]] == [4, 3, 2, 1]
    assert "Rettet etter ny evaluering" in page and "Første utkast" in page
    assert editor.username in page
    latest = response.context["rows"][0]["changes"]
    assert {change.field for change in latest} == {"summary", "verdict_quality", "experiences"}
    assert "Summary" in page and "Quality of the evidence" in page and "Experiences" in page
    assert "First version" in page
    assert {change.field for change in response.context["rows"][1]["changes"]} == {"status"}
    assert reverse("measures:version", args=[measure.key, 1]) in page


def test_an_old_version_is_shown_read_only_with_a_banner(make_measure, editor, editor_client):
    measure = make_measure()
    catalogue.save_measure(
        editor,
        measure,
        {**PUBLISHABLE, "summary": "Ny kortfattet beskrivelse."},
        sources=SOURCES,
        experiences=[],
        reason="Kortere",
        revision=measure.revision,
    )
    response = editor_client.get(reverse("measures:version", args=[measure.key, 1]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Old version: version 1 (the measure is now at version 4)" in page
    assert PUBLISHABLE["summary"] in page and "Ny kortfattet beskrivelse." not in page
    assert "Drammen" in page  # the experience it had then
    assert "Første utkast" in page
    assert "<form" not in page.split('id="main"')[1]  # read-only: no workflow, no edit form
    assert editor_client.get(reverse("measures:version", args=[measure.key, 9])).status_code == 404


@pytest.mark.parametrize(("role", "expected"), [("municipal_contact", 403), ("partner", 403), ("ks_adviser", 200)])
def test_history_is_for_editors(make_measure, clients, role, expected):
    measure = make_measure()
    assert clients[role].get(reverse("measures:history", args=[measure.key])).status_code == expected
    assert clients[role].get(reverse("measures:version", args=[measure.key, 1])).status_code == expected


def test_history_sends_the_public_to_login(make_measure, public):
    measure = make_measure()
    response = public.get(reverse("measures:history", args=[measure.key]))
    assert response.status_code == 302 and reverse("core:login") in response["Location"]
