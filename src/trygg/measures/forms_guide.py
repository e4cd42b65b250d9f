"""Forms of the guide: an editorial chapter, publishing an edition, and choosing two editions to compare.

The rules (HTML refused, anchors the guide keeps for itself, who saved last) live in ``guide``; these forms only
check the shape of what was typed. No field has a browser ``maxlength``: a long paste must reach the server and
come back with a message, never be cut silently.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import TEXT_LIMIT, Chapter, Edition


def _no_maxlength(form: forms.Form) -> None:
    for field in form.fields.values():
        field.widget.attrs.pop("maxlength", None)


class ChapterForm(forms.Form):
    """``revision`` is the stored revision the form was loaded at (empty for a new chapter)."""

    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Title"), max_length=200)
    slug = forms.SlugField(
        label=_("Anchor"),
        max_length=80,
        required=False,
        help_text=_(
            "The end of the chapter's link, e.g. “innledning”: small letters, digits and hyphens. Left empty, it is "
            "made from the title. Changing it breaks links to the chapter."
        ),
    )
    placement = forms.ChoiceField(label=_("Placement"), choices=Chapter.Placement.choices)
    position = forms.IntegerField(
        label=_("Position"),
        min_value=0,
        max_value=999,
        initial=0,
        help_text=_("Chapters with the same placement follow each other in this order, lowest first."),
    )
    body = forms.CharField(
        label=_("Text"),
        max_length=TEXT_LIMIT * 3,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_(
            "Markdown: **bold**, *italic*, lists with “- ” or “1. ”, headings with “## ”, links as "
            "[text](https://…). HTML is not allowed."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _no_maxlength(self)

    def chapter_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("title", "slug", "placement", "position", "body")}


class EditionForm(forms.Form):
    notes = forms.CharField(
        label=_("What is new in this edition"),
        max_length=Edition._meta.get_field("notes").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("A few sentences for readers: shown on the edition's page and on the cover of the PDF."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _no_maxlength(self)


class CompareForm(forms.Form):
    """Two editions by number; ``fra``/``til`` are the query's Norwegian names, as in the address."""

    fra = forms.TypedChoiceField(label=_("From edition"), coerce=int)
    til = forms.TypedChoiceField(label=_("To edition"), coerce=int)

    def __init__(self, *args, numbers: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(number, _("Edition %(number)s") % {"number": number}) for number in numbers]
        for name in ("fra", "til"):
            self.fields[name].choices = choices
            self.fields[name].error_messages["invalid_choice"] = _("There is no edition with that number.")
            self.fields[name].error_messages["required"] = _("Choose an edition.")

    def clean(self):
        data = super().clean()
        if data.get("fra") is not None and data.get("fra") == data.get("til"):
            raise forms.ValidationError(_("Choose two different editions."))
        return data
