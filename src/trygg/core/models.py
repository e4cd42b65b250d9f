"""The ground floor of Trygg: places, organisations, people, accounts and the audit trail.

Feature apps stand on these models; core imports no feature app.
"""

import hashlib
import secrets

from auditlog.models import AbstractLogEntry
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .validation import validate_visible


def fold(text: str) -> str:
    """Case-folded form used for searching names, since SQLite only folds ASCII case."""
    return " ".join(text.casefold().split())


class County(models.Model):
    number = models.CharField(_("county number"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)
    capital = models.ForeignKey(
        "Municipality",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("county capital"),
        help_text=_("The municipality that is the county's seat of administration."),
    )

    class Meta:
        ordering = ["number"]
        verbose_name = _("county")
        verbose_name_plural = _("counties")

    def __str__(self):
        return self.name


class PoliceDistrict(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("police district")
        verbose_name_plural = _("police districts")

    def __str__(self):
        return self.name


class Municipality(models.Model):
    """A municipality in today's structure (357 since 2024), loaded from reference data in data/."""

    number = models.CharField(_("municipality number"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=100)
    search_name = models.CharField(max_length=100, editable=False, db_index=True)
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="municipalities")
    police_district = models.ForeignKey(
        PoliceDistrict, on_delete=models.SET_NULL, null=True, blank=True, related_name="municipalities"
    )
    population = models.PositiveIntegerField(_("population"))
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    economic_region = models.CharField(_("economic region"), max_length=100, blank=True)
    neighbours = models.ManyToManyField("self", symmetrical=True, blank=True, verbose_name=_("neighbours"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("core:municipality", args=[self.number])


class MunicipalityAlias(models.Model):
    """An older municipality's number and name (e.g. from 2011) and the municipality that covers it today."""

    number = models.CharField(_("old municipality number"), max_length=4)
    name = models.CharField(_("old name"), max_length=100)
    search_name = models.CharField(max_length=100, editable=False, db_index=True)
    year = models.PositiveSmallIntegerField(_("structure year"))
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="aliases")

    class Meta:
        ordering = ["year", "number"]
        constraints = [models.UniqueConstraint(fields=["year", "number"], name="unique_alias_per_year")]
        verbose_name = _("former municipality")
        verbose_name_plural = _("former municipalities")

    def __str__(self):
        return f"{self.number} {self.name} ({self.year})"

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)


class Organisation(models.Model):
    class Kind(models.TextChoices):
        KS = "ks", _("KS")
        MUNICIPALITY = "municipality", _("Municipality")
        POLICE_DISTRICT = "police_district", _("Police district")
        NATIONAL_POLICE = "national_police", _("National police body")
        EDUCATION = "education", _("University or college")
        RESEARCH = "research", _("Research institution")
        CRIME_PREVENTION = "crime_prevention", _("Crime prevention body")
        GOVERNMENT = "government", _("Government body")
        FOREIGN_PUBLIC = "foreign_public", _("Foreign public body")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, unique=True, validators=[validate_visible])
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    search_name = models.CharField(max_length=200, editable=False, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = models.CharField(_("country"), max_length=2, default="NO", help_text=_("ISO country code"))
    municipality = models.ForeignKey(
        Municipality, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("municipality")
    )
    police_district = models.ForeignKey(
        PoliceDistrict, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("police district")
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = fold(f"{self.name} {self.short_name}")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("core:organisation", args=[self.pk])


class PersonKind(models.TextChoices):
    POLITICIAN = "politician", _("Politician")
    POLICE = "police", _("Police")
    SLT_COORDINATOR = "slt_coordinator", _("SLT coordinator")
    ADVISER = "adviser", _("Adviser")
    RESEARCHER = "researcher", _("Researcher")
    SPEAKER = "speaker", _("Speaker")


class Person(models.Model):
    """A contact person. Personal data: only KS staff see people, and every read is audited."""

    name = models.CharField(_("name"), max_length=200, validators=[validate_visible])
    title = models.CharField(_("job title"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("organisation"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("municipality"),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    kinds = models.JSONField(_("kinds"), default=list, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("core:person", args=[self.pk])

    def get_kinds_display(self) -> list[str]:
        labels = dict(PersonKind.choices)
        return [str(labels[kind]) for kind in self.kinds if kind in labels]


class Role(models.TextChoices):
    KS_ADMIN = "ks_admin", _("KS administrator")
    KS_ADVISER = "ks_adviser", _("KS adviser")
    MUNICIPAL_CONTACT = "municipal_contact", _("Municipal contact")
    PARTNER = "partner", _("Partner")


class Area(models.TextChoices):
    """The parts of Trygg a partner can be granted read access to."""

    EVENTS = "events", _("Events")
    MAPPING = "mapping", _("Situation reports")
    MEASURES = "measures", _("Measures")
    YOUTH = "youth", _("Youth survey")
    LIBRARY = "library", _("Library")
    CASES = "cases", _("Cases and networks")


class UserManager(DjangoUserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.KS_ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MUNICIPAL_CONTACT)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("organisation")
    )
    municipalities = models.ManyToManyField(
        Municipality,
        blank=True,
        related_name="contacts",
        verbose_name=_("acts for municipalities"),
    )
    partner_areas = models.JSONField(_("partner read access"), default=list, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_ks_staff(self) -> bool:
        return self.role in (Role.KS_ADMIN, Role.KS_ADVISER)

    def get_partner_areas_display(self) -> list[str]:
        labels = dict(Area.choices)
        return [str(labels[area]) for area in self.partner_areas if area in labels]

    def save(self, *args, **kwargs):
        # The role is the single source of truth: KS administrators run everything, Django's admin included.
        self.is_staff = self.is_superuser = self.role == Role.KS_ADMIN
        super().save(*args, **kwargs)


class APIToken(models.Model):
    """A token for integrations. Only its hash is stored; the token itself is shown once, when created."""

    PREFIX = "trygg_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return self.name

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, name: str) -> tuple["APIToken", str]:
        token = cls.PREFIX + secrets.token_urlsafe(32)
        return cls.objects.create(user=user, name=name, token_hash=cls.hash(token)), token


class AuditEntry(AbstractLogEntry):
    """django-auditlog's entry, plus the view or API operation that caused it."""

    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta(AbstractLogEntry.Meta):
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    @property
    def change_list(self) -> list[tuple[str, object]]:
        """(field, change) pairs for templates, where ``changes_dict.items`` would read a field called "items"."""
        return list(self.changes_dict.items())


class SupportTeam(models.Model):
    """The named experts and organisations backing an initiative (the deck's "Support team"): an event's today.

    One model for every app that has one; an app points at its team, so core knows none of them.
    """

    name = models.CharField(_("name"), max_length=200, validators=[validate_visible])

    class Meta:
        ordering = ["name"]
        verbose_name = _("support team")
        verbose_name_plural = _("support teams")

    def __str__(self):
        return self.name


class SupportMember(models.Model):
    """Someone on a support team: a person, an organisation, or a placeholder (an organisation, no one named yet)."""

    team = models.ForeignKey(SupportTeam, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("person"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | models.Q(organisation__isnull=False),
                name="support_team_member_person_or_organisation",
            )
        ]
        verbose_name = _("support team member")
        verbose_name_plural = _("support team members")

    def __str__(self):
        return str(self.person or self.organisation)


from .jobs.models import Done, Job, OutgoingMail, Schedule  # noqa: E402, F401  (models of background work)
