"""Events: study trips, seminars, conferences, lectures and network meetings.

The source deck's Copenhagen trip is the model: a timed programme with speakers (some still to be named), a date
agreed with the key speakers, invitations with a delegate quota per municipality, a package price, group work among
neighbouring municipalities, and a support team.
"""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trygg.core.models import Municipality, Organisation, Person, PersonKind, SupportMember, SupportTeam
from trygg.core.screening import refuse_identity_numbers
from trygg.core.validation import max_integer, max_small_integer, validate_reasonable_date, validate_visible

from .tokens import new_token


class Event(models.Model):
    class Kind(models.TextChoices):
        STUDY_TRIP = "study_trip", _("Study trip")
        SEMINAR = "seminar", _("Seminar")
        CONFERENCE = "conference", _("Conference")
        LECTURE = "lecture", _("Lecture")
        NETWORK_MEETING = "network_meeting", _("Network meeting")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PLANNED = "planned", _("Planned")
        REGISTRATION_OPEN = "registration_open", _("Registration open")
        CLOSED = "closed", _("Registration closed")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    title = models.CharField(_("title"), max_length=200, validators=[validate_visible])
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SEMINAR)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    city = models.CharField(_("city"), max_length=100)
    country = models.CharField(_("country"), max_length=2, default="NO", help_text=_("ISO country code"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    start_date = models.DateField(_("first day"), null=True, blank=True, validators=[validate_reasonable_date])
    end_date = models.DateField(_("last day"), null=True, blank=True, validators=[validate_reasonable_date])
    description = models.TextField(_("description"), blank=True)
    objectives = models.TextField(_("objectives"), blank=True, help_text=_("One objective per line."))
    follow_up = models.TextField(
        _("follow-up work"),
        blank=True,
        help_text=_("What is done afterwards, e.g. a guide for municipalities."),
    )
    organisers = models.ManyToManyField(
        Organisation, blank=True, related_name="organised_events", verbose_name=_("organisers")
    )
    partners = models.ManyToManyField(
        Organisation, blank=True, related_name="partnered_events", verbose_name=_("partners")
    )
    capacity = models.PositiveIntegerField(
        _("venue capacity"),
        null=True,
        blank=True,
        help_text=_("Most delegates in all. Empty: no limit."),
        validators=[max_integer],
    )
    registration_deadline = models.DateTimeField(
        _("registration deadline"), null=True, blank=True, validators=[validate_reasonable_date]
    )
    price_per_person = models.DecimalField(
        _("package price per person (NOK)"),
        max_digits=9,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    includes_overnight = models.BooleanField(
        _("the package includes an overnight stay"),
        default=True,
        help_text=_("Without one, delegates are not asked whether they need a hotel room."),
    )
    package_includes = models.TextField(_("the package includes"), blank=True, help_text=_("One item per line."))
    package_excludes = models.TextField(_("not included"), blank=True, help_text=_("One item per line."))
    desired_composition = models.JSONField(
        _("desired delegation"),
        default=list,
        blank=True,
        help_text=_("The roles each delegation should ideally include."),
    )
    follows = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="linked_events",
        verbose_name=_("linked to event"),
        help_text=_("E.g. the SLT coordinators' meeting the day after a study trip."),
    )
    team = models.OneToOneField(
        SupportTeam,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="event",
        verbose_name=_("support team"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", args=[self.pk])

    def support_members(self):
        """The event's support team (core's ``SupportMember``), in order; empty when it has none yet."""
        return SupportMember.objects.filter(team__event=self).select_related("person", "organisation")

    def clean(self):
        """The rules of an event's dates, for every form and the API: one door (``full_clean``)."""
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The last day cannot be before the first day.")
        deadline = self.registration_deadline
        if deadline and self.start_date and deadline > self.starts_at:
            errors["registration_deadline"] = _("The registration deadline must be before the event starts.")
        elif deadline and self._state.adding and deadline < timezone.now():
            errors["registration_deadline"] = _("The registration deadline is in the past. Choose a later time.")
        if errors:
            raise ValidationError(errors)

    @property
    def starts_at(self) -> dt.datetime | None:
        """The first day's start (midnight, local time)."""
        if not self.start_date:
            return None
        return timezone.make_aware(dt.datetime.combine(self.start_date, dt.time.min))

    @property
    def objective_lines(self) -> list[str]:
        return [line.strip() for line in self.objectives.splitlines() if line.strip()]

    @property
    def included_lines(self) -> list[str]:
        return [line.strip() for line in self.package_includes.splitlines() if line.strip()]

    @property
    def excluded_lines(self) -> list[str]:
        return [line.strip() for line in self.package_excludes.splitlines() if line.strip()]

    def get_desired_composition_display(self) -> list[str]:
        labels = dict(PersonKind.choices)
        return [str(labels[kind]) for kind in self.desired_composition if kind in labels]


class ProgrammeItem(models.Model):
    """A timed item of the programme. Without an end, it lasts until the next item begins."""

    class Kind(models.TextChoices):
        WELCOME = "welcome", _("Welcome")
        TALK = "talk", _("Talk")
        PANEL = "panel", _("Panel")
        GROUP_WORK = "group_work", _("Group work")
        PLENARY = "plenary", _("Plenary")
        BREAK = "break", _("Break")
        MEAL = "meal", _("Meal")
        DINNER = "dinner", _("Dinner")
        CHECK_OUT = "check_out", _("Check-out")
        DEPARTURE = "departure", _("Departure")
        END_OF_DAY = "end_of_day", _("End of day")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="programme")
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TALK)
    title = models.CharField(_("title"), max_length=300, validators=[validate_visible])
    questions = models.TextField(_("questions addressed"), blank=True, help_text=_("One question per line."))
    location = models.CharField(_("room or place"), max_length=200, blank=True)

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = _("programme item")
        verbose_name_plural = _("programme items")

    def __str__(self):
        return self.title

    def clean(self):
        """An item falls within the event's days (when the event has dates)."""
        event = self.event if self.event_id else None
        if event is None or not event.start_date or not self.start:
            return
        last = event.end_date or event.start_date
        days = (event.start_date, last)
        errors = {}
        if not days[0] <= timezone.localtime(self.start).date() <= days[1]:
            errors["start"] = _("The item must be within the event's days, %(first)s – %(last)s.")
        if self.end and not days[0] <= timezone.localtime(self.end).date() <= days[1]:
            errors["end"] = _("The item must be within the event's days, %(first)s – %(last)s.")
        if errors:
            values = {"first": days[0].strftime("%d.%m.%Y"), "last": days[1].strftime("%d.%m.%Y")}
            raise ValidationError({name: message % values for name, message in errors.items()})

    @property
    def question_lines(self) -> list[str]:
        return [line.strip() for line in self.questions.splitlines() if line.strip()]


class Speaker(models.Model):
    """Who speaks at an item: a known person, or a placeholder such as "to be named – from a municipality"."""

    item = models.ForeignKey(ProgrammeItem, on_delete=models.CASCADE, related_name="speakers")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("person"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("organisation")
    )
    placeholder = models.CharField(
        _("to be named"),
        max_length=300,
        blank=True,
        help_text=_("When the speaker is not yet known, e.g. “from the Danish crime prevention council”."),
    )
    alternative_to = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("alternative to"),
        help_text=_("Speaks if that speaker cannot."),
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(person__isnull=True, placeholder=""), name="speaker_person_or_placeholder"
            )
        ]

    def __str__(self):
        if self.person and self.alternative_to_id:
            return _("%(person)s (alternative to %(other)s)") % {"person": self.person, "other": self.alternative_to}
        if self.person and self.placeholder:
            return f"{self.person} ({self.placeholder})"
        return str(self.person) if self.person else self.placeholder

    @property
    def affiliation(self) -> Organisation | Municipality | None:
        """Where the speaker comes from: the named organisation, the person's, or else their municipality."""
        if self.organisation_id:
            return self.organisation
        if self.person:
            return self.person.organisation or self.person.municipality
        return None


