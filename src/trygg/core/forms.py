from django import forms
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry, County, Organisation, Person, PersonKind
from .services import resolve_municipality
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


MISREAD = str.maketrans("01", "ol")


class SecondFactorForm(TokenForm):
    """The login's second step: the authenticator's code, or one of the user's backup codes."""

    token = forms.RegexField(
        label=_("Code from your authenticator app, or a backup code"),
        regex=r"^\s*(\d{6}|[A-Za-z0-9][A-Za-z0-9 -]{6,12}[A-Za-z0-9])\s*$",
        error_messages={"invalid": _("Enter the six digits shown in your authenticator app, or a backup code.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "none"}),
    )

    def clean_token(self):
        """Backup codes are shown in two groups of four; spaces, dashes and capitals typed with them do not matter,
        and neither does a 0 or 1 read for the o or l it looks like (backup codes have no digits 0, 1, 8 or 9)."""
        token = self.cleaned_data["token"].replace(" ", "").replace("-", "").lower()
        return token if len(token) == 6 else token.translate(MISREAD)


class APITokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. “Statistics export”.")
    )


class AuditFilterForm(forms.Form):
    person = forms.CharField(label=_("Person"), required=False, max_length=150, help_text=_("Name or user name"))
    municipality = forms.CharField(
        label=_("Municipality"), required=False, max_length=100, help_text=_("Name or number; entries about it")
    )
    kind = forms.ModelChoiceField(label=_("Kind of object"), queryset=ContentType.objects.none(), required=False)
    q = forms.CharField(label=_("Object"), required=False, max_length=100)
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        recorded = AuditEntry.objects.values("content_type").distinct()
        self.fields["kind"].queryset = ContentType.objects.filter(pk__in=recorded).order_by("model")
        self.fields["kind"].empty_label = _("All kinds")
        self.fields["kind"].label_from_instance = lambda kind: str(kind.name).capitalize()

    def clean_municipality(self):
        text = self.cleaned_data["municipality"].strip()
        if not text:
            return None
        municipality = resolve_municipality(text)
        if municipality is None:
            raise forms.ValidationError(_("No municipality is called or numbered “%(text)s”."), params={"text": text})
        return municipality


class ContactForm(forms.Form):
    """A new contact person for a municipality or an organisation: enough to write to them."""

    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"))
    title = forms.CharField(label=_("Job title"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
