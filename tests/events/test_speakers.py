"""Speakers are added where the adviser is: from the programme item and from the date poll, in one step."""

import datetime as dt
import subprocess

import pytest
from django.utils import timezone

from tests.conftest import logged_in_client
from trygg.core.models import Municipality, Organisation, Person
from trygg.events.models import Event, PollParticipant, ProgrammeItem, Speaker

pytestmark = pytest.mark.django_db
TEXT = {"capture_output": True, "text": True, "check": True}


@pytest.fixture
def event(municipalities):
    start = timezone.localdate() + dt.timedelta(days=50)
    return Event.objects.create(
        title="Konferanse", city="Bergen", start_date=start, end_date=start, status=Event.Status.PLANNED
    )


def test_a_new_speaker_is_added_from_the_programme_item(event, users):
    kripos = Organisation.objects.create(name="Kripos", kind=Organisation.Kind.NATIONAL_POLICE)
    client = logged_in_client(users["ks_adviser"])
    client.post(
        f"/arrangementer/{event.pk}/program/",
        {
            "start": f"{event.start_date.isoformat()}T10:00",
            "kind": "talk",
            "title": "Organisert kriminalitet",
            "new_speaker": "Nina Ny",
            "new_speaker_organisation": kripos.pk,
        },
    )
    person = Person.objects.get(name="Nina Ny")
    assert person.organisation == kripos
    assert Speaker.objects.get(item__event=event, person=person)
    assert 'Nina Ny, <span class="muted">Kripos</span>' in client.get(f"/arrangementer/{event.pk}/").text


def test_a_speaker_from_a_municipality_shows_it_as_affiliation(event, users):
    bergen = Municipality.objects.get(name="Bergen")
    person = Person.objects.create(name="Bente Bergen", municipality=bergen)
    item = ProgrammeItem.objects.create(
        event=event, start=timezone.make_aware(dt.datetime.combine(event.start_date, dt.time(9))), title="Erfaringer"
    )
    Speaker.objects.create(item=item, person=person)
    page = logged_in_client(None).get(f"/arrangementer/{event.pk}/")
    assert 'Bente Bergen, <span class="muted">Bergen</span>' in page.text
    programme = logged_in_client(None).get(f"/api/events/{event.pk}/programme").json()
    assert programme[0]["items"][0]["speakers"] == ["Bente Bergen, Bergen"]


def test_the_programme_pdf_puts_room_and_each_speaker_on_lines_of_their_own(event, users, tmp_path):
    bergen = Municipality.objects.get(name="Bergen")
    kripos = Organisation.objects.create(name="Kripos", kind=Organisation.Kind.NATIONAL_POLICE)
    item = ProgrammeItem.objects.create(
        event=event,
        start=timezone.make_aware(dt.datetime.combine(event.start_date, dt.time(9))),
        title="Erfaringer",
        location="Sal A",
    )
    Speaker.objects.create(item=item, person=Person.objects.create(name="Bente Bergen", municipality=bergen))
    Speaker.objects.create(item=item, placeholder="en etterforsker fra Kripos", organisation=kripos, order=1)
    pdf = tmp_path / "program.pdf"
    pdf.write_bytes(logged_in_client(None).get(f"/arrangementer/{event.pk}/program.pdf").content)
    lines = [
        line.strip() for line in subprocess.run(["pdftotext", "-layout", str(pdf), "-"], **TEXT).stdout.split("\n")
    ]
    assert any(line.split()[-3:] == ["Rom", "Sal", "A"] for line in lines)
    assert any(line.startswith("Innledere") and line.endswith("Bente Bergen, Bergen") for line in lines)
    assert "en etterforsker fra Kripos" in lines  # its own line; the organisation it names is not repeated


def test_a_new_speaker_is_asked_in_the_poll_in_one_step_and_the_answer_reads_as_a_date(event, users):
    client = logged_in_client(users["ks_adviser"])
    refused = client.post(
        f"/arrangementer/{event.pk}/datoavstemning/", {"form": "participant", "participant-new_name": "Uten Adresse"}
    )
    assert "gi adressen" in refused.text
    client.post(
        f"/arrangementer/{event.pk}/datoavstemning/",
        {"form": "participant", "participant-new_name": "Per Poll", "participant-new_email": "per@poll.invalid"},
    )
    participant = PollParticipant.objects.get(event=event, person__name="Per Poll")
    assert participant.person.email == "per@poll.invalid"

    PollParticipant.objects.filter(pk=participant.pk).update(responded_at=timezone.now())
    page = client.get(f"/arrangementer/{event.pk}/datoavstemning/")
    assert "Ja, " not in page.text
    assert timezone.localtime(timezone.now()).strftime("%d.%m.%Y") in page.text
