from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trygg.core.models import Municipality, Organisation, Person, PersonKind
from trygg.core.widgets import (
    CountryField,
    DateInput,
    DateTimeInput,
    MunicipalitiesInput,
    SearchableSelect,
    SearchableSelectMultiple,
)

from .models import BudgetLine, Event, Invitation, InvitationTier, ProgrammeItem, Registration, SupportMember
from .services import REGISTRATION_FIELDS


class EventForm(forms.ModelForm):
    country = CountryField(initial="NO")
    desired_composition = forms.MultipleChoiceField(
        label=_("Desired delegation"),
        choices=PersonKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Shown as a checklist for each delegation; it warns, it does not block."),
    )

    class Meta:
        model = Event
        fields = [
            "title",
            "kind",
            "city",
            "country",
            "venue",
            "start_date",
            "end_date",
            "description",
            "objectives",
            "follow_up",
            "organisers",
            "partners",
            "capacity",
            "registration_deadline",
            "price_per_person",
            "package_includes",
            "package_excludes",
            "desired_composition",
            "follows",
        ]
        widgets = {
            "start_date": DateInput,
            "end_date": DateInput,
            "registration_deadline": DateTimeInput,
            "organisers": SearchableSelectMultiple,
            "partners": SearchableSelectMultiple,
            "follows": SearchableSelect,
            "description": forms.Textarea(attrs={"rows": 3}),
            "objectives": forms.Textarea(attrs={"rows": 4}),
            "follow_up": forms.Textarea(attrs={"rows": 3}),
            "package_includes": forms.Textarea(attrs={"rows": 4}),
            "package_excludes": forms.Textarea(attrs={"rows": 2}),
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The last day cannot be before the first day."))
        held = self.instance.pk and self.instance.status == Event.Status.HELD
        if start and not held and start < timezone.localdate() and start != self.instance.start_date:
            self.add_error("start_date", _("The first day is in the past. Choose a future date."))
        if self.instance.pk and data.get("follows") == self.instance:
            self.add_error("follows", _("An event cannot be linked to itself."))
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Event.Status.choices)


class ProgrammeItemForm(forms.ModelForm):
    speaker_people = forms.ModelMultipleChoiceField(
        label=_("Speakers"),
        queryset=Person.objects.select_related("organisation"),
        required=False,
        widget=SearchableSelectMultiple,
    )
    speaker_placeholder = forms.CharField(
        label=_("Speaker to be named"),
        required=False,
        max_length=300,
        help_text=_("E.g. “… from the Danish crime prevention council – or from a municipality”."),
    )
    placeholder_organisation = forms.ModelChoiceField(
        label=_("From organisation"), queryset=Organisation.objects.all(), required=False, widget=SearchableSelect
    )

    class Meta:
        model = ProgrammeItem
        fields = ["start", "end", "kind", "title", "questions", "location"]
        widgets = {"start": DateTimeInput, "end": DateTimeInput, "questions": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end <= start:
            self.add_error("end", _("The end must be after the start."))
        return data


class TierForm(forms.ModelForm):
    class Meta:
        model = InvitationTier
        fields = ["name", "quota"]


class InviteForm(forms.Form):
    tier = forms.ModelChoiceField(label=_("Tier"), queryset=InvitationTier.objects.none())
    municipalities = forms.CharField(
        label=_("Municipalities"),
        widget=MunicipalitiesInput,
        help_text=_("Names or numbers, separated by commas or lines. Former names (e.g. from 2011) are accepted."),
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tier"].queryset = event.tiers.all()


class QuotaForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["quota_override"]


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(label=_("Venue capacity"), min_value=1, required=False)


class RegistrationForm(forms.ModelForm):
    class Meta:
        model = Registration
        fields = list(REGISTRATION_FIELDS)
        widgets = {"name": forms.TextInput(attrs={"autocomplete": "off"})}


class GuestRegistrationForm(RegistrationForm):
    """KS registers someone outside the municipal quotas (speakers, KS staff) or for any municipality."""

    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.all(),
        required=False,
        widget=SearchableSelect,
        help_text=_("Empty for speakers and guests outside the quotas."),
    )

    class Meta(RegistrationForm.Meta):
        fields = ["municipality", *RegistrationForm.Meta.fields]


class LinkedInviteForm(forms.Form):
    linked = forms.ModelChoiceField(label=_("Linked event"), queryset=Event.objects.none())
    role = forms.ChoiceField(label=_("Delegates with role"), choices=Registration.Role.choices)

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["linked"].queryset = event.linked_events.all()


class SupportMemberForm(forms.ModelForm):
    class Meta:
        model = SupportMember
        fields = ["person", "organisation", "role"]
        widgets = {"person": SearchableSelect, "organisation": SearchableSelect}

    def clean(self):
        data = super().clean()
        if not data.get("person") and not data.get("organisation"):
            raise forms.ValidationError(_("Choose a person or an organisation."))
        return data


class BudgetLineForm(forms.ModelForm):
    class Meta:
        model = BudgetLine
        fields = ["kind", "description", "amount"]
