"""The source deck's Copenhagen trip, loaded from the demo data, for every events test."""

import pytest
from django.core.management import call_command

from trygg.events.models import Event


@pytest.fixture
def trip(municipalities, mailoutbox):
    """The demo study trip: 17 invited municipalities in two tiers, 41 confirmed delegates, 2 waiting (Oslo).

    Also loads the core demo (users admin/radgiver/kontakt/partner, the deck's organisations and people).
    ``mailoutbox`` is cleared after loading, so tests see only their own e-mails.
    """
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    mailoutbox.clear()
    return Event.objects.get(kind=Event.Kind.STUDY_TRIP)
