"""After a class has answered through the pupil pages, nothing stored says in which order its codes were spent:
not a key, a column, the rows' order on disk (PostgreSQL's ctid, SQLite's rowid) nor a transaction id (xmin).

Each pupil's number of friends is set to the place of their code in the order of sending, so a stored order that
followed the sending would show as a rank correlation near 1. Real commits are needed (the worker's batch runs
after the request's transaction), hence ``transaction=True``; both databases.
"""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tests.conftest import logged_in_client
from trygg.core.models import Municipality
from trygg.youth import demo, services
from trygg.youth.models import AccessCode, Inbox, Response, Tally

pytestmark = pytest.mark.django_db(transaction=True)
CLASS_SIZE = 40  # the largest class: a random order of 40 has |rho| > 0.75 about once in a million
ANSWER = reverse("youth:answer")
# Columns that are the answers themselves (the pupil's content) say nothing about the order of sending.
CONTENT = {"answers", "gender"}


@pytest.fixture
def survey(users):
    demo.load_standard()
    today = timezone.localdate()
    ordered = services.order_survey(users["ks_admin"], Municipality.objects.get(name="Bergen"), today,
                                    today + dt.timedelta(days=5), f"Nordnes skole; 9A; 9; {CLASS_SIZE}")  # fmt: skip
    return services.approve_survey(users["ks_admin"], ordered)


def send_in_order(client, survey) -> list[str]:
    """Every pupil of the class sends, one after the other; returns the codes in the order they were spent."""
    spent = list(AccessCode.objects.filter(school_class__school__survey=survey).values_list("code", flat=True))
    for place, code in enumerate(spent):
        body = {"action": "send", "code": code, "sid": str(uuid.uuid4()), "lang": "nb",
                "a-gender": ("girl", "boy")[place % 2], "a-close_friends": str(place), "a-drunk": "never"}  # fmt: skip
        assert client.post(ANSWER, body, HTTP_X_REQUESTED_WITH="fetch").json()["status"] == "accepted"
    return spent


def spearman(order: list[int]) -> float:
    """Rank correlation of positions 0..n-1 with ``order`` (a permutation of 0..n-1)."""
    n = len(order)
    return 1 - 6 * sum((position - value) ** 2 for position, value in enumerate(order)) / (n * (n * n - 1))


def places(sql_order: str) -> list[int]:
    """The sending place of every stored answer set, in the order the database gives for ``sql_order``."""
    table = connection.ops.quote_name(Response._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT answers FROM {table} ORDER BY {sql_order}")  # noqa: S608 (names from the model)
        rows = cursor.fetchall()
    field = Response._meta.get_field("answers")
    return [field.from_db_value(value, None, connection)["close_friends"] for (value,) in rows]


def physical_orders() -> list[str]:
    return ["ctid", "xmin::text::bigint"] if connection.vendor == "postgresql" else ["rowid"]


def xmins(model) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT xmin::text::bigint FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
        return [xmin for (xmin,) in cursor.fetchall()]


def test_a_class_counted_in_one_batch_leaves_no_trace_of_the_order_it_answered(survey, client, users, settings):
    settings.YOUTH_INBOX_BATCH = CLASS_SIZE + 1  # the whole class waits, and is counted on closing
    send_in_order(client, survey)
    assert Inbox.objects.count() == CLASS_SIZE and not Response.objects.exists()
    adviser = logged_in_client(users["ks_adviser"])
    assert adviser.post(reverse("youth:close", args=[survey.pk])).status_code == 302
    assert not Inbox.objects.exists() and Response.objects.count() == CLASS_SIZE
    columns = [field.column for field in Response._meta.concrete_fields if field.name not in CONTENT]
    assert {"id", "submission_id", "content_hash", "submitted_on", "grade"} <= set(columns)
    for order in columns + physical_orders():
        assert abs(spearman(places(order))) < 0.75, f"rows ordered by {order} follow the order of sending"
    assert {row.submitted_on for row in Response.objects.all()} == {timezone.localdate()}  # the day, no finer
    if connection.vendor == "postgresql":
        counted = set(xmins(Response))
        assert len(counted) == 1, "one transaction of the worker's stored them all"
        assert not counted & set(xmins(AccessCode)), "no answer set shares a transaction with a spent code"
    drunk = Tally.objects.filter(survey=survey, indicator__code="drunk")
    assert sum(drunk.values_list("denominator", flat=True)) == CLASS_SIZE


def test_batches_while_the_survey_runs_tell_no_more_than_the_batch(survey, client, settings):
    """With the default batch of 10, the worker counts the class in four batches as it answers. Which ten codes
    went into a batch can be told (that is the anonymity set, see the README); the order within it cannot."""
    settings.YOUTH_INBOX_BATCH = 10
    send_in_order(client, survey)
    assert not Inbox.objects.exists() and Response.objects.count() == CLASS_SIZE  # the fourth batch filled up
    stored = places(physical_orders()[0])
    batches = [stored[start : start + 10] for start in range(0, CLASS_SIZE, 10)]
    assert [sorted(batch) for batch in batches] == [list(range(start, start + 10)) for start in range(0, 40, 10)]
    in_batch = [sorted(batch).index(place) for batch in batches for place in batch]
    positions = [position % 10 for position in range(CLASS_SIZE)]
    assert abs(pearson(positions, in_batch)) < 0.75, "the order inside a batch follows the order of sending"
    if connection.vendor == "postgresql":
        counted = xmins(Response)
        assert sorted(counted.count(xmin) for xmin in set(counted)) == [10, 10, 10, 10]
        assert not set(counted) & set(xmins(AccessCode))
    drunk = Tally.objects.filter(survey=survey, indicator__code="drunk")
    assert sum(drunk.values_list("denominator", flat=True)) == CLASS_SIZE


def pearson(xs: list[int], ys: list[int]) -> float:
    n = len(xs)
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    cov = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    spread_x = sum((x - mean_x) ** 2 for x in xs) ** 0.5
    spread_y = sum((y - mean_y) ** 2 for y in ys) ** 0.5
    return cov / (spread_x * spread_y)
