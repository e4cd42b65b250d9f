"""The REST API: public reference data, token authentication, and the OpenAPI document."""

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
    assert "cdn" not in docs.text.lower()
