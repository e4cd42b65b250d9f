"""The measures API: the public sees published measures only, editors drafts too; filters, the matrix, editions."""

import pytest
from django.conf import settings
from django.test import Client

from tests.conftest import logged_in_client, make_user
from trygg.core.models import APIToken, Role
from trygg.measures.catalogue import FIELDS
from trygg.measures.models import Edition, GroupVerdict

pytestmark = pytest.mark.django_db

LIST = "/api/measures/"


def bearer(user) -> dict:
    _token, raw = APIToken.issue(user, "test")
    return {"Authorization": f"Bearer {raw}"}


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def catalogue(make_measure):
    """Two published measures and a draft."""
    return {
        "skjenk": make_measure(),
        "exit": make_measure(
            name="Exit-program",
            summary="Hjelp til å forlate miljøet.",
            mechanisms=["desistance"],
            stages=["exit"],
            actors=["nav", "corrections"],
            verdict="promising",
            transferability="medium",
        ),
        "draft": make_measure(status="draft", name="Sivilt forbud", mechanisms=["incapacitation"]),
    }


def keys(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["key"] for item in response.json()["items"]}


def test_the_public_lists_published_measures_only(client, catalogue):
    response = client.get(LIST)
    assert keys(response) == {catalogue["skjenk"].key, catalogue["exit"].key}
    item = next(i for i in response.json()["items"] if i["key"] == catalogue["skjenk"].key)
    assert item["name"] == "Skjenkekontroll på klubbhus"
    assert item["mechanisms"] == ["deterrence", "rewards"]
    assert item["verdict"] == "promising" and item["verdict_quality"] == "low"
    assert item["transferability"] == "high"
    assert item["url"] == f"/tiltak/{catalogue['skjenk'].key}/"
    assert {"summary", "stages", "actors", "updated_at", "status"} <= set(item)


def test_without_the_trailing_slash_the_list_is_redirected(client, catalogue):
    response = client.get("/api/measures", follow=True)
    assert keys(response) == {catalogue["skjenk"].key, catalogue["exit"].key}


@pytest.mark.parametrize("how", ["token", "session"])
def test_editors_see_drafts_and_may_filter_on_status(client, catalogue, editor, measures_partner, how):
    if how == "token":
        client, headers = Client(), bearer(editor)
    else:
        client, headers = logged_in_client(measures_partner), {}
    assert catalogue["draft"].key in keys(client.get(LIST, headers=headers))
    assert keys(client.get(LIST, {"status": "draft"}, headers=headers)) == {catalogue["draft"].key}
    assert keys(client.get(LIST, {"status": "review"}, headers=headers)) == set()


def test_others_may_not_ask_for_drafts(client, catalogue, users):
    for headers in ({}, bearer(users["municipal_contact"]), bearer(users["partner"])):
        response = english(client).get(LIST, {"status": "draft"}, headers=headers)
        assert response.status_code == 403
        assert "editors" in response.json()["detail"]
    assert keys(client.get(LIST, {"status": "published"})) == {catalogue["skjenk"].key, catalogue["exit"].key}


def test_a_ks_session_without_two_factor_counts_as_the_public(catalogue, users):
    client = Client()
    client.force_login(users["ks_adviser"])
    assert catalogue["draft"].key not in keys(client.get(LIST))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"mechanism": "desistance"}, {"exit"}),
        ({"stage": "activity"}, {"skjenk"}),
        ({"actor": "nav"}, {"exit"}),
        ({"verdict": "promising"}, {"skjenk", "exit"}),
        ({"transferability": "medium"}, {"exit"}),
        ({"q": "skjenkebevilling"}, set()),
        ({"q": "skjenkekontroll"}, {"skjenk"}),
        ({"q": "exit"}, {"exit"}),
        ({"mechanism": "deterrence", "transferability": "medium"}, set()),
    ],
)
def test_filters(client, catalogue, query, expected):
    assert keys(client.get(LIST, query)) == {catalogue[name].key for name in expected}


def test_a_value_outside_a_scale_is_a_clear_422(client, catalogue):
    response = client.get(LIST, {"mechanism": "magic", "verdict": "splendid"})
    assert response.status_code == 422
    errors = {tuple(error["loc"]): error["msg"] for error in response.json()["detail"]}
    assert "'deterrence'" in errors[("query", "mechanism")]
    assert "'effective'" in errors[("query", "verdict")]


