"""Build Trygg's municipality reference data from the boundary files in data/municipalities/.

Run from the repository root:

    .venv/bin/python data/build_municipalities.py

Reads the four GeoJSON files and the hand-maintained police_districts.json (see data/municipalities/SOURCE.md)
and writes, deterministically:

- municipalities.json  the 357 municipalities: number, name, county, population, a point inside the
                       municipality (lat/lon), neighbours, police district and economic region;
- counties.json        the 15 counties: number, name and capital (the county's seat of administration);
- aliases-2011.json    the 430 municipalities of 2011 and which of today's municipalities cover their area.

Areas, lengths and centroids are computed in a sinusoidal projection (x = R * dlon * cos(lat), y = R * lat,
in kilometres), which is equal-area, so they are not distorted by the meridians converging northwards.
The script ends with consistency checks and fails loudly when one of them does not hold.
"""

import json
from pathlib import Path

import numpy as np
import shapely
import shapely.ops
from shapely.geometry import shape

DATA_DIR = Path(__file__).resolve().parent / "municipalities"
LAND_FILE = DATA_DIR / "kommuner-2025-land-s.geojson"
EXTENDED_FILE = DATA_DIR / "kommuner-2025-extended-s.geojson"
COUNTIES_FILE = DATA_DIR / "fylker-2025-land-xs.geojson"
MUNICIPALITIES_2011_FILE = DATA_DIR / "kommuner-2011-extended.geojson"
POLICE_FILE = DATA_DIR / "police_districts.json"

EARTH_RADIUS_KM = 6371.0088
# Central meridian for the country-wide projection (used where only lengths and area ratios matter).
NORWAY_MERIDIAN = 15.0

# Neighbours: two municipalities border each other (on land or at sea) when at least MIN_SHARED_BORDER_KM of
# the boundary of each lies within BORDER_TOLERANCE_KM of the other. Polygons that only meet at a point score
# about 2 * BORDER_TOLERANCE_KM (0.1 km; 0.16 km at most in the data); real shared borders are 0.67+ km.
BORDER_TOLERANCE_KM = 0.05
MIN_SHARED_BORDER_KM = 0.3

# A centroid that falls outside its (ring-shaped or island) municipality is replaced by the nearest point that
# lies at least this far inside the land polygon.
INTERIOR_INSET_KM = 0.25

# 2011 aliases: a municipality of today covers a real share of a 2011 municipality when their overlap is at
# least MIN_AREA_SHARE of the 2011 area and is not a border sliver. The two sources are simplified
# differently, which leaves thin strips along unchanged borders (up to ~5 % of an area); what is left of the
# overlap after shaving SLIVER_WIDTH_KM off its edges must still be at least MIN_CORE_SHARE of the 2011 area.
# (Real transfers that are as narrow as a sliver, such as Vear from Stokke to Tønsberg in 2017, are missed.)
MIN_AREA_SHARE = 0.02
SLIVER_WIDTH_KM = 1.0
MIN_CORE_SHARE = 0.005

# Pairs that must (and must not) come out as neighbours: a sanity check of the neighbour computation.
KNOWN_NEIGHBOURS = [
    ("0301", "3201"),  # Oslo - Bærum
    ("0301", "3207"),  # Oslo - Nordre Follo
    ("4601", "4631"),  # Bergen - Alver
    ("5001", "5031"),  # Trondheim - Malvik
    ("5501", "5532"),  # Tromsø - Balsfjord
    ("3301", "3314"),  # Drammen - Øvre Eiker
]
KNOWN_NOT_NEIGHBOURS = [("0301", "4601")]  # Oslo - Bergen
# 2011 municipality -> today's municipality that must hold the largest share of its area.
KNOWN_PRIMARY_2011 = {
    "0301": "0301",  # Oslo
    "0219": "3201",  # Bærum
    "0602": "3301",  # Drammen
    "0706": "3907",  # Sandefjord
    "0719": "3907",  # Andebu -> Sandefjord
    "0720": "3907",  # Stokke -> Sandefjord
    "1902": "5501",  # Tromsø
}
# 2011 Snillfjord was split between Orkland, Hitra and Heim.
KNOWN_SPLIT_2011 = {"1613": ["5059", "5056", "5055"]}


def load_features(path: Path) -> list[dict]:
    """The features of a GeoJSON file."""
    with path.open(encoding="utf-8") as file:
        return json.load(file)["features"]


def write_json(path: Path, data: object) -> None:
    """Write data as stable, diff-friendly UTF-8 JSON."""
    with path.open("w", encoding="utf-8", newline="\n") as file:
        json.dump(data, file, ensure_ascii=False, indent=1, sort_keys=True)
        file.write("\n")


def project(geometry: shapely.Geometry, meridian: float) -> shapely.Geometry:
    """Sinusoidal projection (equal-area, kilometres) of a lon/lat geometry around the given meridian."""

    def forward(coords: np.ndarray) -> np.ndarray:
        lon, lat = np.radians(coords[:, 0] - meridian), np.radians(coords[:, 1])
        return np.column_stack([lon * np.cos(lat), lat]) * EARTH_RADIUS_KM

    return shapely.transform(geometry, forward)


