"""Seed a fresh embedded database for ``test_sqlite_server``: run as a script inside the server's environment.

Prints, as JSON, what the test needs: an API token and a password login for Oslo's contact, the event and the
situation report they act on.
"""

import json

import django

django.setup()

from django.utils import timezone  # noqa: E402

from trygg.core.models import APIToken, Municipality, Role, User  # noqa: E402
from trygg.core.services import load_reference_data  # noqa: E402
from trygg.events.models import Event, Invitation, InvitationTier  # noqa: E402
from trygg.mapping.models import Questionnaire, Report, Round  # noqa: E402

PASSWORD = "correct-horse-battery-staple"

load_reference_data()
oslo = Municipality.objects.get(name="Oslo")
contact = User.objects.create_user(
    "kontakt", password=PASSWORD, email="kontakt@example.org", role=Role.MUNICIPAL_CONTACT
)
contact.municipalities.set([oslo])
_token, token = APIToken.issue(contact, "klasserom")

event = Event.objects.create(title="Samtidig påmelding", city="Oslo", status=Event.Status.REGISTRATION_OPEN)
tier = InvitationTier.objects.create(event=event, name="Alle", quota=3)
Invitation.objects.create(event=event, municipality=oslo, tier=tier)

now = timezone.now()
questionnaire = Questionnaire.objects.get_or_create(version=1, defaults={"title": "Dialogspørsmål"})[0]
round = Round.objects.create(
    name="Samtidig lagring",
    questionnaire=questionnaire,
    opens_at=now - timezone.timedelta(days=1),
    deadline=now + timezone.timedelta(days=10),
    status=Round.Status.OPEN,
)
round.municipalities.add(oslo)
report = Report.objects.create(round=round)
report.municipalities.add(oslo)

print(json.dumps({"token": token, "username": "kontakt", "password": PASSWORD, "event": event.pk, "report": report.pk}))
