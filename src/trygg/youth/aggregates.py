"""The counts reports read, kept as answers arrive and as surveys close, and the bulk load of earlier surveys.

A survey's ``Tally`` rows grow with each batch of answer sets the worker counts out of the inbox (``inbox.move``).
When a survey closes, its tallies are added to its county's and the country's ``AreaTally`` for its year, so a
comparison with county and country reads a few hundred rows instead of summing every survey's. ``ingest`` loads many
closed surveys at once (earlier surveys, the synthetic demo and benchmarks) and keeps the same counts as collecting
them one by one would.
"""

import datetime as dt
import hashlib
import json
import secrets
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from operator import itemgetter, methodcaller

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.db.models.constants import OnConflict

from trygg.core.models import Municipality
from trygg.questionnaires.models import IndicatorRule, Item
from trygg.questionnaires.services import latest_version

from .models import (
    GRADES,
    QUESTIONNAIRES,
    AccessCode,
    AreaTally,
    Gender,
    Response,
    School,
    SchoolClass,
    Survey,
    Tally,
)

_GENDERS = tuple(Gender.values)
GENDERS = frozenset(_GENDERS)
# Answers are written as the field writes them (a restore through the ORM writes the same text on SQLite):
# ``adapt_json_value`` with its encoder is what its ``get_db_prep_value`` does.
_ANSWERS = Response._meta.get_field("answers")
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"))  # as services._digest encodes answers
_LEVEL_OF = {grade: level for level, grades in GRADES.items() for grade in grades}


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
    """``count`` different random codes from the secure generator, in bulk (one-by-one ``secrets.choice`` is slow).
    Whether one is taken already, the code table's unique index tells as they are inserted (``_insert_codes``)."""
    codes: set[str] = set()
    while len(codes) < count:
        codes |= _draw(count - len(codes), length)
    return list(codes)


def _uuids(count: int) -> list[str]:
    """``count`` random version-4 UUIDs as 32 hex digits, from the operating system in one draw (``uuid4`` one at
    a time is slow); the UUID fields take the text on every database."""
    data = bytearray(secrets.token_bytes(16 * count))
    data[6::16] = bytes(byte & 0x0F | 0x40 for byte in data[6::16])  # version 4
    data[8::16] = bytes(byte & 0x3F | 0x80 for byte in data[8::16])  # RFC 4122 variant
    text = data.hex()
    return [text[start : start + 32] for start in range(0, 32 * count, 32)]


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


def count(rules: Iterable[IndicatorRule], cells: dict[tuple, list[dict]]) -> dict[tuple, tuple[int, int]]:
    """(numerator, denominator) per (cell, indicator id) over answer sets of one version, grouped by cell.

    Each rule looks at a column of answers: the distinct answers are counted first (in C, ``Counter``) and each is
    judged once, so a million answer sets cost a pass per indicator, not a rule call per answer.
    """
    result = {}
    for rule in rules:
        get, judged = methodcaller("get", rule.item.code), {}
        for cell, answer_sets in cells.items():
            column = map(get, answer_sets)
            if rule.item.kind == Item.Kind.MULTIPLE:  # a list is no dictionary key: counted as a tuple
                column = (tuple(answer) if isinstance(answer, list) else answer for answer in column)
            numerator = denominator = 0
            for answer, times in Counter(column).items():
                if answer not in judged:
                    judged[answer] = rule.counts(list(answer) if isinstance(answer, tuple) else answer)
                counted, hit = judged[answer]
                denominator += times * counted
                numerator += times * hit
            if denominator:
                result[(cell, rule.indicator_id)] = (numerator, denominator)
    return result


@transaction.atomic
def ingest(surveys: Iterable[Earlier], progress: Callable[[int], None] | None = None, chunk: int = 50_000) -> int:
    """Load closed surveys with their answer sets, codes (spent as many as answered) and every count a report reads.

    The same rows as ordering, approving, answering and closing one by one would leave, written in bulk (plain
    multi-row inserts: a million model instances would take minutes). Returns the number of answer sets stored;
    ``progress`` hears the running count after each chunk.
    """
    versions = {level: latest_version(code) for level, code in QUESTIONNAIRES.items()}
    versions = {level: version for level, version in versions.items() if version is not None}
    rules = {level: list(version.indicator_rules.select_related("item")) for level, version in versions.items()}
    areas: dict = defaultdict(lambda: [0, 0])
    pending, size, stored = [], 0, 0
    for earlier in surveys:
        pending.append(_prepare(earlier, rules, areas))
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


