"""The report's chart, drawn on the server as SVG: each indicator's share for the municipality as a bar, with the
county and the country as marks beside it. It is shown as an image; the table beside it carries the figures."""

from django.utils.html import escape
from django.utils.translation import gettext as _

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
        if municipality.share is None:
            parts.append(f'<text x="{LABEL + 4}" y="{y + 16}" fill="{MUTED}">{escape(_("hidden"))}</text>')
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
