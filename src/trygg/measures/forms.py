"""The editor's form for one measure: every field of the catalogue, its sources as lines, its experiences as rows.

The form checks what it can show next to a field (scales, lengths, HTML in Markdown, addresses of sources); the
catalogue's service checks the rest and has the last word. No field keeps a browser ``maxlength``: a long paste
must reach the server and come back with a message, never be cut silently.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import catalogue, markdown
from .models import (
    TEXT_LIMIT,
    Actor,
    Backfire,
    Effect,
    Experience,
    Measure,
    MeasureVersion,
    Mechanism,
    Quality,
    Source,
    Stage,
    Transferability,
    Verdict,
)

MARKDOWN_HELP = gettext_lazy("Markdown allowed, HTML not.")
QUALITY_HELP = gettext_lazy(
    "How much the evidence can bear: strong means systematic reviews or controlled studies; moderate, an evaluation "
    "with a comparison group; low, self-report without a comparison group or a single case; none, only experience "
    "or someone's assertion."
)
REFERENCE_LIMIT = Source._meta.get_field("reference").max_length
REASON_LIMIT = MeasureVersion._meta.get_field("reason").max_length
REASON_ERRORS = {
    "required": gettext_lazy("Say briefly why you made the change."),
    "max_length": gettext_lazy("Keep the reason to at most %(limit_value)d characters."),
}
URL_LIMIT = Source._meta.get_field("url").max_length


def refuse_html(value: str) -> None:
    """Markdown fields take no HTML: it would be shown as text, so the writer hears it now, naming the tags."""
    tags = markdown.html_found(value)
    if tags:
        raise ValidationError(
            gettext_lazy("HTML is not allowed here (%(tags)s). Write plain text or Markdown instead."),
            code="html",
            params={"tags": ", ".join(dict.fromkeys(tags))},
        )


def _text(label, *, limit=TEXT_LIMIT, rows=None, help_text="", required=False, markdown_help=False):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput
    if markdown_help:
        help_text = format_lazy("{} {}", help_text, MARKDOWN_HELP) if help_text else MARKDOWN_HELP
    field = forms.CharField(label=label, max_length=limit, required=required, widget=widget, help_text=help_text)
    if markdown_help:
        field.validators.append(refuse_html)
    return field


def _markdown(label, help_text="", rows=5):
    return _text(label, rows=rows, help_text=help_text, markdown_help=True)


def _choice(label, choices, blank, help_text=""):
    return forms.ChoiceField(label=label, choices=[("", blank), *choices], required=False, help_text=help_text)


def _quality(label, help_text=""):
    return _choice(label, Quality.choices, gettext_lazy("— not assessed —"), help_text)


def _checkboxes(label, choices, help_text=""):
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple, help_text=help_text
    )


def _no_maxlength(form: forms.Form) -> None:
    for field in form.fields.values():
        field.widget.attrs.pop("maxlength", None)


class SourcesField(forms.CharField):
    """One source a line, "reference | address" with the address optional → [{"reference", "url"}]."""

    widget = forms.Textarea(attrs={"rows": 5})

    def to_python(self, value):
        text = super().to_python(value)
        sources, errors, seen = [], [], set()
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            reference, _bar, url = line.rpartition("|") if "|" in line else (line, "", "")
            reference, url = reference.strip(), url.strip()
            if not reference:
                errors.append(_("Line %(line)s: write the reference before the “|”.") % {"line": number})
                continue
            if len(reference) > REFERENCE_LIMIT:
                errors.append(
                    _("Line %(line)s: the reference is longer than %(limit)s characters.")
                    % {"line": number, "limit": REFERENCE_LIMIT}
                )
            if url:
                try:
                    URLValidator(schemes=["http", "https"])(url)
                except ValidationError:
                    errors.append(
                        _("Line %(line)s: “%(url)s” is not a web address. Write it in full, starting with https://.")
                        % {"line": number, "url": url}
                    )
                if len(url) > URL_LIMIT:
                    errors.append(
                        _("Line %(line)s: the address is longer than %(limit)s characters.")
                        % {"line": number, "limit": URL_LIMIT}
                    )
            if reference not in seen:
                seen.add(reference)
                sources.append({"reference": reference, "url": url})
        if errors:
            raise ValidationError(errors)
        return sources


def sources_text(measure: Measure) -> str:
    return "\n".join(f"{s.reference} | {s.url}" if s.url else s.reference for s in measure.sources.all())


class MeasureForm(forms.Form):
    """Every field the catalogue keeps on a measure, plus its sources and the reason for the change.

    ``revision`` is the stored revision the form was loaded at (empty for a new measure), so the service can refuse
    to overwrite a save made by someone else in the meantime.
    """

    revision = forms.IntegerField(
        widget=forms.HiddenInput,
        required=False,
        error_messages={
            "required": gettext_lazy("The form was incomplete. Load the measure again and make your changes there."),
            "invalid": gettext_lazy("The form was incomplete. Load the measure again and make your changes there."),
        },
    )

    name = _text(gettext_lazy("Name"), limit=200, required=True)
    summary = _text(
        gettext_lazy("Summary"),
        limit=500,
        rows=2,
        required=True,
        help_text=gettext_lazy("One or two sentences shown in lists and search results."),
    )
    description = _markdown(gettext_lazy("Description"), gettext_lazy("What the measure is and how it is done."), 8)

    mechanisms = _checkboxes(
        gettext_lazy("Bjørgo's preventive mechanisms"),
        [(m.value, format_lazy("{}. {}", number, m.label)) for number, m in enumerate(Mechanism, start=1)],
        gettext_lazy(
            "Which of the nine mechanisms in Tore Bjørgo's preventive model the measure works through. Choose all "
            "that apply."
        ),
    )
    stages = _checkboxes(
        gettext_lazy("Stages"), Stage.choices, gettext_lazy("Where in a group's life the measure comes in.")
    )
    actors = _checkboxes(gettext_lazy("Actors"), Actor.choices, gettext_lazy("Who carries the measure out."))

    legal_basis = _markdown(
        gettext_lazy("Legal basis"), gettext_lazy("Norwegian acts and sections, for example “Alkoholloven § 1-8”."), 3
    )
    target_groups = _markdown(gettext_lazy("Target groups"), gettext_lazy("Who or what the measure is aimed at."), 3)
    strengths = _markdown(gettext_lazy("Strengths and positive side effects"))
    limitations = _markdown(gettext_lazy("Limitations, costs and negative side effects"))

    verdict = _choice(
        gettext_lazy("Verdict"),
        Verdict.choices,
        gettext_lazy("— not rated yet —"),
        gettext_lazy(
            "The overall verdict on the evidence. Effective: good evaluations show that it works. Promising: some "
            "evidence that it works, not yet strong. No effect: evaluations show that it does not work. Harmful: it "
            "makes things worse. Inconclusive: studied, but no conclusion can be drawn. A verdict needs at least "
            "one source before the measure can be published."
        ),
    )
    verdict_reason = _markdown(
        gettext_lazy("Reason for the verdict"),
        gettext_lazy("What the verdict rests on, and where the evidence is thin. Say so honestly."),
    )
    verdict_quality = _quality(gettext_lazy("Quality of the evidence behind the verdict"), QUALITY_HELP)
    backfires = _checkboxes(
        gettext_lazy("Known ways it failed or backfired"),
        Backfire.choices,
        gettext_lazy("Ways the measure has been seen to fail or to work against its purpose."),
    )

    effect = forms.TypedChoiceField(
        label=gettext_lazy("Effect on crime"),
        choices=[
            ("", gettext_lazy("— not assessed —")),
            *((e.value, format_lazy("{}. {}", e.value, e.label)) for e in Effect),
        ],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=gettext_lazy(
            "EMMIE's effect, on the College of Policing's eight steps from 1 (reduced crime) to 8 (increased "
            "crime). Leave it “not assessed” when no study has measured the effect."
        ),
    )
    effect_quality = _quality(gettext_lazy("Quality: effect"))
    mechanism_note = _markdown(
        gettext_lazy("Mechanism"), gettext_lazy("How the measure is thought to work, and what supports that.")
    )
    mechanism_quality = _quality(gettext_lazy("Quality: mechanism"))
    moderators = _markdown(
        gettext_lazy("Moderators and context"), gettext_lazy("Where and for whom it works, or does not.")
    )
    moderators_quality = _quality(gettext_lazy("Quality: moderators"))
    implementation = _markdown(
        gettext_lazy("Implementation"), gettext_lazy("What it takes to carry out, and what has got in the way.")
    )
    implementation_quality = _quality(gettext_lazy("Quality: implementation"))
    economic_cost = _markdown(gettext_lazy("Economic cost"), gettext_lazy("What it costs, in money and in work."))
    economic_cost_quality = _quality(gettext_lazy("Quality: economic cost"))

    transferability = forms.ChoiceField(
        label=gettext_lazy("Transferability to Norwegian municipalities"),
        choices=Transferability.choices,
        initial=Transferability.UNKNOWN,
        help_text=gettext_lazy(
            "How well the measure can be carried over to Norwegian municipalities, given Norwegian law, "
            "organisation and the situation here."
        ),
    )
    transferability_reason = _markdown(
        gettext_lazy("Reasons"), gettext_lazy("Why, including what groups said about it at events.")
    )

    sources = SourcesField(
        label=gettext_lazy("Sources, one a line"),
        required=False,
        help_text=gettext_lazy(
            "Put a source's web address after a vertical bar, if it has one: “Bjørgo (2017), "
            "Preventing organised crime originating from outlaw motorcycle clubs | https://doi.org/10.1007/"
            "s12117-017-9322-7”. A verdict cannot be published without a source."
        ),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason for the change"),
        max_length=REASON_LIMIT,
        help_text=gettext_lazy("A short note for the history: what you changed and why."),
        error_messages=REASON_ERRORS,
    )

    # The fieldsets of the page, in order: (legend, introduction, field names).
    GROUPS = (
        (gettext_lazy("The measure"), "", ("name", "summary", "description")),
        (
            gettext_lazy("Classification"),
            gettext_lazy("Bjørgo's mechanisms come first: the guide and the matrix are ordered by them."),
            ("mechanisms", "stages", "actors"),
        ),
        (
            gettext_lazy("PHS's questions"),
            gettext_lazy("What the Norwegian Police University College (PHS) asks of every preventive measure."),
            ("legal_basis", "target_groups", "strengths", "limitations"),
        ),
        (
            gettext_lazy("Evidence"),
            gettext_lazy("An honest rating: where the evidence is thin, say so."),
            ("verdict", "verdict_reason", "verdict_quality", "backfires"),
        ),
        (
            gettext_lazy("EMMIE"),
            format_lazy(
                "{} {}",
                gettext_lazy(
                    "The College of Policing's five questions – effect, mechanism, moderators, implementation and "
                    "economic cost – each with the quality of its evidence."
                ),
                QUALITY_HELP,
            ),
            (
                "effect",
                "effect_quality",
                "mechanism_note",
                "mechanism_quality",
                "moderators",
                "moderators_quality",
                "implementation",
                "implementation_quality",
                "economic_cost",
                "economic_cost_quality",
            ),
        ),
        (gettext_lazy("Transferability"), "", ("transferability", "transferability_reason")),
        (gettext_lazy("Sources"), "", ("sources",)),
    )

    def __init__(self, *args, measure: Measure | None = None, **kwargs):
        initial = {}
        if measure is not None:
            initial = {name: getattr(measure, name) for name in catalogue.FIELDS}
            initial.update(revision=measure.revision, sources=sources_text(measure))
        super().__init__(*args, initial=initial, **kwargs)
        _no_maxlength(self)
        # Without the revision it was loaded at, a save could silently overwrite someone else's.
        self.fields["revision"].required = measure is not None

    def groups(self):
        return [(legend, intro, [self[name] for name in names]) for legend, intro, names in self.GROUPS]

    def measure_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in catalogue.FIELDS}


ROW_FIELDS = ("country", "place", "period", "outcome", "source")


class ExperienceForm(forms.Form):
    """One place and time the measure was tried; a row left empty is ignored."""

    country = _text(gettext_lazy("Country"), limit=100)
    place = _text(gettext_lazy("Place"), limit=200)
    period = _text(gettext_lazy("Period"), limit=100, help_text=gettext_lazy("For example “2017–2019”."))
    outcome = _text(gettext_lazy("What happened"), rows=3)
    source = _text(
        gettext_lazy("Source"),
        limit=REFERENCE_LIMIT,
        help_text=gettext_lazy("The reference, as in the list of sources."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _no_maxlength(self)
        self.fields["outcome"].validators.append(refuse_html)
        self.fields["source"].widget.attrs["list"] = "source-references"

    def clean(self):
        data = super().clean()
        if any(data.get(name) for name in ROW_FIELDS):
            if not data.get("country") and "country" not in self.errors:
                self.add_error("country", _("Say which country it was tried in."))
            if not data.get("outcome") and "outcome" not in self.errors:
                self.add_error("outcome", _("Say what happened."))
        return data

    def row(self) -> dict | None:
        data = self.cleaned_data
        if not (data.get("country") or data.get("outcome")):
            return None
        return {name: data.get(name, "") for name in ROW_FIELDS}


class BaseExperienceFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].label = gettext_lazy("Remove this experience")

    def rows(self) -> list[dict]:
        return [row for form in self.forms if not self._should_delete_form(form) and (row := form.row())]


ExperienceFormSet = forms.formset_factory(ExperienceForm, formset=BaseExperienceFormSet, extra=2, can_delete=True)


def experience_initial(measure: Measure) -> list[dict]:
    return [
        {
            "country": e.country,
            "place": e.place,
            "period": e.period,
            "outcome": e.outcome,
            "source": e.source.reference if e.source else "",
        }
        for e in Experience.objects.filter(measure=measure).select_related("source")
    ]


MOVE_ERROR = gettext_lazy("The page was out of date. Look at the measure again and try once more.")


class StatusForm(forms.Form):
    """One move along the workflow: the status to move to, the revision it was seen at, and why."""

    status = forms.ChoiceField(
        choices=Measure.Status.choices, error_messages={"required": MOVE_ERROR, "invalid_choice": MOVE_ERROR}
    )
    revision = forms.IntegerField(error_messages={"required": MOVE_ERROR, "invalid": MOVE_ERROR})
    reason = forms.CharField(max_length=REASON_LIMIT, error_messages=REASON_ERRORS)


class YouthIndicatorsForm(forms.Form):
    indicators = forms.MultipleChoiceField(
        label=gettext_lazy("Youth survey indicators the measure may help with"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "A municipality whose figure for one of these is clearly worse than the country's is shown this measure "
            "on its youth survey report."
        ),
    )

    def __init__(self, *args, **kwargs):
        from .indicators import indicator_choices

        super().__init__(*args, **kwargs)
        self.fields["indicators"].choices = indicator_choices()
