"""KS's long event pages ask the database the same number of times however many delegates and invitations there
are: a query per row (N+1) would make them slow under load (bench/load.py)."""

import pytest

from tests.conftest import logged_in_client, page_queries
from trygg.core.models import Municipality, Person
from trygg.events import invitations as invitation_service
from trygg.events import services

pytestmark = pytest.mark.django_db


def test_the_participant_list_costs_the_same_queries_for_many_more_delegates(trip, users):
    client = logged_in_client(users["ks_adviser"])
    path = f"/arrangementer/{trip.pk}/deltakere/"
    few, _page = page_queries(client, path)
    invited = Municipality.objects.filter(invitation__event=trip).order_by("name")
    for number in range(30):  # past the quotas: confirmed and waiting both grow
        services.register(
            users["ks_admin"], trip, invited[number % invited.count()],
            {"name": f"Delegat Nummer {number}", "email": f"delegat{number}@last.invalid"},
        )  # fmt: skip
    many, page = page_queries(client, path)
    assert "Delegat Nummer 29" in page and "Delegat Nummer 0" in page
    assert many == few


def test_the_invitation_list_costs_the_same_queries_for_many_more_invitations(trip, users):
    client = logged_in_client(users["ks_adviser"])
    path = f"/arrangementer/{trip.pk}/invitasjoner/"
    few, _page = page_queries(client, path)
    others = list(Municipality.objects.exclude(invitation__event=trip).order_by("name")[:40])
    for municipality in others:
        Person.objects.create(name=f"Kontakt i {municipality.name}", email=f"k{municipality.number}@x.invalid",
                              municipality=municipality)  # fmt: skip
    invitation_service.invite(users["ks_admin"], trip, trip.tiers.order_by("order").last(), municipalities=others)
    many, page = page_queries(client, path)
    assert f"Kontakt i {others[-1].name}" in page
    assert many == few
