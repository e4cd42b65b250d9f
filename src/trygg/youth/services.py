"""Every rule of the youth survey's collection: ordering, approving, codes, the pupil's questionnaire and submission.

Submission is duplicate-safe the way ODK Central and KoboToolbox learned to be: the device makes a submission ID;
the same ID with the same content is accepted once and answered as success, with other content it is a conflict;
a spent code takes nothing more. The database's unique constraint on (survey, submission ID) and the conditional
update that spends a code stand behind the checks, so two requests racing cannot both store an answer set.
"""

import datetime as dt
import hashlib
import json
import re
import secrets
import uuid
from dataclasses import dataclass
from enum import StrEnum

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.core.roles import is_ks_staff
from trygg.core.validation import visible
from trygg.questionnaires import services as questionnaires
from trygg.questionnaires.models import Item, Module, Version

from .models import QUESTIONNAIRES, AccessCode, Gender, Response, School, SchoolClass, Survey, Tally, level_of

# No 0/O/Q/D, 1/I/L, 2/Z, 5/S, 8/B, 6/G, U/V: letters and digits a child can read and type without mixing them up.
CODE_ALPHABET = "ACEFHJKMNPRTWXY3479"
CODE_LENGTH = 8
MAX_CLASS_SIZE = 40


class SurveyError(Exception):
    """A rule of the youth survey was broken; the message is for the user, in their language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def surveys_for(user) -> QuerySet:
    surveys = Survey.objects.select_related("municipality")
    if is_ks_staff(user):
        return surveys
    if not user.is_authenticated:
        return surveys.none()
    return surveys.filter(municipality__in=user.municipalities.all())


# Ordering and approval ------------------------------------------------------------------------------------------

# Numbers of at most four digits: a longer one is a typing error, and one past 4 300 digits Python will not read.
CLASS_LINE = re.compile(
    r"\s*(?P<school>[^;]+?)\s*;\s*(?P<name>[^;]+?)\s*;\s*(?P<grade>\d{1,4})\s*;\s*(?P<size>\d{1,4})\s*"
)


def parse_classes(text: str) -> list[tuple[str, str, int, int]]:
    """Classes from lines "School; class; grade; pupils", e.g. "Nordnes skole; 8A; 8; 24"."""
    classes, seen = [], set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = CLASS_LINE.fullmatch(line)
        if not match or not all(visible(match[part]) for part in ("school", "name")):
            raise SurveyError(
                _("Line %(line)s: write “school; class; grade; pupils”, e.g. “Nordnes skole; 8A; 8; 24”.")
                % {"line": number}
            )
        school, name, grade, size = match["school"], match["name"], int(match["grade"]), int(match["size"])
        if not 5 <= grade <= 13:
            raise SurveyError(
                _("Line %(line)s: the grade must be from 5 to 13 (VG1–VG3 are 11–13).") % {"line": number}
            )
        if not 1 <= size <= MAX_CLASS_SIZE:
            raise SurveyError(
                _("Line %(line)s: a class has from 1 to %(max)s pupils.") % {"line": number, "max": MAX_CLASS_SIZE}
            )
        if (school.casefold(), name.casefold()) in seen:
            raise SurveyError(_("Line %(line)s: the class is listed twice.") % {"line": number})
        seen.add((school.casefold(), name.casefold()))
        classes.append((school[:200], name[:40], grade, size))
    if not classes:
        raise SurveyError(_("List at least one class."))
    return classes


def theme_choices() -> list[tuple[str, str]]:
    """The theme modules of the standard questionnaires a municipality may add (core questions are always asked)."""
    modules = Module.objects.filter(
        kind=Module.Kind.THEME, version__questionnaire__code__in=QUESTIONNAIRES.values()
    ).order_by("position")
    return list({module.code: (module.code, str(module)) for module in modules}.values())


@transaction.atomic
def order_survey(actor, municipality, starts_on: dt.date, ends_on: dt.date, classes_text: str, themes=()) -> Survey:
    if not actor.has_perm("youth.view_survey", municipality):
        raise SurveyError(_("You may order surveys only for your own municipalities."))
    if ends_on < starts_on:
        raise SurveyError(_("The last day cannot come before the first."))
    if starts_on < timezone.localdate() and not is_ks_staff(actor):
        raise SurveyError(_("The survey cannot start in the past."))
    classes = parse_classes(classes_text)
    known = {code for code, _label in theme_choices()}
    if not set(themes) <= known:
        raise SurveyError(_("Choose themes from the list."))
    survey = Survey.objects.create(
        municipality=municipality, starts_on=starts_on, ends_on=ends_on, themes=sorted(themes), ordered_by=actor
    )
    for school_name, name, grade, size in classes:
        school, _created = School.objects.get_or_create(survey=survey, name=school_name)
        SchoolClass.objects.create(school=school, name=name, grade=grade, size=size)
    return survey


def _new_codes(count: int) -> list[str]:
    return ["".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)) for _ in range(count)]


@transaction.atomic
def approve_survey(actor, survey: Survey) -> Survey:
    """KS approves: the standard questionnaire of each level is frozen, every pupil gets a code, tallies start at 0."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if not actor.has_perm("youth.approve_survey", survey):
        raise SurveyError(_("Only KS approves surveys."))
    if survey.status != Survey.Status.ORDERED:
        raise SurveyError(_("The survey is already approved."))
    classes = list(SchoolClass.objects.filter(school__survey=survey))
    versions = {}
    for level in {school_class.level for school_class in classes}:
        version = questionnaires.latest_version(QUESTIONNAIRES[level])
        if version is None:
            raise SurveyError(_("The standard questionnaire is not loaded; ask an administrator."))
        questionnaires.freeze(version)
        versions[level] = version
    survey.versions.set(versions.values())
    for school_class in classes:
        codes = _new_codes(school_class.size)
        while AccessCode.objects.filter(code__in=codes).exists() or len(set(codes)) < len(codes):
            codes = _new_codes(school_class.size)
        AccessCode.objects.bulk_create(AccessCode(school_class=school_class, code=code) for code in codes)
    grades_by_level = {}
    for school_class in classes:
        grades_by_level.setdefault(school_class.level, set()).add(school_class.grade)
    Tally.objects.bulk_create(
        Tally(survey=survey, indicator_id=rule.indicator_id, gender=gender, grade=grade)
        for level, version in versions.items()
        for rule in version.indicator_rules.all()
        for grade in sorted(grades_by_level[level])
        for gender in Gender.values
    )
    survey.status, survey.approved_by = Survey.Status.APPROVED, actor
    survey.save(update_fields=["status", "approved_by"])
    return survey


