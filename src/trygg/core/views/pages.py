from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from ..models import AuditEntry, Municipality, Organisation, Person, Role


def home(request):
    if request.user.is_authenticated:
        return redirect("core:dashboard")
    return render(
        request,
        "core/home.html",
        {"municipality_count": Municipality.objects.count()},
    )


@login_required
def dashboard(request):
    user = request.user
    context = {
        "my_municipalities": user.municipalities.select_related("county", "police_district"),
        "panels": [
            config.dashboard_panel(user) for config in apps.get_app_configs() if hasattr(config, "dashboard_panel")
        ],
    }
    if user.is_ks_staff:
        context["counts"] = {
            "municipalities": Municipality.objects.count(),
            "organisations": Organisation.objects.count(),
            "people": Person.objects.count(),
        }
    if user.role == Role.KS_ADMIN:
        context["recent_audit"] = AuditEntry.objects.select_related("actor", "content_type")[:8]
    if user.role == Role.PARTNER:
        context["partner_areas"] = user.get_partner_areas_display()
    return render(request, "core/dashboard.html", context)
