"""The counts reports read, kept as answers arrive and as surveys close, and the bulk load of earlier surveys.

A survey's ``Tally`` rows grow with each answer set (``services.submit``). When a survey closes, its tallies are
added to its county's and the country's ``AreaTally`` for its year, so a comparison with county and country reads a
few hundred rows instead of summing every survey's. ``ingest`` loads many closed surveys at once (earlier surveys,
the synthetic demo and benchmarks) and keeps the same counts as collecting them one by one would.
"""

import datetime as dt
import hashlib
import json
import secrets
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.db.models import F

from trygg.core.models import Municipality
from trygg.questionnaires.services import latest_version

from .models import (
    QUESTIONNAIRES,
    AccessCode,
    AreaTally,
    Gender,
    Response,
    School,
    SchoolClass,
    Survey,
    Tally,
    level_of,
)

GENDERS = frozenset(Gender.values)
# Answers are written as the field writes them (a restore through the ORM writes the same text on SQLite).
_ANSWERS = Response._meta.get_field("answers")


def add_to_areas(counts: dict[tuple, tuple[int, int]]) -> None:
    """Add (numerator, denominator) per (year, area, indicator id, gender, grade) to the area tallies.

    Rows not there yet are created with their counts; rows there grow by an update in the database (``F``), so two
    surveys closing at once in the same county both count. Should the other one create a row first, every row is
    made (empty) and updated instead.
    """
    existing = set(
        AreaTally.objects.filter(year__in={key[0] for key in counts}, area__in={key[1] for key in counts}).values_list(
            "year", "area", "indicator_id", "gender", "grade"
        )
    )
    fresh = [key for key in counts if key not in existing]
    try:
        with transaction.atomic():
            AreaTally.objects.bulk_create((_area_row(key, *counts[key]) for key in fresh), batch_size=2000)
    except IntegrityError:
        AreaTally.objects.bulk_create((_area_row(key) for key in fresh), ignore_conflicts=True, batch_size=2000)
        existing.update(fresh)
    for key in sorted(existing & counts.keys()):
        numerator, denominator = counts[key]
        if denominator:
            year, area, indicator, gender, grade = key
            AreaTally.objects.filter(year=year, area=area, indicator_id=indicator, gender=gender, grade=grade).update(
                numerator=F("numerator") + numerator, denominator=F("denominator") + denominator
            )


def _area_row(key: tuple, numerator: int = 0, denominator: int = 0) -> AreaTally:
    year, area, indicator, gender, grade = key
    return AreaTally(year=year, area=area, indicator_id=indicator, gender=gender, grade=grade,
                     numerator=numerator, denominator=denominator)  # fmt: skip


def _areas(municipality: Municipality) -> tuple[str, str]:
    return municipality.county.number, AreaTally.COUNTRY


def publish(survey: Survey, rows: Iterable[tuple[int, str, int, int, int]] | None = None) -> None:
    """A survey closes: its counts join its county's and the country's for its year. Answer sets counted after the
    close (the inbox's last batches) join them as they are counted: ``rows`` of (indicator id, gender, grade,
    numerator, denominator) to add instead of the survey's tallies."""
    counts = {}
    if rows is None:
        rows = Tally.objects.filter(survey=survey).values_list(
            "indicator_id", "gender", "grade", "numerator", "denominator"
        )
    for indicator, gender, grade, numerator, denominator in rows:
        for area in _areas(survey.municipality):
            counts[(survey.year, area, indicator, gender, grade)] = (numerator, denominator)
    add_to_areas(counts)


# Bulk loading ---------------------------------------------------------------------------------------------------

# No 0/O/Q/D, 1/I/L, 2/Z, 5/S, 8/B, 6/G, U/V (services.CODE_ALPHABET); bytes above the last multiple are dropped.
_ALPHABET = b"ACEFHJKMNPRTWXY3479"
_KEEP = 256 - 256 % len(_ALPHABET)
_MAP = bytes(_ALPHABET[byte % len(_ALPHABET)] for byte in range(256))
_DROP = bytes(range(_KEEP, 256))