class CandidateDate(models.Model):
    """A possible first day for the event, put to the key speakers in the date poll."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="candidate_dates")
    date = models.DateField(_("first day"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    chosen = models.BooleanField(_("chosen"), default=False, help_text=_("The date KS chose; it closes the poll."))

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["event", "date"], name="unique_candidate_date")]
        verbose_name = _("candidate date")
        verbose_name_plural = _("candidate dates")

    def __str__(self):
        return str(self.date)


class PollParticipant(models.Model):
    """A key speaker asked to answer the date poll through a personal link, without an account."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="poll_participants")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, verbose_name=_("person"))
    token = models.CharField(max_length=43, unique=True, editable=False)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "person"], name="unique_poll_participant")]
        verbose_name = _("poll participant")
        verbose_name_plural = _("poll participants")

    def __str__(self):
        return str(self.person)


class PollAnswer(models.Model):
    class Answer(models.TextChoices):
        YES = "yes", _("Yes")
        IF_NEED_BE = "if_need_be", _("If need be")
        NO = "no", _("No")

    participant = models.ForeignKey(PollParticipant, on_delete=models.CASCADE, related_name="answers")
    candidate = models.ForeignKey(CandidateDate, on_delete=models.CASCADE, related_name="answers")
    answer = models.CharField(_("answer"), max_length=12, choices=Answer.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "candidate"], name="unique_poll_answer"),
        ]

    def __str__(self):
        return f"{self.participant}: {self.candidate} {self.get_answer_display()}"


