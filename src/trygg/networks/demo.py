"""One fictional regional SLT network: four municipalities of the study trip and Kripos, with invented contacts, and
its next meeting; and a lecture KS has planned for Drammen (a municipality of the deck). Dates follow today's."""

import datetime as dt
import uuid

from django.db import transaction
from django.utils import timezone

from trygg.core.models import Municipality, Organisation, Person, User

from . import lectures, services
from .models import Contact, ContactRole, Lecture, Member, Network

NAME = "Regionalt SLT-nettverk Vest (fiktivt)"
# (municipality number, contact name, role) — invented people at .invalid addresses.
CONTACTS = [
    ("4601", "Siri SLT (fiktiv)", ContactRole.SLT_COORDINATOR),
    ("4601", "Pål Politiråd (fiktiv)", ContactRole.POLITIRAAD_SECRETARY),
    ("1103", "Stine SLT (fiktiv)", ContactRole.SLT_COORDINATOR),
    ("1106", "Hans Haugesund (fiktiv)", ContactRole.SLT_COORDINATOR),
    ("1120", "Kari Klepp (fiktiv)", ContactRole.SLT_COORDINATOR),
]


MEETING = "Nettverksmøte for SLT-koordinatorene i vest (fiktivt)"
LECTURE_KEY = uuid.uuid5(uuid.NAMESPACE_URL, "trygg-demo-lecture:drammen")


@transaction.atomic
def load():
    network = Network.objects.filter(name=NAME).first() or _network()
    admin, today = User.objects.get(username="admin"), timezone.localdate()
    if not network.meetings.filter(title=MEETING).exists():
        services.create_meeting(admin, network, title=MEETING, start_date=today + dt.timedelta(weeks=6), city="Bergen")
    if not Lecture.objects.filter(submission_key=LECTURE_KEY).exists():
        _lecture(admin, today + dt.timedelta(weeks=5))


def _lecture(admin, date: dt.date) -> None:
    """Drammen asked through its (fictional) contact; KS planned it with a speaker from the trip's support team."""
    lecture, _created = lectures.request(
        User.objects.get(username="kontakt"),
        municipality=Municipality.objects.get(number="3301"),
        submission_key=LECTURE_KEY,
        topic="Hvordan hindre at kriminelle grupper etablerer seg i kommunen (fiktiv)",
        description="Fiktivt eksempel: kommunestyret og SLT ønsker en innføring i hva kommunen selv kan gjøre.",
        audience="Kommunestyret, SLT-koordinator og politikontakten",
        wished_time="En ettermiddag de nærmeste ukene",
    )
    speaker = lectures.speakers().filter(person__name="Yngve Carlsson").first()
    answer = "Vi kommer gjerne. Yngve Carlsson holder foredraget; vi sender program nærmere datoen. (fiktivt svar)"
    lectures.plan(admin, lecture, status=Lecture.Status.PLANNED, date=date, speaker=speaker, answer=answer)


def _network() -> Network:
    network = Network.objects.create(
        name=NAME,
        description="Fiktivt demonettverk: SLT-koordinatorer og politikontakter på Vestlandet møtes to ganger i året.",
        demo=True,
    )
    for number, name, role in CONTACTS:
        municipality = Municipality.objects.get(number=number)
        member = Member.objects.get_or_create(network=network, municipality=municipality)[0]
        person = Person.objects.create(
            name=name, municipality=municipality, email=f"{name.split()[0].lower()}.{number}@trygg.invalid"
        )
        Contact.objects.create(member=member, person=person, role=role)
    kripos = Organisation.objects.filter(short_name="Kripos").first()
    if kripos:
        member = Member.objects.create(network=network, organisation=kripos)
        person = Person.objects.create(name="Kim Kripos (fiktiv)", organisation=kripos, email="kim@trygg.invalid")
        Contact.objects.create(member=member, person=person, role=ContactRole.POLICE_CONTACT)
    return network
