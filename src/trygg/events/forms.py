from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trygg.core.models import Area, County, Municipality, Organisation, Person, PersonKind, Role, SupportMember, User
from trygg.core.validation import MAX_INTEGER
from trygg.core.widgets import (
    CountryField,
    DateInput,
    DateTimeInput,
    MunicipalitiesInput,
    SearchableSelect,
    SearchableSelectMultiple,
)

from .models import BudgetLine, Event, Invitation, InvitationTier, ProgrammeItem, Registration
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
            "includes_overnight",
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
        start = data.get("start_date")
        held = self.instance.pk and self.instance.status == Event.Status.HELD
        if start and not held and start < timezone.localdate() and start != self.instance.start_date:
            self.add_error("start_date", _("The first day is in the past. Choose a future date."))
        if self.instance.pk and data.get("follows") == self.instance:
            self.add_error("follows", _("An event cannot be linked to itself."))
        return data


class StatusForm(forms.Form):
    """The event's course; cancelling has its own page, which tells everyone registered."""

    status = forms.ChoiceField(
        label=_("Status"), choices=[choice for choice in Event.Status.choices if choice[0] != Event.Status.CANCELLED]
    )


class CancelEventForm(forms.Form):
    message = forms.CharField(
        label=_("Message to those registered"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent with the notice that the event is cancelled."),
    )


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
    new_speaker = forms.CharField(
        label=_("New speaker"),
        required=False,
        max_length=200,
        help_text=_("Someone not yet in the register: give the name, and the organisation below if known."),
    )
    new_speaker_organisation = forms.ModelChoiceField(
        label=_("The new speaker's organisation"), queryset=Organisation.objects.all(), required=False
    )
    alternative_person = forms.ModelChoiceField(
        label=_("Alternative speaker"),
        queryset=Person.objects.all(),
        required=False,
        help_text=_("Speaks if the speaker chosen below cannot."),
    )
    alternative_to = forms.ModelChoiceField(
        label=_("Alternative to"),
        queryset=Person.objects.all(),
        required=False,
        help_text=_("One of the speakers above."),
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
        alternative, to = data.get("alternative_person"), data.get("alternative_to")
        if bool(alternative) != bool(to):
            self.add_error("alternative_to", _("Choose both the alternative speaker and whom they replace."))
        elif to and to not in (data.get("speaker_people") or []):
            self.add_error("alternative_to", _("Choose one of the item's speakers."))
        return data


class TierForm(forms.ModelForm):
    class Meta:
        model = InvitationTier
        fields = ["name", "quota"]


class InviteForm(forms.Form):
    """Invite municipalities: those ticked in the searchable list, or typed by name (former names are accepted)."""

    tier = forms.ModelChoiceField(label=_("Tier"), queryset=InvitationTier.objects.none())
    chosen = forms.MultipleChoiceField(label=_("Municipalities"), required=False, widget=forms.CheckboxSelectMultiple)
    municipalities = forms.CharField(
        label=_("Or type names"),
        required=False,
        widget=MunicipalitiesInput,
        help_text=_("Names or numbers, separated by commas or lines. Former names (e.g. from 2011) are accepted."),
    )

    def __init__(self, *args, event, offered=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tier"].queryset = event.tiers.all()
        self.fields["chosen"].choices = [(m.number, m.name) for m in offered]


class InviteSearchForm(forms.Form):
    """Filters the municipalities offered for invitation."""

    q = forms.CharField(label=_("Search by name or number"), required=False, max_length=100)
    county = forms.ModelChoiceField(
        label=_("County"),
        queryset=County.objects.all(),
        required=False,
        empty_label=_("All counties"),
        to_field_name="number",
    )


class PartnerInviteForm(forms.Form):
    tier = forms.ModelChoiceField(label=_("Tier"), queryset=InvitationTier.objects.none())
    organisation = forms.ModelChoiceField(label=_("Partner organisation"), queryset=Organisation.objects.none())
    quota = forms.IntegerField(
        label=_("Own quota"), min_value=0, max_value=999, required=False, help_text=_("Empty: the tier's quota.")
    )

    def __init__(self, *args, event, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tier"].queryset = event.tiers.all()
        self.fields["organisation"].queryset = organisations


class MoveForm(forms.Form):
    tier = forms.ModelChoiceField(label=_("Move to tier"), queryset=InvitationTier.objects.none())

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tier"].queryset = event.tiers.all()


class WithdrawForm(forms.Form):
    message = forms.CharField(
        label=_("Message to those registered"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent with the notice that their registration is cancelled."),
    )


class QuotaForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["quota_override"]


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(label=_("Venue capacity"), min_value=1, max_value=MAX_INTEGER, required=False)


class RegistrationForm(forms.ModelForm):
    """One delegate. Without an overnight stay in the package, the hotel question is not asked."""

    class Meta:
        model = Registration
        fields = list(REGISTRATION_FIELDS)
        widgets = {"name": forms.TextInput(attrs={"autocomplete": "off"})}

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        if event is not None and not event.includes_overnight:
            del self.fields["overnight"]


class LinkLoginForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("One of the addresses KS sent the invitation to. The link to choose a password goes there."),
    )


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


class PersonalDataGrantForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Partner"), queryset=User.objects.none())
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=300,
        help_text=_("Why the partner needs the contact details and needs, e.g. “police escort of the delegates”."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        partners = User.objects.filter(role=Role.PARTNER, is_active=True)
        # Partners with the events area (a JSON list, which SQLite cannot search).
        with_events = [user.pk for user in partners if Area.EVENTS in (user.partner_areas or [])]
        self.fields["user"].queryset = partners.filter(pk__in=with_events).select_related("organisation")
