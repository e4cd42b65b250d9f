"""The REST API: public reference data, token authentication, and the OpenAPI document."""

import collections
import enum
import re
import typing

import pydantic
import pytest

from tests.conftest import logged_in_client, make_user
from trygg.core.models import APIToken, Role

pytestmark = pytest.mark.django_db


def test_all_municipalities_in_one_page(client, municipalities):
    response = client.get("/api/municipalities", {"limit": 1000})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 357
    assert len(body["items"]) == 357
    oslo = next(m for m in body["items"] if m["number"] == "0301")
    assert oslo["county"] == {"number": "03", "name": "Oslo"}
    assert oslo["police_district"] == "Oslo politidistrikt"


def test_filter_by_county_and_name(client, municipalities):
    trondelag = client.get("/api/municipalities", {"county": "50", "limit": 1000}).json()
    assert trondelag["count"] > 30
    assert all(m["county"]["number"] == "50" for m in trondelag["items"])
    found = client.get("/api/municipalities", {"q": "Trondheim"}).json()
    assert [m["name"] for m in found["items"]] == ["Trondheim - Tråante"]


def test_one_municipality_with_neighbours(client, municipalities):
    body = client.get("/api/municipalities/0301").json()
    assert body["name"] == "Oslo"
    assert "3201" in body["neighbours"] or len(body["neighbours"]) >= 3
    assert client.get("/api/municipalities/0000").status_code == 404


def test_limit_out_of_range_is_a_clear_error(client, municipalities):
    response = client.get("/api/municipalities", {"limit": 5000})
    assert response.status_code == 422
    assert "limit" in response.text


