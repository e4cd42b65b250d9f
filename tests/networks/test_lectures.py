"""Lectures: a municipality asks (screened, one request for a double click), KS plans it with a speaker from a
support team and makes it an event in one click; the asking municipality follows the status, others see nothing."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import logged_in_client, make_user
from trygg.core.models import Municipality, Person, Role, SupportMember, SupportTeam
from trygg.events.models import Event
from trygg.networks.models import Lecture

pytestmark = pytest.mark.django_db

FNR = "01019012480"


def _ask(client, **fields):
    form = client.get(reverse("networks:lecture_request")).context["form"]
    data = {
        "submission_key": form["submission_key"].initial,
        "municipality": Municipality.objects.get(name="Bergen").pk,
        "topic": "Kriminelle MC-miljøer og hva kommunen kan gjøre",
        "audience": "Politirådet",
        "region": "",
        "description": "",
        "wished_time": "September",
        **fields,
    }
    return client.post(reverse("networks:lecture_request"), data), data


def test_a_municipality_asks_once_and_follows_the_status(users, clients):
    contact = clients["municipal_contact"]
    response, data = _ask(contact)
    assert response.status_code == 302
    again = contact.post(reverse("networks:lecture_request"), data)  # a double click
    assert again["Location"] == response["Location"] and Lecture.objects.count() == 1
    lecture = Lecture.objects.get()
    assert lecture.status == "requested" and lecture.requested_by == users["municipal_contact"]
    assert "Forespurt" in contact.get(lecture.get_absolute_url()).content.decode()
    refused, _data = _ask(contact, description=f"Gjelder {FNR}")
    assert refused.status_code == 200 and "fødselsnummer" in refused.content.decode()
    assert Lecture.objects.count() == 1
    oslo = make_user(Role.MUNICIPAL_CONTACT, username="oslo")
    oslo.municipalities.set(Municipality.objects.filter(name="Oslo"))
    assert logged_in_client(oslo).get(lecture.get_absolute_url()).status_code == 403
    assert "Kriminelle MC" not in logged_in_client(oslo).get(reverse("networks:lectures")).content.decode()
    assert clients["partner"].get(lecture.get_absolute_url()).status_code == 403


def test_ks_plans_it_and_makes_it_an_event_in_one_click(users, clients):
    _ask(clients["municipal_contact"])
    lecture = Lecture.objects.get()
    team = SupportTeam.objects.create(name="Støtteteam MC")
    speaker = SupportMember.objects.create(team=team, person=Person.objects.create(name="Kari Kripos"), role="Kripos")
    day = timezone.localdate() + dt.timedelta(days=40)
    plan = {"status": "planned", "date": day.isoformat(), "speaker": speaker.pk, "answer": "Vi kommer gjerne."}
    assert (
        clients["municipal_contact"].post(reverse("networks:lecture_plan", args=[lecture.pk]), plan).status_code == 403
    )
    assert clients["ks_adviser"].post(reverse("networks:lecture_plan", args=[lecture.pk]), plan).status_code == 302
    make = reverse("networks:lecture_event", args=[lecture.pk])
    assert clients["municipal_contact"].post(make).status_code == 403
    first, second = clients["ks_adviser"].post(make), clients["ks_adviser"].post(make)
    event = Event.objects.get()
    assert first["Location"] == second["Location"] == event.get_absolute_url()
    assert (event.kind, event.status, event.start_date, event.title) == ("lecture", "planned", day, lecture.topic)
    assert [str(m) for m in event.team.members.all()] == ["Kari Kripos"]
    lecture.refresh_from_db()
    assert lecture.status == "event" and lecture.event == event
    page = clients["municipal_contact"].get(lecture.get_absolute_url()).content.decode()
    assert "Arrangement opprettet" in page and "Vi kommer gjerne." in page and "Kari Kripos" in page


def test_an_event_needs_a_date(users, clients):
    _ask(clients["municipal_contact"])
    lecture = Lecture.objects.get()
    response = clients["ks_admin"].post(reverse("networks:lecture_event", args=[lecture.pk]), follow=True)
    assert "Sett en dato før du lager arrangementet." in response.content.decode()
    assert not Event.objects.exists()