def close_survey(actor, survey: Survey) -> Survey:
    """Closing publishes the results: the report is ready the same minute."""
    if not actor.has_perm("youth.close_survey", survey):
        raise SurveyError(_("You may not close this survey."))
    if survey.status != Survey.Status.APPROVED:
        raise SurveyError(_("Only a running survey can be closed."))
    survey.status = Survey.Status.CLOSED
    survey.save(update_fields=["status"])
    return survey


@dataclass(frozen=True)
class Rate:
    invited: int
    answered: int

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.invited) if self.invited else 0


def response_rate(survey: Survey) -> Rate:
    """From the code table: codes handed out and codes spent."""
    codes = AccessCode.objects.filter(school_class__school__survey=survey)
    return Rate(codes.count(), codes.filter(used=True).count())


def code_sheets(survey: Survey) -> list[dict]:
    """Every unused code per class, for the sheet the school prints and cuts up."""
    sheets = []
    classes = SchoolClass.objects.filter(school__survey=survey).select_related("school").order_by("school__name")
    for school_class in classes:
        codes = list(school_class.codes.filter(used=False).values_list("code", flat=True))
        sheets.append({"school": school_class.school.name, "class": school_class.name, "codes": codes})
    return sheets


# The pupil's questionnaire --------------------------------------------------------------------------------------


def normalise_code(text: str) -> str:
    return re.sub(r"[\s-]", "", text or "").upper()[:20]


