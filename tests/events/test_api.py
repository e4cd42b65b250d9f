"""The events API over HTTP with tokens: the public calendar and programme, and registration within quotas."""

import datetime as dt

import pytest
from django.test import Client

from tests.conftest import logged_in_client, make_user
from trygg.core.models import APIToken, Area, AuditEntry, Municipality, Role
from trygg.events.demo import FIRST_DAY
from trygg.events.models import Event, Registration

SECOND_DAY = FIRST_DAY + dt.timedelta(days=1)

pytestmark = pytest.mark.django_db


def bearer(user) -> dict:
    _token, raw = APIToken.issue(user, "test")
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def contact(trip):
    """A municipal contact for Bergen and Drammen, both invited to the trip."""
    user = make_user(Role.MUNICIPAL_CONTACT, username="api_contact")
    user.municipalities.set(Municipality.objects.filter(name__in=["Bergen", "Drammen"]))
    return user


@pytest.fixture
def adviser(trip):
    return make_user(Role.KS_ADVISER, username="api_adviser")


@pytest.fixture
def draft(trip):
    return Event.objects.create(title="Utkast til seminar", city="Bodø", status=Event.Status.DRAFT)


def delegate(email: str, **extra) -> dict:
    return {"name": "Test Delegat", "email": email, **extra}


def registrations_url(event) -> str:
    return f"/api/events/{event.pk}/registrations"


# The public calendar ---------------------------------------------------------------------------------------


def test_anyone_lists_published_events_and_staff_also_drafts(client, trip, draft, adviser):
    titles = [e["title"] for e in client.get("/api/events").json()["items"]]
    assert trip.title in titles
    assert draft.title not in titles
    staff = client.get("/api/events", headers=bearer(adviser)).json()["items"]
    assert draft.title in [e["title"] for e in staff]


def test_filter_events_by_status_and_kind(client, trip):
    body = client.get("/api/events", {"status": "registration_open"}).json()
    assert [e["id"] for e in body["items"]] == [trip.pk]
    linked = client.get("/api/events", {"kind": "network_meeting"}).json()["items"]
    assert [e["status"] for e in linked] == ["planned"]
    assert client.get("/api/events", {"status": "open"}).status_code == 422


def test_event_detail_with_package_tiers_and_composition(client, trip):
    body = client.get(f"/api/events/{trip.pk}").json()
    assert body["city"] == "København"
    assert (body["start_date"], body["end_date"]) == (FIRST_DAY.isoformat(), SECOND_DAY.isoformat())
    assert body["price_per_person"] == "3000.00"
    assert body["package_excludes"] == ["Fly tur/retur København"]
    assert "Middag" in body["package_includes"]
    assert [(t["name"], t["quota"], len(t["municipalities"])) for t in body["tiers"]] == [
        ("Kommuner med «1 %»-miljø", 5, 7),
        ("Andre inviterte kommuner", 3, 10),
    ]
    assert {"number": "0301", "name": "Oslo", "quota": 5} in body["tiers"][0]["municipalities"]
    assert [r["role"] for r in body["desired_composition"]] == ["politician", "police", "slt_coordinator"]


def test_drafts_are_hidden_from_all_but_staff(client, draft, adviser, contact):
    assert client.get(f"/api/events/{draft.pk}").status_code == 404
    assert client.get(f"/api/events/{draft.pk}", headers=bearer(contact)).status_code == 404
    assert client.get(f"/api/events/{draft.pk}", headers=bearer(adviser)).status_code == 200
    assert client.get(f"/api/events/{draft.pk}/programme").status_code == 404
    assert client.get("/api/events/999999").status_code == 404


def test_a_staff_session_sees_drafts_only_after_two_factor_login(draft, adviser):
    unverified = Client()
    unverified.force_login(adviser)
    assert unverified.get(f"/api/events/{draft.pk}").status_code == 404
    assert logged_in_client(adviser).get(f"/api/events/{draft.pk}").status_code == 200


