from django.apps import apps
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from ..forms import ContactForm, MunicipalitySearchForm
from ..models import Municipality
from ..services import contacts_of, search_municipalities


def municipality_list(request):
    form = MunicipalitySearchForm(request.GET or None)
    if form.is_valid():
        county = form.cleaned_data["county"]
        municipalities = search_municipalities(form.cleaned_data["q"], county.number if county else "")
    else:
        municipalities = search_municipalities()
    page = Paginator(municipalities, 50).get_page(request.GET.get("page"))
    template = "core/municipality_results.html" if request.htmx else "core/municipality_list.html"
    return render(request, template, {"form": form, "page": page})


def municipality_detail(request, number):
    """The municipality's page: each app's panel for what this viewer may see of it, then the reference data.

    Apps add their panels through ``municipality_panel(user, municipality)`` on their AppConfig and return None
    when the viewer may see nothing of theirs; core imports no feature app.
    """
    municipality = get_object_or_404(Municipality.objects.select_related("county", "police_district"), number=number)
    panels = [
        panel
        for config in apps.get_app_configs()
        if hasattr(config, "municipality_panel") and (panel := config.municipality_panel(request.user, municipality))
    ]
    context = {
        "municipality": municipality,
        "panels": sorted(panels, key=lambda panel: panel.get("order", 50)),
        "neighbours": municipality.neighbours.order_by("name"),
        "aliases": municipality.aliases.all(),
    }
    if request.user.has_perm("core.view_person"):
        context["contacts"] = contacts_of(municipality=municipality)
        context["contact_form"] = ContactForm()
    return render(request, "core/municipality_detail.html", context)
