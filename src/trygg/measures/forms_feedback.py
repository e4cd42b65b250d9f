"""The group-work form: a group's verdict on one measure, quick to fill in on a phone during the event."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import catalogue, feedback
from .models import Transferability


class GroupVerdictForm(forms.Form):
    """``groups`` are the (number, label) pairs the select offers; the service judges whether the group exists and
    whether the user may speak for it, so a stale or forged number gets the service's message."""

    group = forms.IntegerField(
        label=_("Group"),
        min_value=1,
        max_value=32767,
        widget=forms.Select,
        error_messages={"required": _("Choose the group."), "invalid": _("Choose the group from the list.")},
    )
    measure = forms.ModelChoiceField(
        catalogue.published().order_by("name"),
        label=_("Measure"),
        to_field_name="key",
        empty_label=_("— choose a measure —"),
        error_messages={"invalid_choice": _("Choose a published measure from the list.")},
    )
    transferability = forms.ChoiceField(
        label=_("How well does it carry over to Norwegian municipalities?"),
        choices=Transferability.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how transferable the measure is.")},
    )
    reasons = forms.CharField(
        label=_("Why?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=feedback.REASONS_LIMIT,
        validators=[feedback.screen],
        help_text=_("What the group said: conditions, obstacles, what it would take. Do not name persons."),
        error_messages={"required": _("Say why the group judged as it did.")},
    )

    def __init__(self, *args, groups: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].widget.choices = groups
        self.fields["reasons"].widget.attrs.pop("maxlength", None)  # a long paste gets a message, not a cut
