"""The situation report form: the deck's dialogue questions in order, the round's definition items, and screening.

Every free-text field is screened by core's ``screening`` (identity numbers refused, contact details warned). No
field has a browser ``maxlength``: a huge paste must reach the server and come back with a message, never be cut.
"""

from django import forms
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from trygg.core import screening
from trygg.questionnaires.models import Item, translated

from . import answers as definition_answers
from .models import (
    TEXT_LIMIT,
    Assessment,
    CrimeKind,
    MembershipRange,
    OutlawGroup,
    Partner,
    Report,
    ReportMeasure,
    YesNo,
)
from .reports import SCREENING_CONTEXT, TEXT_FIELDS

RADIO = forms.RadioSelect
COUNT_ERROR = _("Give the number of support groups as a whole number from 0 to 200.")


def _screen(form: forms.Form, names) -> None:
    """Screen the named fields: identity numbers become field errors, contact details a ``warnings`` list.

    No field keeps a browser maxlength, so a long paste reaches the server and gets a message instead of a cut.
    """
    for name, field in form.fields.items():
        field.widget.attrs.pop("maxlength", None)
        if name in names:
            field.validators.append(screening.validator(SCREENING_CONTEXT))
            field.warnings = screening.warnings(str(form[name].value() or ""))


def _text(label, limit=TEXT_LIMIT, rows=None, help_text=""):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput
    return forms.CharField(label=label, max_length=limit, required=False, widget=widget, help_text=help_text)


def _yes_no(label):
    return forms.ChoiceField(label=label, choices=YesNo.choices, required=False, widget=RADIO)


