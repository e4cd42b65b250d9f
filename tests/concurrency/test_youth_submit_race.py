"""Concurrent submissions of the youth survey on PostgreSQL: a retry racing itself is stored once; different
submissions racing for one code store one; a class answering at the same moment loses nothing and counts right,
also while workers move its batches; a retry racing the worker that moves the first copy stores nothing.

``inbox.batch_size`` is wrapped to pause where a submission asks it, right after its transaction commits (the code
spent, the answer set in the inbox) and before the device is answered, so every racing request arrives while the
first has not yet answered: a wide, repeatable window.
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
from trygg.youth import demo, inbox, services
from trygg.youth.models import AccessCode, Inbox, Response, Tally

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
    batch_size = inbox.batch_size

    def slow_batch_size():
        time.sleep(0.05)
        return batch_size()

    monkeypatch.setattr(inbox, "batch_size", slow_batch_size)
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
    assert Inbox.objects.count() == 1
    inbox.move(survey, everything=True)
    assert Response.objects.count() == 1 and not Inbox.objects.exists()
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
    assert Inbox.objects.count() == 1


def test_a_whole_class_at_the_same_minute_loses_nothing_while_workers_move_batches(survey, settings):
    settings.YOUTH_INBOX_BATCH = 3
    class_codes = codes(survey)
    calls = [lambda c=c: services.submit(c, uuid.uuid4(), {"gender": "girl", "drunk": "never"}) for c in class_codes]
    workers = [lambda: sum(inbox.move(survey) for _ in range(20))] * 3
    outcomes = all_at_once(calls + workers)
    assert outcomes[: len(class_codes)] == [services.Outcome.ACCEPTED] * len(class_codes)
    assert sum(outcomes[len(class_codes) :]) + Inbox.objects.count() == len(class_codes)
    inbox.move(survey, everything=True)
    assert not Inbox.objects.exists()
    assert Response.objects.count() == len(class_codes) == AccessCode.objects.filter(used=True).count()
    tally = Tally.objects.get(survey=survey, indicator__code="drunk", gender="girl", grade=9)
    assert (tally.numerator, tally.denominator) == (0, len(class_codes))


def test_a_retry_racing_the_worker_that_moves_the_first_copy_stores_nothing_more(survey):
    first, *others = codes(survey)
    sid, answers = uuid.uuid4(), {"gender": "boy", "drunk": "once"}
    assert services.submit(first, sid, answers) == services.Outcome.ACCEPTED
    # The same submission again, each time with another code (a device that lost its page), while workers count it.
    retries = [lambda c=c: services.submit(c, sid, answers) for c in others[:ATTEMPTS]]
    outcomes = all_at_once([lambda: inbox.move(survey, everything=True)] * 2 + retries)
    assert sorted(outcomes[:2]) == [0, 1]
    assert outcomes[2:] == [services.Outcome.DUPLICATE] * len(retries)
    assert Response.objects.count() == 1 and not Inbox.objects.exists()
    assert AccessCode.objects.filter(used=True).count() == 1
    assert sum(Tally.objects.filter(indicator__code="drunk").values_list("numerator", flat=True)) == 1
