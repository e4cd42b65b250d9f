import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.conftest import logged_in_client
from trygg.cases import demo, targets
from trygg.cases.models import Case
from trygg.core.models import User

pytestmark = pytest.mark.django_db


def test_two_fictional_cases_one_waiting_for_the_municipality(municipalities):
    call_command("load_demo")
    cases = Case.objects.filter(demo=True).order_by("created_at")
    assert cases.count() == 2 and all(case.title.endswith("(fiktiv)") for case in cases)
    waiting = cases.get(status=Case.Status.WAITING)
    assert all(clock.paused for clock in targets.running(waiting, timezone.now()))
    page = logged_in_client(User.objects.get(username="kontakt")).get(waiting.get_absolute_url()).content.decode()
    assert "Fiktive demodata" in page and "reguleringsplanen" in page and "Kripos kjenner" not in page
    demo.load()
    assert Case.objects.count() == 2
