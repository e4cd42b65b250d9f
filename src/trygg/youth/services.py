"""Every rule of the youth survey's collection: ordering, approving, codes, the pupil's questionnaire and submission.

Submission is duplicate-safe the way ODK Central and KoboToolbox learned to be: the device makes a submission ID;
the same ID with the same content is accepted once and answered as success, with other content it is a conflict;
a spent code takes nothing more. The database's unique constraints on (survey, submission ID), in the inbox and in
the answer sets, and the conditional update that spends a code stand behind the checks, so two requests racing
cannot both store an answer set. An accepted answer set waits in the inbox until the worker counts it with others
(``inbox.py``): that is what keeps its code and its answers apart.
"""

import datetime as dt
import functools
import hashlib
import json
import re
import secrets
import uuid
import weakref
from dataclasses import dataclass
from enum import StrEnum

from django.core import signing
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.core.jobs.policy import background
from trygg.core.roles import is_ks_staff
from trygg.core.validation import visible
from trygg.questionnaires import services as questionnaires
from trygg.questionnaires.models import Indicator, Item, Module, Version

from . import aggregates, inbox
from .models import (
    GRADES,
    QUESTIONNAIRES,
    AccessCode,
    Gender,
    Inbox,
    School,
    SchoolClass,
    Survey,
    Tally,
    level_of,
)

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


def latest_indicators(municipality, user) -> tuple[Survey, list[dict]] | None:
    """The municipality's latest published survey and each indicator's share for all its pupils, suppressed as on
    the report (``reports``); None when there is none or ``user`` may not read it."""
    from . import reports

    survey = Survey.objects.filter(municipality=municipality, status=Survey.Status.CLOSED).order_by("-ends_on").first()
    if survey is None or not user.has_perm("youth.view_survey", survey):
        return None
    rows = [
        {"level": level["label"], "title": indicator["title"], "figure": indicator["rows"][0]["figures"][0]}
        for level in reports.report(survey)
        for indicator in level["indicators"]
    ]
    return survey, rows


def weak_indicators(survey: Survey, user, levels: list[dict] | None = None) -> list[dict]:
    """The survey's indicators where its pupils fare significantly worse than the country's: the 95 % interval of
    the municipality's published share lies wholly on the bad side of the national share (the indicator's
    direction says which side that is). Published, suppressed figures only (``levels``: the report, if at hand);
    nothing when the survey is not closed or ``user`` may not read it."""
    from . import reports

    if survey.status != Survey.Status.CLOSED or not user.has_perm("youth.view_survey", survey):
        return []
    levels = reports.report(survey) if levels is None else levels
    codes = {indicator["code"] for level in levels for indicator in level["indicators"]}
    directions = dict(Indicator.objects.filter(code__in=codes).values_list("code", "direction"))
    weak = []
    for level in levels:
        for indicator in level["indicators"]:
            mine, _county, country = indicator["rows"][0]["figures"]
            if mine.share is None or country.share is None:
                continue
            direction = directions.get(indicator["code"])
            if (direction == Indicator.Direction.HIGHER and mine.high < country.share) or (
                direction == Indicator.Direction.LOWER and mine.low > country.share
            ):
                weak.append({"code": indicator["code"], "title": indicator["title"], "level": level["label"],
                             "figure": mine, "country": country})  # fmt: skip
    return weak


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


def levels_of(survey: Survey) -> list[str]:
    """The school levels of the survey's classes, youngest first."""
    levels = {school_class.level for school_class in SchoolClass.objects.filter(school__survey=survey)}
    return [level for level in GRADES if level in levels]


def themes_asked(survey: Survey) -> list[Module]:
    """The theme modules the survey's secondary pupils meet besides the core, from the level's questionnaire (the
    frozen version once approved, the latest before), each once."""
    versions = list(survey.versions.all()) or [
        version for level in levels_of(survey) if (version := questionnaires.latest_version(QUESTIONNAIRES[level]))
    ]
    modules = Module.objects.filter(version__in=versions, kind=Module.Kind.THEME, code__in=survey.themes)
    return list({module.code: module for module in modules.order_by("position", "pk")}.values())


def _new_codes(count: int) -> list[str]:
    return ["".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)) for _ in range(count)]


