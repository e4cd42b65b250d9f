"""KS's overviews: every core indicator per county and for the country, the latest year and the trend, suppressed."""

from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils.translation import gettext as _

from trygg.core.models import County
from trygg.core.permissions import permission_required

from .. import reports
from ..chart import data_uri, trend_chart


@permission_required("youth.view_overview")
def national(request):
    levels = reports.national_overview()
    for level in levels:
        for indicator in level["indicators"]:
            indicator["chart"] = data_uri(trend_chart(indicator["trend"], (_("Norway"),)))
    context = {"levels": levels, "min": reports.min_answers(), "demo": reports.includes_demo()}
    return render(request, "youth/overview.html", context)


@permission_required("youth.view_overview")
def county(request, number):
    county = get_object_or_404(County, number=number)
    levels = reports.county_overview(county)
    for level in levels:
        for indicator in level["indicators"]:
            indicator["chart"] = data_uri(trend_chart(indicator["trend"], (county.name, _("Norway"))))
    context = {"county": county, "levels": levels, "min": reports.min_answers(), "demo": reports.includes_demo(county)}
    return render(request, "youth/county.html", context)


urlpatterns = [
    path("ungdomsundersokelse/oversikt/", national, name="overview"),
    path("ungdomsundersokelse/oversikt/<str:number>/", county, name="county"),
]
