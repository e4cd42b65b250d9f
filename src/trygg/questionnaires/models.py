"""Questionnaire definitions shared by every way Trygg collects answers (the youth survey; mapping's rounds).

A questionnaire has numbered versions; a version is frozen once something collects answers with it, so answers
always mean what the text said. Texts are ``{language code: text}`` (any code: nb, nn, en, se, …). Indicators are
defined once by code; each version says which item and which options count as numerator and denominator, so a
trend survives a small change of wording.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

DECLINED = "_declined"  # the answer "I don't want to answer"; a question not asked has no answer at all
FALLBACK_LANGUAGES = ("nb", "nn", "en")


def translated(texts: dict, language: str | None = None) -> str:
    """The text in ``language`` (or the active one), else bokmål, nynorsk, English, else any."""
    language = (language or get_language() or "nb").split("-")[0]
    for code in (language, *FALLBACK_LANGUAGES):
        if texts.get(code):
            return texts[code]
    return next(iter(texts.values()), "")


class Questionnaire(models.Model):
    """A questionnaire; ``audience`` says who answers it, so each way of collecting offers only its own."""

    class Audience(models.TextChoices):
        MUNICIPALITY = "municipality", _("A municipality, in its situation report")
        PUPILS = "pupils", _("Pupils, anonymously (youth survey)")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    title = models.JSONField(_("title"), default=dict)
    audience = models.CharField(
        _("answered by"), max_length=20, choices=Audience.choices, db_default=Audience.MUNICIPALITY
    )

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self):
        return translated(self.title) or self.code


class Version(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    frozen = models.BooleanField(_("frozen"), default=False, help_text=_("In use: may no longer change."))

    class Meta:
        ordering = ["questionnaire__code", "number"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "number"], name="unique_questionnaire_version")]

    def __str__(self):
        return f"{self.questionnaire} v{self.number}"


class Module(models.Model):
    class Kind(models.TextChoices):
        CORE = "core", _("Core")
        THEME = "theme", _("Theme")
        OWN = "own", _("Own questions")

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="modules")
    code = models.SlugField(max_length=60)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    position = models.PositiveIntegerField()
    title = models.JSONField(default=dict)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="unique_module_code")]

    def __str__(self):
        return translated(self.title) or self.code


class Item(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        LIKERT = "likert", _("Likert scale")
        NUMBER = "number", _("Number")
        TEXT = "text", _("Free text")

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="items")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="items")
    code = models.SlugField(max_length=60)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    position = models.PositiveIntegerField()
    text = models.JSONField(default=dict)
    minimum = models.IntegerField(null=True, blank=True)
    maximum = models.IntegerField(null=True, blank=True)
    # Skip logic: asked only when the earlier item ``show_if["item"]`` was answered with one of ``show_if["any_of"]``.
    show_if = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["module__position", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="unique_item_code")]

    def __str__(self):
        return self.code

    @property
    def has_options(self) -> bool:
        return self.kind not in (self.Kind.NUMBER, self.Kind.TEXT)


class Option(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="options")
    code = models.SlugField(max_length=60)
    position = models.PositiveIntegerField()
    label = models.JSONField(default=dict)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["item", "code"], name="unique_option_code")]

    def __str__(self):
        return self.code


class Indicator(models.Model):
    """A figure reported over the years ("share who feel safe"), whatever version asked for it.

    ``direction`` says which way is good, so a report can tell a worrying figure from a good one; blank says neither.
    """

    class Direction(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    code = models.SlugField(max_length=60, unique=True)
    title = models.JSONField(default=dict)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, blank=True, db_default="")

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return translated(self.title) or self.code


class IndicatorRule(models.Model):
    """How one version measures an indicator: answers in ``numerator`` out of those in ``denominator``.

    An empty ``denominator`` means every real answer to the item (not declined, not skipped, not unasked).
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="rules")
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="indicator_rules")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="indicator_rules")
    position = models.PositiveIntegerField()
    numerator = models.JSONField(default=list)
    denominator = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["indicator", "version"], name="unique_indicator_rule")]

    def __str__(self):
        return f"{self.indicator.code} ({self.version})"

    def counts(self, answer) -> tuple[bool, bool]:
        """(in the denominator, in the numerator) for one pupil's answer to the item."""
        if answer is None or answer == DECLINED:
            return False, False
        chosen = set(answer) if isinstance(answer, list) else {answer}
        counted = bool(chosen & set(self.denominator)) if self.denominator else bool(chosen)
        return counted, counted and bool(chosen & set(self.numerator))
