from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse

from ..models import AuditEntry, Municipality, Organisation, Person, Role
from ..navigation import home_cards


def home(request):
    if request.user.is_authenticated:
        return redirect("core:dashboard")
    login_url = reverse("core:login")
    cards = [
        {
            "title": card.title,
            "text": card.text,
            "url": f"{login_url}?next={card.url}" if card.login_required else card.url,
            "login": card.login_required,
        }
        for card in home_cards(apps.get_app_configs())
    ]
    return render(request, "core/home.html", {"cards": cards, "login_url": login_url})


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
