import uuid

import pytest

from tests.conftest import make_user
from trygg.cases import services
from trygg.cases.models import Urgency
from trygg.core.models import Area, Municipality, Role

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
