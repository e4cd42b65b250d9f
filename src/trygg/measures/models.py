"""The measures catalogue: what municipalities and their partners can do against MC crime, and what is known of it.

Each measure is classified first by the mechanisms of Tore Bjørgo's preventive model (PHS), then by the stage it
acts at and the actors who carry it out. Its evidence is rated twice — an overall verdict on a CrimeSolutions-like
scale and the College of Policing's EMMIE dimensions — and every rating names its sources. Measures move through
draft → in review → published; only published measures are visible outside the editors, and every save is kept as
a version with who and why.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trygg.core.models import Municipality

TEXT_LIMIT = 20000  # characters in one Markdown field


class Mechanism(models.TextChoices):
    """Bjørgo's nine preventive mechanisms, in the order of PHS's crime prevention knowledge base (also the guide's).

    Mechanism 4 is "avverging" in Bjørgo's Norwegian (2015); its English label is PHS's "disruption".
    """

    NORMATIVE = "normative", _("Establishing and maintaining normative barriers")
    RECRUITMENT = "recruitment", _("Reducing recruitment")
    DETERRENCE = "deterrence", _("Deterrence")
    DISRUPTION = "disruption", _("Disruption")
    INCAPACITATION = "incapacitation", _("Incapacitation")
    PROTECTION = "protection", _("Protecting vulnerable targets")
    REWARDS = "rewards", _("Reducing the rewards of crime")
    HARM = "harm", _("Reducing harmful consequences")
    DESISTANCE = "desistance", _("Desistance and rehabilitation")


class Stage(models.TextChoices):
    ESTABLISHMENT = "establishment", _("Hinder establishment")
    ACTIVITY = "activity", _("Hinder activity")
    RECRUITMENT = "recruitment", _("Stop recruitment")
    EXIT = "exit", _("Support exit")
    PROTECT = "protect", _("Protect")
    HARM = "harm", _("Reduce harm")


class Actor(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    POLICE = "police", _("Police")
    PROSECUTION = "prosecution", _("Prosecution and courts")
    TAX = "tax", _("Tax authority")
    NAV = "nav", _("Nav")
    CHILD_WELFARE = "child_welfare", _("Child welfare")
    SCHOOLS = "schools", _("Schools")
    YOUTH_WORK = "youth_work", _("Youth work and SLT")
    COUNTY_GOVERNOR = "county_governor", _("County governor")
    LANDLORDS = "landlords", _("Landlords and property owners")
    LICENSING = "licensing", _("Licensing authority")
    FIRE = "fire", _("Fire and building inspection")
    CORRECTIONS = "corrections", _("Correctional service")
    VOLUNTARY = "voluntary", _("Voluntary organisations and families")
    LEGISLATOR = "legislator", _("Government and parliament")


class Verdict(models.TextChoices):
    """The overall verdict, after CrimeSolutions (with Blueprints' explicit "harmful")."""

    EFFECTIVE = "effective", _("Effective")
    PROMISING = "promising", _("Promising")
    NO_EFFECT = "no_effect", _("No effect")
    HARMFUL = "harmful", _("Harmful / backfires")
    INCONCLUSIVE = "inconclusive", _("Inconclusive")


class Effect(models.IntegerChoices):
    """EMMIE's effect scale in the College of Policing's eight steps, best first."""

    REDUCED = 1, _("Reduced crime")
    REDUCED_SOME_INCREASE = 2, _("Reduced crime, some evidence of increase")
    SOME_REDUCTION = 3, _("Some evidence of reduction, not significant")
    MIXED = 4, _("Mixed effects, not significant")
    NO_IMPACT = 5, _("No significant impact")
    SOME_INCREASE = 6, _("Some evidence of increase, not significant")
    INCREASED_SOME_REDUCTION = 7, _("Increased crime, some evidence of reduction")
    INCREASED = 8, _("Increased crime")


class Quality(models.TextChoices):
    """How much the evidence behind one rating can bear (EMMIE-Q, in words)."""

    STRONG = "strong", _("Strong (systematic review or controlled studies)")
    MODERATE = "moderate", _("Moderate (evaluation with a comparison group)")
    LOW = "low", _("Low (self-report, no comparison group, single case)")
    NONE = "none", _("No evaluation (experience or assertion only)")


class Transferability(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")
    UNKNOWN = "unknown", _("Unknown")


class Backfire(models.TextChoices):
    """Ways a measure has been seen to fail or work against its purpose."""

    DISPLACEMENT = "displacement", _("Displacement to other places")
    NEW_CLUBS = "new_clubs", _("New or renamed clubs")
    UNDERGROUND = "underground", _("Activity going underground")
    COHESION = "cohesion", _("Increased cohesion in the group")
    LEGAL_DEFEAT = "legal_defeat", _("Defeated in court")
    NO_CONVICTIONS = "no_convictions", _("No convictions")
    SHORT_LIVED = "short_lived", _("Short-lived: the group returned")


class Source(models.Model):
    """A reference behind a rating or an experience, as a record: who wrote what, when, where it was published.

    ``reference`` is the citation as readers see it (APA 7, from ``citations.cite``); it is kept in step with the
    fields whenever they are saved through ``citations.save_source`` and identifies the source in forms and
    snapshots. A source is *checked* once someone has compared it with the original (who and when); until then the
    catalogue shows it as unchecked, and a measure needs at least one checked source to be published.
    """

    class Kind(models.TextChoices):
        ARTICLE = "article", _("Journal article")
        BOOK = "book", _("Book")
        REPORT = "report", _("Report")
        LAW = "law", _("Act or regulation")
        RULING = "ruling", _("Court ruling")
        NEWS = "news", _("News story or press release")
        WEB = "web", _("Web page")

    key = models.SlugField(_("key"), max_length=60, unique=True, null=True, blank=True)
    reference = models.CharField(_("reference"), max_length=500, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, blank=True)
    authors = models.JSONField(_("authors"), default=list, blank=True, help_text=_("“Surname, I.” or an organisation."))
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=500, blank=True)
    container = models.CharField(_("journal or publisher"), max_length=300, blank=True)
    details = models.CharField(
        _("volume, pages or number"), max_length=200, blank=True, help_text=_("For example “22(1), 34–50”.")
    )
    doi = models.CharField(_("DOI"), max_length=200, blank=True)
    isbn = models.CharField(_("ISBN"), max_length=20, blank=True)
    url = models.URLField(_("address (URL)"), max_length=500, blank=True)
    accessed = models.DateField(_("accessed"), null=True, blank=True)
    note = models.CharField(_("editor's note"), max_length=500, blank=True)
    checked_by = models.CharField(_("checked by"), max_length=200, blank=True)
    checked_at = models.DateField(_("checked on"), null=True, blank=True)

    class Meta:
        ordering = ["reference"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self):
        return self.reference

    @property
    def checked(self) -> bool:
        return self.checked_at is not None


class Measure(models.Model):
    """One measure with its classification, PHS's six questions and its evidence rating.

    ``key`` is stable and never changes: situation reports (``mapping.ReportMeasure.measure_key``) and saved plans
    point at it. ``revision`` counts saves, so two editors cannot silently overwrite each other.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("In review")
        PUBLISHED = "published", _("Published")

    key = models.SlugField(_("key"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=200)
    summary = models.CharField(_("summary"), max_length=500)
    description = models.TextField(_("description"), blank=True, max_length=TEXT_LIMIT)
    mechanisms = models.JSONField(_("mechanisms"), default=list)
    stages = models.JSONField(_("stages"), default=list)
    actors = models.JSONField(_("actors"), default=list)
    legal_basis = models.TextField(_("legal basis"), blank=True, max_length=TEXT_LIMIT)
    target_groups = models.TextField(_("target groups"), blank=True, max_length=TEXT_LIMIT)
    strengths = models.TextField(_("strengths and positive side effects"), blank=True, max_length=TEXT_LIMIT)
    limitations = models.TextField(_("limitations, costs and negative side effects"), blank=True, max_length=TEXT_LIMIT)

    verdict = models.CharField(_("verdict"), max_length=15, choices=Verdict.choices, blank=True)
    verdict_reason = models.TextField(_("reason for the verdict"), blank=True, max_length=TEXT_LIMIT)
    verdict_quality = models.CharField(_("quality of the evidence"), max_length=10, choices=Quality.choices, blank=True)
    effect = models.PositiveSmallIntegerField(_("effect (EMMIE)"), choices=Effect.choices, null=True, blank=True)
    effect_quality = models.CharField(_("quality: effect"), max_length=10, choices=Quality.choices, blank=True)
    mechanism_note = models.TextField(_("mechanism (EMMIE)"), blank=True, max_length=TEXT_LIMIT)
    mechanism_quality = models.CharField(_("quality: mechanism"), max_length=10, choices=Quality.choices, blank=True)
    moderators = models.TextField(_("moderators and context (EMMIE)"), blank=True, max_length=TEXT_LIMIT)
    moderators_quality = models.CharField(_("quality: moderators"), max_length=10, choices=Quality.choices, blank=True)
    implementation = models.TextField(_("implementation (EMMIE)"), blank=True, max_length=TEXT_LIMIT)
    implementation_quality = models.CharField(
        _("quality: implementation"), max_length=10, choices=Quality.choices, blank=True
    )
    economic_cost = models.TextField(_("economic cost (EMMIE)"), blank=True, max_length=TEXT_LIMIT)
    economic_cost_quality = models.CharField(
        _("quality: economic cost"), max_length=10, choices=Quality.choices, blank=True
    )
    backfires = models.JSONField(_("known ways it failed or backfired"), default=list, blank=True)
    sources = models.ManyToManyField(Source, related_name="measures", blank=True, verbose_name=_("sources"))

    transferability = models.CharField(
        _("transferability to Norwegian municipalities"),
        max_length=10,
        choices=Transferability.choices,
        default=Transferability.UNKNOWN,
    )
    transferability_reason = models.TextField(_("reasons"), blank=True, max_length=TEXT_LIMIT)

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    revision = models.PositiveIntegerField(default=1, editable=False)
    # Maintained by catalogue.save_measure: "|m:deterrence|s:activity|a:police|…" lets the list filter on the JSON
    # lists with one portable ``contains`` (SQLite has no JSON containment), and stemmed words for Norwegian search.
    facets = models.TextField(default="", editable=False)
    search_index = models.TextField(default="", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The starter file's entry as last loaded or proposed (starter.load): corrections are what the file changed since.
    starter = models.JSONField(default=dict, editable=False)
    # Codes of youth-survey indicators (questionnaires.Indicator) the measure may help with: a municipality whose
    # figure is significantly worse than the country's is pointed here from its report. Tags, not content: they
    # are set apart from the measure's versioned text (``indicators``).
    youth_indicators = models.JSONField(_("youth survey indicators"), default=list, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("measures:measure", args=[self.key])


class Experience(models.Model):
    """Where and when the measure was tried, and what happened."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="experiences")
    country = models.CharField(_("country"), max_length=100)
    place = models.CharField(_("place"), max_length=200, blank=True)
    period = models.CharField(_("period"), max_length=100, blank=True, help_text=_("For example “2017–2019”."))
    outcome = models.TextField(_("what happened"), max_length=TEXT_LIMIT)
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, related_name="experiences", verbose_name=_("source")
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["measure", "position", "pk"]
        verbose_name = _("experience")
        verbose_name_plural = _("experiences")

    def __str__(self):
        return f"{self.measure}: {self.country} {self.period}".strip()


class MeasureVersion(models.Model):
    """A frozen copy of a measure after one save or status change, with who made it and why."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="versions")
    revision = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Measure.Status.choices)
    snapshot = models.JSONField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("changed by")
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(_("reason for the change"), max_length=500)

    class Meta:
        ordering = ["measure", "-revision"]
        constraints = [models.UniqueConstraint(fields=["measure", "revision"], name="one_version_per_revision")]
        verbose_name = _("version")
        verbose_name_plural = _("versions")

    def __str__(self):
        return f"{self.measure} r{self.revision}"


class GroupVerdict(models.Model):
    """What a discussion group at an event said about carrying a measure over to Norwegian municipalities.

    Captured during the event's group work; it feeds the transferability reasons the editors write.
    """

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="group_verdicts")
    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="+", verbose_name=_("event"))
    group = models.PositiveSmallIntegerField(_("group"))
    transferability = models.CharField(_("transferability"), max_length=10, choices=Transferability.choices)
    reasons = models.TextField(_("why"), max_length=4000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["event", "group", "pk"]
        verbose_name = _("group's assessment")
        verbose_name_plural = _("groups' assessments")

    def __str__(self):
        return f"{self.measure} – {self.event} {self.group}"


class Chapter(models.Model):
    """An editorial chapter of the guide, placed before or after the measures (which are ordered by mechanism)."""

    class Placement(models.TextChoices):
        BEFORE = "before", _("Before the measures")
        AFTER = "after", _("After the measures")

    slug = models.SlugField(_("anchor"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), max_length=TEXT_LIMIT * 3)
    placement = models.CharField(_("placement"), max_length=10, choices=Placement.choices, default=Placement.BEFORE)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    revision = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    starter = models.JSONField(default=dict, editable=False)  # as on Measure

    class Meta:
        ordering = ["placement", "position", "pk"]
        verbose_name = _("guide chapter")
        verbose_name_plural = _("guide chapters")

    def __str__(self):
        return self.title


class Proposal(models.Model):
    """A correction waiting for an editor: a new revision of a measure or a chapter, not yet applied.

    ``manage.py load_measures`` never overwrites what editors have changed: where the starter files differ from a
    stored measure or chapter, it proposes the file's version. Accepting it saves it through the normal editorial
    services (a new version with who and why), and only if nobody has saved since ``base_revision``.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for review")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        SUPERSEDED = "superseded", _("Replaced by a newer proposal")

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, null=True, blank=True, related_name="proposals")
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, null=True, blank=True, related_name="proposals")
    base_revision = models.PositiveIntegerField()
    data = models.JSONField()
    reason = models.CharField(_("reason for the change"), max_length=500)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(measure__isnull=False, chapter__isnull=True)
                | models.Q(measure__isnull=True, chapter__isnull=False),
                name="proposal_for_one_thing",
            )
        ]
        verbose_name = _("proposed correction")
        verbose_name_plural = _("proposed corrections")

    def __str__(self):
        return f"{self.measure or self.chapter}: {self.reason}"


