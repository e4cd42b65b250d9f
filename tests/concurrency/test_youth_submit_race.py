"""Concurrent submissions of the youth survey on PostgreSQL: a retry racing itself is stored once; different
submissions racing for one code store one; a class answering at the same moment loses nothing and counts right.

``services._count`` is wrapped to pause inside the transaction, after the code is spent and the answer set
inserted, so every racing request arrives while the first still holds its row locks: a wide, repeatable window.
"""

import datetime as dt
import threading
import time
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from tests.conftest import make_user
from trygg.core.models import Municipality, Role
from trygg.youth import demo, services
from trygg.youth.models import AccessCode, Response, Tally

pytestmark = [
    pytest.mark.skipif(
        connection.vendor == "sqlite", reason="SQLite serialises writers; the race and the lock are PostgreSQL's"
    ),
    pytest.mark.django_db(transaction=True),
]
ATTEMPTS = 10


@pytest.fixture
def survey(municipalities, monkeypatch):
    demo.load_standard()
    admin = make_user(Role.KS_ADMIN)
    today = timezone.localdate()
    ordered = services.order_survey(admin, Municipality.objects.get(name="Bergen"), today,
                                    today + dt.timedelta(days=5), "Nordnes skole; 9A; 9; 12")  # fmt: skip
    count = services._count

    def slow_count(*args):
        count(*args)
        time.sleep(0.05)

    monkeypatch.setattr(services, "_count", slow_count)
    return services.approve_survey(admin, ordered)


def all_at_once(calls: list) -> list:
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def attempt(index, call):
        try:
            connection.ensure_connection()
            barrier.wait(timeout=10)
            outcomes[index] = call()
        except Exception as error:
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def codes(survey) -> list[AccessCode]:
    return list(AccessCode.objects.filter(school_class__school__survey=survey).order_by("code"))


def test_the_same_submission_sent_many_times_at_once_is_stored_once(survey):
    code, sid = codes(survey)[0], uuid.uuid4()
    answers = {"gender": "girl", "drunk": "once"}
    outcomes = all_at_once([lambda: services.submit(code, sid, answers)] * ATTEMPTS)
    assert sorted(outcomes) == sorted([services.Outcome.ACCEPTED] + [services.Outcome.DUPLICATE] * (ATTEMPTS - 1))
    assert Response.objects.count() == 1
    assert sum(Tally.objects.filter(indicator__code="drunk").values_list("denominator", flat=True)) == 1


def test_different_submissions_racing_for_one_code_store_one(survey):
    code = codes(survey)[0]
    outcomes = all_at_once(
        [
            lambda i=i: services.submit(code, uuid.uuid4(), {"gender": "boy", "close_friends": i})
            for i in range(ATTEMPTS)
        ]
    )
    assert outcomes.count(services.Outcome.ACCEPTED) == 1
    assert outcomes.count(services.Outcome.USED) == ATTEMPTS - 1
    assert Response.objects.count() == 1


def test_a_whole_class_at_the_same_minute_loses_nothing(survey):
    class_codes = codes(survey)
    calls = [lambda c=c: services.submit(c, uuid.uuid4(), {"gender": "girl", "drunk": "never"}) for c in class_codes]
    outcomes = all_at_once(calls)
    assert outcomes == [services.Outcome.ACCEPTED] * len(class_codes)
    assert Response.objects.count() == len(class_codes) == AccessCode.objects.filter(used=True).count()
    tally = Tally.objects.get(survey=survey, indicator__code="drunk", gender="girl", grade=9)
    assert (tally.numerator, tally.denominator) == (0, len(class_codes))
