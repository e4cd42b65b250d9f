from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "trygg.measures"
    label = "measures"
    verbose_name = _("Measures")

    @property
    def nav_items(self):
        from trygg.core.navigation import NavItem

        return (
            NavItem(_("Measures"), "measures:list", order=30),
            NavItem(_("Guide"), "measures:guide", order=31),
            NavItem(_("Advice"), "measures:advice", login_required=True, order=32),
        )

    def dashboard_panel(self, user):
        """Editors see what waits for review; municipal contacts get the way to advice and their plans."""
        from .models import Measure, Plan, Proposal

        panel = {"template": "measures/_dashboard.html", "municipalities": user.municipalities.all()}
        if user.has_perm("measures.view_drafts"):
            panel["in_review"] = Measure.objects.filter(status=Measure.Status.REVIEW).count()
            panel["drafts"] = Measure.objects.filter(status=Measure.Status.DRAFT).count()
            panel["proposals"] = Proposal.objects.filter(status=Proposal.Status.OPEN).count()
        plans = Plan.objects.filter(municipality__in=panel["municipalities"])
        panel["plans"] = plans.select_related("municipality")[:5]
        return panel

    def catalogue_choices(self) -> list[tuple[str, str]]:
        """The published measures (key, name) that a situation report's measure rows may point at (mapping asks)."""
        from .catalogue import published

        return list(published().order_by("name").values_list("key", "name"))

    def event_panel(self, user, event):
        """The way to the group work's assessments of measures, for those who may record or read them."""
        from .feedback import may_view, recordable_groups

        if not user.is_authenticated or not may_view(user, event):
            return None
        return {"template": "measures/_event_panel.html", "groups": recordable_groups(user, event)}
