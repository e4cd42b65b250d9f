"""Networks KS runs with municipalities and partner organisations (a regional SLT network, "Nettverk mot
MC-kriminalitet"): who is a member, their contact people and roles, the messages sent to all of them, and the
meetings (events) and library documents the network shares."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from trygg.core.validation import validate_reasonable_date, validate_visible


class Network(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True, validators=[validate_visible])
    description = models.TextField(_("description"), blank=True)
    meetings = models.ManyToManyField("events.Event", blank=True, related_name="networks", verbose_name=_("meetings"))
    documents = models.ManyToManyField(
        "library.Document", blank=True, related_name="networks", verbose_name=_("shared documents")
    )
    demo = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("networks:detail", args=[self.pk])


class Member(models.Model):
    """A member municipality or partner organisation: exactly one of the two."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="members")
    municipality = models.ForeignKey(
        "core.Municipality", on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("municipality")
    )
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("organisation")
    )

    class Meta:
        ordering = ["municipality__name", "organisation__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(municipality__isnull=False, organisation__isnull=True)
                | Q(municipality__isnull=True, organisation__isnull=False),
                name="network_member_municipality_or_organisation",
            ),
            models.UniqueConstraint(fields=["network", "municipality"], name="unique_network_municipality"),
            models.UniqueConstraint(fields=["network", "organisation"], name="unique_network_organisation"),
        ]
        verbose_name = _("member")
        verbose_name_plural = _("members")

    def __str__(self):
        return str(self.municipality or self.organisation)


class ContactRole(models.TextChoices):
    SLT_COORDINATOR = "slt_coordinator", _("SLT coordinator")
    POLITIRAAD_SECRETARY = "politiraad_secretary", _("Politiråd secretary")
    POLICE_CONTACT = "police_contact", _("Police contact")
    OTHER = "other", _("Other contact")


class Contact(models.Model):
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="contacts")
    person = models.ForeignKey("core.Person", on_delete=models.CASCADE, related_name="+", verbose_name=_("person"))
    role = models.CharField(_("role"), max_length=30, choices=ContactRole.choices)

    class Meta:
        ordering = ["role", "person__name"]
        constraints = [models.UniqueConstraint(fields=["member", "person", "role"], name="unique_network_contact")]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact people")

    def __str__(self):
        return f"{self.person} ({self.get_role_display()})"


class Message(models.Model):
    """A message to every contact person of a network, sent as queued e-mail."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    subject = models.CharField(_("subject"), max_length=200, validators=[validate_visible])
    body = models.TextField(_("message"))
    recipients = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self):
        return self.subject


class Lecture(models.Model):
    """A municipality (or a region through one of its municipalities) asks KS for a lecture; KS plans it and turns
    it into an event. The asking municipality follows the status."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        PLANNED = "planned", _("Planned")
        EVENT = "event", _("Event created")
        DECLINED = "declined", _("Declined")

    municipality = models.ForeignKey(
        "core.Municipality", on_delete=models.PROTECT, related_name="lectures", verbose_name=_("municipality")
    )
    region = models.CharField(
        _("region"), max_length=200, blank=True, help_text=_("If the lecture is for a region, name it.")
    )
    topic = models.CharField(_("topic"), max_length=200, validators=[validate_visible])
    description = models.TextField(_("what you would like the lecture to cover"), blank=True)
    audience = models.CharField(_("audience"), max_length=200, blank=True)
    wished_time = models.CharField(_("when"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    date = models.DateField(_("date"), null=True, blank=True, validators=[validate_reasonable_date])
    speaker = models.ForeignKey(
        "core.SupportMember",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("speaker"),
    )
    answer = models.TextField(_("message to the municipality"), blank=True)
    event = models.OneToOneField(
        "events.Event", on_delete=models.SET_NULL, null=True, blank=True, related_name="lecture"
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    # The form's one-time key: a second submission of the same form (a double click) finds the first request.
    submission_key = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("lecture request")
        verbose_name_plural = _("lecture requests")

    def __str__(self):
        return self.topic

    def get_absolute_url(self):
        return reverse("networks:lecture", args=[self.pk])
