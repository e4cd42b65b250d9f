"""The map of Norway for the national picture: inline SVG built from precomputed paths, no tiles, no JavaScript.

data/build_map_paths.py projects and simplifies the boundaries once; here we only join strings. Colour is never
the only carrier of meaning: every category also has its own pattern, every municipality a <title> naming its
category, and the legend and tables on the page give the same figures. Fills are SVG attributes and CSS rules,
never style attributes, which the CSP forbids.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from trygg.core.models import Municipality

PATHS_FILE = Path(settings.DATA_DIR) / "municipalities" / "map-paths.json"

# Sober, Designsystemet-like: dark blue for a "1 %" group to pale for neither, greys where nothing is known.
# Attributes of the patterns, not CSS, so the page and a standalone SVG (the PDF brief) show the same colours.
COLOURS = {
    "group": "#0b4f8a",
    "crews": "#7fa9d3",
    "neither": "#c6d9ee",
    "unanswered": "#ffffff",
    "suppressed": "#e6e9ee",
    "not_asked": "#f3f5f8",
}

# Patterns drawn over each category's colour: hatching, dots, plain, light hatching,
# crosses, plain.
PATTERNS = {
    "group": '<path d="M0 12L12 0M-3 3L3-3M9 15L15 9" stroke="#fff" stroke-width="2.5"/>',
    "crews": '<circle cx="6" cy="6" r="2.2" fill="#1e2b3c"/>',
    "neither": "",
    "unanswered": '<path d="M0 12L12 0M-3 3L3-3M9 15L15 9" stroke="#6b7685" stroke-width="1"/>',
    "suppressed": '<path d="M3 3L9 9M9 3L3 9" stroke="#4b5767" stroke-width="1.2"/>',
    "not_asked": "",
}


def category_labels() -> dict[str, str]:
    """Translated names of the categories, for titles, the legend and the tables."""
    return {
        "group": _("Hosts a “1 %” group"),
        "crews": _("Support groups (crews) only"),
        "neither": _("Neither"),
        "unanswered": _("Not answered"),
        "suppressed": _("Not shown: too few answered"),
        "not_asked": _("Not asked"),
    }


@dataclass(frozen=True)
class MapArea:
    """A municipality on the map: its number, name and county, and where clicking it leads."""

    number: str
    name: str
    county: str
    county_name: str
    href: str


@cache
def _paths() -> dict:
    return json.loads(PATHS_FILE.read_text())


def _defs() -> str:
    return (
        "<defs>"
        + "".join(
            f'<pattern id="map-pattern-{name}" class="map-pattern-{name}" patternUnits="userSpaceOnUse" '
            f'width="12" height="12"><rect width="12" height="12" fill="{COLOURS[name]}"/>{pattern}</pattern>'
            for name, pattern in PATTERNS.items()
        )
        + "</defs>"
    )


def norway_map(areas: list[MapArea], categories: dict[str, str], *, by_county: bool, title: str) -> SafeString:
    """The SVG map: one linked, titled path per municipality, filled by its own category or its county's.

    ``categories`` is keyed by municipality number, or by county number when ``by_county`` (viewers without
    municipality-level access see each municipality in its county's colour, never its own answer).
    """
    paths = _paths()
    labels = category_labels()
    parts = [
        format_html(
            '<svg class="norway-map" xmlns="http://www.w3.org/2000/svg" viewBox="{}" aria-labelledby="map-title">'
            '<title id="map-title">{}</title>',
            paths["viewBox"],
            title,
        ),
        _defs(),
    ]
    for area in areas:
        category = categories.get(area.county if by_county else area.number, "not_asked")
        if by_county:
            text = _("%(municipality)s, %(county)s: %(category)s (the county's most common answer)") % {
                "municipality": area.name,
                "county": area.county_name,
                "category": labels[category],
            }
        else:
            text = f"{area.name}: {labels[category]}"
        parts.append(
            f'<a href="{escape(area.href)}"><title>{escape(text)}</title>'
            f'<path class="m" fill="url(#map-pattern-{category})" stroke="#ffffff" stroke-width="0.6" '
            f'd="{paths["municipalities"][area.number]}"/></a>'
        )
    # Presentation attributes, not only CSS, so the map is the same where no style sheet applies (the PDF brief).
    parts.append(
        '<g class="map-counties" aria-hidden="true" fill="none" stroke="#1e2b3c" stroke-width="1.6" '
        'stroke-linejoin="round">'
    )
    parts.extend(f'<path d="{d}"/>' for d in paths["counties"].values())
    parts.append("</g></svg>")
    # Safe: the title went through format_html, names and hrefs through escape; defs and paths are our own.
    return mark_safe("".join(parts))  # noqa: S308


def picture_map(picture, report_urls: dict[str, str] | None = None) -> SafeString:
    """The map of a national picture: by municipality for full viewers, else by county (one query for names).

    ``report_urls`` maps municipality numbers to their report; the others link to their county's row
    (``#county-<number>``) on the picture page.
    """
    report_urls = report_urls or {}
    rows = Municipality.objects.values_list("number", "name", "county__number", "county__name").order_by("number")
    areas = [MapArea(n, name, c, c_name, report_urls.get(n, f"#county-{c}")) for n, name, c, c_name in rows]
    categories = picture.categories if picture.full else picture.county_categories
    title = _("Map of Norway: the situation in each municipality, round %(round)s")
    if not picture.full:
        title = _("Map of Norway: the most common answer in each county, round %(round)s")
    return norway_map(areas, categories, by_county=not picture.full, title=title % {"round": picture.round.name})


def legend_swatch(category: str) -> SafeString:
    """A small square in the category's colour and pattern, for the legend."""
    return format_html(
        '<svg class="swatch" width="20" height="20" viewBox="0 0 20 20" aria-hidden="true" focusable="false">'
        '<rect class="m" fill="url(#map-pattern-{})" x="1" y="1" width="18" height="18"/></svg>',
        category,
    )