def _draw(count: int, length: int) -> set[str]:
    text = b""
    while len(text) < count * length:
        text += secrets.token_bytes(count * length * 11 // 10 + 16).translate(None, _DROP)
    letters = text[: count * length].translate(_MAP).decode()
    return {letters[start : start + length] for start in range(0, count * length, length)}


def _codes(count: int, length: int = 8) -> list[str]:
    """``count`` new random codes from the secure generator, in bulk (one-by-one ``secrets.choice`` is slow)."""
    codes: set[str] = set()
    while len(codes) < count:
        drawn = list(_draw(count - len(codes), length) - codes)
        taken = set()
        for start in range(0, len(drawn), 5000):
            taken.update(AccessCode.objects.filter(code__in=drawn[start : start + 5000]).values_list("code", flat=True))
        codes.update(set(drawn) - taken)
    return list(codes)


@dataclass
class Earlier:
    """One closed survey to load: its classes (school, class, grade, pupils) and answer sets (grade, answers)."""

    municipality: Municipality
    year: int
    classes: list[tuple[str, str, int, int]]
    answer_sets: list[tuple[int, dict]]
    themes: list[str] = field(default_factory=list)
    is_demo: bool = False
    submitted_on: dt.date | None = None


class _Counter:
    """Each level's rules as lookups from an answer to (counted, hit), so a million answer sets count quickly."""

    def __init__(self, versions):
        self.rules = {
            level: [
                (rule.indicator_id, rule.item.code, rule) for rule in version.indicator_rules.select_related("item")
            ]
            for level, version in versions.items()
        }
        self.cache: dict = {}

    def counts(self, level: str, answers: dict):
        cache = self.cache
        for indicator, item, rule in self.rules[level]:
            answer = answers.get(item)
            key = (indicator, tuple(answer) if isinstance(answer, list) else answer)
            result = cache.get(key)
            if result is None:
                result = cache[key] = rule.counts(answer)
            if result[0]:
                yield indicator, result[1]


@transaction.atomic
def ingest(surveys: Iterable[Earlier], progress: Callable[[int], None] | None = None, chunk: int = 50_000) -> int:
    """Load closed surveys with their answer sets, codes (spent as many as answered) and every count a report reads.

    The same rows as ordering, approving, answering and closing one by one would leave, written in bulk (plain
    multi-row inserts: a million model instances would take minutes). Returns the number of answer sets stored;
    ``progress`` hears the running count after each chunk.
    """
    versions = {level: latest_version(code) for level, code in QUESTIONNAIRES.items()}
    versions = {level: version for level, version in versions.items() if version is not None}
    counter = _Counter(versions)
    areas: dict = defaultdict(lambda: [0, 0])
    pending, size, stored = [], 0, 0
    for earlier in surveys:
        pending.append(_prepare(earlier, versions, counter, areas))
        size += len(earlier.answer_sets)
        if size >= chunk:
            stored += _write(pending, versions)
            pending, size = [], 0
            if progress:
                progress(stored)
    stored += _write(pending, versions)
    add_to_areas({key: tuple(value) for key, value in areas.items()})
    if progress:
        progress(stored)
    return stored


@dataclass
class _Pending:
    earlier: Earlier
    levels: set
    responses: list  # rows without their survey: (level, grade, gender, canonical answers, answers as stored)
    tallies: dict


def _prepare(earlier: Earlier, versions, counter: _Counter, areas: dict) -> _Pending:
    """One survey's rows and counts, before anything is written."""
    responses, tallies = [], {}
    for grade, answers in earlier.answer_sets:
        level = level_of(grade)
        gender = answers.get("gender") if answers.get("gender") in GENDERS else ""
        canonical = json.dumps(answers, sort_keys=True, separators=(",", ":"))
        responses.append((level, grade, gender, canonical, _ANSWERS.get_db_prep_value(answers, connection)))
        for indicator, hit in counter.counts(level, answers):
            cell = tallies.setdefault((indicator, gender, grade), [0, 0])
            cell[0] += hit
            cell[1] += 1
    levels = {level_of(grade) for _s, _c, grade, _n in earlier.classes}
    grades = {grade for _s, _c, grade, _n in earlier.classes}
    county = _areas(earlier.municipality)
    for (indicator, gender, grade), (numerator, denominator) in tallies.items():
        for area in county:
            cell = areas[(earlier.year, area, indicator, gender, grade)]
            cell[0] += numerator
            cell[1] += denominator
    every = {
        (indicator, gender, grade): tuple(tallies.get((indicator, gender, grade), (0, 0)))
        for level in levels
        for indicator, _item, _rule in counter.rules[level]
        for grade in grades
        if level_of(grade) == level
        for gender in Gender.values  # every cell, as approval makes them, so a report knows what was asked
    }
    return _Pending(earlier, levels, responses, every)


def _write(pending: list[_Pending], versions) -> int:
    """The surveys with their schools and classes as models; codes, answer sets and tallies as plain rows."""
    surveys = Survey.objects.bulk_create(
        Survey(
            municipality=item.earlier.municipality,
            starts_on=dt.date(item.earlier.year, 2, 1),
            ends_on=dt.date(item.earlier.year, 3, 20),
            status=Survey.Status.CLOSED,
            themes=sorted(item.earlier.themes),
            is_demo=item.earlier.is_demo,
        )
        for item in pending
    )
    Survey.versions.through.objects.bulk_create(
        Survey.versions.through(survey_id=survey.pk, version_id=versions[level].pk)
        for survey, item in zip(surveys, pending, strict=True)
        for level in sorted(item.levels)
    )
    schools = {
        (survey.pk, name): School(survey=survey, name=name)
        for survey, item in zip(surveys, pending, strict=True)
        for name in dict.fromkeys(school for school, *_rest in item.earlier.classes)
    }
    School.objects.bulk_create(schools.values())
    classes = SchoolClass.objects.bulk_create(
        SchoolClass(school=schools[(survey.pk, school)], name=name, grade=grade, size=size)
        for survey, item in zip(surveys, pending, strict=True)
        for school, name, grade, size in item.earlier.classes
    )
    _insert(AccessCode, ["school_class", "code", "used"], _code_rows(classes, surveys, pending))
    native = connection.features.has_native_uuid_field
    responses, tallies = [], []
    for survey, item in zip(surveys, pending, strict=True):
        day = connection.ops.adapt_datefield_value(item.earlier.submitted_on or dt.date(item.earlier.year, 2, 10))
        for level, grade, gender, canonical, stored in item.responses:
            version = versions[level].pk
            # As services._digest: the canonical JSON of {"answers": …, "version": …}, hashed.
            digest = hashlib.sha256(f'{{"answers":{canonical},"version":{version}}}'.encode()).hexdigest()
            key, submission = (uuid.uuid4(), uuid.uuid4()) if native else (uuid.uuid4().hex, uuid.uuid4().hex)
            responses.append((key, survey.pk, version, submission, digest, day, level, grade, gender, stored))
        tallies.extend((survey.pk, *key, *counts) for key, counts in item.tallies.items())
    _insert(Response, ["id", "survey", "version", "submission_id", "content_hash", "submitted_on", "level", "grade",
                       "gender", "answers"], responses)  # fmt: skip
    _insert(Tally, ["survey", "indicator", "gender", "grade", "numerator", "denominator"], tallies)
    return len(responses)


def _code_rows(classes, surveys, pending) -> list[tuple]:
    """A code for every pupil invited, as many spent per grade as answered (in no order that tells which)."""
    answered = defaultdict(int)
    for survey, item in zip(surveys, pending, strict=True):
        for _level, grade, _gender, _canonical, _stored in item.responses:
            answered[(survey.pk, grade)] += 1
    codes = _codes(sum(school_class.size for school_class in classes))
    rows = []
    for school_class in classes:
        key = (school_class.school.survey_id, school_class.grade)
        used = min(school_class.size, answered[key])
        answered[key] -= used
        rows.extend((school_class.pk, codes.pop(), index < used) for index in range(school_class.size))
    return rows


def _insert(model, names: list[str], rows: list[tuple]) -> None:
    """Rows into the model's table by one multi-row statement per batch; values already in database form."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in names)
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(names))})"  # noqa: S608 (names from the model)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 20_000):
            cursor.executemany(sql, rows[start : start + 20_000])
