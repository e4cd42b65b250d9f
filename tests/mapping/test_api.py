"""The mapping API with tokens: rounds the caller may see, response rates, audited report reads, the picture."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.conftest import make_user
from trygg.core.models import APIToken, Area, AuditEntry, Municipality, Role
from trygg.mapping import rounds
from trygg.mapping.models import Report

pytestmark = pytest.mark.django_db


def bearer(user) -> dict:
    _token, raw = APIToken.issue(user, "test")
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def two_rounds(users, make_round, questionnaire):
    """The 2011 round (asks Bergen and Drammen) and a northern round the contact is not asked in."""
    theirs = make_round("2011")
    north = rounds.open_round(
        users["ks_admin"],
        "Nord",
        questionnaire,
        timezone.now() + dt.timedelta(days=30),
        municipalities=Municipality.objects.filter(name="Bodø"),
    )
    return theirs, north


def report_of(round, name: str) -> Report:
    return Report.objects.get(round=round, municipalities__name=name)


def test_every_endpoint_needs_authentication(client, two_rounds):
    theirs, _north = two_rounds
    for url in [
        "/api/mapping/rounds",
        f"/api/mapping/rounds/{theirs.pk}/response-rates",
        f"/api/mapping/rounds/{theirs.pk}/picture",
        f"/api/mapping/reports/{report_of(theirs, 'Bergen').pk}",
    ]:
        assert client.get(url).status_code == 401, url
        assert client.get(url, headers={"Authorization": "Bearer trygg_wrong"}).status_code == 401, url


def test_rounds_list_follows_who_may_see_them(client, users, two_rounds):
    for role, expected in [
        ("ks_adviser", {"2011", "Nord"}),
        ("partner", {"2011", "Nord"}),
        ("municipal_contact", {"2011"}),
    ]:
        body = client.get("/api/mapping/rounds", headers=bearer(users[role])).json()
        assert {r["name"] for r in body["items"]} == expected, role
    body = client.get("/api/mapping/rounds", headers=bearer(users["municipal_contact"])).json()
    assert "4601" in body["items"][0]["municipalities"]
    assert body["items"][0]["questionnaire"] == 1


def test_the_rounds_list_is_paged_like_every_other_list(client, users, two_rounds):
    """Newest first, ``limit``/``offset`` honoured with the total in ``count``; a hostile offset is a JSON 422."""
    headers = bearer(users["ks_adviser"])
    pages = [client.get("/api/mapping/rounds", {"limit": 1, "offset": n}, headers=headers).json() for n in (0, 1, 2)]
    assert [page["count"] for page in pages] == [2, 2, 2]
    assert [[r["name"] for r in page["items"]] for page in pages] == [["Nord"], ["2011"], []]
    for query in ({"offset": 10**20}, {"limit": 0}, {"limit": 10**6}):
        refused = client.get("/api/mapping/rounds", query, headers=headers)
        assert refused.status_code == 422 and refused["Content-Type"].startswith("application/json"), query


def test_response_rates_for_staff_and_partners_only(client, users, two_rounds):
    theirs, north = two_rounds
    url = f"/api/mapping/rounds/{theirs.pk}/response-rates"
    body = client.get(url, headers=bearer(users["partner"])).json()
    assert (body["asked"], body["answered"]) == (10, 8)
    assert body["rate"] == pytest.approx(0.8)
    assert all(c["asked"] for c in body["counties"])  # only counties with asked municipalities
    innlandet = next(c for c in body["counties"] if c["name"] == "Innlandet")
    assert (innlandet["asked"], innlandet["answered"]) == (2, 0)
    assert client.get(url, headers=bearer(users["municipal_contact"])).status_code == 403
    north_url = f"/api/mapping/rounds/{north.pk}/response-rates"
    assert client.get(north_url, headers=bearer(users["municipal_contact"])).status_code == 404


def test_report_read_is_audited_with_groups_and_measures(client, users, two_rounds):
    theirs, _north = two_rounds
    report = report_of(theirs, "Bergen")
    adviser = users["ks_adviser"]
    response = client.get(f"/api/mapping/reports/{report.pk}", headers=bearer(adviser))
    assert response.status_code == 200
    body = response.json()
    assert body["municipalities"] == ["4601"]
    assert body["status"] == "submitted"
    assert body["groups"] == [
        {"group": "Demo MC Nord", "fictional": True, "other_name": "", "clubhouse": "yes", "membership": "11-25"}
    ]
    assert body["measures"][0]["title"] == "Nekte skjenkebevilling"
    assert body["measures"][0]["experience"] == "too_early"
    assert body["crime_kinds"] == ["narcotics", "threats"]
    entry = AuditEntry.objects.get(
        action=AuditEntry.Action.ACCESS, content_type__model="report", object_pk=str(report.pk)
    )
    assert entry.actor == adviser
    assert "get_report" in entry.source


def test_report_permissions(client, users, two_rounds):
    theirs, _north = two_rounds
    bergen, oslo = report_of(theirs, "Bergen"), report_of(theirs, "Oslo")
    contact = bearer(users["municipal_contact"])
    assert client.get(f"/api/mapping/reports/{bergen.pk}", headers=contact).status_code == 200
    assert client.get(f"/api/mapping/reports/{oslo.pk}", headers=contact).status_code == 403
    assert client.get(f"/api/mapping/reports/{oslo.pk}", headers=bearer(users["partner"])).status_code == 200
    no_area = make_user(Role.PARTNER, username="events_only", partner_areas=[Area.EVENTS])
    assert client.get(f"/api/mapping/reports/{oslo.pk}", headers=bearer(no_area)).status_code == 403
    assert client.get("/api/mapping/reports/999999", headers=contact).status_code == 404
    denied = AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS, object_pk=str(oslo.pk))
    assert denied.count() == 1  # only the partner's read


def test_picture_aggregates(client, users, two_rounds):
    theirs, _north = two_rounds
    url = f"/api/mapping/rounds/{theirs.pk}/picture"
    full = client.get(url, headers=bearer(users["ks_adviser"])).json()
    assert (full["asked"], full["answered"]) == (10, 8)
    assert full["response_rate"] == pytest.approx(0.8)
    assert full["full"] is True
    assert full["categories"]["4601"]
    assert full["round_name"] == "2011"
    limited = client.get(url, headers=bearer(users["municipal_contact"])).json()
    assert limited["full"] is False
    assert limited["categories"] == {}
    assert client.get("/api/mapping/rounds/999999/picture", headers=bearer(users["partner"])).status_code == 404
