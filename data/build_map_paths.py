"""Build the projected, simplified SVG paths of Norway's municipalities and counties for the national picture's map.

Run from the repository root:

    .venv/bin/python data/build_map_paths.py

Reads kommuner-2025-land-s.geojson (and fylker-2025-land-xs.geojson, to check the county numbers) and writes
map-paths.json: {"viewBox": "...", "municipalities": {number: d}, "counties": {number: d}}. Doing the geometry
once here means a page only pastes strings together, and the running app needs no shapely.

- Projection: Lambert conformal conic (standard parallels 60° and 70° N, centred on 15° E), so Norway has the
  shape people know from maps, the north not stretched sideways as in a plain longitude/latitude plot.
- Simplification: shapely's coverage_simplify, which simplifies shared borders once, so neighbours still meet
  without gaps or overlaps; islands smaller than MIN_ISLAND_KM2 are dropped, but never a municipality's largest
  part (Utsira and Kvitsøy stay on the map).
- A municipality too small to keep a shape at this scale (Kvitsøy, Røst…) is drawn as a small diamond.
- Counties are the union of their simplified municipalities, so county outlines lie exactly on municipal borders.
The output is deterministic (sorted keys, integer coordinates) and checked at the end.
"""

import json
import math
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon, shape

DATA_DIR = Path(__file__).resolve().parent / "municipalities"
LAND_FILE = DATA_DIR / "kommuner-2025-land-s.geojson"
COUNTIES_FILE = DATA_DIR / "fylker-2025-land-xs.geojson"
OUT_FILE = DATA_DIR / "map-paths.json"

EARTH_RADIUS_KM = 6371.0088
PARALLELS = (60.0, 70.0)  # standard parallels of the conic projection
ORIGIN = (15.0, 65.0)  # central meridian and latitude of origin
SIMPLIFY_KM = 1.0  # coverage_simplify tolerance
MIN_ISLAND_KM2 = 2.0  # smaller extra parts of a municipality are left out at this scale
UNITS_PER_KM = 1.0  # SVG user units per km: Norway becomes about 1200 × 1500 units, drawn with integers
MARGIN = 5
TINY = 2  # half-size of the marker drawn for a municipality too small to show its shape
MAX_BYTES = 400_000


def lambert(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lambert conformal conic on a sphere, in km; y grows northwards."""
    phi1, phi2 = (math.radians(p) for p in PARALLELS)
    lon0, phi0 = (math.radians(v) for v in ORIGIN)
    n = math.log(math.cos(phi1) / math.cos(phi2)) / math.log(
        math.tan(math.pi / 4 + phi2 / 2) / math.tan(math.pi / 4 + phi1 / 2)
    )
    f = math.cos(phi1) * math.tan(math.pi / 4 + phi1 / 2) ** n / n
    rho0 = EARTH_RADIUS_KM * f / math.tan(math.pi / 4 + phi0 / 2) ** n
    rho = EARTH_RADIUS_KM * f / np.tan(np.pi / 4 + np.radians(lat) / 2) ** n
    theta = n * (np.radians(lon) - lon0)
    return rho * np.sin(theta), rho0 - rho * np.cos(theta)


def project(geometry):
    return shapely.transform(geometry, lambda xy: np.column_stack(lambert(xy[:, 0], xy[:, 1])))


def polygons(geometry) -> list[Polygon]:
    if isinstance(geometry, Polygon):
        return [geometry]
    return [part for part in getattr(geometry, "geoms", []) if isinstance(part, Polygon | MultiPolygon)]


def keep_parts(geometry) -> MultiPolygon:
    """Drop the small islands, but always keep the largest part."""
    parts = sorted((p for g in polygons(geometry) for p in polygons(g)), key=lambda p: -p.area)
    return MultiPolygon([parts[0], *[p for p in parts[1:] if p.area >= MIN_ISLAND_KM2]])


def path_data(geometry, to_svg) -> str:
    """SVG path data: one subpath per ring, absolute start, relative integer steps; repeated points dropped."""
    commands = []
    for polygon in polygons(geometry):
        for ring in [polygon.exterior, *polygon.interiors]:
            points = [to_svg(x, y) for x, y in ring.coords]
            steps, previous = [], points[0]
            for point in points[1:]:
                if point != previous:
                    steps.append(f"{point[0] - previous[0]} {point[1] - previous[1]}")
                    previous = point
            if len(steps) >= 3:
                commands.append(f"M{points[0][0]} {points[0][1]}l" + " ".join(steps).replace(" -", "-") + "z")
    if not commands:
        # Smaller than a few units at this scale (Kvitsøy, Røst): a small diamond, so it can still be seen and clicked.
        x, y = to_svg(*geometry.representative_point().coords[0])
        commands.append(f"M{x} {y - TINY}l{TINY} {TINY}-{TINY} {TINY}-{TINY}-{TINY}z")
    return "".join(commands)


def main() -> None:
    features = json.loads(LAND_FILE.read_text())["features"]
    numbers = [f["properties"]["kommune_no"] for f in features]
    county_of = {f["properties"]["kommune_no"]: f["properties"]["fylke_no"] for f in features}
    # Skien's polygon is invalid after the source's simplification (see SOURCE.md): repair before use.
    geometries = [project(shapely.make_valid(shape(f["geometry"]))) for f in features]
    simplified = shapely.coverage_simplify(np.array(geometries, dtype=object), SIMPLIFY_KM)
    municipalities = {number: keep_parts(geometry) for number, geometry in zip(numbers, simplified, strict=True)}
    counties = {
        county: shapely.union_all([g for number, g in municipalities.items() if county_of[number] == county])
        for county in sorted(set(county_of.values()))
    }

    min_x, min_y, max_x, max_y = shapely.union_all(list(municipalities.values())).bounds

    def to_svg(x: float, y: float) -> tuple[int, int]:
        return round((x - min_x) * UNITS_PER_KM) + MARGIN, round((max_y - y) * UNITS_PER_KM) + MARGIN

    width = round((max_x - min_x) * UNITS_PER_KM) + 2 * MARGIN
    height = round((max_y - min_y) * UNITS_PER_KM) + 2 * MARGIN
    result = {
        "viewBox": f"0 0 {width} {height}",
        "municipalities": {number: path_data(g, to_svg) for number, g in sorted(municipalities.items())},
        "counties": {number: path_data(g, to_svg) for number, g in counties.items()},
    }
    text = json.dumps(result, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"

    county_numbers = {f["properties"]["fylke_no"] for f in json.loads(COUNTIES_FILE.read_text())["features"]}
    assert len(result["municipalities"]) == 357, "every municipality needs a path"
    assert all(result["municipalities"].values()), "a municipality vanished in the simplification"
    assert set(result["counties"]) == county_numbers, "county numbers differ from the county file"
    assert len(text.encode()) < MAX_BYTES, f"map-paths.json is {len(text.encode())} bytes, more than {MAX_BYTES}"
    OUT_FILE.write_text(text)
    print(f"{OUT_FILE.name}: {len(text.encode())} bytes, viewBox {result['viewBox']}")


if __name__ == "__main__":
    main()
