"""The audit trail: writes and sensitive reads are recorded with who, what and from where; never edited."""

import pytest

from tests.conftest import logged_in_client
from trygg.core.models import AuditEntry, Organisation, Person

pytestmark = pytest.mark.django_db


def entries_for(instance, action):
    return AuditEntry.objects.get_for_object(instance).filter(action=action)


def test_a_change_through_a_form_is_recorded_with_actor_and_view(users, clients):
    response = clients["ks_adviser"].post(
        "/organisasjoner/ny/",
        {"name": "Agder politidistrikt SLT", "kind": "police_district", "country": "NO"},
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Agder politidistrikt SLT")
    entry = entries_for(organisation, AuditEntry.Action.CREATE).get()
    assert entry.actor == users["ks_adviser"]
    assert "core:organisation_create" in entry.source
    clients["ks_adviser"].post(
        f"/organisasjoner/{organisation.pk}/endre/",
        {"name": "Agder politidistrikt", "kind": "police_district", "country": "NO"},
    )
    update = entries_for(organisation, AuditEntry.Action.UPDATE).get()
    assert update.changes_dict["name"] == ["Agder politidistrikt SLT", "Agder politidistrikt"]


def test_reading_a_person_is_recorded(users, clients):
    person = Person.objects.create(name="Ola Nordmann", email="ola@example.org")
    clients["ks_admin"].get(f"/personer/{person.pk}/")
    read = entries_for(person, AuditEntry.Action.ACCESS).get()
    assert read.actor == users["ks_admin"]
    assert "core:person" in read.source


def test_refused_reads_are_not_recorded_as_reads(users, clients):
    person = Person.objects.create(name="Ola Nordmann")
    assert clients["municipal_contact"].get(f"/personer/{person.pk}/").status_code == 403
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS).exists()


def test_admins_filter_the_trail(users, clients):
    Person.objects.create(name="Kari Nordmann")
    Organisation.objects.create(name="Fjellby kommune", kind="municipality")
    page = clients["ks_admin"].get("/revisjonsspor/", {"q": "Kari"})
    assert "Kari Nordmann" in page.text and "Fjellby kommune" not in page.text
    by_action = clients["ks_admin"].get("/revisjonsspor/", {"action": "3"})
    assert "Kari Nordmann" not in by_action.text
    bad = clients["ks_admin"].get("/revisjonsspor/", {"date_from": "not-a-date"})
    assert bad.status_code == 200 and "gyldig dato" in bad.text


def test_the_trail_cannot_be_edited_in_the_admin(users, clients):
    Person.objects.create(name="Kari Nordmann")
    entry = AuditEntry.objects.latest()
    admin = clients["ks_admin"]
    assert admin.get(f"/admin/core/auditentry/{entry.pk}/change/").status_code in (200, 403)
    assert admin.post(f"/admin/core/auditentry/{entry.pk}/change/", {"object_repr": "x"}).status_code == 403
    assert admin.post(f"/admin/core/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    entry.refresh_from_db()
    assert entry.object_repr == "Kari Nordmann"


def test_api_token_secrets_are_not_in_the_trail(users):
    client = logged_in_client(users["partner"])
    response = client.post("/konto/api-nokler/", {"name": "Eksport"})
    raw = response.context["new_token"]
    assert not any(raw in str(e.changes) for e in AuditEntry.objects.all())
