"""The short profile form the advice can start from, and the form that saves the advice as a plan.

The profile is sent by GET, so a "what if" question is a link that can be shared and reloaded; a value outside a
list comes back as a message on the field, never as a server error.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from trygg.core import screening
from trygg.core.validation import validate_visible
from trygg.mapping.models import CrimeKind, ReportMeasure, YesNo

from . import catalogue
from .models import Plan

CHECKBOXES = forms.CheckboxSelectMultiple
NOT_ON_LIST = _("“%(value)s” is not one of the choices.")
PLAN_SIZE = 5  # proposals ticked by default when saving a plan


# "Do not know" first: it is the default, and what a missing or unreadable answer counts as.
YES_NO = [(YesNo.UNKNOWN, YesNo.UNKNOWN.label), (YesNo.YES, YesNo.YES.label), (YesNo.NO, YesNo.NO.label)]


def _yes_no(label):
    return forms.ChoiceField(
        label=label,
        choices=YES_NO,
        required=False,
        initial=YesNo.UNKNOWN,
        error_messages={"invalid_choice": NOT_ON_LIST},
    )


class ProfileForm(forms.Form):
    """The situation in a few answers, for municipalities without a report or to ask "what if"."""

    hosts_group = _yes_no(_("Does the municipality host a “1 %” group?"))
    clubhouse = _yes_no(_("Does a group have a clubhouse in the municipality?"))
    crews = _yes_no(_("Are there support groups (“crews”)?"))
    recruitment_signs = _yes_no(_("Are there signs of recruitment among young people?"))
    crime_kinds = forms.MultipleChoiceField(
        label=_("Which kinds of crime?"),
        choices=CrimeKind.choices,
        required=False,
        widget=CHECKBOXES,
        error_messages={"invalid_choice": NOT_ON_LIST},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = list(catalogue.published().order_by("name").values_list("key", "name"))
        labels = {
            ReportMeasure.Experience.WORKED: _("Measures you have tried that worked"),
            ReportMeasure.Experience.DID_NOT: _("Measures you have tried that did not work"),
            ReportMeasure.Experience.TOO_EARLY: _("Measures you have started (too early to tell)"),
        }
        for experience, label in labels.items():
            self.fields[f"tried_{experience}"] = forms.MultipleChoiceField(
                label=label,
                choices=choices,
                required=False,
                widget=CHECKBOXES,
                error_messages={"invalid_choice": NOT_ON_LIST},
            )

    @classmethod
    def submitted(cls, data) -> bool:
        """Whether ``data`` (a GET or POST QueryDict) carries any answer of the profile."""
        return any(name in data for name in cls.names())

    @classmethod
    def names(cls) -> list[str]:
        return [*cls.base_fields, *(f"tried_{x}" for x in ReportMeasure.Experience.values)]

    def tried_fields(self):
        return [self[f"tried_{x}"] for x in ReportMeasure.Experience.values]

    def situation_fields(self):
        return [self[name] for name in self.base_fields]

    def clean(self):
        data = super().clean()
        seen = {}
        for experience in ReportMeasure.Experience.values:
            for key in data.get(f"tried_{experience}", []):
                if key in seen:
                    name = dict(self.fields[f"tried_{experience}"].choices).get(key, key)
                    raise forms.ValidationError(
                        _("“%(measure)s” is ticked under two outcomes. Choose one."), params={"measure": name}
                    )
                seen[key] = experience
        return data


class PlanForm(forms.Form):
    """Choose among the proposals; ``proposals`` are the advice's, best first."""

    measures = forms.MultipleChoiceField(
        label=_("Measures in the plan"),
        widget=CHECKBOXES,
        error_messages={
            "required": _("Choose at least one measure for the plan."),
            "invalid_choice": _("“%(value)s” is not among the proposals. Reload the page and choose again."),
        },
    )
    title = forms.CharField(
        label=_("Title of the plan"), max_length=200, validators=[validate_visible, screening.validator()]
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=Plan._meta.get_field("notes").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example who follows the plan up, and when."),
        validators=[screening.validator()],
    )

    def __init__(self, *args, proposals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measures"].choices = [(p.measure.key, p.measure.name) for p in proposals]
        self.fields["measures"].initial = [p.measure.key for p in proposals[:PLAN_SIZE]]
        for field in self.fields.values():
            field.widget.attrs.pop("maxlength", None)  # a long text reaches the server and gets a message, not a cut
