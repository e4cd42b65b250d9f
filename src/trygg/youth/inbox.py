"""Moving sent answer sets from the inbox into ``Response``, several at a time and shuffled, and counting them.

Why: the request that spends a code must store the answers in the same transaction (or a crash could lose one or
spend a code for nothing), so on PostgreSQL the spent code and the inbox row share a transaction id (xmin) and sit
in their tables in the order they came. The inbox row lives only until the worker moves it: a batch of a survey's
waiting answer sets — at least ``YOUTH_INBOX_BATCH`` of them, or all that are left once the survey is closed or
over — is deleted from the inbox and written to ``Response`` in random order with fresh random keys, in one
transaction of the worker's own, and the tallies are counted there. Every answer set of a batch then carries the
same transaction id, and neither keys nor row order say which came first. The README's privacy section says what
remains (the batch itself, dead rows until vacuum, the write-ahead log).
"""

import random
import uuid
from collections import defaultdict
from itertools import chain

from django.conf import settings
from django.db import connection, transaction

from trygg.questionnaires.models import IndicatorRule

from . import aggregates
from .models import Inbox, Response, Survey

_shuffle = random.SystemRandom().shuffle  # from the operating system: no seed to recover the order from
FIELDS = ("version_id", "submission_id", "content_hash", "submitted_on", "level", "grade", "gender", "answers")
DELETE_CHUNK = 500  # ids per DELETE, well under SQLite's limit on parameters


def batch_size() -> int:
    """The fewest answer sets moved together while a survey runs (``YOUTH_INBOX_BATCH``, default 10)."""
    return getattr(settings, "YOUTH_INBOX_BATCH", 10)


def move(survey: Survey, *, everything: bool = False) -> int:
    """Move the survey's waiting answer sets once a batch is full, or all of them with ``everything`` (closing).

    Rows another worker is moving are skipped (PostgreSQL), so two workers never move one answer set twice; on
    SQLite the transaction holds the write lock from its start. Returns how many were moved.
    """
    with transaction.atomic():
        # The survey's row serialises moving with closing: a batch moved after the close is added to the county's
        # and the country's figures too (``aggregates.publish``), one moved before it is in what closing adds.
        survey = Survey.objects.select_for_update(of=("self",)).select_related("municipality__county").get(pk=survey.pk)
        waiting = list(Inbox.objects.select_for_update(skip_locked=True).filter(survey=survey))
        if not waiting or (len(waiting) < batch_size() and not everything):
            return 0
        ids = [row.pk for row in waiting]
        for start in range(0, len(ids), DELETE_CHUNK):
            Inbox.objects.filter(pk__in=ids[start : start + DELETE_CHUNK]).delete()
        _shuffle(waiting)
        moved = [Response(id=uuid.uuid4(), survey=survey, **{f: getattr(row, f) for f in FIELDS}) for row in waiting]
        Response.objects.bulk_create(moved, batch_size=1000)
        counts = _count(survey, waiting)
        if survey.status == Survey.Status.CLOSED:
            aggregates.publish(survey, counts)
    _vacuum()
    return len(waiting)


def _count(survey: Survey, answer_sets: list[Inbox]) -> list[tuple[int, str, int, int, int]]:
    """Add the batch to the survey's tallies: one update of every cell the batch touches, in the database (the
    survey's row, locked, keeps movers of one survey apart). Returns what was added, as (indicator id, gender,
    grade, numerator, denominator)."""
    cells: dict[int, dict] = defaultdict(lambda: defaultdict(list))
    for answer_set in answer_sets:
        cells[answer_set.version_id][(answer_set.gender, answer_set.grade)].append(answer_set.answers)
    added: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for version_id, by_cell in cells.items():
        rules = IndicatorRule.objects.filter(version_id=version_id).select_related("item")
        for ((gender, grade), indicator_id), (numerator, denominator) in aggregates.count(rules, by_cell).items():
            added[(indicator_id, gender, grade)][0] += numerator
            added[(indicator_id, gender, grade)][1] += denominator
    counts = [(*key, *added[key]) for key in sorted(added)]
    if counts:
        with connection.cursor() as cursor:
            cursor.execute(_ADD.format(", ".join(["(%s, %s, %s, %s, %s)"] * len(counts))), [*chain(*counts), survey.pk])
    return counts


# (indicator id, gender, grade, numerator, denominator) rows added to the tallies; one statement for SQLite and
# PostgreSQL, whose VALUES both name their columns column1, column2 and so on.
_ADD = (
    "UPDATE youth_tally SET numerator = youth_tally.numerator + v.column4,"
    " denominator = youth_tally.denominator + v.column5 FROM (VALUES {}) AS v"
    " WHERE youth_tally.indicator_id = v.column1 AND youth_tally.gender = v.column2 AND youth_tally.grade = v.column3"
    " AND youth_tally.survey_id = %s"
)


def _vacuum() -> None:
    """PostgreSQL keeps deleted rows, transaction id and all, until vacuumed: vacuum the small inbox at once."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM {connection.ops.quote_name(Inbox._meta.db_table)}")