def _prepare(earlier: Earlier, rules: dict, areas: dict) -> _Pending:
    """One survey's rows and counts, before anything is written."""
    responses, cells = [], defaultdict(lambda: defaultdict(list))
    canonical, stored, encoder = _CANONICAL.encode, connection.ops.adapt_json_value, _ANSWERS.encoder
    for grade, answers in earlier.answer_sets:
        level = _LEVEL_OF[grade]
        gender = answers.get("gender")
        gender = gender if gender in GENDERS else ""
        responses.append((level, grade, gender, canonical(answers), stored(answers, encoder)))
        cells[level][(gender, grade)].append(answers)
    tallies = {
        (indicator, gender, grade): counts
        for level, by_cell in cells.items()
        for ((gender, grade), indicator), counts in count(rules[level], by_cell).items()
    }
    levels = {_LEVEL_OF[grade] for _s, _c, grade, _n in earlier.classes}
    grades = {grade for _s, _c, grade, _n in earlier.classes}
    county = _areas(earlier.municipality)
    for (indicator, gender, grade), (numerator, denominator) in tallies.items():
        for area in county:
            cell = areas[(earlier.year, area, indicator, gender, grade)]
            cell[0] += numerator
            cell[1] += denominator
    every = {
        (rule.indicator_id, gender, grade): tallies.get((rule.indicator_id, gender, grade), (0, 0))
        for level in levels
        for rule in rules[level]
        for grade in grades
        if _LEVEL_OF[grade] == level
        for gender in _GENDERS  # every cell, as approval makes them, so a report knows what was asked
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
    _insert(SchoolClass, ["school", "name", "grade", "size"], [
        (schools[(survey.pk, school)].pk, name, grade, size)
        for survey, item in zip(surveys, pending, strict=True)
        for school, name, grade, size in item.earlier.classes
    ])  # fmt: skip
    _insert_codes(_spent(surveys, pending, schools))
    responses, tallies = [], []
    keys = iter(_uuids(2 * sum(len(item.responses) for item in pending)))
    for survey, item in zip(surveys, pending, strict=True):
        day = connection.ops.adapt_datefield_value(item.earlier.submitted_on or dt.date(item.earlier.year, 2, 10))
        for level, grade, gender, canonical, stored in item.responses:
            version = versions[level].pk
            # As services._digest: the canonical JSON of {"answers": …, "version": …}, hashed.
            digest = hashlib.sha256(f'{{"answers":{canonical},"version":{version}}}'.encode()).hexdigest()
            responses.append((next(keys), survey.pk, version, next(keys), digest, day, level, grade, gender, stored))
        tallies.extend((survey.pk, *key, *counts) for key, counts in item.tallies.items())
    responses.sort(key=itemgetter(0))  # by the random key: the index grows in order, and the rows say nothing
    _insert(Response, ["id", "survey", "version", "submission_id", "content_hash", "submitted_on", "level", "grade",
                       "gender", "answers"], responses)  # fmt: skip
    _insert(Tally, ["survey", "indicator", "gender", "grade", "numerator", "denominator"], tallies)
    return len(responses)


def _spent(surveys, pending, schools) -> list[tuple[int, int, int]]:
    """(class id, pupils, codes spent) for each class of the surveys: as many spent per grade as answered."""
    answered = defaultdict(int)
    for survey, item in zip(surveys, pending, strict=True):
        for grade, times in Counter(row[1] for row in item.responses).items():
            answered[(survey.pk, grade)] += times
    survey_of = {school.pk: school.survey_id for school in schools.values()}
    classes = []
    for pk, school, grade, size in _rows(SchoolClass, ["id", "school", "grade", "size"], "school", list(survey_of)):
        key = (survey_of[school], grade)
        spent = min(size, answered[key])
        answered[key] -= spent
        classes.append((pk, size, spent))
    return classes


def _insert_codes(classes: list[tuple[int, int, int]]) -> None:
    """A new random code for every pupil of the classes (class id, pupils, codes spent), in no order that tells
    which are spent. A code drawn that another class has already is refused by the unique index (a few in a
    million): the classes left short lose their codes and draw again."""
    while classes:
        codes = iter(_codes(sum(size for _pk, size, _spent in classes)))
        rows = [(pk, next(codes), index < spent) for pk, size, spent in classes for index in range(size)]
        rows.sort(key=itemgetter(1))  # by code, as they are listed: the index grows in order
        if _insert(AccessCode, ["school_class", "code", "used"], rows, ignore=True) == len(rows):
            return
        have = Counter(pk for (pk,) in _rows(AccessCode, ["school_class"], "school_class", [pk for pk, *_ in classes]))
        classes = [(pk, size, spent) for pk, size, spent in classes if have[pk] < size]
        AccessCode.objects.filter(school_class__in=[pk for pk, *_ in classes]).delete()


def _insert(model, names: list[str], rows: list[tuple], ignore: bool = False) -> int:
    """Rows into the model's table, values already in database form, by batches of one statement each; with
    ``ignore``, rows a unique index refuses are left out. Returns the number of rows inserted."""
    ops, quote = connection.ops, connection.ops.quote_name
    on_conflict = OnConflict.IGNORE if ignore else None
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in names)
    sql = (
        f"{ops.insert_statement(on_conflict=on_conflict)} {quote(model._meta.db_table)} ({columns}) "
        f"VALUES ({', '.join(['%s'] * len(names))}) {ops.on_conflict_suffix_sql([], on_conflict, [], [])}"
    )
    inserted = 0
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 20_000):
            cursor.executemany(sql, rows[start : start + 20_000])
            inserted += cursor.rowcount
    return inserted


def _rows(model, names: list[str], key: str, values: list) -> list[tuple]:
    """The rows whose ``key`` is one of ``values``, as plain tuples of ``names`` (for the rows ``_insert`` wrote)."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in names)
    found = []
    with connection.cursor() as cursor:
        for start in range(0, len(values), 500):
            part = values[start : start + 500]
            cursor.execute(
                f"SELECT {columns} FROM {quote(model._meta.db_table)} "  # noqa: S608 (names from the model)
                f"WHERE {quote(model._meta.get_field(key).column)} IN ({', '.join(['%s'] * len(part))})",
                part,
            )
            found.extend(cursor.fetchall())
    return found