def test_token_authentication(client, municipalities):
    user = make_user(Role.MUNICIPAL_CONTACT)
    _token, raw = APIToken.issue(user, "integration")
    assert client.get("/api/me").status_code == 401
    assert client.get("/api/me", headers={"Authorization": "Bearer wrong"}).status_code == 401
    response = client.get("/api/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    assert response.json()["username"] == user.username
    assert APIToken.objects.get().last_used_at is not None
    assert APIToken.objects.get().token_hash != raw


def test_token_created_in_the_browser_is_shown_once_and_can_be_revoked(municipalities):
    user = make_user(Role.PARTNER)
    browser = logged_in_client(user)
    response = browser.post("/konto/api-nokler/", {"name": "Statistikk"})
    raw = response.context["new_token"]
    assert raw.startswith("trygg_") and raw in response.text
    assert raw not in browser.get("/konto/api-nokler/").text
    api = logged_in_client(None)
    assert api.get("/api/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    browser.post(f"/konto/api-nokler/{APIToken.objects.get().pk}/slett/")
    assert api.get("/api/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401


def test_staff_session_needs_two_factor_for_the_api(municipalities):
    from django.test import Client

    staff = make_user(Role.KS_ADVISER)
    unverified = Client()
    unverified.force_login(staff)
    assert unverified.get("/api/organisations").status_code == 401
    assert logged_in_client(staff).get("/api/organisations").status_code == 200


def test_openapi_document_and_docs_page(client):
    schema = client.get("/api/openapi.json").json()
    assert "/api/municipalities" in schema["paths"]
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    # Served from our own static files: no script or stylesheet from another host (a random token may spell "cdn").
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", docs.text)


# Edges: bounded input and JSON errors -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/municipalities", {"offset": 2**63}, "offset"),
        ("/api/municipalities", {"limit": 10**30}, "limit"),
        ("/api/municipalities", {"q": "å" * 50_000}, "q"),
        ("/api/events", {"offset": 2**63}, "offset"),
        ("/api/measures/", {"q": "x" * 50_000}, "q"),
        ("/api/events/9223372036854775808", {}, "event_id"),
        ("/api/measures/guide/editions/99999999999", {}, "number"),
    ],
)
def test_out_of_range_input_is_a_clear_422(client, municipalities, path, params, field):
    response = client.get(path, params)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert [issue["loc"][-1] for issue in response.json()["detail"]] == [field]


def test_search_terms_are_limited_also_for_token_callers(client, municipalities):
    _token, raw = APIToken.issue(make_user(Role.PARTNER), "integration")
    response = client.get("/api/organisations", {"q": "x" * 50_000}, headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 422


def test_every_api_error_is_json(client, municipalities):
    unknown = client.get("/api/finnes-ikke")
    assert (unknown.status_code, unknown.json()) == (404, {"detail": "Ikke funnet."})
    not_allowed = client.delete("/api/municipalities")
    assert (not_allowed.status_code, not_allowed["Allow"]) == (405, "GET")
    assert not_allowed.json() == {"detail": "Denne metoden er ikke tillatt her."}
    nul = client.get("/api/municipalities", {"q": "a\x00b"})
    assert nul.status_code == 400 and nul.json()["detail"]
    assert client.get("/api/municipalities/9999").json() == {"detail": "Ikke funnet."}


def test_a_failure_of_ours_is_a_json_500(client, municipalities, monkeypatch):
    def broken(*args):
        raise RuntimeError("boom")

    monkeypatch.setattr("trygg.core.api.search_municipalities", broken)
    response = client.get("/api/municipalities")
    assert response.status_code == 500
    assert response.json() == {"detail": "Noe gikk galt hos oss."}


def test_a_session_write_without_csrf_token_is_a_json_403(municipalities):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(make_user(Role.MUNICIPAL_CONTACT))
    response = browser.delete("/api/events/registrations/1")
    assert response.status_code == 403
    assert response.json()["detail"]


def test_outside_the_api_errors_stay_pages(client, municipalities):
    response = client.get("/finnes-ikke/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


# The OpenAPI document ------------------------------------------------------------------------------------------


def test_every_enum_has_its_own_name_and_values(client):
    from trygg.events.models import Event, ProgrammeItem, Registration
    from trygg.mapping.models import Report, ReportMeasure, Round
    from trygg.measures.models import Measure, Stage

    schemas = client.get("/api/openapi.json").json()["components"]["schemas"]
    for name, choices in {
        "EventKind": Event.Kind,
        "EventStatus": Event.Status,
        "ProgrammeItemKind": ProgrammeItem.Kind,
        "RegistrationRole": Registration.Role,
        "RegistrationStatus": Registration.Status,
        "RoundStatus": Round.Status,
        "ReportStatus": Report.Status,
        "ReportMeasureStage": ReportMeasure.Stage,
        "MeasureStatus": Measure.Status,
        "Stage": Stage,
    }.items():
        assert schemas[name]["enum"] == list(choices.values), name
    assert "Status" not in schemas and "Kind" not in schemas
    assert schemas["EventOut"]["properties"]["kind"] == {"$ref": "#/components/schemas/EventKind"}


def test_filters_take_their_own_values(client):
    assert client.get("/api/events", {"kind": "study_trip"}).status_code == 200
    assert client.get("/api/events", {"kind": "welcome"}).status_code == 422  # a programme item's kind


def test_error_answers_are_documented(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    register = paths["/api/events/{event_id}/registrations"]["post"]["responses"]
    assert sorted(register) == ["201", "400", "401", "403", "404", "409", "422"]
    assert register["409"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorOut"}
    assert register["422"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ValidationErrorOut"
    }
    assert sorted(paths["/api/mapping/reports/{report_id}"]["get"]["responses"]) == [
        "200",
        "400",
        "401",
        "403",
        "404",
        "422",
    ]
    assert sorted(paths["/api/counties"]["get"]["responses"]) == ["200"]


def test_a_decomposed_search_term_finds_the_composed_name(client, municipalities):
    found = client.get("/api/municipalities", {"q": "A\u030al"}).json()  # "Ål" typed as A + combining ring
    assert "Ål" in [m["name"] for m in found["items"]]


# Every list of every app, as every caller ---------------------------------------------------------------------

HOSTILE = {"offset": 2**63, "limit": 10**30, "page": 2**63, "q": "x" * 50_000}


def _list_operations(schema: dict):
    """Every GET of the document with each path parameter filled in, and the query parameters it declares."""
    for path, item in schema["paths"].items():
        if "get" not in item or path == "/api/openapi.json":
            continue
        declared = {p["name"] for p in item["get"].get("parameters", []) if p["in"] == "query"}
        path = path.replace("/municipalities/{number}", "/municipalities/0301")  # any other is an id or number
        yield re.sub(r"{\w+}", "1", path), declared


@pytest.mark.parametrize("role", ["anonymous", "ks_admin", "ks_adviser", "municipal_contact", "partner"])
def test_huge_offsets_limits_pages_and_search_terms_are_a_json_422_on_every_list(client, users, role):
    """Offset and page past 2^63, a limit of 10^30 and a 50 000-character search, one at a time, on every GET of
    every app (youth, library and cases too): a 422 naming the parameter where the operation takes it, never a
    server error or an HTML page. An operation that takes no such parameter ignores it."""
    headers = {} if users[role] is None else {"Authorization": f"Bearer {APIToken.issue(users[role], 'edges')[1]}"}
    operations = list(_list_operations(client.get("/api/openapi.json").json()))
    assert {"/api/cases", "/api/library/documents", "/api/youth/surveys", "/api/measures/"} <= dict(operations).keys()
    taken = 0
    for path, declared in operations:
        for name, value in HOSTILE.items():
            response = client.get(path, {name: value}, headers=headers)
            assert response.status_code < 500, (path, name, response.status_code)
            assert response["Content-Type"] == "application/json; charset=utf-8", (path, name)
            if name in declared and response.status_code != 401:  # a stranger is turned away first
                taken += 1
                assert response.status_code == 422, (path, name, response.status_code)
                assert [issue["loc"][-1] for issue in response.json()["detail"]] == [name], (path, name)
    assert taken >= (10 if role == "anonymous" else 15), taken


def _enum_classes(annotation):
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        yield annotation
    for argument in typing.get_args(annotation):
        yield from _enum_classes(argument)


def _models(cls):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _models(subclass)


def test_no_enum_name_is_shared_by_different_value_sets(client):
    """Walks every schema the API is built from (bodies, answers and the parameter models ninja makes) and every
    component of the document: one enum name stands for one set of values, and the document publishes that set.
    Two Django ``Status`` classes under one name would fail here, whichever schema uses them."""
    schemas = client.get("/api/openapi.json").json()["components"]["schemas"]
    values = collections.defaultdict(set)
    for model in _models(pydantic.BaseModel):
        for field in getattr(model, "model_fields", {}).values():
            for found in _enum_classes(field.annotation):
                if found.__module__.startswith("trygg."):
                    values[found.__name__].add(tuple(member.value for member in found))
    shared = {name: sets for name, sets in values.items() if len(sets) > 1}
    assert not shared, shared
    published = {name: schema["enum"] for name, schema in schemas.items() if "enum" in schema}
    assert len(published) >= 15
    for name, enum_values in published.items():
        assert values.get(name) == {tuple(enum_values)}, name
