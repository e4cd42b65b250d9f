"""A network's meetings (events) and shared documents (library), and the networks API: each reader gets what the
events' and the library's own rules let them open; contact people only KS staff and members."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import logged_in_client, make_user
from trygg.core.models import APIToken, AuditEntry, Municipality, Person, Role
from trygg.events.models import Event
from trygg.library import services as library
from trygg.networks import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(users):
    admin = users["ks_admin"]
    network = services.create_network(admin, "SLT-nettverk Vestland")
    bergen = services.add_member(admin, network, municipality=Municipality.objects.get(name="Bergen"))
    services.add_contact(admin, bergen, Person.objects.create(name="Siri Koordinator"), "slt_coordinator")
    return network


def _document(users, title, access):
    return library.add_trusted(
        users["ks_adviser"], {"title": title, "kind": "report", "access": access}, "notat.txt", b"Tekst."
    )


def test_ks_creates_a_meeting_and_members_see_the_coming_ones(users, clients, network):
    day = timezone.localdate() + dt.timedelta(days=20)
    url = reverse("networks:create_meeting", args=[network.pk])
    data = {"title": "Nettverksmøte vår", "start_date": day.isoformat(), "city": "Bergen"}
    assert clients["municipal_contact"].post(url, data).status_code == 403
    assert clients["ks_adviser"].post(url, data).status_code == 302
    meeting = network.meetings.get()
    assert (meeting.kind, meeting.status, meeting.created_by) == ("network_meeting", "planned", users["ks_adviser"])
    past = Event.objects.create(
        title="Fjorårets møte", city="Bergen", status="held", start_date=day.replace(year=day.year - 1)
    )
    draft = Event.objects.create(title="Utkast til seminar", city="Bergen", start_date=day)
    for event in (past, draft):
        link = clients["ks_admin"].post(reverse("networks:link_meeting", args=[network.pk]), {"event": event.pk})
        assert link.status_code == 302
    page = clients["municipal_contact"].get(network.get_absolute_url()).content.decode()
    assert "Nettverksmøte vår" in page and "Fjorårets møte" not in page and "Utkast til seminar" not in page
    assert "Utkast til seminar" in clients["ks_admin"].get(network.get_absolute_url()).content.decode()
    refused = clients["ks_adviser"].post(url, {**data, "start_date": ""})
    assert refused.status_code == 200 and network.meetings.count() == 3


def test_shared_documents_follow_the_librarys_access_rules(users, clients, network):
    for title, access in (("Åpen veileder", "public"), ("For kommunene", "municipalities"), ("Internt KS", "ks")):
        document = _document(users, title, access)
        response = clients["ks_admin"].post(
            reverse("networks:link_document", args=[network.pk]), {"document": document.pk}
        )
        assert response.status_code == 302
    member = clients["municipal_contact"].get(network.get_absolute_url()).content.decode()
    assert "Åpen veileder" in member and "For kommunene" in member and "Internt KS" not in member
    partner = clients["partner"].get(network.get_absolute_url()).content.decode()
    assert "Åpen veileder" in partner and "For kommunene" not in partner
    assert "Internt KS" in clients["ks_adviser"].get(network.get_absolute_url()).content.decode()
    assert clients["partner"].post(reverse("networks:link_document", args=[network.pk]), {}).status_code == 403


def _api(user, path):
    token = APIToken.issue(user, "test")[1]
    return logged_in_client(None).get(f"/api/networks{path}", headers={"authorization": f"Bearer {token}"})


def test_the_api_gives_contacts_only_to_members_and_ks(users, network):
    _document(users, "Internt KS", "ks")
    network.documents.set(library.visible_documents(users["ks_admin"]))
    assert logged_in_client(None).get("/api/networks").status_code == 401
    listed = _api(users["partner"], "")
    assert listed.status_code == 200 and listed.json()[0]["members"] == ["Bergen"]
    member = _api(users["municipal_contact"], f"/{network.pk}").json()
    assert [c["name"] for c in member["contacts"]] == ["Siri Koordinator"] and member["documents"] == []
    assert AuditEntry.objects.filter(actor=users["municipal_contact"], content_type__model="network").exists()
    oslo = make_user(Role.MUNICIPAL_CONTACT, username="oslo")
    oslo.municipalities.set(Municipality.objects.filter(name="Oslo"))
    for outsider in (oslo, users["partner"]):
        answer = _api(outsider, f"/{network.pk}")
        assert answer.status_code == 200 and answer.json()["contacts"] is None
        assert "Siri" not in json.dumps(answer.json())
    staff = _api(users["ks_adviser"], f"/{network.pk}").json()
    assert staff["contacts"] and [d["title"] for d in staff["documents"]] == ["Internt KS"]
    assert _api(users["ks_adviser"], "/999999").status_code == 404
