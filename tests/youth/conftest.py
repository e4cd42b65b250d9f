import datetime as dt

import pytest
from django.utils import timezone

from trygg.core.models import Municipality
from trygg.youth import demo, services


@pytest.fixture
def standard(db):
    demo.load_standard()


@pytest.fixture
def running(standard, users):
    """Bergen's survey, approved and open today: one class in grade 9 with 12 pupils."""
    admin = users["ks_admin"]
    today = timezone.localdate()
    survey = services.order_survey(
        users["municipal_contact"],
        Municipality.objects.get(name="Bergen"),
        today,
        today + dt.timedelta(days=30),
        "Nordnes skole; 9A; 9; 12",
        themes=["vold"],
    )
    return services.approve_survey(admin, survey)


def codes(survey) -> list[str]:
    return list(services.AccessCode.objects.filter(school_class__school__survey=survey).values_list("code", flat=True))
