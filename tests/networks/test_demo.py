"""The networks demo: the fictional network's next meeting and a lecture KS has planned for a deck municipality,
both dated from today, shown on their pages after `load_demo`, and not made twice."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.conftest import logged_in_client
from trygg.core.models import User
from trygg.events.models import Event
from trygg.networks import demo
from trygg.networks.models import Lecture, Network

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_planned_lecture_and_a_network_meeting_ahead(municipalities):
    call_command("load_demo")
    today = timezone.localdate()
    network = Network.objects.get(name=demo.NAME)
    meeting = network.meetings.get()
    assert (meeting.kind, meeting.status) == (Event.Kind.NETWORK_MEETING, Event.Status.PLANNED)
    assert meeting.start_date == today + dt.timedelta(weeks=6)
    lecture = Lecture.objects.get()
    assert (lecture.municipality.name, lecture.status) == ("Drammen", Lecture.Status.PLANNED)
    assert lecture.date == today + dt.timedelta(weeks=5) and lecture.speaker.person.name == "Yngve Carlsson"
    contact = logged_in_client(User.objects.get(username="kontakt"))
    assert lecture.topic in contact.get(reverse("networks:lectures")).content.decode()
    assert demo.MEETING in contact.get(reverse("networks:detail", args=[network.pk])).content.decode()
    call_command("load_demo")
    assert (network.meetings.count(), Lecture.objects.count()) == (1, 1)