class InvitationTier(models.Model):
    """A group of invited municipalities sharing a delegate quota, e.g. "municipalities with a 1 % group: 5"."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="tiers")
    name = models.CharField(_("name"), max_length=200, validators=[validate_visible])
    quota = models.PositiveSmallIntegerField(
        _("delegates per municipality"), validators=[MinValueValidator(1), max_small_integer]
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("invitation tier")
        verbose_name_plural = _("invitation tiers")

    def __str__(self):
        return self.name


class Invitation(models.Model):
    """A municipality or a partner organisation invited to an event, with its delegate quota.

    The quota is the tier's unless set here. The invitation's personal link (``links.invitation_link``) lets its
    contacts register the delegation without a login; rotating ``link_key`` or setting ``link_revoked_at`` kills it.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitations")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("municipality")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="event_invitations",
        verbose_name=_("partner organisation"),
    )
    tier = models.ForeignKey(InvitationTier, on_delete=models.PROTECT, related_name="invitations")
    quota_override = models.PositiveSmallIntegerField(
        _("own quota"),
        null=True,
        blank=True,
        help_text=_("Leave empty to use the tier's quota."),
        validators=[max_small_integer],
    )
    invited_at = models.DateTimeField(null=True, blank=True, editable=False)
    link_key = models.CharField(max_length=43, default=new_token, editable=False)
    link_revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    opened_at = models.DateTimeField(_("link last used"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["tier__order", "municipality__name", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "municipality"], name="unique_invitation"),
            models.UniqueConstraint(fields=["event", "organisation"], name="unique_organisation_invitation"),
            models.CheckConstraint(
                condition=models.Q(municipality__isnull=True) ^ models.Q(organisation__isnull=True),
                name="invitation_municipality_or_organisation",
            ),
        ]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.invitee} – {self.event}"

    def get_absolute_url(self):
        if self.municipality_id:
            return reverse("events:delegation", args=[self.event_id, self.municipality.number])
        return reverse("events:partner_delegation", args=[self.event_id, self.organisation_id])

    @property
    def invitee(self) -> Municipality | Organisation:
        return self.municipality or self.organisation

    @property
    def quota(self) -> int:
        return self.quota_override if self.quota_override is not None else self.tier.quota


