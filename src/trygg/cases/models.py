"""Requests for help in acute or especially difficult cases, and the timeline KS and its experts keep on them.

A case belongs to the municipality that asked. Notes are internal (KS and the experts drawn in) or shared (the
municipality sees them); which notes a user may see is decided in one place, ``services.timeline``.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from trygg.core import screening
from trygg.core.validation import validate_visible


class Urgency(models.TextChoices):
    ACUTE = "acute", _("Acute (within days)")
    SOON = "soon", _("Soon (within weeks)")
    PLANNING = "planning", _("Planning")


class Category(models.TextChoices):
    ESTABLISHMENT = "establishment", _("A group establishing itself (property, club house)")
    VIOLENCE = "violence", _("Violence or conflict between groups")
    RECRUITMENT = "recruitment", _("Recruitment of young people")
    BUSINESS = "business", _("Criminal groups in business or public procurement")
    COOPERATION = "cooperation", _("Cooperation with the police or others")
    OTHER = "other", _("Other")


class Case(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("Received")
        OPEN = "open", _("In progress")
        WAITING = "waiting", _("Waiting for the municipality")
        CLOSED = "closed", _("Closed")

    municipality = models.ForeignKey(
        "core.Municipality", on_delete=models.PROTECT, related_name="cases", verbose_name=_("municipality")
    )
    title = models.CharField(_("short title"), max_length=200, validators=[validate_visible])
    description = models.TextField(_("what has happened"))
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices)
    involved = models.TextField(_("who is involved on the municipal side"), blank=True)
    done_so_far = models.TextField(_("what has been done so far"), blank=True)
    confidential = models.BooleanField(
        _("confidential"),
        default=False,
        help_text=_("Only the municipality's contacts, the assigned KS staff and the experts drawn in see it."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("assignee"),
    )
    experts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="expert_cases", verbose_name=_("experts")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="requested_cases"
    )
    # The form's one-time key: a second submission of the same form (a double click) finds the first case.
    submission_key = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    documents = models.ManyToManyField(
        "library.Document", blank=True, related_name="+", verbose_name=_("library documents")
    )
    tags = models.JSONField(_("tags"), default=list, blank=True, help_text=_("What KS learnt, recorded at closing."))
    demo = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    last_update_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self):
        return f"#{self.pk} {self.title}"

    def get_absolute_url(self):
        return reverse("cases:detail", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class Pause(models.Model):
    """A stretch of time the case waited for the municipality: the response targets' clocks stand still."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="pauses")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(ended_at__isnull=True), name="one_open_pause_per_case"
            )
        ]

    def __str__(self):
        return f"{self.case_id}: {self.started_at:%Y-%m-%d %H:%M}–{self.ended_at or ''}"


class Note(models.Model):
    class Visibility(models.TextChoices):
        INTERNAL = "internal", _("Internal (KS and experts)")
        SHARED = "shared", _("Shared with the municipality")

    class Action(models.TextChoices):
        TRIAGED = "triaged", _("Triaged")
        EXPERT = "expert", _("Expert drawn in")
        STATUS = "status", _("Status changed")
        CONFIDENTIAL = "confidential", _("Confidentiality changed")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility.choices)
    # An action (triage, an expert drawn in, a new status) is a note written by the platform: ``data`` holds the
    # values as they were, and the page words them in the reader's language.
    action = models.CharField(max_length=20, choices=Action.choices, blank=True)
    data = models.JSONField(default=dict, blank=True)
    body = models.TextField(_("text"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")

    def __str__(self):
        return f"{self.case_id}: {self.get_visibility_display()} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_shared(self) -> bool:
        return self.visibility == self.Visibility.SHARED


# Added to core's message when a reply template holds an identity number.
TEMPLATE_SCREENING = _("A reply template goes to many municipalities: write it without naming anyone.")


class ReplyTemplate(models.Model):
    """A reply KS often writes; the case page offers it as the start of a shared note."""

    title = models.CharField(_("title"), max_length=200, unique=True, validators=[validate_visible])
    body = models.TextField(_("text"))

    class Meta:
        ordering = ["title"]
        verbose_name = _("reply template")
        verbose_name_plural = _("reply templates")

    def __str__(self):
        return self.title

    def clean(self):
        """Core's screening, as for every free text: a template goes into many cases' shared notes."""
        errors = {}
        for name in ("title", "body"):
            try:
                screening.refuse_identity_numbers(getattr(self, name), TEMPLATE_SCREENING)
            except ValidationError as error:
                errors[name] = error
        if errors:
            raise ValidationError(errors)


class Outcome(models.TextChoices):
    WORKED = "worked", _("Worked")
    PARTLY = "partly", _("Worked in part")
    DID_NOT = "did_not", _("Did not work")
    TOO_EARLY = "too_early", _("Too early to say")


class CaseMeasure(models.Model):
    """A catalogue measure KS linked to a case; how it went is recorded when the case closes."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="linked_measures")
    measure = models.ForeignKey(
        "measures.Measure", on_delete=models.PROTECT, related_name="+", verbose_name=_("measure")
    )
    outcome = models.CharField(_("how it went"), max_length=10, choices=Outcome.choices, blank=True)

    class Meta:
        ordering = ["measure__name"]
        constraints = [models.UniqueConstraint(fields=["case", "measure"], name="unique_case_measure")]
        verbose_name = _("measure used")
        verbose_name_plural = _("measures used")

    def __str__(self):
        return f"{self.case_id}: {self.measure_id}"
