"""The national picture of a round: key figures, the map, charts, tables by county and police district, trends.

Charts are server-rendered: each is a table (the data) whose rows carry a bar drawn as inline SVG, its length an
SVG ``width`` attribute. Not plotly or a similar JavaScript library: plotly.js sets inline styles on everything it
draws, and the strict CSP (style-src 'self', no style attributes) blocks them; the page also works without
JavaScript and reads well with a screen reader, since every bar is a number in a table cell.
"""

from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from trygg.core.models import County, Municipality
from trygg.core.permissions import permission_required

from .. import mapsvg
from ..forms import PARTICIPANTS, MapViewForm
from ..models import Report, Round
from ..picture import Count, national_picture


def get_round(request, round_pk, **kwargs):
    return get_object_or_404(Round, pk=round_pk)


def get_mc_round(request, round_pk, **kwargs):
    """A round that asks the MC questions: the national picture and its brief are made of those answers."""
    return get_object_or_404(Round, pk=round_pk, questionnaire__isnull=False)


def _percent(value: int | float | None, total: int | float = 1) -> int | None:
    return None if value is None or not total else round(100 * value / total)


def _chart(id: str, title: str, counts: list[Count], answered: int) -> dict:
    bars = [
        {"label": c.label, "value": c.value, "hidden": c.hidden, "percent": _percent(c.value, answered)} for c in counts
    ]
    return {"id": id, "title": title, "bars": bars}


def _report_urls(round: Round) -> dict[str, str]:
    """Each answering municipality's latest submitted report, for the map's links (full viewers only)."""
    links = Report.municipalities.through.objects.filter(
        report__round=round, report__status=Report.Status.SUBMITTED
    ).values_list("municipality__number", "report_id")
    return {number: reverse("mapping:report", args=[pk]) for number, pk in sorted(links, key=lambda link: link[1])}


def _legend(picture) -> list[dict]:
    """The categories in use on the map, each with how many municipalities (or counties) it covers."""
    values = list((picture.categories if picture.full else picture.county_categories).values())
    if picture.full:
        values += ["not_asked"] * (Municipality.objects.count() - len(values))
    return [
        {"category": c, "label": label, "count": values.count(c), "swatch": mapsvg.legend_swatch(c)}
        for c, label in mapsvg.category_labels().items()
        if c in values
    ]


@permission_required("mapping.view_picture", fn=get_mc_round)
def picture(request, round_pk):
    round = get_mc_round(request, round_pk)
    picture = national_picture(round, request.user)
    report_urls = _report_urls(round) if picture.full else {}
    labels = mapsvg.category_labels()
    counties = list(County.objects.order_by("number").values_list("number", "name"))
    county_rows = [
        {"number": number, "row": row, "category": labels[picture.county_categories[number]]}
        for (number, _name), row in zip(counties, picture.counties, strict=True)
    ]
    view_form = MapViewForm(request.GET or None, counties=counties)
    view = view_form.view
    context = {
        "round": round,
        "picture": picture,
        "response_percent": _percent(picture.response_rate),
        "view_form": view_form,
        "view": view,
        "county_name": dict(counties).get(view, ""),
        **_map(picture, report_urls, view, dict(counties)),
        "legend": _legend(picture),
        "charts": [
            _chart("crime-kinds", _("Kinds of crime"), picture.crime_kinds, picture.answered),
            _chart("assessments", _("The municipalities' assessment"), picture.assessments, picture.answered),
            _chart("recruitment", _("Signs of recruitment among young people"), picture.recruitment, picture.answered),
            _chart("guidance", _("Want KS to produce knowledge and guidance"), picture.guidance, picture.answered),
        ],
        "county_rows": county_rows,
        "municipality_rows": _municipality_rows(picture, report_urls),
        "trends": [
            {
                "point": point,
                "shares": [
                    {"percent": _percent(getattr(point, name)), "hidden": point.hidden.get(name, "")}
                    for name in ("hosts_group_share", "crews_share", "must_act_share")
                ],
            }
            for point in picture.trends
        ],
    }
    return render(request, "mapping/picture.html", context)


def _map(picture, report_urls: dict[str, str], view: str, counties: dict[str, str]) -> dict:
    """The map as chosen: all of Norway, the participants one by one (tiles), or zoomed to one county."""
    if view == PARTICIPANTS:
        return {"tiles": mapsvg.participant_tiles(picture, report_urls), "patterns": mapsvg.patterns()}
    if view in counties:
        numbers = Municipality.objects.filter(county__number=view).values_list("number", flat=True)
        title = _("Map of %(county)s, round %(round)s") % {"county": counties[view], "round": picture.round.name}
        return {"map": mapsvg.picture_map(picture, report_urls, focus=numbers, title=title)}
    return {"map": mapsvg.picture_map(picture, report_urls)}


def _municipality_rows(picture, report_urls: dict[str, str]) -> list[dict]:
    """Full viewers: every asked municipality and its category, the map's content as a table."""
    if not picture.full:
        return []
    labels = mapsvg.category_labels()
    names = dict(Municipality.objects.filter(number__in=picture.categories).values_list("number", "name"))
    return sorted(
        ({"name": names[n], "category": labels[c], "url": report_urls.get(n)} for n, c in picture.categories.items()),
        key=lambda row: row["name"],
    )


urlpatterns = [path("runder/<int:round_pk>/bilde/", picture, name="picture")]
