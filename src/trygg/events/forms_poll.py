"""Forms of the date poll: KS staff's candidate dates and participants, and the speakers' answers."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from trygg.core.models import Organisation, Person
from trygg.core.widgets import DateInput, SearchableSelect

from .models import PollAnswer, PollParticipant
from .poll import long_date

ANSWER_PREFIX = "candidate_"


class CandidateForm(forms.Form):
    date = forms.DateField(label=_("First day"), widget=DateInput)
    note = forms.CharField(
        label=_("Note"),
        max_length=200,
        required=False,
        help_text=_("Optional, e.g. “Before the Easter holidays”."),
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person):
        return f"{person.name} – {person.organisation}" if person.organisation else person.name


class ParticipantForm(forms.Form):
    """A person from the register not yet asked in this event's poll, or a new speaker added to the register."""

    person = PersonChoiceField(
        label=_("Person"),
        queryset=Person.objects.none(),
        empty_label=_("Choose a person"),
        required=False,
        widget=SearchableSelect,
    )
    new_name = forms.CharField(label=_("Or a new speaker: name"), max_length=200, required=False)
    new_email = forms.EmailField(label=_("The new speaker's e-mail"), required=False)
    new_organisation = forms.ModelChoiceField(
        label=_("The new speaker's organisation"), queryset=Organisation.objects.all(), required=False
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.exclude(pollparticipant__event=event).select_related(
            "organisation"
        )

    def clean(self):
        data = super().clean()
        if not data.get("person") and not data.get("new_name"):
            raise ValidationError(_("Choose a person, or give a new speaker's name."))
        if data.get("new_name") and not data.get("new_email"):
            self.add_error("new_email", _("The link to the poll is sent by e-mail: give the address."))
        return data


class AnswerForm(forms.Form):
    """One group of yes / if need be / no for each candidate date, prefilled with the speaker's earlier answers."""

    def __init__(self, *args, participant: PollParticipant, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = list(participant.event.candidate_dates.all())
        earlier = dict(participant.answers.values_list("candidate_id", "answer"))
        for candidate in self.candidates:
            self.fields[f"{ANSWER_PREFIX}{candidate.pk}"] = forms.ChoiceField(
                label=long_date(candidate.date),
                choices=PollAnswer.Answer.choices,
                widget=forms.RadioSelect,
                initial=earlier.get(candidate.pk),
                error_messages={
                    "required": _("Answer yes, if need be or no for this date."),
                    "invalid_choice": _("Answer yes, if need be or no for this date."),
                },
            )

    def clean(self):
        """A date removed while the speaker had the page open must not be silently dropped."""
        posted = {key for key in self.data if key.startswith(ANSWER_PREFIX)}
        if posted - set(self.fields):
            raise ValidationError(
                _("One of the dates is no longer in the poll. Check your answers and save them again.")
            )
        return super().clean()

    def date_groups(self):
        """(candidate date, its radio group) pairs, in date order, for the template."""
        return [(candidate, self[f"{ANSWER_PREFIX}{candidate.pk}"]) for candidate in self.candidates]

    def answers(self) -> dict[int, str]:
        return {candidate.pk: self.cleaned_data[f"{ANSWER_PREFIX}{candidate.pk}"] for candidate in self.candidates}
