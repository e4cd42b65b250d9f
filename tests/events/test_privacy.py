"""People's data and irreversible actions: partners see no contact details or needs unless KS grants them; the
actions that cannot be undone ask first and tell those affected."""

import csv
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail

from tests.conftest import logged_in_client, make_user
from trygg.core.models import Area, AuditEntry, Role
from trygg.events.invitations import link_token
from trygg.events.models import Event, PersonalDataGrant, Registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def police(trip):
    """A partner from the police with the events area (the matrix's partner has only situation reports)."""
    return make_user(Role.PARTNER, username="politi", partner_areas=[Area.EVENTS])


def rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_a_partner_sees_names_roles_and_delegations_but_no_contact_details_or_needs(trip, police):
    client = logged_in_client(police)
    someone = trip.registrations.filter(status="confirmed").exclude(dietary_needs="").first()

    page = client.get(f"/arrangementer/{trip.pk}/deltakere/")
    assert page.status_code == 200
    assert someone.name in page.text and someone.email not in page.text and someone.dietary_needs not in page.text
    delegation = client.get(f"/arrangementer/{trip.pk}/kommuner/{someone.municipality.number}/")
    assert someone.name in delegation.text and someone.email not in delegation.text

    export = rows(client.get(f"/arrangementer/{trip.pk}/deltakere.csv"))
    header = next(row for row in export if row and row[0] == "Kommune")
    assert "E-post" not in header and "Telefon" not in header and "Allergier og kosthold" not in header
    assert someone.email not in str(export)
    assert client.get(f"/arrangementer/{trip.pk}/behov.csv").status_code == 403
    assert client.get(f"/arrangementer/{trip.pk}/romliste.csv").status_code == 403

    api = client.get(f"/api/events/{trip.pk}/registrations?limit=1000")
    assert api.status_code == 200
    items = api.json()["items"]
    assert items and all(r["email"] is None and r["dietary_needs"] is None for r in items)
    assert {r["name"] for r in items} >= {someone.name}


def test_ks_grants_a_named_partner_access_for_a_stated_purpose_and_it_is_audited(trip, police, users):
    staff = logged_in_client(users["ks_adviser"])
    page = staff.get(f"/arrangementer/{trip.pk}/deltakere/")
    assert "Partneres tilgang til personopplysninger" in page.text
    staff.post(
        f"/arrangementer/{trip.pk}/deltakere/personopplysninger/",
        {"user": police.pk, "purpose": "Politieskorte for deltakerne"},
    )
    grant = PersonalDataGrant.objects.get(event=trip, user=police)
    assert grant.purpose == "Politieskorte for deltakerne" and grant.granted_by == users["ks_adviser"]
    audited = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(PersonalDataGrant), object_pk=str(grant.pk)
    )
    assert audited.exists()

    client = logged_in_client(police)
    someone = trip.registrations.filter(status="confirmed").first()
    assert someone.email in client.get(f"/arrangementer/{trip.pk}/deltakere/").text
    assert client.get(f"/arrangementer/{trip.pk}/behov.csv").status_code == 200
    assert any(r["email"] for r in client.get(f"/api/events/{trip.pk}/registrations").json()["items"])

    staff.post(f"/arrangementer/{trip.pk}/deltakere/personopplysninger/{grant.pk}/trekk/")
    assert someone.email not in client.get(f"/arrangementer/{trip.pk}/deltakere/").text
    # Only KS grants.
    assert (
        client.post(
            f"/arrangementer/{trip.pk}/deltakere/personopplysninger/", {"user": police.pk, "purpose": "Selv"}
        ).status_code
        == 403
    )


def test_the_municipality_s_own_contact_still_sees_its_delegates_details(trip, users):
    page = logged_in_client(users["municipal_contact"]).get(f"/arrangementer/{trip.pk}/kommuner/4601/")
    bergen = trip.registrations.filter(municipality__number="4601", status="confirmed").first()
    assert bergen.email in page.text


def test_a_reminder_to_everyone_asks_first(trip, users, django_capture_on_commit_callbacks):
    client = logged_in_client(users["ks_adviser"])
    confirm = client.get(f"/arrangementer/{trip.pk}/deltakere/paminnelse/")
    assert "Sende en påminnelse til 41 bekreftede deltakere?" in confirm.text
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):  # queued in the request, sent by the worker
        client.post(f"/arrangementer/{trip.pk}/deltakere/paminnelse/")
    assert len(mail.outbox) == 41


def test_a_cancelled_registration_is_kept_as_cancelled_and_the_person_told(
    trip, users, django_capture_on_commit_callbacks
):
    client = logged_in_client(users["ks_adviser"])
    leaving = trip.registrations.filter(status="confirmed", municipality__number="4601").first()
    url = f"/arrangementer/{trip.pk}/pameldinger/{leaving.pk}/avmeld/"
    assert "Melde av" in client.get(url).text
    assert Registration.objects.get(pk=leaving.pk).status == "confirmed"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    leaving.refresh_from_db()
    assert leaving.status == "cancelled"
    assert [m.to for m in mail.outbox] == [[leaving.email]]
    page = client.get(f"/arrangementer/{trip.pk}/deltakere/")
    assert "Avmeldt" in page.text and leaving.name in page.text
    assert "Avmeldt" in client.get(f"/arrangementer/{trip.pk}/kommuner/4601/").text


def test_an_event_is_cancelled_with_everyone_told_and_its_links_stop(trip, users, django_capture_on_commit_callbacks):
    client = logged_in_client(users["ks_adviser"])
    invitation = trip.invitations.get(municipality__number="4601")
    confirm = client.get(f"/arrangementer/{trip.pk}/avlys/")
    assert "43 påmeldte personer får beskjed" in confirm.text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/arrangementer/{trip.pk}/avlys/", {"message": "Vi kommer tilbake med ny dato."})
    trip.refresh_from_db()
    assert trip.status == Event.Status.CANCELLED
    assert len(mail.outbox) == 43 and "Vi kommer tilbake med ny dato." in mail.outbox[0].body
    assert trip.registrations.filter(status="confirmed").count() == 41  # the record stays
    assert logged_in_client(None).get(f"/arrangementer/invitasjon/{link_token(invitation)}/").status_code == 410
    # A cancelled or open event cannot be deleted; only a draft can.
    assert client.post(f"/arrangementer/{trip.pk}/slett/").status_code == 302
    assert Event.objects.filter(pk=trip.pk).exists()


def test_a_draft_is_deleted_after_asking(municipalities, users):
    client = logged_in_client(users["ks_adviser"])
    draft = Event.objects.create(title="Feilstartet utkast", city="Oslo")
    assert "Slette utkastet «Feilstartet utkast»?" in client.get(f"/arrangementer/{draft.pk}/slett/").text
    assert Event.objects.filter(pk=draft.pk).exists()
    client.post(f"/arrangementer/{draft.pk}/slett/")
    assert not Event.objects.filter(pk=draft.pk).exists()