@transaction.atomic
def approve_survey(actor, survey: Survey) -> Survey:
    """KS approves: the standard questionnaire of each level and the municipality's own questions are frozen, every
    pupil gets a code, tallies start at 0."""
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
        if version.modules.filter(items__kind=Item.Kind.TEXT).exists():
            # What a pupil writes in their own words can name them or others: the answers would stop being anonymous.
            raise SurveyError(
                _(
                    "Version %(number)s of %(code)s has free-text questions, "
                    "which the anonymous youth survey does not take."
                )
                % {"number": version.number, "code": version.questionnaire.code}
            )
        questionnaires.freeze(version)
        versions[level] = version
    from . import own

    own_version = own.version_of(survey)  # the municipality's own questions, frozen with the rest
    if own_version is not None:
        questionnaires.freeze(own_version)
    survey.versions.set([*versions.values(), *filter(None, [own_version])])
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
    """Closing publishes the results: every answer set still in the inbox is counted now, so the report is ready
    the same minute. One that was being sent at that moment is moved right after it commits (``_after_submission``).
    """
    if not actor.has_perm("youth.close_survey", survey):
        raise SurveyError(_("You may not close this survey."))
    with transaction.atomic():
        survey = Survey.objects.select_for_update(of=("self",)).select_related("municipality__county").get(pk=survey.pk)
        if survey.status != Survey.Status.APPROVED:
            raise SurveyError(_("Only a running survey can be closed."))
        survey.status = Survey.Status.CLOSED
        survey.save(update_fields=["status"])
        aggregates.publish(survey)
    inbox.move(survey, everything=True)  # counted in the survey's and (as it is closed) the areas' figures
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


def with_rates(surveys: QuerySet) -> QuerySet:
    """Surveys with ``invited`` and ``answered`` counted in the same query, for lists (``response_rate`` per row
    would cost two queries a survey)."""
    codes = "schools__classes__codes"
    return surveys.annotate(invited=Count(codes), answered=Count(codes, filter=Q(**{f"{codes}__used": True})))


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


PUPIL_LANGUAGES = ("nb", "nn", "en", "se")  # the order a pupil is offered them in; any other code follows


@dataclass
class Questionnaire:
    """What one pupil is asked: the level's version with the core and the municipality's chosen themes, then the
    municipality's own questions (``own``; ``version`` stays the level's, which the answer set is stored with)."""

    survey: Survey
    version: Version
    level: str
    grade: int
    items: list[Item]

    @property
    def pages(self) -> list[list[Item]]:
        return questionnaires.pages(self.items)

    @property
    def languages(self) -> list[str]:
        """The languages every module title, question and option is written in: a translator adds one (say
        ``se``) to every text of a version, and pupils are offered it; a partial translation is not offered. The
        municipality's own questions do not narrow the choice: where they lack a language, they fall back."""
        standard = [item for item in self.items if item.module.kind != Module.Kind.OWN]
        texts = [item.module.title for item in standard] + [item.text for item in standard]
        texts += [option.label for item in standard for option in item.options.all()]
        common = set.intersection(*[{code for code, text in entry.items() if text} for entry in texts] or [set()])
        return sorted(common, key=lambda code: (PUPIL_LANGUAGES.index(code) if code in PUPIL_LANGUAGES else 99, code))


# What a survey asks a level is fixed when KS approves it (its versions frozen, its themes chosen), so each process
# reads it once. A version, item or survey saved or deleted, or a survey's versions set, empties the cache (an
# import; tests, whose rollbacks hand the same keys out again).
_ASKED: dict[tuple[int, str], tuple[Version, list[Item]]] = {}
_ASKED_SIZE = 256


@receiver([post_save, post_delete], sender=Version)
@receiver([post_save, post_delete], sender=Item)
@receiver(post_save, sender=Survey)
@receiver(m2m_changed, sender=Survey.versions.through)
def _forget_asked(**kwargs) -> None:
    _ASKED.clear()


def questionnaire_for(code: AccessCode) -> Questionnaire:
    school_class = code.school_class
    return questionnaire_of(school_class.school.survey, school_class.level, school_class.grade)


