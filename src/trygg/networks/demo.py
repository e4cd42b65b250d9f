"""One fictional regional SLT network: four municipalities of the study trip and Kripos, with invented contacts."""

from django.db import transaction

from trygg.core.models import Municipality, Organisation, Person

from .models import Contact, ContactRole, Member, Network

NAME = "Regionalt SLT-nettverk Vest (fiktivt)"
# (municipality number, contact name, role) — invented people at .invalid addresses.
CONTACTS = [
    ("4601", "Siri SLT (fiktiv)", ContactRole.SLT_COORDINATOR),
    ("4601", "Pål Politiråd (fiktiv)", ContactRole.POLITIRAAD_SECRETARY),
    ("1103", "Stine SLT (fiktiv)", ContactRole.SLT_COORDINATOR),
    ("1106", "Hans Haugesund (fiktiv)", ContactRole.SLT_COORDINATOR),
    ("1120", "Kari Klepp (fiktiv)", ContactRole.SLT_COORDINATOR),
]


@transaction.atomic
def load():
    if Network.objects.filter(name=NAME).exists():
        return
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
