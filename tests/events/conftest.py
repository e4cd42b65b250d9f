"""The source deck's Copenhagen trip, loaded from the demo data, for every events test."""

import pytest

from trygg.core import demo as core_demo
from trygg.events import demo as events_demo
from trygg.events.models import Event


@pytest.fixture
def trip(municipalities, mailoutbox):
    """The demo study trip: 17 invited municipalities in two tiers, 41 confirmed delegates, 2 waiting (Oslo).

    Also loads the core demo (users admin/radgiver/kontakt/partner, the deck's organisations and people), but not
    the other apps' demos, which events does not read (their guide PDFs and youth surveys take most of the time).
    ``mailoutbox`` is cleared after loading, so tests see only their own e-mails.
    """
    core_demo.load()
    events_demo.load()
    mailoutbox.clear()
    return Event.objects.get(kind=Event.Kind.STUDY_TRIP)
