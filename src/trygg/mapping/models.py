"""Situation reports: each municipality's answers to the source deck's dialogue questions, round after round.

The deck asked every municipality: does it host a "1 %" group — who, how many, what crime? Support groups
("crews")? Can it live with this, or must it act? What has it done to hinder establishment and activity? Should KS
work on this? Reports describe organisations and phenomena, never named persons.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from trygg.core.models import Municipality
from trygg.core.validation import validate_reasonable_date, validate_visible

TEXT_LIMIT = 4000  # characters in one free-text answer; a longer paste gets a clear message, not a cut


class YesNo(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Do not know")


class CrimeKind(models.TextChoices):
    NARCOTICS = "narcotics", _("Narcotics")
    VIOLENCE = "violence", _("Violence")
    THREATS = "threats", _("Threats and extortion")
    WEAPONS = "weapons", _("Weapons")
    ECONOMIC = "economic", _("Money laundering and economic crime")
    FRAUD = "fraud", _("Fraud")
    TRAFFICKING = "trafficking", _("Human trafficking")
    PROPERTY = "property", _("Property crime")
    OTHER = "other", _("Other")


class Assessment(models.TextChoices):
    LIVE_WITH = "live_with", _("We can live with it")
    MUST_ACT = "must_act", _("We must act")
    UNKNOWN = "unknown", _("Do not know")


class Partner(models.TextChoices):
    POLICE = "police", _("Police")
    SLT = "slt", _("SLT")
    COUNTY_GOVERNOR = "county_governor", _("County governor")
    TAX = "tax", _("Tax authority")
    NAV = "nav", _("Nav")
    CHILD_WELFARE = "child_welfare", _("Child welfare")
    SCHOOLS = "schools", _("Schools")
    LICENSING = "licensing", _("Licensing authority")
    OTHER = "other", _("Other")


class MembershipRange(models.TextChoices):
    R1_10 = "1-10", "1–10"
    R11_25 = "11-25", "11–25"
    R26_50 = "26-50", "26–50"
    R51_100 = "51-100", "51–100"
    R100 = "100+", _("More than 100")
    UNKNOWN = "unknown", _("Do not know")


class Questionnaire(models.Model):
    """A version of the deck's fixed MC questions (the report's own fields). Any further question a round asks — or
    every question of a round on another topic — comes from a shared questionnaire definition (``Round.definition``).
    """

    version = models.PositiveSmallIntegerField(_("version"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["version"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self):
        return f"{self.title} (v{self.version})"


class OutlawGroup(models.Model):
    """An organisation on KS' maintained list of "1 %" groups and support clubs that reports can name."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    is_support_club = models.BooleanField(_("support club (crew)"), default=False)
    is_fictional = models.BooleanField(_("fictional demo organisation"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("group on the list")
        verbose_name_plural = _("groups on the list")

    def __str__(self):
        return self.name


class Round(models.Model):
    """A round of situation reports (e.g. "2011"), open to all or chosen municipalities until a deadline."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=100, unique=True, validators=[validate_visible])
    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("MC questions"),
        help_text=_("The deck's questions on MC crime; empty for a round on another topic."),
    )
    definition = models.ForeignKey(
        "questionnaires.Version",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mapping_rounds",
        verbose_name=_("questionnaire definition"),
        help_text=_("The questions of a shared questionnaire definition, after the MC questions if there are any."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    opens_at = models.DateTimeField(_("opens"))
    deadline = models.DateTimeField(_("deadline"), validators=[validate_reasonable_date])
    municipalities = models.ManyToManyField(
        Municipality, related_name="mapping_rounds", verbose_name=_("asked municipalities")
    )
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mapping_rounds",
        verbose_name=_("required by event"),
        help_text=_("The event whose invited municipalities are asked to answer before it takes place."),
    )
    is_demo = models.BooleanField(_("fictional demo data"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(questionnaire__isnull=False) | models.Q(definition__isnull=False),
                name="round_asks_questions",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("mapping:round", args=[self.pk])

    @property
    def asks_mc(self) -> bool:
        """Whether the round asks the deck's fixed MC questions (else only its definition's)."""
        return self.questionnaire_id is not None


class Report(models.Model):
    """One situation report: a municipality's (or a municipal region's) answers in a round. Sensitive."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="reports")
    municipalities = models.ManyToManyField(
        Municipality, related_name="situation_reports", verbose_name=_("municipalities")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    revision = models.PositiveIntegerField(default=1, editable=False)

    hosts_group = models.CharField(_("hosts a “1 %” group"), max_length=10, choices=YesNo.choices, blank=True)
    crews = models.CharField(_("support groups (“crews”)"), max_length=10, choices=YesNo.choices, blank=True)
    crews_count = models.PositiveSmallIntegerField(
        _("number of support groups"), null=True, blank=True, validators=[MaxValueValidator(200)]
    )
    recruitment_signs = models.CharField(
        _("signs of recruitment among young people"), max_length=10, choices=YesNo.choices, blank=True
    )
    crime_kinds = models.JSONField(_("kinds of crime"), default=list, blank=True)
    crime_other = models.CharField(_("other kind of crime"), max_length=200, blank=True)
    assessment = models.CharField(
        _("the municipality's assessment"), max_length=10, choices=Assessment.choices, blank=True
    )
    partners = models.JSONField(_("cooperation partners"), default=list, blank=True)
    wants_guidance = models.CharField(
        _("wants KS to produce knowledge and guidance"), max_length=10, choices=YesNo.choices, blank=True
    )
    guidance_topics = models.TextField(_("on what"), blank=True, max_length=TEXT_LIMIT)
    situation = models.TextField(_("the situation in your own words"), blank=True, max_length=TEXT_LIMIT)
    # Answers to the round's questionnaire definition, per item code, as ``questionnaires.services.read_answer``
    # reads them (an option code, a list of codes, a number or a text); a skipped question has no key.
    answers = models.JSONField(_("answers"), default=dict, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["round", "pk"]
        verbose_name = _("situation report")
        verbose_name_plural = _("situation reports")

    def __str__(self):
        names = ", ".join(m.name for m in self.municipalities.all())
        return f"{self.round}: {names}"

    def get_absolute_url(self):
        return reverse("mapping:report", args=[self.pk])


class ReportGroup(models.Model):
    """A "1 %" group or support club present in the municipality: from the maintained list, or named as "other"."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="groups")
    group = models.ForeignKey(OutlawGroup, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("group"))
    other_name = models.CharField(_("other group"), max_length=200, blank=True)
    clubhouse = models.CharField(_("has a clubhouse"), max_length=10, choices=YesNo.choices, blank=True)
    membership = models.CharField(_("members"), max_length=10, choices=MembershipRange.choices, blank=True)

    class Meta:
        verbose_name = _("group in the report")
        verbose_name_plural = _("groups in the report")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(group__isnull=False) | ~models.Q(other_name=""), name="report_group_named"
            )
        ]

    def __str__(self):
        return str(self.group or self.other_name)


class ReportMeasure(models.Model):
    """A measure the municipality has taken, with its own description and how it went.

    ``measure_key`` points into the measures catalogue (``measures.Measure.key``, which never changes) when the
    municipality picked a catalogue measure; otherwise it names its own measure in ``title``. The advice for a
    municipality reads both.
    """

    class Stage(models.TextChoices):
        ESTABLISHMENT = "establishment", _("To hinder establishment")
        ACTIVITY = "activity", _("To hinder activity")

    class Experience(models.TextChoices):
        WORKED = "worked", _("It worked")
        DID_NOT = "did_not", _("It did not work")
        TOO_EARLY = "too_early", _("Too early to tell")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="measures")
    stage = models.CharField(_("purpose"), max_length=15, choices=Stage.choices)
    measure_key = models.CharField(max_length=100, blank=True)
    title = models.CharField(_("measure"), max_length=200)
    description = models.TextField(_("what you did"), blank=True, max_length=TEXT_LIMIT)
    experience = models.CharField(_("how it went"), max_length=10, choices=Experience.choices, blank=True)

    class Meta:
        verbose_name = _("measure in the report")
        verbose_name_plural = _("measures in the report")

    def __str__(self):
        return self.title
