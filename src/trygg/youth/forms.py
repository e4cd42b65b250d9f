from django import forms
from django.utils.translation import gettext_lazy as _

from trygg.core import screening
from trygg.core.models import Municipality, User
from trygg.core.validation import validate_reasonable_date
from trygg.core.widgets import DateInput, SearchableSelect, SearchableSelectMultiple

from .models import Level, Survey
from .own import KINDS, LANGUAGES, kind_label, question
from .services import theme_choices


class OrderForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none(), widget=SearchableSelect, empty_label=None
    )
    starts_on = forms.DateField(label=_("First day"), widget=DateInput, validators=[validate_reasonable_date])
    ends_on = forms.DateField(label=_("Last day"), widget=DateInput, validators=[validate_reasonable_date])
    themes = forms.MultipleChoiceField(
        label=_("Theme modules besides the core questions (not for grades 5–7)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    classes = forms.CharField(
        label=_("Classes"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One class per line: school; class; grade; pupils. E.g. “Nordnes skole; 8A; 8; 24”. "
                    "Upper secondary: VG1–VG3 are grades 11–13."),
        validators=[screening.validator()],
    )  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        municipalities = Municipality.objects.order_by("name")
        if not user.has_perm("youth.approve_survey"):
            municipalities = municipalities.filter(pk__in=user.municipalities.values("pk"))
        self.fields["municipality"].queryset = municipalities
        self.fields["themes"].choices = theme_choices()


class GrantForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Researcher"), queryset=User.objects.none(), widget=SearchableSelect)
    purpose = forms.CharField(
        label=_("Purpose"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the answers are used for; it goes into the audit trail with every download."),
        max_length=2000,
        validators=[screening.validator()],
    )
    surveys = forms.ModelMultipleChoiceField(
        label=_("Surveys"),
        queryset=Survey.objects.none(),
        required=False,
        widget=SearchableSelectMultiple,
        help_text=_("Closed surveys. Or leave empty and choose a year (and level) below."),
    )
    year = forms.IntegerField(label=_("Survey year"), required=False, min_value=2000, max_value=2100)
    level = forms.ChoiceField(label=_("School level"), required=False, choices=[("", _("All levels")), *Level.choices])
    until = forms.DateField(label=_("Access until"), widget=DateInput, validators=[validate_reasonable_date])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(is_active=True).order_by("username")
        self.fields["surveys"].queryset = Survey.objects.filter(status=Survey.Status.CLOSED).select_related(
            "municipality"
        )


class OwnQuestionForm(forms.Form):
    """One of a municipality's own questions. No free text is offered: a pupil's own words end anonymity."""

    text_nb = forms.CharField(label=_("Question (bokmål)"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    text_nn = forms.CharField(
        label=_("Question (nynorsk)"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    text_en = forms.CharField(
        label=_("Question (English)"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    kind = forms.ChoiceField(label=_("Kind of answer"), widget=forms.RadioSelect)
    options_nb = forms.CharField(
        label=_("Answer options (bokmål)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line. Not for a number question. Pupils may always skip or choose "
                    "“I don't want to answer”."),
    )  # fmt: skip
    options_nn = forms.CharField(
        label=_("Answer options (nynorsk)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Optional: as many lines as in bokmål, in the same order."),
    )
    options_en = forms.CharField(
        label=_("Answer options (English)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Optional: as many lines as in bokmål, in the same order."),
    )
    minimum = forms.IntegerField(
        label=_("Lowest answer (number question)"), required=False, min_value=-10000, max_value=10000
    )
    maximum = forms.IntegerField(
        label=_("Highest answer (number question)"), required=False, min_value=-10000, max_value=10000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind.value, kind_label(kind)) for kind in KINDS]
        for name, field in self.fields.items():
            if name.startswith(("text_", "options_")):
                field.validators.append(screening.validator())

    @classmethod
    def initial_from(cls, entry: dict) -> dict:
        """The form's initial data from a stored question."""
        initial = {f"text_{language}": text for language, text in entry["text"].items()}
        initial.update(kind=entry["kind"], minimum=entry.get("minimum"), maximum=entry.get("maximum"))
        for language in LANGUAGES:
            labels = [option["label"].get(language, "") for option in entry.get("options", [])]
            initial[f"options_{language}"] = "\n".join(labels) if any(labels) else ""
        return initial

    def entry(self) -> dict:
        """The question's definition (``own.question``); raises SurveyError with a message for the writer."""
        data = self.cleaned_data
        return question(
            data["kind"],
            {language: data[f"text_{language}"] for language in LANGUAGES},
            {language: data[f"options_{language}"].splitlines() for language in LANGUAGES},
            data["minimum"],
            data["maximum"],
        )
