from django import forms
from django.utils.translation import gettext_lazy as _

from .models import County, Organisation, Person, PersonKind
from .widgets import CountryField, DateInput, SearchableSelect


class MunicipalitySearchForm(forms.Form):
    q = forms.CharField(label=_("Name or number"), required=False, max_length=100)
    county = forms.ModelChoiceField(
        label=_("County"),
        queryset=County.objects.all(),
        required=False,
        empty_label=_("All counties"),
        to_field_name="number",
    )


class OrganisationSearchForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *Organisation.Kind.choices]
    )


class OrganisationForm(forms.ModelForm):
    country = CountryField(initial="NO")

    class Meta:
        model = Organisation
        fields = [
            "name",
            "short_name",
            "kind",
            "country",
            "municipality",
            "police_district",
            "website",
            "description",
        ]
        widgets = {"municipality": SearchableSelect}


class PersonForm(forms.ModelForm):
    kinds = forms.MultipleChoiceField(
        label=_("Kinds"), choices=PersonKind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Person
        fields = ["name", "title", "organisation", "municipality", "email", "phone", "kinds"]
        widgets = {"organisation": SearchableSelect, "municipality": SearchableSelect}


class TokenForm(forms.Form):
    """The six-digit code from the authenticator app."""

    token = forms.RegexField(
        label=_("Code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the six digits shown in your authenticator app.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_token(self):
        return self.cleaned_data["token"].strip()


class APITokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. “Statistics export”.")
    )


class AuditFilterForm(forms.Form):
    q = forms.CharField(label=_("Object"), required=False, max_length=100)
    actor = forms.CharField(label=_("User name"), required=False, max_length=150)
    action = forms.TypedChoiceField(
        label=_("Action"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", _("All actions")),
            (0, _("Created")),
            (1, _("Changed")),
            (2, _("Deleted")),
            (3, _("Read")),
        ],
    )
    date_from = forms.DateField(label=_("From date"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To date"), required=False, widget=DateInput)
