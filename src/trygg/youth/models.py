"""The youth survey: orders with schools and classes, one-time codes, anonymous answer sets and running tallies.

Anonymous by construction. ``AccessCode`` knows its class and whether it is spent, nothing else: no time of use.
An answer set knows no code, class or school: its key is random, its date is the day, and its background is gender,
grade and school level only. It waits in the ``Inbox`` (written in the transaction that spends the code) until the
worker moves a shuffled batch of them into ``Response`` in a transaction of its own (``inbox.py``), so no
transaction id or row order ties a stored answer set to its code. ``Tally`` holds the counts reports read, added to
batch by batch. None of them is in the audit trail (see settings), whose times and addresses would tie them together.
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    JUNIOR = "junior", _("Grades 5–7")
    LOWER = "lower", _("Lower secondary (grades 8–10)")
    UPPER = "upper", _("Upper secondary (VG1–VG3)")


GRADES = {Level.JUNIOR: (5, 6, 7), Level.LOWER: (8, 9, 10), Level.UPPER: (11, 12, 13)}
# The standard questionnaire of each level (data/questionnaires/youth-standard.yaml).
QUESTIONNAIRES = {Level.JUNIOR: "ung-barneskole", Level.LOWER: "ung-ungdomsskole", Level.UPPER: "ung-vgs"}


def level_of(grade: int) -> str:
    return next(level for level, grades in GRADES.items() if grade in grades)


class Gender(models.TextChoices):
    GIRL = "girl", _("Girls")
    BOY = "boy", _("Boys")
    OTHER = "other", _("Other")
    UNKNOWN = "", _("Not answered")


class Survey(models.Model):
    class Status(models.TextChoices):
        ORDERED = "ordered", _("Ordered, awaiting KS")
        APPROVED = "approved", _("Approved")
        CLOSED = "closed", _("Closed, results published")

    municipality = models.ForeignKey("core.Municipality", on_delete=models.PROTECT, related_name="youth_surveys")
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    themes = models.JSONField(_("theme modules"), default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ORDERED)
    versions = models.ManyToManyField("questionnaires.Version", blank=True, related_name="youth_surveys")
    ordered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_demo = models.BooleanField(_("synthetic demo data"), default=False)

    class Meta:
        ordering = ["-starts_on", "municipality__name"]

    def __str__(self):
        return f"{self.municipality.name} {self.starts_on.year}"

    def get_absolute_url(self):
        return reverse("youth:survey", args=[self.pk])

    @property
    def year(self) -> int:
        return self.starts_on.year


class School(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="schools")
    name = models.CharField(_("school"), max_length=200)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["survey", "name"], name="unique_youth_school")]

    def __str__(self):
        return self.name


class SchoolClass(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="classes")
    name = models.CharField(_("class"), max_length=40)
    grade = models.PositiveSmallIntegerField(_("grade"))
    size = models.PositiveSmallIntegerField(_("pupils"))

    class Meta:
        ordering = ["grade", "name"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="unique_youth_class")]

    def __str__(self):
        return f"{self.school.name} {self.name}"

    @property
    def level(self) -> str:
        return level_of(self.grade)


class AccessCode(models.Model):
    """A one-time code for one pupil of a class. Deliberately no timestamps: when it was used is never kept."""

    school_class = models.ForeignKey(SchoolClass, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(max_length=12, unique=True)
    used = models.BooleanField(default=False)

    class Meta:
        ordering = ["code"]  # never the order of creation or use

    def __str__(self):
        return self.code


class AnswerSet(models.Model):
    """One pupil's answer set: ``answers`` maps item code to an option code, a list of them, a number or DECLINED.

    An item the pupil was not asked (skip logic) is absent; one left blank is None.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.ForeignKey("questionnaires.Version", on_delete=models.PROTECT, related_name="+")
    submission_id = models.UUIDField(help_text="Made on the pupil's device; a retry carries the same one.")
    content_hash = models.CharField(max_length=64)
    submitted_on = models.DateField()
    level = models.CharField(max_length=10, choices=Level.choices)
    grade = models.PositiveSmallIntegerField()
    gender = models.CharField(max_length=10, choices=Gender.choices, blank=True)
    answers = models.JSONField(default=dict)

    class Meta:
        abstract = True
        ordering = ["id"]

    def __str__(self):
        return str(self.id)


class Inbox(AnswerSet):
    """An answer set sent but not yet counted: it shares its transaction with the spent code, so it lives only until
    the worker moves it, with others, into ``Response``."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="inbox")

    class Meta(AnswerSet.Meta):
        constraints = [models.UniqueConstraint(fields=["survey", "submission_id"], name="unique_youth_inbox")]


class Response(AnswerSet):
    """A counted answer set, stored by the worker in a shuffled batch of several (``inbox.move``)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")

    class Meta(AnswerSet.Meta):
        constraints = [models.UniqueConstraint(fields=["survey", "submission_id"], name="unique_youth_submission")]


class Tally(models.Model):
    """Counts for one indicator in the finest published cell (survey × gender × grade), added to per counted batch."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="tallies")
    indicator = models.ForeignKey("questionnaires.Indicator", on_delete=models.PROTECT, related_name="+")
    gender = models.CharField(max_length=10, choices=Gender.choices, blank=True)
    grade = models.PositiveSmallIntegerField()
    numerator = models.PositiveIntegerField(default=0)
    denominator = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "indicator", "gender", "grade"], name="unique_youth_tally")
        ]

    def __str__(self):
        return f"{self.indicator_id} {self.gender or '-'} {self.grade}"


class AreaTally(models.Model):
    """The published counts of a county, or of Norway (``area`` ``NO``), for one year: the sum of the tallies of
    every survey closed that year there. Added to as each survey closes, so a comparison reads a few rows."""

    COUNTRY = "NO"

    year = models.PositiveSmallIntegerField()
    area = models.CharField(max_length=2, help_text="County number, or NO for the whole country.")
    indicator = models.ForeignKey("questionnaires.Indicator", on_delete=models.PROTECT, related_name="+")
    gender = models.CharField(max_length=10, choices=Gender.choices, blank=True)
    grade = models.PositiveSmallIntegerField()
    numerator = models.PositiveIntegerField(default=0)
    denominator = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["year", "area", "indicator", "gender", "grade"], name="unique_youth_area_tally"
            )
        ]

    def __str__(self):
        return f"{self.year} {self.area} {self.indicator_id} {self.gender or '-'} {self.grade}"


class ResearchGrant(models.Model):
    """KS lets one person download the raw anonymous answer sets of some surveys, for a stated purpose, until a day.

    The scope is the chosen surveys, or else every closed survey of a year (of one school level, if chosen). Each
    download is in the audit trail with the grant; an expired or revoked grant downloads nothing."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="youth_grants", verbose_name=_("researcher")
    )
    purpose = models.TextField(_("purpose"))
    surveys = models.ManyToManyField(Survey, blank=True, related_name="grants", verbose_name=_("surveys"))
    year = models.PositiveSmallIntegerField(_("survey year"), null=True, blank=True)
    level = models.CharField(_("school level"), max_length=10, choices=Level.choices, blank=True)
    until = models.DateField(_("valid until"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("granted by")
    )
    granted_on = models.DateField(_("granted on"), auto_now_add=True)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)

    class Meta:
        ordering = ["-granted_on", "-pk"]

    def __str__(self):
        return _("Research access %(pk)s for %(user)s: %(purpose)s") % {
            "pk": self.pk,
            "user": self.user,
            "purpose": self.purpose[:80],
        }