def test_programme_by_day_with_effective_ends_and_speakers(client, trip):
    days = client.get(f"/api/events/{trip.pk}/programme").json()
    assert [day["date"] for day in days] == [FIRST_DAY.isoformat(), SECOND_DAY.isoformat()]
    first_day = {item["title"]: item for item in days[0]["items"]}
    recruiting = first_day["Hvem rekrutteres til rockergruppene?"]
    # The trip is in the week of 23 March, before summer time begins: Oslo is at +01:00.
    first = FIRST_DAY.isoformat()
    assert (recruiting["start"], recruiting["end"]) == (f"{first}T13:45:00+01:00", f"{first}T14:45:00+01:00")
    assert recruiting["kind"] == "talk"
    assert recruiting["questions"][0] == "Hvem rekrutteres til rockergruppene? Hvorfor?"
    assert any(s.startswith("Christian Klement") for s in recruiting["speakers"])
    assert first_day["Københavns kommunes møte med bandene"]["speakers"] == ["Ikke navngitt ennå, Københavns Kommune"]
    assert days[1]["items"][-1]["end"] is None  # the departure ends nothing


# Reading registrations -------------------------------------------------------------------------------------


def test_registrations_need_a_token_and_the_events_area(client, trip):
    assert client.get(registrations_url(trip)).status_code == 401
    mapping_partner = make_user(Role.PARTNER, username="mapping_partner", partner_areas=[Area.MAPPING])
    assert client.get(registrations_url(trip), headers=bearer(mapping_partner)).status_code == 403
    events_partner = make_user(Role.PARTNER, username="events_partner", partner_areas=[Area.EVENTS])
    response = client.get(registrations_url(trip), headers=bearer(events_partner))
    assert response.json()["count"] == Registration.objects.filter(event=trip).count()


def test_staff_see_every_registration_and_the_read_is_audited(client, trip, adviser):
    response = client.get(registrations_url(trip), {"status": "waitlisted"}, headers=bearer(adviser))
    assert response.status_code == 200
    waiting = response.json()["items"]
    assert {r["municipality"] for r in waiting} == {"0301"}
    assert len(waiting) == Registration.objects.filter(event=trip, status="waitlisted").count() >= 2
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ACCESS, content_type__model="event", object_pk=str(trip.pk))
    assert entry.actor == adviser
    assert "list_registrations" in entry.source


def test_contact_sees_only_their_municipalities_registrations(client, trip, contact):
    body = client.get(registrations_url(trip), {"limit": 1000}, headers=bearer(contact)).json()
    assert {r["municipality"] for r in body["items"]} == {"4601", "3301"}  # Bergen, Drammen
    expected = Registration.objects.filter(event=trip, municipality__name__in=["Bergen", "Drammen"]).count()
    assert body["count"] == expected


# Registering and cancelling --------------------------------------------------------------------------------


def test_register_within_quota_confirmed_then_waitlisted(client, trip, mailoutbox, django_capture_on_commit_callbacks):
    klepp_contact = make_user(Role.MUNICIPAL_CONTACT, username="klepp_contact")
    klepp_contact.municipalities.set(Municipality.objects.filter(name="Klepp"))  # invited, quota 3, nobody yet
    headers = bearer(klepp_contact)

    def post(email):
        body = delegate(email, municipality="1120", role="police")
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(registrations_url(trip), body, content_type="application/json", headers=headers)
        assert response.status_code == 201
        return response.json()

    assert [post(f"delegat.{index}@klepp.example")["status"] for index in range(3)] == ["confirmed"] * 3
    beyond = post("en.for.mye@klepp.example")
    assert beyond["status"] == "waitlisted"
    assert beyond["municipality"] == "1120"
    assert Registration.objects.get(pk=beyond["id"]).created_by == klepp_contact
    assert [m.to for m in mailoutbox] == [[f"delegat.{index}@klepp.example"] for index in range(3)] + [
        ["en.for.mye@klepp.example"]
    ]