class ReportForm(forms.Form):
    """The report's own answers; ``revision`` is the stored revision the form was loaded at."""

    fields_from_model = (
        "hosts_group",
        "crews",
        "crews_count",
        "crime_kinds",
        "crime_other",
        "recruitment_signs",
        "assessment",
        "partners",
        "wants_guidance",
        "guidance_topics",
        "situation",
    )

    revision = forms.IntegerField(widget=forms.HiddenInput)
    hosts_group = _yes_no(_("Does the municipality host a “1 %” group?"))
    crews = _yes_no(_("Are there support groups (“crews”)?"))
    crews_count = forms.IntegerField(
        label=_("How many support groups?"),
        required=False,
        min_value=0,
        max_value=200,
        error_messages={"invalid": COUNT_ERROR, "min_value": COUNT_ERROR, "max_value": COUNT_ERROR},
    )
    crime_kinds = forms.MultipleChoiceField(
        label=_("Which kinds of crime?"), choices=CrimeKind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    crime_other = _text(_("Other kind of crime"), limit=200)
    recruitment_signs = _yes_no(_("Are there signs of recruitment among young people?"))
    assessment = forms.ChoiceField(
        label=_("Is this something the municipality can live with, or must it act?"),
        choices=Assessment.choices,
        required=False,
        widget=RADIO,
    )
    partners = forms.MultipleChoiceField(
        label=_("Who do you cooperate with?"),
        choices=Partner.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    wants_guidance = _yes_no(_("Should KS produce knowledge and guidance on this?"))
    guidance_topics = _text(_("On what?"), rows=3)
    situation = _text(
        _("The situation in your own words"),
        rows=6,
        help_text=_("Describe organisations and phenomena. Do not name persons."),
    )

    def __init__(self, *args, report: Report, **kwargs):
        self.asks_mc = report.round.asks_mc
        self.items = definition_answers.items(report.round)
        own = self.fields_from_model if self.asks_mc else ()
        initial = {name: getattr(report, name) for name in own}
        initial.update({f"{PREFIX}{code}": value for code, value in report.answers.items()})
        super().__init__(*args, initial={**initial, "revision": report.revision}, **kwargs)
        if not self.asks_mc:
            for name in self.fields_from_model:
                del self.fields[name]
        by_code = {item.code: item for item in self.items}
        for item in self.items:
            self.fields[f"{PREFIX}{item.code}"] = _item_field(item, by_code)
        texts = [f"{PREFIX}{item.code}" for item in self.items if item.kind == Item.Kind.TEXT]
        _screen(self, (*[name for name in TEXT_FIELDS if name in self.fields], *texts))

    def report_data(self) -> dict:
        """The cleaned answers as the service takes them: the MC fields (if asked) plus ``answers`` per item."""
        data = {name: self.cleaned_data[name] for name in self.fields_from_model if name in self.fields}
        data["answers"] = {
            item.code: self.cleaned_data[f"{PREFIX}{item.code}"]
            for item in self.items
            if self.cleaned_data.get(f"{PREFIX}{item.code}") not in (None, "", [])
        }
        return data

    def definition_modules(self):
        """The definition's fields grouped by module: [(module title, [bound fields])]."""
        modules = []
        for item in self.items:
            if not modules or modules[-1][0] != item.module:
                modules.append((item.module, []))
            modules[-1][1].append(self[f"{PREFIX}{item.code}"])
        return [(translated(module.title), fields) for module, fields in modules]


PREFIX = "q_"  # the form field of a definition item is PREFIX + its code


def _item_field(item: Item, by_code: dict[str, Item]) -> forms.Field:
    """The form field an item of the definition asks with; every one may be left empty."""
    label = translated(item.text)
    help_text = definition_answers.condition(item, by_code)
    if item.kind == Item.Kind.TEXT:
        return _text(label, rows=4, help_text=help_text)
    if item.kind == Item.Kind.NUMBER:
        bounds = {"minimum": item.minimum, "maximum": item.maximum}
        message = (
            _("Write a whole number from %(minimum)s to %(maximum)s, or leave it empty.") % bounds
            if None not in bounds.values()
            else _("Write a whole number, or leave it empty.")
        )
        return forms.IntegerField(
            label=label,
            required=False,
            min_value=item.minimum,
            max_value=item.maximum,
            help_text=help_text,
            error_messages={"invalid": message, "min_value": message, "max_value": message},
        )
    choices = [(option.code, translated(option.label)) for option in item.options.all()]
    if item.kind == Item.Kind.MULTIPLE:
        return forms.MultipleChoiceField(
            label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple, help_text=help_text
        )
    choices.append(("", _("No answer")))  # a chosen radio button cannot be cleared otherwise
    return forms.ChoiceField(label=label, choices=choices, required=False, widget=RADIO, help_text=help_text)


_BLANK = [("", "—")]


class GroupForm(forms.Form):
    """One group present in the municipality; an empty row is ignored."""

    group = forms.ModelChoiceField(
        OutlawGroup.objects.all(), label=_("Group on the list"), required=False, empty_label=_("— not on the list —")
    )
    other_name = _text(_("Other group (not on the list)"), limit=200)
    clubhouse = forms.ChoiceField(label=_("Has a clubhouse"), choices=_BLANK + YesNo.choices, required=False)
    membership = forms.ChoiceField(label=_("Members"), choices=_BLANK + MembershipRange.choices, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _screen(self, ("other_name",))

    def clean(self):
        data = super().clean()
        named = data.get("group") or data.get("other_name")
        if not named and (data.get("clubhouse") or data.get("membership")):
            self.add_error("group", _("Choose a group from the list or name it under “Other group”."))
        return data

    def row(self) -> dict | None:
        data = self.cleaned_data
        if not (data.get("group") or data.get("other_name")):
            return None
        return {name: data[name] for name in ("group", "other_name", "clubhouse", "membership")}


class MeasureForm(forms.Form):
    """One measure the municipality has taken; an empty row is ignored.

    ``measure_key`` points into the measures catalogue (published measures only); when a catalogue measure is
    chosen and the title left empty, the title becomes the measure's name.
    """

    stage = forms.ChoiceField(label=_("Purpose"), choices=_BLANK + ReportMeasure.Stage.choices, required=False)
    measure_key = forms.ChoiceField(
        label=_("Measure in the catalogue"),
        required=False,
        error_messages={"invalid_choice": _("Choose a measure from the catalogue's list, or “Other”.")},
    )
    title = _text(_("Measure"), limit=200)
    description = _text(_("What you did"), rows=3)
    experience = forms.ChoiceField(
        label=_("How it went"), choices=_BLANK + ReportMeasure.Experience.choices, required=False
    )

    def __init__(self, *args, catalogue: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.catalogue = dict(catalogue)
        stored = self.initial.get("measure_key")
        if stored and stored not in self.catalogue:  # withdrawn since it was chosen: keep it, do not lose the link
            self.catalogue[stored] = _("%(key)s (no longer published)") % {"key": stored}
        self.fields["measure_key"].choices = [("", _("Other (describe below)")), *self.catalogue.items()]
        _screen(self, ("title", "description"))

    def clean(self):
        data = super().clean()
        key = data.get("measure_key")
        if key and not data.get("title") and "title" not in self.errors:
            data["title"] = self.catalogue[key]
        if any(data.get(name) for name in ("stage", "measure_key", "title", "description", "experience")):
            if not data.get("title") and "title" not in self.errors:
                self.add_error("title", _("Name the measure."))
            if not data.get("stage"):
                self.add_error("stage", _("Choose whether the measure hinders establishment or activity."))
        return data

    def row(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("title"):
            return None
        return {name: data[name] for name in ("stage", "measure_key", "title", "description", "experience")}


def catalogue_choices() -> dict[str, str]:
    """Key → name of the measures a report's rows may point at, as the apps that keep a catalogue offer them.

    Mapping stands below measures, so it asks every installed app's ``catalogue_choices`` (measures offers its
    published measures) instead of importing the catalogue.
    """
    choices = {}
    for config in apps.get_app_configs():
        if hasattr(config, "catalogue_choices"):
            choices.update(config.catalogue_choices())
    return choices


class MeasureFormSet(forms.formset_factory(MeasureForm, extra=2)):
    """The measure rows, all offered the same list of published catalogue measures (read once per form set)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.catalogue = catalogue_choices()

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "catalogue": self.catalogue}


GroupFormSet = forms.formset_factory(GroupForm, extra=2)


def group_initial(report: Report) -> list[dict]:
    return list(report.groups.values("group", "other_name", "clubhouse", "membership"))


def measure_initial(report: Report) -> list[dict]:
    return list(report.measures.values("stage", "measure_key", "title", "description", "experience"))


PARTICIPANTS = "deltakere"


class MapViewForm(forms.Form):
    """Which part of the national picture's map to show: all of Norway, the round's participants, or one county.

    A GET form, so the choice works without JavaScript and can be linked to; an unknown choice shows all of Norway.
    """

    utsnitt = forms.ChoiceField(label=_("Show"), required=False)

    def __init__(self, *args, counties: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["utsnitt"].choices = [
            ("", _("All of Norway")),
            (PARTICIPANTS, _("The participating municipalities, one by one")),
            (_("Counties"), counties),
        ]

    @property
    def view(self) -> str:
        """The chosen view: "", PARTICIPANTS or a county number."""
        return self.cleaned_data["utsnitt"] if self.is_valid() else ""
