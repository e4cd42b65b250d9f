import uuid

import pytest

from tests.conftest import make_user
from trygg.cases import services
from trygg.cases.models import Urgency
from trygg.core.models import Area, Municipality, Role
from trygg.measures import catalogue, citations

# A fødselsnummer with valid check digits (tests/core/test_screening.py).
FNR = "01019012480"
INTERNAL = "Intern vurdering: politiet kjenner miljøet godt fra før"


@pytest.fixture
def bergen(municipalities):
    return Municipality.objects.get(number="4601")


@pytest.fixture
def expert(municipalities):
    return make_user(
        Role.PARTNER, username="ekspert", partner_areas=[Area.CASES], first_name="Eva", last_name="Ekspert"
    )


@pytest.fixture
def make_case(users, bergen):
    def make(urgency=Urgency.SOON, confidential=False, **fields):
        fields = {"title": "En gruppe kjøper eiendom", "description": "Et 1 %-miljø vil kjøpe et lager.", **fields}
        case, _created = services.submit(
            users["municipal_contact"],
            municipality=bergen,
            submission_key=uuid.uuid4(),
            urgency=urgency,
            confidential=confidential,
            **fields,
        )
        return case

    return make


def published_measure(adviser, name="Bruk av plan- og bygningsloven"):
    """A measure in the catalogue, published (sources checked), as KS links it to a case."""
    data = {
        "name": name,
        "summary": "Kommunen bruker sin myndighet i byggesaker.",
        "mechanisms": ["deterrence"],
        "stages": ["activity"],
        "verdict": "inconclusive",
        "verdict_reason": "Lite evaluert.",
        "verdict_quality": "none",
    }
    made = catalogue.save_measure(adviser, None, data, sources=[{"reference": "KS 2011"}], experiences=[], reason="t")
    citations.mark_checked(made.sources.get(), "Test")
    for status in ("review", "published"):
        made = catalogue.change_status(adviser, made, status, reason="test", revision=made.revision)
    return made
