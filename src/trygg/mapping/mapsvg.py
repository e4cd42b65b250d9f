"""The map of Norway for the national picture: inline SVG built from precomputed paths, no tiles, no JavaScript.

data/build_map_paths.py projects and simplifies the boundaries once; here we only join strings. Colour is never
the only carrier of meaning: every category also has its own pattern, every municipality a <title> naming its
category, and the legend and tables on the page give the same figures. Fills are SVG attributes and CSS rules,
never style attributes, which the CSP forbids.
"""

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from trygg.core.models import Municipality

FULL_SIDE = 1490  # the whole map's larger side (its viewBox is 0 0 1195 1490)
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


@dataclass(frozen=True)
class Box:
    """A bounding box in the map's coordinates."""

    left: int
    top: int
    right: int
    bottom: int

    def union(self, other: "Box") -> "Box":
        return Box(
            min(self.left, other.left),
            min(self.top, other.top),
            max(self.right, other.right),
            max(self.bottom, other.bottom),
        )

    def overlaps(self, other: "Box") -> bool:
        return not (
            other.left > self.right or other.right < self.left or other.top > self.bottom or other.bottom < self.top
        )

    def scale(self) -> float:
        """How much smaller than the whole of Norway the box is (never below a tenth, where patterns stay legible)."""
        return max(0.1, min(1, max(self.right - self.left, self.bottom - self.top) / FULL_SIDE))

    def view_box(self, margin: float = 0.06) -> str:
        """The box as an SVG viewBox, with a margin (a share of its larger side) so borders are not cut off."""
        pad = max(4, round(margin * max(self.right - self.left, self.bottom - self.top)))
        return (
            f"{self.left - pad} {self.top - pad} {self.right - self.left + 2 * pad} {self.bottom - self.top + 2 * pad}"
        )


_STEP = re.compile(r"([Ml])|(-?\d+)")


def _box(d: str) -> Box:
    """The bounding box of path data as build_map_paths.py writes it: ``M x y l dx dy … z`` per ring."""
    xs, ys, numbers, x, y, absolute = [], [], [], 0, 0, True
    for command, number in _STEP.findall(d):
        if command:
            absolute = command == "M"
            continue
        numbers.append(int(number))
        if len(numbers) == 2:
            x, y = (numbers[0], numbers[1]) if absolute else (x + numbers[0], y + numbers[1])
            xs.append(x)
            ys.append(y)
            numbers = []
    return Box(min(xs), min(ys), max(xs), max(ys))


@cache
def _boxes() -> dict[str, Box]:
    """Each municipality's bounding box, by number (computed once per process)."""
    return {number: _box(d) for number, d in _paths()["municipalities"].items()}


def _focus_box(numbers) -> Box | None:
    """The box around the given municipalities, or None when there are none."""
    boxes = [_boxes()[n] for n in numbers if n in _boxes()]
    if not boxes:
        return None
    box = boxes[0]
    for other in boxes[1:]:
        box = box.union(other)
    return box


def _defs(scale: float = 1) -> str:
    """The category patterns; ``scale`` shrinks them on a zoomed map, so they look the same size as on the whole."""
    transform = f' patternTransform="scale({scale:.3f})"' if scale != 1 else ""
    return (
        "<defs>"
        + "".join(
            f'<pattern id="map-pattern-{name}" class="map-pattern-{name}" patternUnits="userSpaceOnUse" '
            f'width="12" height="12"{transform}><rect width="12" height="12" fill="{COLOURS[name]}"/>{pattern}'
            "</pattern>"
            for name, pattern in PATTERNS.items()
        )
        + "</defs>"
    )


def _area_text(area: MapArea, category: str, by_county: bool) -> str:
    """What a municipality's shape says: its own category, or (``by_county``) its county's most common answer."""
    label = category_labels()[category]
    if by_county:
        return _("%(municipality)s, %(county)s: %(category)s (the county's most common answer)") % {
            "municipality": area.name,
            "county": area.county_name,
            "category": label,
        }
    return f"{area.name}: {label}"