def unproject(point: shapely.Point, meridian: float) -> tuple[float, float]:
    """(lat, lon) in degrees of a point in the sinusoidal projection around the given meridian."""
    lat = point.y / EARTH_RADIUS_KM
    return float(np.degrees(lat)), float(meridian + np.degrees(point.x / EARTH_RADIUS_KM / np.cos(lat)))


def land_municipalities() -> dict[str, tuple[dict, shapely.Geometry]]:
    """Attributes and land polygon by municipality number; polygons the simplification broke are repaired."""
    return {
        feature["properties"]["kommune_no"]: (
            feature["properties"],
            shapely.make_valid(shape(feature["geometry"])),
        )
        for feature in load_features(LAND_FILE)
    }


def interior_centre(land: shapely.Geometry) -> tuple[float, float]:
    """(lat, lon) of the area centroid of a land polygon, or the nearest point inside if it falls outside."""
    min_lon, _, max_lon, _ = land.bounds
    meridian = (min_lon + max_lon) / 2
    projected = project(land, meridian)
    centre = projected.centroid
    if not projected.contains(centre):
        centre = shapely.ops.nearest_points(projected.buffer(-INTERIOR_INSET_KM), centre)[0]
    lat, lon = unproject(centre, meridian)
    return round(lat, 5), round(lon, 5)


def shared_border_km(a: shapely.Geometry, b: shapely.Geometry) -> float:
    """Length of the border two polygons share, tolerant of small gaps and overlaps between them."""
    return min(
        a.boundary.intersection(b.buffer(BORDER_TOLERANCE_KM)).length,
        b.boundary.intersection(a.buffer(BORDER_TOLERANCE_KM)).length,
    )


def neighbours(extended: dict[str, shapely.Geometry]) -> dict[str, list[str]]:
    """Sorted neighbour numbers for every municipality, from the polygons extended to the sea border."""
    numbers = sorted(extended)
    geometries = [project(extended[number], NORWAY_MERIDIAN) for number in numbers]
    result: dict[str, set[str]] = {number: set() for number in numbers}
    candidates = shapely.STRtree(geometries).query(geometries, predicate="dwithin", distance=BORDER_TOLERANCE_KM)
    for i, j in zip(*candidates, strict=True):
        if i < j and shared_border_km(geometries[i], geometries[j]) >= MIN_SHARED_BORDER_KM:
            result[numbers[i]].add(numbers[j])
            result[numbers[j]].add(numbers[i])
    return {number: sorted(found) for number, found in result.items()}


def police_district_lookup() -> tuple[list[dict], dict[str, str], dict[str, str]]:
    """The police districts, the district of each county and the municipalities that are exceptions to it."""
    with POLICE_FILE.open(encoding="utf-8") as file:
        police = json.load(file)
    return police["districts"], police["by_county"], police["exceptions"]


def build_municipalities() -> list[dict]:
    """municipalities.json: one object per municipality of today, sorted by number."""
    extended = {
        feature["properties"]["kommune_no"]: shape(feature["geometry"]) for feature in load_features(EXTENDED_FILE)
    }
    neighbour_lists = neighbours(extended)
    _, by_county, exceptions = police_district_lookup()
    municipalities = []
    for number, (properties, land) in sorted(land_municipalities().items()):
        lat, lon = interior_centre(land)
        municipalities.append(
            {
                "number": number,
                "name": properties["kommune_name"],
                "county": properties["fylke_no"],
                "population": int(properties["population"]),
                "lat": lat,
                "lon": lon,
                "neighbours": neighbour_lists[number],
                "police_district": exceptions.get(number, by_county.get(properties["fylke_no"])),
                "economic_region": properties["economic_region_name"],
            }
        )
    return municipalities


# Each county's seat of administration (administrasjonssenter), entered by hand; Akershus is run from Oslo.
COUNTY_CAPITALS = {
    "03": "0301", "11": "1103", "15": "1506", "18": "1804", "31": "3105", "32": "0301", "33": "3301", "34": "3403",
    "39": "3905", "40": "4003", "42": "4204", "46": "4601", "50": "5006", "55": "5501", "56": "5607",
}  # fmt: skip


def build_counties() -> list[dict]:
    """counties.json: the counties of today with their capitals, sorted by number."""
    return sorted(
        (
            {
                "name": feature["properties"]["fylke_name"],
                "number": feature["properties"]["fylke_no"],
                "capital": COUNTY_CAPITALS[feature["properties"]["fylke_no"]],
            }
            for feature in load_features(COUNTIES_FILE)
        ),
        key=lambda county: county["number"],
    )