class InvitationDelivery(models.Model):
    """One invitation e-mail to one contact: being sent (queued for the worker), sent, or bounced.

    The worker tells core's mail signals what became of the message; ``events.apps`` records it here.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Being sent")
        SENT = "sent", _("Sent")
        BOUNCED = "bounced", _("Bounced")

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="deliveries")
    mail = models.ForeignKey(
        "core.OutgoingMail", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    error = models.CharField(_("error"), max_length=300, blank=True)
    at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("invitation e-mail")
        verbose_name_plural = _("invitation e-mails")

    def __str__(self):
        return f"{self.email} ({self.get_status_display()})"


class Registration(models.Model):
    """One delegate. Confirmed delegates count against the municipality's quota and the venue's capacity."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    class Role(models.TextChoices):
        POLITICIAN = PersonKind.POLITICIAN.value, PersonKind.POLITICIAN.label
        POLICE = PersonKind.POLICE.value, PersonKind.POLICE.label
        SLT_COORDINATOR = PersonKind.SLT_COORDINATOR.value, PersonKind.SLT_COORDINATOR.label
        ADVISER = PersonKind.ADVISER.value, PersonKind.ADVISER.label
        RESEARCHER = PersonKind.RESEARCHER.value, PersonKind.RESEARCHER.label
        SPEAKER = PersonKind.SPEAKER.value, PersonKind.SPEAKER.label
        OTHER = "other", _("Other")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("municipality"),
        help_text=_("Empty for speakers, KS staff and other guests outside the quotas."),
    )
    partner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("partner organisation"),
        help_text=_("The invited partner organisation whose quota the delegate counts against."),
    )
    # What is typed about the delegate goes through core's screening here, so the forms and the API (both run
    # the model's validation) refuse an identity number alike: a need is for the kitchen or the hotel, not an id.
    name = models.CharField(_("name"), max_length=120, validators=[validate_visible, refuse_identity_numbers])
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.OTHER)
    title = models.CharField(_("job title"), max_length=200, blank=True, validators=[refuse_identity_numbers])
    organisation = models.CharField(_("organisation"), max_length=200, blank=True, validators=[refuse_identity_numbers])
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    dietary_needs = models.CharField(
        _("dietary needs"), max_length=300, blank=True, validators=[refuse_identity_numbers]
    )
    accessibility_needs = models.CharField(
        _("accessibility needs"), max_length=300, blank=True, validators=[refuse_identity_numbers]
    )
    overnight = models.BooleanField(_("needs a hotel room"), default=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.CONFIRMED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    promoted_at = models.DateTimeField(null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["event", "municipality", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~models.Q(status="cancelled"),
                name="one_active_registration_per_email",
            )
        ]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")

    def __str__(self):
        return f"{self.name} ({self.event})"

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    @property
    def delegation(self) -> Municipality | Organisation | None:
        """Whose delegate this is: the partner organisation's, the municipality's, or nobody's (a guest)."""
        return self.partner or self.municipality


class PersonalDataGrant(models.Model):
    """KS lets one named partner see the delegates' contact details and needs, for a stated purpose.

    Without a grant a partner sees names, roles and delegations only. Granting and revoking are audited writes.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="personal_data_grants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("partner")
    )
    purpose = models.CharField(_("purpose"), max_length=300)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["granted_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="one_grant_per_partner")]
        verbose_name = _("access to personal data")
        verbose_name_plural = _("access to personal data")

    def __str__(self):
        return f"{self.user} – {self.event}: {self.purpose}"


class GroupAssignment(models.Model):
    """Which discussion group a participating municipality sits in for the event's group work."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="group_assignments")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    group = models.PositiveSmallIntegerField(_("group"))

    class Meta:
        ordering = ["group", "municipality__name"]
        constraints = [models.UniqueConstraint(fields=["event", "municipality"], name="one_group_per_municipality")]
        verbose_name = _("group assignment")
        verbose_name_plural = _("group assignments")

    def __str__(self):
        return f"{self.municipality} – {self.group}"


class BudgetLine(models.Model):
    """A cost or an income of the event besides the package income, which is computed from registrations."""

    class Kind(models.TextChoices):
        COST = "cost", _("Cost")
        INCOME = "income", _("Income")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="budget_lines")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.COST)
    description = models.CharField(_("description"), max_length=200)
    amount = models.DecimalField(
        _("amount (NOK)"), max_digits=11, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )

    class Meta:
        ordering = ["kind", "pk"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")

    def __str__(self):
        return self.description
