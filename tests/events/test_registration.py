"""Registering delegations within quotas, the waiting list and its promotion, through the web pages."""

import pytest

from tests.conftest import logged_in_client
from trygg.core.models import Municipality
from trygg.events.models import Event, Registration

pytestmark = pytest.mark.django_db


def delegate(email, role="politician", name="Test Delegat (fiktiv)"):
    return {"name": name, "role": role, "email": email, "organisation": "Bergen kommune", "overnight": "on"}


def test_contact_registers_within_the_quota_and_gets_a_confirmation(
    trip, users, mailoutbox, django_capture_on_commit_callbacks
):
    contact = logged_in_client(users["municipal_contact"])  # acts for Bergen and Drammen
    page = contact.get(f"/arrangementer/{trip.pk}/kommuner/4601/")
    assert page.status_code == 200
    assert "Politi – mangler" in page.text and "SLT-koordinator – mangler" in page.text
    with django_capture_on_commit_callbacks(execute=True):
        response = contact.post(
            f"/arrangementer/{trip.pk}/kommuner/4601/", delegate("ny@bergen.eksempel.invalid", "police")
        )
    assert response.status_code == 302
    registration = Registration.objects.get(email="ny@bergen.eksempel.invalid")
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.created_by == users["municipal_contact"]
    assert [m.to for m in mailoutbox] == [["ny@bergen.eksempel.invalid"]]
    assert mailoutbox[0].attachments[0][0] == "program.ics"
    assert "Politi – mangler" not in contact.get(f"/arrangementer/{trip.pk}/kommuner/4601/").text


def test_beyond_the_quota_goes_to_the_waiting_list(trip, users, mailoutbox, django_capture_on_commit_callbacks):
    contact = logged_in_client(users["municipal_contact"])
    drammen = Municipality.objects.get(name="Drammen")
    assert Registration.objects.filter(event=trip, municipality=drammen, status="confirmed").count() == 3  # full
    with django_capture_on_commit_callbacks(execute=True):
        response = contact.post(
            f"/arrangementer/{trip.pk}/kommuner/3301/", delegate("vent@drammen.eksempel.invalid"), follow=True
        )
    assert "venteliste" in response.text
    assert Registration.objects.get(email="vent@drammen.eksempel.invalid").status == Registration.Status.WAITLISTED
    assert "venteliste" in mailoutbox[0].subject.lower()


def test_cancelling_promotes_the_first_waiting_and_writes_to_them(
    trip, users, mailoutbox, django_capture_on_commit_callbacks
):
    admin = logged_in_client(users["ks_admin"])
    oslo = Municipality.objects.get(name="Oslo")
    first_waiting = Registration.objects.filter(event=trip, municipality=oslo, status="waitlisted").first()
    leaving = Registration.objects.filter(event=trip, municipality=oslo, status="confirmed").first()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(f"/arrangementer/{trip.pk}/pameldinger/{leaving.pk}/avmeld/", follow=True)
    assert "flyttet opp fra ventelisten" in response.text
    first_waiting.refresh_from_db()
    assert first_waiting.status == Registration.Status.CONFIRMED and first_waiting.promoted_at
    assert Registration.objects.filter(event=trip, municipality=oslo, status="confirmed").count() == 5
    # The one who cancelled is told, and so is the one who moved up.
    assert [m.to for m in mailoutbox] == [[leaving.email], [first_waiting.email]]


def test_the_same_email_cannot_register_twice(trip, users):
    contact = logged_in_client(users["municipal_contact"])
    existing = Registration.objects.filter(event=trip, status="confirmed").first()
    response = contact.post(f"/arrangementer/{trip.pk}/kommuner/4601/", delegate(existing.email.upper()))
    assert response.status_code == 200
    assert "er allerede påmeldt" in response.text


def test_contact_cannot_register_for_another_municipality_or_when_closed(trip, users):
    contact = logged_in_client(users["municipal_contact"])
    assert contact.post(f"/arrangementer/{trip.pk}/kommuner/0301/", delegate("x@oslo.invalid")).status_code == 403
    trip.status = Event.Status.CLOSED
    trip.save()
    assert contact.post(f"/arrangementer/{trip.pk}/kommuner/4601/", delegate("y@bergen.invalid")).status_code == 403
    assert "Påmeldingen er ikke åpen" in contact.get(f"/arrangementer/{trip.pk}/kommuner/4601/").text


def test_ks_registers_a_speaker_outside_the_quotas(trip, users):
    admin = logged_in_client(users["ks_admin"])
    response = admin.post(
        f"/arrangementer/{trip.pk}/deltakere/",
        {"name": "Gjest Innleder (fiktiv)", "role": "speaker", "email": "gjest@eksempel.invalid"},
    )
    assert response.status_code == 302
    assert Registration.objects.get(email="gjest@eksempel.invalid").municipality is None


def test_quota_cannot_go_below_confirmed_delegates(trip, users):
    admin = logged_in_client(users["ks_admin"])
    response = admin.post(f"/arrangementer/{trip.pk}/kommuner/0301/kvote/", {"quota_override": "2"}, follow=True)
    assert "kan ikke være lavere" in response.text
    raised = admin.post(f"/arrangementer/{trip.pk}/kommuner/0301/kvote/", {"quota_override": "7"}, follow=True)
    assert "flyttet opp fra ventelisten" in raised.text
    assert not Registration.objects.filter(event=trip, status="waitlisted").exists()


def test_capacity_cannot_go_below_confirmed_delegates(trip, users):
    admin = logged_in_client(users["ks_admin"])
    response = admin.post(f"/arrangementer/{trip.pk}/invitasjoner/", {"capacity": "1", "cap-capacity": "10"})
    assert "kan ikke være lavere" in response.text
    trip.refresh_from_db()
    assert trip.capacity == 50


def test_linked_event_invites_the_slt_coordinators_in_one_step(trip, users):
    admin = logged_in_client(users["ks_admin"])
    slt_day = trip.linked_events.get()
    coordinators = Registration.objects.filter(event=trip, role="slt_coordinator", status="confirmed").count()
    assert coordinators > 0
    response = admin.post(
        f"/arrangementer/{trip.pk}/deltakere/lenket/", {"linked": slt_day.pk, "role": "slt_coordinator"}, follow=True
    )
    assert slt_day.registrations.filter(role="slt_coordinator").count() == coordinators
    assert str(coordinators) in response.text
    admin.post(f"/arrangementer/{trip.pk}/deltakere/lenket/", {"linked": slt_day.pk, "role": "slt_coordinator"})
    assert slt_day.registrations.count() == coordinators  # a second run adds nobody twice