def build_aliases_2011() -> list[dict]:
    """aliases-2011.json: each 2011 municipality with today's municipalities that cover a real share of it."""
    today = sorted(
        (feature["properties"]["kommune_no"], project(shape(feature["geometry"]), NORWAY_MERIDIAN))
        for feature in load_features(EXTENDED_FILE)
    )
    tree = shapely.STRtree([geometry for _, geometry in today])
    aliases = []
    old_features = sorted(load_features(MUNICIPALITIES_2011_FILE), key=lambda f: f["properties"]["kommune_no"])
    for feature in old_features:
        old = project(shape(feature["geometry"]), NORWAY_MERIDIAN)
        shares = []
        for index in tree.query(old, predicate="intersects"):
            number, geometry = today[index]
            overlap = old.intersection(geometry)
            share = overlap.area / old.area
            core_share = overlap.buffer(-SLIVER_WIDTH_KM).area / old.area
            if share >= MIN_AREA_SHARE and core_share >= MIN_CORE_SHARE:
                shares.append((-share, number))
        current = [number for _, number in sorted(shares)]
        aliases.append(
            {
                "number": feature["properties"]["kommune_no"],
                "name": feature["properties"]["kommune_name"],
                "year": 2011,
                "current": current,
                "primary": current[0] if current else None,
            }
        )
    return aliases


def check(municipalities: list[dict], counties: list[dict], aliases: list[dict]) -> None:
    """Fail with a clear message when the derived data is inconsistent or implausible."""
    by_number = {municipality["number"]: municipality for municipality in municipalities}
    assert len(municipalities) == 357, f"expected 357 municipalities, got {len(municipalities)}"
    assert len(by_number) == len(municipalities), "municipality numbers are not unique"
    assert all(len(number) == 4 and number.isdigit() for number in by_number), "a number is not 4 digits"

    county_numbers = {county["number"] for county in counties}
    assert len(counties) == 15, f"expected 15 counties, got {len(counties)}"
    used_counties = {municipality["county"] for municipality in municipalities}
    assert used_counties == county_numbers, f"counties differ: {sorted(used_counties ^ county_numbers)}"
    for number, municipality in by_number.items():
        assert number.startswith(municipality["county"]), f"{number} does not start with its county number"

    for number, (_, land) in land_municipalities().items():
        point = shapely.Point(by_number[number]["lon"], by_number[number]["lat"])
        assert land.contains(point), f"the point of {number} {by_number[number]['name']} lies outside it"

    for number, municipality in by_number.items():
        for other in municipality["neighbours"]:
            assert other in by_number, f"{number} has an unknown neighbour {other}"
            assert number in by_number[other]["neighbours"], f"neighbours not symmetric: {number} - {other}"
    for a, b in KNOWN_NEIGHBOURS:
        assert b in by_number[a]["neighbours"], f"{a} and {b} should be neighbours"
    for a, b in KNOWN_NOT_NEIGHBOURS:
        assert b not in by_number[a]["neighbours"], f"{a} and {b} should not be neighbours"

    districts, by_county, exceptions = police_district_lookup()
    slugs = {district["slug"] for district in districts}
    assert len(slugs) == 12, f"expected 12 police districts, got {len(slugs)}"
    used_slugs = set(by_county.values()) | set(exceptions.values())
    assert used_slugs <= slugs, f"police_districts.json uses unknown slugs {sorted(used_slugs - slugs)}"
    assert set(by_county) <= county_numbers, "police_districts.json maps an unknown county"
    assert set(exceptions) <= set(by_number), "police_districts.json has an exception for an unknown number"

    assert len(aliases) == 430, f"expected 430 aliases for 2011, got {len(aliases)}"
    assert len({alias["number"] for alias in aliases}) == 430, "2011 municipality numbers are not unique"
    for alias in aliases:
        label = f"2011 {alias['number']} {alias['name']}"
        assert alias["primary"] in by_number, f"{label} has no primary municipality of today"
        assert alias["primary"] == alias["current"][0], f"{label}: primary is not the largest share"
        assert set(alias["current"]) <= set(by_number), f"{label} refers to an unknown municipality"
    aliases_by_number = {alias["number"]: alias for alias in aliases}
    for old, new in KNOWN_PRIMARY_2011.items():
        assert aliases_by_number[old]["primary"] == new, f"2011 {old} should map to {new} first"
    for old, current in KNOWN_SPLIT_2011.items():
        assert aliases_by_number[old]["current"] == current, f"2011 {old} should map to {current}"


def main() -> None:
    municipalities = build_municipalities()
    counties = build_counties()
    aliases = build_aliases_2011()
    check(municipalities, counties, aliases)
    write_json(DATA_DIR / "municipalities.json", municipalities)
    write_json(DATA_DIR / "counties.json", counties)
    write_json(DATA_DIR / "aliases-2011.json", aliases)
    isolated = [municipality["name"] for municipality in municipalities if not municipality["neighbours"]]
    split = sum(len(alias["current"]) > 1 for alias in aliases)
    print(
        f"Wrote {len(municipalities)} municipalities, {len(counties)} counties and {len(aliases)} aliases "
        f"for 2011 ({split} split between several municipalities of today) to {DATA_DIR}. "
        f"Without neighbours: {', '.join(isolated) or 'none'}."
    )


if __name__ == "__main__":
    main()