def test_duplicate_email_is_a_clear_error(client, trip, contact):
    taken = Registration.objects.filter(event=trip, municipality__name="Bergen").first().email
    response = client.post(
        registrations_url(trip),
        delegate(taken.upper(), municipality="4601"),
        content_type="application/json",
        headers=bearer(contact),
    )
    assert response.status_code == 409
    assert response.json() == {"detail": f"{taken} er allerede påmeldt dette arrangementet."}


def test_who_may_register_for_which_municipality(client, trip, contact):
    def post(municipality, headers):
        body = delegate("hvem@example.org", municipality=municipality)
        return client.post(registrations_url(trip), body, content_type="application/json", headers=headers)

    assert post("4601", {}).status_code == 401
    assert post("0301", bearer(contact)).status_code == 403  # Oslo: invited, but not the contact's
    events_partner = make_user(Role.PARTNER, username="reader", partner_areas=[Area.EVENTS])
    assert post("4601", bearer(events_partner)).status_code == 403  # partners read, never register
    not_invited = post("1804", bearer(contact))  # Bodø
    assert not_invited.status_code == 409
    assert "ikke invitert" in not_invited.json()["detail"]
    trip.status = Event.Status.CLOSED
    trip.save()
    assert post("4601", bearer(contact)).status_code == 403  # contacts register only while it is open


def test_staff_register_guests_outside_the_quotas(client, trip, adviser):
    body = delegate("gjest@example.org", role="speaker")
    response = client.post(registrations_url(trip), body, content_type="application/json", headers=bearer(adviser))
    assert response.status_code == 201
    assert (response.json()["municipality"], response.json()["status"]) == (None, "confirmed")


def test_invalid_registrations_are_422(client, trip, adviser):
    headers = bearer(adviser)
    for body in (
        {"email": "uten.navn@example.org", "municipality": "0301"},
        delegate("ikke-en-adresse", municipality="0301"),
        delegate("rolle@example.org", municipality="0301", role="astronaut"),
    ):
        response = client.post(registrations_url(trip), body, content_type="application/json", headers=headers)
        assert response.status_code == 422, body
    unknown = delegate("kommune@example.org", municipality="9999")
    response = client.post(registrations_url(trip), unknown, content_type="application/json", headers=headers)
    assert (response.status_code, response.json()) == (404, {"detail": "Det finnes ingen kommune med nummer 9999."})
    assert not Registration.objects.filter(event=trip, email__endswith="@example.org").exists()


def test_cancel_promotes_the_first_waiting_oslo_delegate(
    client, trip, adviser, mailoutbox, django_capture_on_commit_callbacks
):
    oslo = Registration.objects.filter(event=trip, municipality__name="Oslo")
    first_waiting = oslo.filter(status="waitlisted").first()
    leaving = oslo.filter(status="confirmed").first()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.delete(f"/api/events/registrations/{leaving.pk}", headers=bearer(adviser))

    assert response.status_code == 200
    body = response.json()
    assert body["registration"]["status"] == "cancelled"
    assert [r["id"] for r in body["promoted"]] == [first_waiting.pk]
    assert body["promoted_count"] == 1
    first_waiting.refresh_from_db()
    assert first_waiting.status == Registration.Status.CONFIRMED
    # The cancelled delegate is told, and so is the one who moved up.
    assert [m.to for m in mailoutbox] == [[leaving.email], [first_waiting.email]]


def test_contact_cancels_only_their_own_delegates(client, trip, contact):
    headers = bearer(contact)
    oslo = Registration.objects.filter(event=trip, municipality__name="Oslo").first()
    assert client.delete(f"/api/events/registrations/{oslo.pk}", headers=headers).status_code == 403
    bergen = Registration.objects.filter(event=trip, municipality__name="Bergen").first()
    response = client.delete(f"/api/events/registrations/{bergen.pk}", headers=headers)
    assert response.status_code == 200
    assert response.json()["registration"]["status"] == "cancelled"
    assert client.delete("/api/events/registrations/999999", headers=headers).status_code == 404
    assert client.delete(f"/api/events/registrations/{bergen.pk}").status_code == 401