def questionnaire_of(survey: Survey, level: str, grade: int = 0) -> Questionnaire:
    """The questions of a survey's level; the grade only labels the answers (the pupil's offline copy has none)."""
    from . import own

    key = (survey.pk, level)
    if key not in _ASKED:
        version = survey.versions.get(questionnaire__code=QUESTIONNAIRES[level])
        items = [
            item
            for item in version.items.select_related("module").prefetch_related("options")
            if item.module.kind == Module.Kind.CORE or item.module.code in survey.themes
        ]
        if own.asks(level):
            items += own.items_asked(survey)
        if not version.frozen:
            return Questionnaire(survey, version, level, grade, items)
        if len(_ASKED) >= _ASKED_SIZE:
            _ASKED.clear()
        _ASKED[key] = (version, items)
    version, items = _ASKED[key]
    return Questionnaire(survey, version, level, grade, items)


_OFFLINE_SALT = "trygg.youth.offline-copy"


def offline_key(questionnaire: Questionnaire) -> str:
    """The name of a questionnaire's offline copy: its survey and level, signed; nothing of a code or a class."""
    return signing.dumps([questionnaire.survey.pk, questionnaire.level], salt=_OFFLINE_SALT)


def offline_questionnaire(key: str) -> Questionnaire:
    """The questionnaire an offline copy's name stands for, else SurveyError."""
    try:
        survey_pk, level = signing.loads(key, salt=_OFFLINE_SALT)
        return questionnaire_of(Survey.objects.get(pk=survey_pk), level)
    except (signing.BadSignature, ValueError, TypeError, Survey.DoesNotExist) as error:
        raise SurveyError(_("We do not know that questionnaire.")) from error


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
    ACCEPTED = "accepted"  # stored now (in the inbox: counted with a batch of others, at the latest on closing)
    DUPLICATE = "duplicate"  # the same submission arrived before: nothing stored, success for the device
    CONFLICT = "conflict"  # the same submission ID with other answers: refused (409)
    USED = "used"  # the code was spent by another submission: refused


class _Spent(Exception):
    pass


