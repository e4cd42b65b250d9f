"""The report's charts, drawn on the server as SVG: each indicator's share for the municipality as a bar, with the
county and the country as marks beside it, and each indicator's trend over the survey years as lines. They are
shown as images; the tables beside them carry the figures."""

import base64
import math

from django.utils.html import escape
from django.utils.translation import gettext as _


def data_uri(svg: str) -> str:
    """A chart as an image source the strict CSP allows (no inline style or script)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


WIDTH, LABEL, ROW = 640, 260, 34
ACCENT, COUNTY, COUNTRY, MUTED, INK = "#0b4f8a", "#8a4b0b", "#1e2b3c", "#4b5767", "#1e2b3c"


def indicator_chart(indicators: list[dict]) -> str:
    """SVG of the overall row of each indicator (as ``reports.report`` gives them)."""
    scale = WIDTH - LABEL - 50
    height = ROW * len(indicators) + 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'font-family="DejaVu Sans, sans-serif" font-size="12">'
    ]
    for index, indicator in enumerate(indicators):
        y = 10 + index * ROW
        municipality, county, country = indicator["rows"][0]["figures"]
        title = indicator["title"] if len(indicator["title"]) <= 40 else indicator["title"][:39] + "…"
        parts.append(f'<text x="0" y="{y + 16}" fill="{INK}">{escape(title)}</text>')
        parts.append(f'<rect x="{LABEL}" y="{y + 4}" width="{scale}" height="16" fill="#f3f5f8"/>')
        if municipality.share is None:  # where the share would stand, clear of the county's and Norway's marks
            parts.append(f'<text x="{LABEL + scale + 6}" y="{y + 16}" fill="{MUTED}">{escape(_("hidden"))}</text>')
        else:
            parts.append(
                f'<rect x="{LABEL}" y="{y + 4}" width="{municipality.share * scale:.1f}" height="16" fill="{ACCENT}"/>'
            )
            parts.append(f'<text x="{LABEL + scale + 6}" y="{y + 16}" fill="{INK}">{municipality.percent} %</text>')
        for figure, colour, size in ((county, COUNTY, 22), (country, COUNTRY, 26)):
            if figure.share is not None:
                x = LABEL + figure.share * scale
                parts.append(
                    f'<rect x="{x - 1.5:.1f}" y="{y + 12 - size / 2}" width="3" height="{size}" fill="{colour}"/>'
                )
    legend_y = height - 12
    parts.append(f'<rect x="{LABEL}" y="{legend_y - 10}" width="12" height="12" fill="{ACCENT}"/>')
    parts.append(f'<text x="{LABEL + 16}" y="{legend_y}" fill="{INK}">{escape(_("Municipality"))}</text>')
    parts.append(f'<rect x="{LABEL + 120}" y="{legend_y - 11}" width="3" height="14" fill="{COUNTY}"/>')
    parts.append(f'<text x="{LABEL + 128}" y="{legend_y}" fill="{INK}">{escape(_("County"))}</text>')
    parts.append(f'<rect x="{LABEL + 200}" y="{legend_y - 12}" width="3" height="16" fill="{COUNTRY}"/>')
    parts.append(f'<text x="{LABEL + 208}" y="{legend_y}" fill="{INK}">{escape(_("Norway"))}</text>')
    parts.append("</svg>")
    return "".join(parts)


TREND_WIDTH, TREND_HEIGHT, LEFT, TOP, BOTTOM = 360, 180, 46, 12, 46
SERIES = ((ACCENT, ""), (COUNTY, "6 4"), (COUNTRY, "2 3"))


def _segments(points: list[tuple[float, float] | None]) -> list[list[tuple[float, float]]]:
    """Runs of published points: a hidden year breaks the line instead of joining its neighbours."""
    runs, run = [], []
    for point in points:
        if point is None:
            runs, run = [*runs, run] if run else runs, []
        else:
            run.append(point)
    return [*runs, run] if run else runs


def trend_chart(trend: list[dict], names: tuple[str, ...]) -> str:
    """SVG of one indicator's share per survey year for each area in ``names`` (say municipality, county, country).

    A hidden figure leaves a gap and a ":" on the axis; the table beside the chart carries every figure.
    """
    shares = [figure.share for point in trend for figure in point["figures"] if figure.share is not None]
    top = max(0.1, min(1.0, math.ceil(max(shares, default=0.1) * 10 + 0.5) / 10))
    plot_w, plot_h = TREND_WIDTH - LEFT - 16, TREND_HEIGHT - TOP - BOTTOM
    step = plot_w / max(1, len(trend) - 1)

    def x(index: int) -> float:
        return LEFT + (index * step if len(trend) > 1 else plot_w / 2)

    def y(share: float) -> float:
        return TOP + plot_h * (1 - share / top)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {TREND_WIDTH} {TREND_HEIGHT}" width="{TREND_WIDTH}" '
        f'height="{TREND_HEIGHT}" font-family="DejaVu Sans, sans-serif" font-size="11">'
    ]
    for tick in (0, top / 2, top):
        parts.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#d5dbe3"/>')
        parts.append(f'<text x="{LEFT - 4}" y="{y(tick) + 4:.1f}" text-anchor="end" fill="{MUTED}">'
                     f"{round(tick * 100)} %</text>")  # fmt: skip
    for index, point in enumerate(trend):
        mark = "" if point["figures"][0].share is not None else " :"
        parts.append(f'<text x="{x(index):.1f}" y="{TOP + plot_h + 16}" text-anchor="middle" fill="{INK}">'
                     f'{point["year"]}{mark}</text>')  # fmt: skip
    for series, (colour, dash) in enumerate(SERIES[: len(names)]):
        points = [
            None if (figure := point["figures"][series]).share is None else (x(index), y(figure.share))
            for index, point in enumerate(trend)
        ]
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        for run in _segments(points):
            if len(run) > 1:
                path = " ".join(f"{px:.1f},{py:.1f}" for px, py in run)
                parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dashes}/>')
            for px, py in run:
                parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="{3.5 if series == 0 else 2.5}" fill="{colour}"/>')
    legend_y = TREND_HEIGHT - 10
    for series, ((colour, dash), name) in enumerate(zip(SERIES, names, strict=False)):
        lx = LEFT + series * 112
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        short = name if len(name) <= 13 else name[:12] + "…"
        parts.append(f'<line x1="{lx}" x2="{lx + 18}" y1="{legend_y - 4}" y2="{legend_y - 4}" stroke="{colour}" '
                     f'stroke-width="2"{dashes}/>')  # fmt: skip
        parts.append(f'<text x="{lx + 22}" y="{legend_y}" fill="{INK}">{escape(short)}</text>')
    parts.append("</svg>")
    return "".join(parts)