def norway_map(
    areas: list[MapArea],
    categories: dict[str, str],
    *,
    by_county: bool,
    title: str,
    focus: set[str] | None = None,
) -> SafeString:
    """The SVG map: one linked, titled path per municipality, filled by its own category or its county's.

    ``categories`` is keyed by municipality number, or by county number when ``by_county`` (viewers without
    municipality-level access see each municipality in its county's colour, never its own answer). With ``focus``
    (municipality numbers) the map zooms to them: only they are links, the neighbours in view are drawn pale for
    context, and municipalities out of view are left out.
    """
    paths = _paths()
    box = _focus_box(focus) if focus else None
    parts = [
        format_html(
            '<svg class="norway-map{}" xmlns="http://www.w3.org/2000/svg" viewBox="{}" aria-labelledby="map-title">'
            '<title id="map-title">{}</title>',
            " zoomed" if box else "",
            box.view_box() if box else paths["viewBox"],
            title,
        ),
        _defs(box.scale() if box else 1),
    ]
    for area in areas:
        category = categories.get(area.county if by_county else area.number, "not_asked")
        if box and area.number not in focus:
            if box.overlaps(_boxes()[area.number]):
                parts.append(
                    f'<path class="m context" fill="#eef1f5" stroke="#ffffff" stroke-width="0.6" '
                    f'd="{paths["municipalities"][area.number]}"/>'
                )
            continue
        text = _area_text(area, category, by_county)
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


def _areas(report_urls: dict[str, str]) -> list[MapArea]:
    """Every municipality, linked to its report where there is one, else to its county's row (one query)."""
    rows = Municipality.objects.values_list("number", "name", "county__number", "county__name").order_by("number")
    return [MapArea(n, name, c, c_name, report_urls.get(n, f"#county-{c}")) for n, name, c, c_name in rows]


def picture_map(picture, report_urls: dict[str, str] | None = None, focus=None, title: str = "") -> SafeString:
    """The map of a national picture: by municipality for full viewers, else by county.

    ``report_urls`` maps municipality numbers to their report; the others link to their county's row
    (``#county-<number>``) on the picture page. ``focus`` (municipality numbers) zooms in, ``title`` then names
    the part of the country shown. Zooming shows nothing the whole map does not: the same categories, by county
    for viewers who see suppressed figures.
    """
    categories = picture.categories if picture.full else picture.county_categories
    if not title:
        title = _("Map of Norway: the situation in each municipality, round %(round)s")
        if not picture.full:
            title = _("Map of Norway: the most common answer in each county, round %(round)s")
        title = title % {"round": picture.round.name}
    areas = _areas(report_urls or {})
    return norway_map(areas, categories, by_county=not picture.full, title=title, focus=set(focus or ()) or None)


@dataclass(frozen=True)
class Tile:
    """One participating municipality drawn on its own, at a scale where its shape can be seen."""

    area: MapArea
    category: str
    label: str  # the category's name
    svg: SafeString


def participant_tiles(picture, report_urls: dict[str, str] | None = None) -> list[Tile]:
    """The round's asked municipalities one by one, in alphabetical order, each filled with its category's colour.

    Viewers who see suppressed figures get each county's most common answer, as on the whole map. The colour is
    a plain fill (the patterns do not scale to such different sizes); the tile's text always names the category.
    """
    participants = set(picture.participants)
    areas = sorted((a for a in _areas(report_urls or {}) if a.number in participants), key=lambda a: a.name)
    categories = picture.categories if picture.full else picture.county_categories
    paths, tiles = _paths(), []
    for area in areas:
        category = categories.get(area.number if picture.full else area.county, "not_asked")
        svg = format_html(
            '<svg class="tile-map" xmlns="http://www.w3.org/2000/svg" viewBox="{}" aria-hidden="true" '
            'focusable="false"><path class="m" fill="{}" stroke="#1e2b3c" stroke-width="1" d="{}"/></svg>',
            _boxes()[area.number].view_box(),
            COLOURS[category],
            paths["municipalities"][area.number],
        )
        tiles.append(Tile(area, category, category_labels()[category], svg))
    return tiles


def patterns() -> SafeString:
    """The category patterns on their own, for pages that show the legend without the whole map."""
    return mark_safe(  # noqa: S308 - our own constants
        '<svg class="map-defs" width="0" height="0" aria-hidden="true" focusable="false">' + _defs() + "</svg>"
    )


def legend_swatch(category: str) -> SafeString:
    """A small square in the category's colour and pattern, for the legend."""
    return format_html(
        '<svg class="swatch" width="20" height="20" viewBox="0 0 20 20" aria-hidden="true" focusable="false">'
        '<rect class="m" fill="url(#map-pattern-{})" x="1" y="1" width="18" height="18"/></svg>',
        category,
    )