def is_running(survey: Survey, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return survey.status == Survey.Status.APPROVED and survey.starts_on <= today <= survey.ends_on


def open_code(text: str) -> AccessCode:
    """The unused code of a running survey, else SurveyError saying why (in words a pupil understands)."""
    code = code_of(text)
    if code.used:
        raise SurveyError(_("That code has already been used to answer."))
    if not is_running(code.school_class.school.survey):
        raise SurveyError(_("The survey is not open now."))
    return code


@dataclass
class Questionnaire:
    """What one pupil is asked: the level's version with the core and the municipality's chosen themes."""

    survey: Survey
    version: Version
    level: str
    grade: int
    items: list[Item]

    @property
    def pages(self) -> list[list[Item]]:
        return questionnaires.pages(self.items)


def questionnaire_for(code: AccessCode) -> Questionnaire:
    school_class = code.school_class
    survey = school_class.school.survey
    level = level_of(school_class.grade)
    version = survey.versions.get(questionnaire__code=QUESTIONNAIRES[level])
    items = [
        item
        for item in version.items.select_related("module").prefetch_related("options")
        if item.module.kind == Module.Kind.CORE or item.module.code in survey.themes
    ]
    return Questionnaire(survey, version, level, school_class.grade, items)


def read_answers(questionnaire: Questionnaire, values, items=None) -> tuple[dict, dict]:
    """Answers from form values (``a-<item code>`` fields) for ``items`` (default all), with skip logic applied:
    an item not asked gets no answer at all. Returns (answers, errors by item code)."""
    answers, errors = {}, {}
    for item in items if items is not None else questionnaire.items:
        if not questionnaires.asked(item, answers):
            continue
        try:
            answers[item.code] = questionnaires.read_answer(item, values.getlist(f"a-{item.code}"))
        except ValueError as error:
            errors[item.code] = str(error)
    return answers, errors


# Submission -----------------------------------------------------------------------------------------------------


class Outcome(StrEnum):
    ACCEPTED = "accepted"  # stored now
    DUPLICATE = "duplicate"  # the same submission arrived before: nothing stored, success for the device
    CONFLICT = "conflict"  # the same submission ID with other answers: refused (409)
    USED = "used"  # the code was spent by another submission: refused


class _Spent(Exception):
    pass


def _digest(version: Version, answers: dict) -> str:
    canonical = json.dumps({"version": version.pk, "answers": answers}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _earlier(survey: Survey, submission_id: uuid.UUID, digest: str) -> Outcome | None:
    earlier = Response.objects.filter(survey=survey, submission_id=submission_id).values_list("content_hash", flat=True)
    for content_hash in earlier:
        return Outcome.DUPLICATE if content_hash == digest else Outcome.CONFLICT
    return None


def code_of(text: str) -> AccessCode:
    """The code, used or not (a retry of a stored submission carries a spent code)."""
    code = AccessCode.objects.select_related("school_class__school__survey").filter(code=normalise_code(text)).first()
    if code is None:
        raise SurveyError(_("We do not know that code. Check the letters and try again."))
    return code


def submit(code: AccessCode, submission_id: uuid.UUID, answers: dict) -> Outcome:
    """Store one pupil's answers and spend the code, once; see the module's docstring for the outcomes."""
    questionnaire = questionnaire_for(code)
    survey, version = questionnaire.survey, questionnaire.version
    digest = _digest(version, answers)
    known = _earlier(survey, submission_id, digest)
    if known:
        return known
    if not is_running(survey):
        raise SurveyError(_("The survey is not open now."))
    gender = answers.get("gender") if answers.get("gender") in Gender.values else ""
    try:
        with transaction.atomic():
            if not AccessCode.objects.filter(pk=code.pk, used=False).update(used=True):
                raise _Spent
            Response.objects.create(
                survey=survey,
                version=version,
                submission_id=submission_id,
                content_hash=digest,
                submitted_on=timezone.localdate(),
                level=questionnaire.level,
                grade=questionnaire.grade,
                gender=gender,
                answers=answers,
            )
            _count(survey, version, questionnaire.grade, gender, answers)
    except (_Spent, IntegrityError):
        # Another request got there first: the same submission (a retry racing itself), or another one.
        return _earlier(survey, submission_id, digest) or Outcome.USED
    return Outcome.ACCEPTED


def _count(survey: Survey, version: Version, grade: int, gender: str, answers: dict) -> None:
    """Add one answer set to the survey's tallies, in the rules' fixed order (so concurrent updates never deadlock)."""
    for rule in version.indicator_rules.select_related("item").order_by("indicator_id"):
        counted, hit = rule.counts(answers.get(rule.item.code))
        if counted:
            Tally.objects.filter(survey=survey, indicator_id=rule.indicator_id, gender=gender, grade=grade).update(
                denominator=F("denominator") + 1, numerator=F("numerator") + int(hit)
            )


# Bulk loading (synthetic demo data, benchmarks, earlier surveys) ------------------------------------------------


@transaction.atomic
def load_answer_sets(survey: Survey, answer_sets, submitted_on: dt.date) -> int:
    """Store many answer sets at once, as submission would one by one: codes spent, tallies counted.

    ``answer_sets`` yields (grade, answers); each spends one unused code of a class of that grade. Returns how
    many were stored (no more than there are codes).
    """
    free: dict[int, list[int]] = {}
    for pk, grade in AccessCode.objects.filter(school_class__school__survey=survey, used=False).values_list(
        "pk", "school_class__grade"
    ):
        free.setdefault(grade, []).append(pk)
    versions = {version.questionnaire.code: version for version in survey.versions.select_related("questionnaire")}
    rules = {
        level: list(versions[code].indicator_rules.select_related("item"))
        for level, code in QUESTIONNAIRES.items()
        if code in versions
    }
    spent, responses, counts = [], [], {}
    for grade, answers in answer_sets:
        if not free.get(grade):
            continue
        spent.append(free[grade].pop())
        level = level_of(grade)
        version = versions[QUESTIONNAIRES[level]]
        gender = answers.get("gender") if answers.get("gender") in Gender.values else ""
        responses.append(
            Response(
                survey=survey,
                version=version,
                submission_id=uuid.uuid4(),
                content_hash=_digest(version, answers),
                submitted_on=submitted_on,
                level=level,
                grade=grade,
                gender=gender,
                answers=answers,
            )
        )
        for rule in rules[level]:
            counted, hit = rule.counts(answers.get(rule.item.code))
            if counted:
                key = (rule.indicator_id, gender, grade)
                numerator, denominator = counts.get(key, (0, 0))
                counts[key] = (numerator + int(hit), denominator + 1)
    Response.objects.bulk_create(responses, batch_size=2000)
    for start in range(0, len(spent), 900):
        AccessCode.objects.filter(pk__in=spent[start : start + 900]).update(used=True)
    tallies = list(Tally.objects.filter(survey=survey))
    for tally in tallies:
        numerator, denominator = counts.get((tally.indicator_id, tally.gender, tally.grade), (0, 0))
        tally.numerator += numerator
        tally.denominator += denominator
    Tally.objects.bulk_update(tallies, ["numerator", "denominator"], batch_size=2000)
    return len(responses)
