import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from trygg.core import screening
from trygg.core.models import Municipality, Organisation, Person
from trygg.core.widgets import DateInput, SearchableSelect
from trygg.events.models import Event
from trygg.library.models import Document

from . import lectures
from .models import ContactRole, Lecture, Member, Network


class NetworkForm(forms.ModelForm):
    class Meta:
        model = Network
        fields = ["name", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.Meta.fields:
            self.fields[name].validators.append(screening.validator())


class MemberForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.all(), required=False, widget=SearchableSelect
    )
    organisation = forms.ModelChoiceField(
        label=_("Partner organisation"), queryset=Organisation.objects.all(), required=False, widget=SearchableSelect
    )


class ContactForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Member"), queryset=Member.objects.none())
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.all(), widget=SearchableSelect)
    role = forms.ChoiceField(label=_("Role"), choices=ContactRole.choices)

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = network.members.select_related("municipality", "organisation")


class MessageForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 6}), max_length=10000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("subject", "body"):
            self.fields[name].validators.append(screening.validator())


class MeetingForm(forms.Form):
    """A new network meeting, made in the events app."""

    title = forms.CharField(label=_("Title"), max_length=200)
    start_date = forms.DateField(label=_("Date"), widget=DateInput)
    city = forms.CharField(label=_("Place"), max_length=100)


class LinkMeetingForm(forms.Form):
    event = forms.ModelChoiceField(
        label=_("Event"), queryset=Event.objects.order_by("-start_date"), widget=SearchableSelect
    )


class LinkDocumentForm(forms.Form):
    document = forms.ModelChoiceField(
        label=_("Library document"),
        queryset=Document.objects.filter(state=Document.State.READY).order_by("title"),
        widget=SearchableSelect,
        help_text=_("Members see it only if the library's access rules let them open it."),
    )


class LectureForm(forms.ModelForm):
    """The municipality's request; ``submission_key`` is made when the form is shown: a double click is one request."""

    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    class Meta:
        model = Lecture
        fields = ["municipality", "region", "topic", "description", "audience", "wished_time"]
        help_texts = {
            "topic": _("E.g. “Criminal MC groups and what a municipality can do”."),
            "audience": _("E.g. “The politiråd and the SLT group, about 30 people”."),
            "wished_time": _("E.g. “September, a weekday morning”."),
        }

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.fields["municipality"].empty_label = None
        self.fields["submission_key"].initial = uuid.uuid4()
        for name in ("topic", "description", "audience", "region"):
            self.fields[name].validators.append(screening.validator(lectures.SCREENING_CONTEXT))


class LecturePlanForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[(s, label) for s, label in Lecture.Status.choices if s != Lecture.Status.EVENT]
    )
    date = forms.DateField(label=_("Date"), required=False, widget=DateInput)
    speaker = forms.ModelChoiceField(
        label=_("Speaker"),
        queryset=None,
        required=False,
        widget=SearchableSelect,
        help_text=_("From a support team."),
    )
    answer = forms.CharField(
        label=_("Message to the municipality"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["speaker"].queryset = lectures.speakers()
        self.fields["speaker"].label_from_instance = lambda m: f"{m} ({m.team}{': ' + m.role if m.role else ''})"
        self.fields["answer"].validators.append(screening.validator())
