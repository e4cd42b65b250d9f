import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from trygg.core import screening
from trygg.core.models import User
from trygg.core.widgets import SearchableSelect

from .models import Case, Category, Note, Outcome, Urgency
from .services import SCREENING_CONTEXT

PRIVATE_PERSONS = _(
    "Do not name private persons (gang members, young people, neighbours). Describe roles and what happened; "
    "KS will ask for more if needed."
)


class CaseForm(forms.ModelForm):
    """The municipality's request; ``submission_key`` is made when the form is shown: a double click is one case."""

    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    class Meta:
        model = Case
        fields = ["municipality", "title", "description", "urgency", "involved", "done_so_far", "confidential"]
        widgets = {"urgency": forms.RadioSelect}
        help_texts = {
            "title": _("E.g. “A 1 % group is buying a property”."),
            "description": PRIVATE_PERSONS,
            "involved": _("Roles and services, e.g. “SLT coordinator, the youth club, the local police”."),
        }

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.fields["municipality"].empty_label = None
        self.fields["urgency"].choices = Urgency.choices
        self.fields["submission_key"].initial = uuid.uuid4()
        for name in ("title", "description", "involved", "done_so_far"):
            self.fields[name].validators.append(screening.validator(SCREENING_CONTEXT))

    def warnings(self) -> list[str]:
        if not self.is_bound:
            return []
        return screening.warnings(" ".join(str(self.data.get(n, "")) for n in ("description", "involved")))


class NoteForm(forms.Form):
    body = forms.CharField(label=_("Note text"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10000)
    visibility = forms.ChoiceField(
        label=_("Who sees it"),
        choices=Note.Visibility.choices,
        initial=Note.Visibility.INTERNAL,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, ks_side: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].validators.append(screening.validator(SCREENING_CONTEXT))
        if not ks_side:
            del self.fields["visibility"]
            self.fields["body"].label = _("Your answer to KS")


class TriageForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    assignee = forms.ModelChoiceField(label=_("Assignee"), queryset=None, required=False, widget=SearchableSelect)

    def __init__(self, *args, assignees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignees
        self.fields["assignee"].label_from_instance = lambda u: u.get_full_name() or u.username


class ExpertForm(forms.Form):
    expert = forms.ModelChoiceField(
        label=_("Expert"),
        queryset=None,
        widget=SearchableSelect,
        help_text=_("Members of a support team come first, with their team and role."),
    )

    def __init__(self, *args, candidates, **kwargs):
        """``candidates``: (user, label) pairs from ``services.expert_candidates``, in their order."""
        super().__init__(*args, **kwargs)
        field = self.fields["expert"]
        field.queryset = User.objects.filter(pk__in=[user.pk for user, _label in candidates])
        field.choices = [("", field.empty_label), *((user.pk, label) for user, label in candidates)]


class StatusForm(forms.Form):
    """In progress, waiting, or reopened; a case is closed through ``CloseForm``, with what KS learnt."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s, label) for s, label in Case.Status.choices if s in (Case.Status.OPEN, Case.Status.WAITING)],
    )


class ConfidentialForm(forms.Form):
    confidential = forms.BooleanField(
        label=_("Confidential"),
        required=False,
        help_text=_("Only the municipality's contacts, the assigned KS staff and the experts drawn in see it."),
    )


class LinkMeasureForm(forms.Form):
    measure = forms.ModelChoiceField(label=_("Measure from the catalogue"), queryset=None, widget=SearchableSelect)

    def __init__(self, *args, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = measures


class LinkDocumentForm(forms.Form):
    document = forms.ModelChoiceField(label=_("Library document"), queryset=None, widget=SearchableSelect)

    def __init__(self, *args, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = documents


class CloseForm(forms.Form):
    """Closing with what KS learnt: tags, and one outcome for each measure linked to the case."""

    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=1000,
        help_text=_("Comma-separated, e.g. “property, planning law, cooperation with the police”."),
    )

    def __init__(self, *args, linked, **kwargs):
        super().__init__(*args, **kwargs)
        for use in linked:
            self.fields[f"outcome_{use.pk}"] = forms.ChoiceField(
                label=_("How did “%(measure)s” go?") % {"measure": use.measure.name},
                choices=Outcome.choices,
                widget=forms.RadioSelect,
            )

    def outcomes(self) -> dict[int, str]:
        return {
            int(name.removeprefix("outcome_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("outcome_")
        }