class Edition(models.Model):
    """A published edition of the guide, frozen: its content is a snapshot that later editions never touch."""

    number = models.PositiveSmallIntegerField(_("edition"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    published_at = models.DateTimeField(_("published"), default=timezone.now, editable=False)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    notes = models.TextField(_("what is new"), blank=True, max_length=4000)
    content = models.JSONField(editable=False)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("edition of the guide")
        verbose_name_plural = _("editions of the guide")

    def __str__(self):
        return f"{self.title}, {self.number}."

    def get_absolute_url(self):
        return reverse("measures:edition", args=[self.number])


class EditionPDF(models.Model):
    """An edition's PDF in one language, typeset when the edition was published and served as stored ever after."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="pdfs")
    language = models.CharField(max_length=10)
    file = models.FileField(upload_to="guide/")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["edition", "language"], name="one_pdf_per_edition_and_language")]

    def __str__(self):
        return f"{self.edition} ({self.language})"


class Plan(models.Model):
    """A municipality's plan, saved from the advice: the chosen measures with the reasons they were proposed."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="measure_plans", verbose_name=_("municipality")
    )
    title = models.CharField(_("title"), max_length=200)
    situation = models.JSONField(_("situation the advice was based on"), default=dict, editable=False)
    notes = models.TextField(_("notes"), blank=True, max_length=4000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self):
        return f"{self.municipality}: {self.title}"

    def get_absolute_url(self):
        return reverse("measures:plan", args=[self.pk])


class PlanItem(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="+", verbose_name=_("measure"))
    reasons = models.JSONField(_("why it was proposed"), default=list)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "measure"], name="measure_once_per_plan")]
        verbose_name = _("measure in the plan")
        verbose_name_plural = _("measures in the plan")

    def __str__(self):
        return str(self.measure)
