from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MappingConfig(AppConfig):
    name = "trygg.mapping"
    label = "mapping"
    verbose_name = _("Situation reports")

    @property
    def nav_items(self):
        from trygg.core.navigation import NavItem

        return (NavItem(_("Situation reports"), "mapping:index", login_required=True, order=20),)

    def dashboard_panel(self, user):
        """Open rounds: response rates for those who see every report, each own municipality's status for others."""
        from .models import Round
        from .rounds import municipality_statuses, response_rates, rounds_for

        full = user.has_perm("mapping.view_full_picture")
        entries = []
        for round in rounds_for(user).filter(status=Round.Status.OPEN):
            if full:
                entries.append({"round": round, "rates": response_rates(round)})
            else:
                entries.append({"round": round, "statuses": municipality_statuses(round, user.municipalities.all())})
        return {"template": "mapping/_dashboard.html", "entries": entries}