def test_one_measure_has_every_field_with_markdown_as_source(client, catalogue):
    measure = catalogue["skjenk"]
    response = client.get(f"/api/measures/{measure.key}")
    assert response.status_code == 200
    body = response.json()
    assert set(FIELDS) <= set(body)
    assert body["description"] == "Kontrollene **samordnes** med politiet."
    assert body["effect"] == 3 and body["backfires"] == ["displacement"]
    assert body["mechanism_quality"] is None  # empty in the data: null, not ""
    assert body["sources"][0]["reference"].startswith("Bjørgo")
    source = body["sources"][0]
    assert set(source) == {
        "reference",
        "url",
        "year",
        "kind",
        "authors",
        "title",
        "container",
        "details",
        "doi",
        "isbn",
        "checked",
        "checked_at",
    }  # a source is a record (the test's is an old one-line source, checked before it was published)
    assert source["checked"] is True and source["checked_at"] and source["authors"] == []
    assert body["experiences"] == [
        {"country": "Norge", "place": "Drammen", "period": "2010–2012", "outcome": "Færre fester i klubbhuset.",
         "source": None}
    ]  # fmt: skip
    assert body["group_verdicts"] == []
    assert body["group_summary"] == {"high": 0, "medium": 0, "low": 0, "unknown": 0}


def test_a_draft_is_404_for_the_public_and_shown_to_editors(client, catalogue, editor, users):
    url = f"/api/measures/{catalogue['draft'].key}"
    assert client.get(url).status_code == 404
    assert client.get(url, headers=bearer(users["municipal_contact"])).status_code == 404
    response = client.get(url, headers=bearer(editor))
    assert response.status_code == 200
    assert response.json()["status"] == "draft"
    assert client.get("/api/measures/finnes-ikke").status_code == 404


def test_group_verdicts_come_with_the_measure(client, catalogue, users):
    from trygg.events.models import Event

    event = Event.objects.create(title="Studietur", kind=Event.Kind.STUDY_TRIP, status=Event.Status.PLANNED)
    hidden = Event.objects.create(title="Utkast", kind=Event.Kind.STUDY_TRIP, status=Event.Status.DRAFT)
    measure = catalogue["skjenk"]
    GroupVerdict.objects.create(measure=measure, event=event, group=2, transferability="high", reasons="Norsk lov.")
    GroupVerdict.objects.create(measure=measure, event=hidden, group=1, transferability="low", reasons="Skjult.")
    body = client.get(f"/api/measures/{measure.key}").json()
    assert [(v["event"], v["event_title"], v["group"], v["transferability"]) for v in body["group_verdicts"]] == [
        (event.pk, "Studietur", 2, "high")
    ]
    assert body["group_summary"]["high"] == 1 and body["group_summary"]["low"] == 0
    staff = client.get(f"/api/measures/{measure.key}", headers=bearer(users["ks_admin"])).json()
    assert len(staff["group_verdicts"]) == 2


def test_the_matrix_counts_what_the_caller_may_see(client, catalogue, editor):
    body = english(client).get("/api/measures/matrix").json()
    assert [stage["value"] for stage in body["stages"]][:2] == ["establishment", "activity"]
    rows = {row["mechanism"]: row for row in body["rows"]}
    assert len(rows) == 9 and rows["normative"]["label"] == "Establishing and maintaining normative barriers"
    assert rows["deterrence"]["total"] == 1
    assert {c["stage"]: c["count"] for c in rows["deterrence"]["cells"]}["activity"] == 1
    assert rows["incapacitation"]["total"] == 0  # the draft only
    staff = client.get("/api/measures/matrix", headers=bearer(editor)).json()
    assert {row["mechanism"]: row["total"] for row in staff["rows"]}["incapacitation"] == 1


def test_editions_are_public_and_frozen(client, editor):
    Edition.objects.create(number=1, title="Veileder", notes="Første utgave.", content={"chapters": [], "n": 1})
    Edition.objects.create(number=2, title="Veileder", notes="Nye tiltak.", content={"chapters": [], "n": 2})
    listed = client.get("/api/measures/guide/editions").json()
    assert [(e["number"], e["notes"]) for e in listed] == [(2, "Nye tiltak."), (1, "Første utgave.")]
    assert "content" not in listed[0]
    one = client.get("/api/measures/guide/editions/1").json()
    assert one["content"] == {"chapters": [], "n": 1} and one["title"] == "Veileder"
    assert client.get("/api/measures/guide/editions/9").status_code == 404


def test_the_openapi_docs_describe_the_measures_endpoints(client):
    schema = client.get("/api/openapi.json").json()
    for path in [
        "/api/measures/",
        "/api/measures/{key}",
        "/api/measures/matrix",
        "/api/measures/guide/editions",
        "/api/measures/guide/editions/{number}",
    ]:
        assert schema["paths"][path]["get"]["summary"], path
    detail = schema["components"]["schemas"]["MeasureDetailOut"]["properties"]
    assert "Markdown" in detail["description"]["description"]
    assert client.get("/api/docs").status_code == 200


def test_a_partner_without_the_measures_area_is_not_an_editor(client, catalogue):
    partner = make_user(Role.PARTNER, username="other_partner", partner_areas=[])
    assert catalogue["draft"].key not in keys(client.get(LIST, headers=bearer(partner)))
