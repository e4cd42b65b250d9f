"""The API keeps its published contract for every role: schemathesis finds no server error and no answer that
breaks the OpenAPI document, with anonymous callers and with each role's token.

Bounded (8 generated examples per operation and role, besides schemathesis' boundary cases, the same each run)
to stay quick in the suite; run it harder by hand, with fresh random examples, e.g.
``SCHEMATHESIS_EXAMPLES=100 .venv/bin/pytest -n 2 tests/test_schemathesis.py``.
"""

import datetime as dt
import os
import uuid

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from tests.conftest import ROLES
from trygg.cases import services as case_services
from trygg.core.models import APIToken, Municipality
from trygg.events.models import Event, InvitationTier, Registration
from trygg.mapping.models import Questionnaire, Report, Round

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "8"))
HARDER = "SCHEMATHESIS_EXAMPLES" in os.environ  # by hand: fresh random examples each run

# Every check that applies to a read-and-register API. Left out: `use_after_free` and `ensure_resource_availability`
# (stateful: they need links between operations, which the document does not declare), `missing_required_header`
# (no operation requires a header), and `max_response_time` (timing on a shared test machine is no contract).
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    unsupported_method,
    ignored_auth,
]

# A request the schema allows may still meet the event's rules: registration closed, the e-mail already registered,
# the municipality not invited. Those are 409s, which no schema can foresee. And any text may hold a NUL character,
# which PostgreSQL cannot store: that request "cannot be read at all", the 400 the document names beside each 422.
# The roles' tokens are the test's own (``api_world``): schemathesis makes no Authorization header of its own, which
# the token would replace, turning a request it meant as invalid into a valid one. ``ignored_auth`` still calls every
# operation without credentials.
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "400", "401", "403", "404", "409"]}},
        "generation": {"with-security-parameters": False},
    }
)
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application(), config=CONFIG)


@pytest.fixture
def in_test_transaction():
    """Keep the test's database connection across the WSGI requests, as Django's test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_world(users, in_test_transaction):
    """Something to find behind the ids: an open event with a quota for Bergen and a delegate, a round with a
    submitted report, Bergen's request for help; and the bearer headers of each role."""
    bergen = Municipality.objects.get(name="Bergen")
    start = timezone.localdate() + dt.timedelta(days=30)
    event = Event.objects.create(
        title="Studietur", city="København", country="DK", status=Event.Status.REGISTRATION_OPEN, start_date=start
    )
    tier = InvitationTier.objects.create(event=event, name="Med gruppe", quota=3)
    event.invitations.create(municipality=bergen, tier=tier)
    Registration.objects.create(event=event, municipality=bergen, name="Kari Nordmann", email="kari@example.org")
    questionnaire = Questionnaire.objects.order_by("-version").first() or Questionnaire.objects.create(
        version=1, title="Situasjonsrapport"
    )
    now = timezone.now()
    round = Round.objects.create(
        name="2026", questionnaire=questionnaire, opens_at=now, deadline=now + dt.timedelta(days=30)
    )
    round.municipalities.set([bergen])
    report = Report.objects.create(round=round, status=Report.Status.SUBMITTED)
    report.municipalities.set([bergen])
    case_services.submit(
        users["municipal_contact"],
        municipality=bergen,
        submission_key=uuid.uuid4(),
        title="Vold mellom grupper",
        description="Slagsmål ved ungdomsklubben.",
        urgency="acute",
    )
    headers = {"anonymous": {}}
    for role, user in users.items():
        if user is not None:
            headers[role] = {"Authorization": f"Bearer {APIToken.issue(user, 'schemathesis')[1]}"}
    return headers


@pytest.fixture(params=ROLES)
def role(request):
    return request.param


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not HARDER,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_keeps_its_contract(case, role, api_world):
    case.call_and_validate(headers=api_world[role], checks=CHECKS)
