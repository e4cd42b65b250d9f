"""Form widgets every app shares, so that a date, a country or a long list looks and works the same everywhere.

Searchable selects stay plain ``<select>`` elements (they work without JavaScript); ``core/trygg.js`` turns those
marked ``data-searchable`` into search-as-you-type fields with Tom Select, served from core's static files.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class SearchableSelect(forms.Select):
    """A select with a search field: for long lists such as the 357 municipalities."""

    def __init__(self, attrs=None, choices=()):
        attrs = {
            "data-searchable": "",
            "data-placeholder": _("Type to search …"),
            "data-no-results": _("Nothing matches"),
            **(attrs or {}),
        }
        super().__init__(attrs, choices)


class SearchableSelectMultiple(SearchableSelect, forms.SelectMultiple):
    """Several choices from a long list, picked by typing, without ctrl-click."""


def country_choices():
    """Every country by its name in the active language, Norway first (most events and organisations are here)."""
    return [("NO", countries.name("NO")), *((code, name) for code, name in countries if code != "NO")]


class CountryField(forms.ChoiceField):
    """An ISO 3166 country code chosen by the country's name."""

    widget = SearchableSelect

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Country"))
        super().__init__(choices=country_choices, **kwargs)


class MunicipalitiesInput(forms.Textarea):
    """Municipalities typed as names or numbers, one per line or comma; with JavaScript, picked by searching.

    The text stays the field's value (former names from 2011 keep working), so the form needs no JavaScript; the
    list of municipalities travels with the field as JSON for the search.
    """

    template_name = "core/widgets/municipalities.html"

    def __init__(self, attrs=None):
        super().__init__({"rows": 3, "data-placeholder": _("Type to search …"), **(attrs or {})})

    def get_context(self, name, value, attrs):
        from .models import Municipality

        context = super().get_context(name, value, attrs)
        options_id = f"{context['widget']['attrs'].get('id', name)}-options"
        context["widget"]["attrs"]["data-municipalities"] = options_id
        context["widget"]["options_id"] = options_id
        context["widget"]["options"] = [
            {"value": number, "text": f"{name} ({number})"}
            for number, name in Municipality.objects.order_by("name").values_list("number", "name")
        ]
        return context
