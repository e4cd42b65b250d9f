"""One door for what is typed: the forms and the API refuse the same bad input, and both store text in NFC."""

import datetime as dt
import unicodedata

import pytest
from django.utils import timezone

from tests.conftest import IDENTITY_NUMBER_DISGUISES, SCREENING_REFUSAL, logged_in_client
from trygg.core.models import APIToken
from trygg.events.models import Event, Invitation, InvitationTier, Registration

pytestmark = pytest.mark.django_db

INVISIBLE = "Skriv med synlige tegn, ikke bare mellomrom eller usynlige tegn."
DECOMPOSED = "A\u030asa Ha\u030agensen"  # "Åsa Hågensen" typed as letters and combining rings


def api_register(client, trip, user, **body):
    _token, raw = APIToken.issue(user, "test")
    return client.post(
        f"/api/events/{trip.pk}/registrations",
        {"municipality": "4601", "email": "ny@bergen.example", **body},
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )


def form_register(trip, user, **data):
    return logged_in_client(user).post(
        f"/arrangementer/{trip.pk}/kommuner/4601/", {"role": "politician", "email": "ny@bergen.example", **data}
    )


@pytest.mark.parametrize("name", ["\u200b\u200b", " \u00a0\ufeff\u2060 ", "\u3000"])
def test_a_name_of_nothing_visible_is_refused_by_the_api_and_the_form(client, trip, users, name):
    contact = users["municipal_contact"]
    response = api_register(client, trip, contact, name=name)
    assert response.status_code == 422
    assert response.json() == {"detail": [{"type": "value_error", "loc": ["body", "name"], "msg": INVISIBLE}]}
    page = form_register(trip, contact, name=name)
    assert page.status_code == 200
    assert INVISIBLE in page.text or "Feltet er påkrevet." in page.text
    assert not Registration.objects.filter(email="ny@bergen.example").exists()


@pytest.mark.parametrize("field", ["dietary_needs", "accessibility_needs", "title", "organisation", "name"])
def test_an_identity_number_in_what_is_typed_about_a_delegate_is_refused_by_both(client, trip, users, field):
    """Needs are for the kitchen and the hotel: an identity number there is refused, however it is written."""
    contact = users["municipal_contact"]
    for disguise in IDENTITY_NUMBER_DISGUISES:
        typed = {"name": "Kari Nordmann", field: f"Se {disguise}"}
        response = api_register(client, trip, contact, **typed)
        assert response.status_code == 422 and SCREENING_REFUSAL in str(response.json()), disguise
        page = form_register(trip, contact, **typed)
        assert page.status_code == 200 and SCREENING_REFUSAL in page.text, disguise
    assert not Registration.objects.filter(email="ny@bergen.example").exists()


def test_only_spaces_is_refused_by_both(client, trip, users):
    contact = users["municipal_contact"]
    assert api_register(client, trip, contact, name="   ").json()["detail"][0]["msg"] == INVISIBLE
    assert "Feltet er påkrevet." in form_register(trip, contact, name="   ").text
    assert not Registration.objects.filter(email="ny@bergen.example").exists()


def test_text_is_stored_in_nfc_from_the_api(client, trip, users):
    response = api_register(client, trip, users["municipal_contact"], name=DECOMPOSED, organisation="Ba\u030arum")
    assert response.status_code == 201
    registration = Registration.objects.get(pk=response.json()["id"])
    assert (registration.name, registration.organisation) == ("Åsa Hågensen", "Bårum")
    assert unicodedata.is_normalized("NFC", response.json()["name"])


def test_text_is_stored_in_nfc_from_the_form(trip, users):
    assert form_register(trip, users["municipal_contact"], name=DECOMPOSED).status_code == 302
    assert Registration.objects.get(email="ny@bergen.example").name == "Åsa Hågensen"
    admin = logged_in_client(users["ks_admin"])
    admin.post(f"/arrangementer/{trip.pk}/invitasjoner/", {"add_tier": "1", "tier-name": "Sma\u030a", "tier-quota": 2})
    assert InvitationTier.objects.filter(event=trip, name="Små").exists()


@pytest.mark.parametrize("quota", ["2147483648", "32768"])
def test_a_quota_beyond_the_database_is_refused(trip, users, quota):
    admin = logged_in_client(users["ks_admin"])
    tier = admin.post(
        f"/arrangementer/{trip.pk}/invitasjoner/", {"add_tier": "1", "tier-name": "Stor", "tier-quota": quota}
    )
    assert tier.status_code == 200
    assert "32767" in tier.text
    assert not InvitationTier.objects.filter(name="Stor").exists()
    own = admin.post(f"/arrangementer/{trip.pk}/kommuner/0301/kvote/", {"quota_override": quota}, follow=True)
    assert own.status_code == 200
    assert Invitation.objects.get(event=trip, municipality__number="0301").quota_override is None


def test_a_capacity_beyond_the_database_is_refused(trip, users):
    admin = logged_in_client(users["ks_admin"])
    response = admin.post(f"/arrangementer/{trip.pk}/invitasjoner/", {"capacity": "1", "cap-capacity": "2147483648"})
    assert response.status_code == 200
    assert "2147483647" in response.text
    trip.refresh_from_db()
    assert trip.capacity == 50


def event_form(**data) -> dict:
    start = timezone.localdate() + dt.timedelta(days=30)
    return {
        "title": "Seminar",
        "kind": "seminar",
        "city": "Bodø",
        "country": "NO",
        "price_per_person": "0",
        "start_date": start.isoformat(),
        **data,
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"registration_deadline": (timezone.localdate() + dt.timedelta(days=31)).isoformat() + "T12:00"},
            "Påmeldingsfristen må være før arrangementet begynner.",
        ),
        ({"registration_deadline": "9999-12-31T23:59"}, "Velg en dato mellom årene 2000 og"),
        ({"start_date": "9999-12-31"}, "Velg en dato mellom årene 2000 og"),
        ({"title": "\u200b"}, INVISIBLE),
    ],
)
def test_bad_dates_and_titles_are_refused_by_the_event_form(municipalities, users, data, message):
    response = logged_in_client(users["ks_admin"]).post("/arrangementer/ny/", event_form(**data))
    assert response.status_code == 200
    assert message in response.text
    assert not Event.objects.exists()


def test_a_deadline_before_the_first_day_is_accepted(municipalities, users):
    deadline = (timezone.localdate() + dt.timedelta(days=20)).isoformat() + "T12:00"
    response = logged_in_client(users["ks_admin"]).post(
        "/arrangementer/ny/", event_form(registration_deadline=deadline)
    )
    assert response.status_code == 302
    assert Event.objects.get().registration_deadline is not None