def _digest(version_pk: int, answers: dict) -> str:
    canonical = json.dumps({"version": version_pk, "answers": answers}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _earlier(survey: Survey, submission_id: uuid.UUID, digest: str) -> Outcome | None:
    """What became of an earlier submission with this ID, waiting or counted: one query, so one snapshot, and a
    worker moving it from the inbox to the answer sets meanwhile cannot hide it."""
    sid = _SUBMISSION_ID.get_db_prep_value(submission_id, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT content_hash FROM youth_inbox WHERE survey_id = %s AND submission_id = %s"
            " UNION ALL SELECT content_hash FROM youth_response WHERE survey_id = %s AND submission_id = %s",
            [survey.pk, sid, survey.pk, sid],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    return Outcome.DUPLICATE if row[0] == digest else Outcome.CONFLICT


# The pupil's submission is the one path every pupil of the country takes within a few weeks: its statements are
# written out in SQL (the ORM spent more time building them than the database took to run them), on the same tables,
# with the same constraints and in the same transaction.
_SUBMISSION_ID = Inbox._meta.get_field("submission_id")
_CODE_MODELS = (AccessCode, SchoolClass, School, Survey)
_CODE_COLUMNS = ", ".join(f"{m._meta.db_table}.{f.column}" for m in _CODE_MODELS for f in m._meta.concrete_fields)
_CODE_OF = (
    f"SELECT {_CODE_COLUMNS} FROM youth_accesscode"  # noqa: S608 (names from the models)
    " JOIN youth_schoolclass ON youth_schoolclass.id = youth_accesscode.school_class_id"
    " JOIN youth_school ON youth_school.id = youth_schoolclass.school_id"
    " JOIN youth_survey ON youth_survey.id = youth_school.survey_id"
    " WHERE youth_accesscode.code = %s"
)
_COLUMNS = {m: [f.get_col(m._meta.db_table) for f in m._meta.concrete_fields] for m in _CODE_MODELS}
_CONVERTERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # per connection, per model, per field
_INBOX = Inbox._meta.concrete_fields
_INSERT = "INSERT INTO youth_inbox ({}) VALUES ({})".format(  # noqa: S608 (names from the model)
    ", ".join(field.column for field in _INBOX), ", ".join(["%s"] * len(_INBOX))
)


def _instances(row) -> list:
    """The instances of ``_CODE_MODELS`` in a row of their fields, each value converted as the ORM converts it."""
    wrapper = connections[DEFAULT_DB_ALIAS]
    if wrapper not in _CONVERTERS:  # found once per connection: asking the backend for them cost more than the query
        _CONVERTERS[wrapper] = [
            [(column, wrapper.ops.get_db_converters(column) + column.get_db_converters(wrapper)) for column in columns]
            for columns in _COLUMNS.values()
        ]
    instances, values = [], iter(row)
    for model, converters in zip(_CODE_MODELS, _CONVERTERS[wrapper], strict=True):
        converted = []
        for (column, functions), value in zip(converters, values, strict=False):  # the row holds every model's
            for function in functions:
                value = function(value, column, wrapper)
            converted.append(value)
        instances.append(model.from_db(wrapper.alias, [column.target.attname for column, _f in converters], converted))
    return instances


def code_of(text: str) -> AccessCode:
    """The code, used or not (a retry of a stored submission carries a spent code), with its class, school and
    survey."""
    with connection.cursor() as cursor:
        cursor.execute(_CODE_OF, [normalise_code(text)])
        row = cursor.fetchone()
    if row is None:
        raise SurveyError(_("We do not know that code. Check the letters and try again."))
    code, school_class, school, survey = _instances(row)
    school.survey, school_class.school, code.school_class = survey, school, school_class
    return code


def submit(code: AccessCode, submission_id: uuid.UUID, answers: dict) -> Outcome:
    """Spend the code and put the answers in the inbox, once; see the module's docstring for the outcomes.

    The first sending of an answer set — nearly every request — is one transaction of three statements: spend the
    code, insert, make sure no worker counted the same submission meanwhile (a statement of its own, after the
    insert: an insert that waited for a worker moving the same submission must see what the worker committed). A
    retry finds the code spent or the submission ID taken (a unique constraint), and is told what became of it.
    """
    survey, grade = code.school_class.school.survey, code.school_class.grade
    version = questionnaire_for(code).version
    digest = _digest(version.pk, answers)
    if not is_running(survey):
        # A retry of an answer set stored before the survey closed is still a success for the device.
        if known := _earlier(survey, submission_id, digest):
            return known
        raise SurveyError(_("The survey is not open now."))
    gender = answers.get("gender") if answers.get("gender") in Gender.values else ""
    row = Inbox(survey=survey, version=version, submission_id=submission_id, content_hash=digest, grade=grade,
                submitted_on=timezone.localdate(), level=level_of(grade), gender=gender, answers=answers)  # fmt: skip
    values = [field.get_db_prep_save(getattr(row, field.attname), connection) for field in _INBOX]
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE youth_accesscode SET used = %s WHERE id = %s AND NOT used", [True, code.pk])
            if cursor.rowcount != 1:
                raise _Spent
            cursor.execute(_INSERT, values)
            sid = _SUBMISSION_ID.get_db_prep_value(submission_id, connection)
            cursor.execute("SELECT 1 FROM youth_response WHERE survey_id = %s AND submission_id = %s", [survey.pk, sid])
            if cursor.fetchone():
                raise _Spent  # a worker counted the same submission before this one came
            transaction.on_commit(functools.partial(_after_submission, survey.pk))
    except (_Spent, IntegrityError):
        # The code was spent or the submission ID is taken: by this very submission (a retry, perhaps racing
        # itself) or by another one. Nothing of this request was kept.
        return _earlier(survey, submission_id, digest) or Outcome.USED
    return Outcome.ACCEPTED


def _after_submission(survey_pk: int) -> None:
    """Have the worker move a full batch, or at once what arrived while the survey was being closed (one query,
    after the commit, so a close that committed meanwhile is seen)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT status, (SELECT COUNT(*) FROM youth_inbox WHERE survey_id = %s) FROM youth_survey WHERE id = %s",
            [survey_pk, survey_pk],
        )
        status, waiting = cursor.fetchone()
    if status != Survey.Status.APPROVED or waiting % inbox.batch_size() == 0:
        move_inbox.enqueue(survey_pk)


@background(attempts=3)
def move_inbox(survey_pk: int) -> int:
    survey = Survey.objects.filter(pk=survey_pk).first()
    return inbox.move(survey, everything=not is_running(survey)) if survey else 0


def sweep_inbox(now) -> None:
    """The worker's tick moves what waits: batches whose trigger was missed, and the rest once a survey is over."""
    for survey in Survey.objects.filter(pk__in=Inbox.objects.values("survey")):
        inbox.move(survey, everything=not is_running(survey, timezone.localdate(now)))
