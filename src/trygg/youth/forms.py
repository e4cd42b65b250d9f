from django import forms
from django.utils.translation import gettext_lazy as _

from trygg.core import screening
from trygg.core.models import Municipality, User
from trygg.core.validation import validate_reasonable_date
from trygg.core.widgets import DateInput, SearchableSelect, SearchableSelectMultiple

from .models import Level, Survey
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
