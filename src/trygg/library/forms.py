"""The library's forms: search with facets, and the upload with the document's metadata."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from trygg.core import screening
from trygg.core.validation import nfc, validate_visible
from trygg.core.widgets import SearchableSelectMultiple
from trygg.events.models import Event, ProgrammeItem
from trygg.measures.models import Edition, Source

from . import services
from .finding import Filters
from .models import Access, Document, Kind, Language


class SearchForm(forms.Form):
    """Search words and facet filters; a made-up value is dropped with a message, never an error page."""

    q = forms.CharField(
        label=_("Search"), required=False, max_length=200, widget=forms.TextInput(attrs={"type": "search"})
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *Kind.choices])
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2100)
    organisation = forms.CharField(label=_("Organisation"), required=False, max_length=200)
    topic = forms.CharField(label=_("Topic"), required=False, max_length=100)
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("All languages")), *Language.choices]
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000, widget=forms.HiddenInput)

    def filters(self) -> Filters:
        names = ("q", "kind", "year", "organisation", "topic", "language")
        data = {name: self.cleaned_data.get(name) for name in names}
        return Filters(**{name: value or ("" if name != "year" else None) for name, value in data.items()})


def _lines(value: str, separator: str | None = None) -> list[str]:
    parts = value.split(separator) if separator else value.splitlines()
    return [nfc(part.strip()) for part in parts if part.strip()]


class UploadForm(forms.ModelForm):
    """The original file and what the library says about it; the file's type is judged from its content."""

    upload = forms.FileField(
        label=_("File"),
        help_text=_("PDF, PowerPoint (.pptx), Word (.docx), OpenDocument text (.odt), plain text or Markdown."),
    )
    authors_text = forms.CharField(
        label=_("Authors"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One a line, as “Family name, Given name”."),
    )
    topics_text = forms.CharField(
        label=_("Topics"), required=False, max_length=500, help_text=_("Separated by commas, e.g. “MC crime, youth”.")
    )

    class Meta:
        model = Document
        fields = ["title", "organisation", "year", "kind", "language", "access", "summary"]
        links = ["events", "talks", "sources", "edition"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"language": _("Leave empty and the library will tell from the text.")}

    events = forms.ModelMultipleChoiceField(
        label=_("Events"),
        queryset=Event.objects.order_by("-start_date"),
        required=False,
        widget=SearchableSelectMultiple,
        help_text=_("The events the document comes from, such as a seminar's report."),
    )
    talks = forms.ModelMultipleChoiceField(
        label=_("Talks"),
        queryset=ProgrammeItem.objects.select_related("event").order_by("-start"),
        required=False,
        widget=SearchableSelectMultiple,
        help_text=_("The talks these are the slides of: shown on the event's page."),
    )
    sources = forms.ModelMultipleChoiceField(
        label=_("Sources of measures"),
        queryset=Source.objects.all(),
        required=False,
        widget=SearchableSelectMultiple,
        help_text=_("The measures' sources this document is the text of: shown on those measures' pages."),
    )
    edition = forms.ModelChoiceField(label=_("Edition of the guide"), queryset=Edition.objects.all(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["talks"].label_from_instance = lambda talk: f"{talk.event.title}: {talk.title}"
        self.fields["language"].required = False
        self.fields["year"].validators.append(self._sensible_year)
        self.fields["access"].initial = Access.MUNICIPALITIES
        self.fields["title"].validators.append(validate_visible)
        for name in ("title", "organisation", "summary", "authors_text", "topics_text"):
            self.fields[name].validators.append(screening.validator())

    @staticmethod
    def _sensible_year(value):
        if value is not None and not 1900 <= value <= dt.date.today().year + 1:
            raise forms.ValidationError(_("Give a year between 1900 and next year."))

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        try:
            services.check_upload(upload)
        except services.UploadRefused as refused:
            raise forms.ValidationError(refused.message) from refused
        return upload

    def data_for_service(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["title"], data["organisation"] = nfc(data["title"].strip()), nfc(data["organisation"].strip())
        data["authors"] = _lines(self.cleaned_data["authors_text"])
        data["topics"] = list(dict.fromkeys(_lines(self.cleaned_data["topics_text"], ",")))
        data.update({name: self.cleaned_data[name] for name in self.Meta.links})
        return data
