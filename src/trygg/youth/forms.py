from django import forms
from django.utils.translation import gettext_lazy as _

from trygg.core import screening
from trygg.core.models import Municipality
from trygg.core.validation import validate_reasonable_date
from trygg.core.widgets import DateInput, SearchableSelect

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
