from django.apps import AppConfig
from django.db.models import Count
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "trygg.measures"
    label = "measures"
    verbose_name = _("Measures")

    @property
    def nav_items(self):
        from trygg.core.navigation import NavItem

        # "Knowledge" as in the deck: what works, the guide, advice and (the library's) research, in one group.
        knowledge = _("Knowledge")
        return (
            NavItem(_("Measures"), "measures:list", order=30, group=knowledge),
            NavItem(_("Guide"), "measures:guide", order=31, group=knowledge),
            NavItem(_("Advice"), "measures:advice", login_required=True, order=32, group=knowledge),
        )

    @property
    def home_cards(self):
        from trygg.core.navigation import HomeCard

        return (
            HomeCard(
                _("Measures"),
                _("What works, what does not, and what backfires – with sources, and the matrix of mechanisms."),
                "measures:list",
                order=30,
            ),
            HomeCard(
                _("Guide"),
                _("The guide for municipalities, as a web page and a PDF, built from the catalogue."),
                "measures:guide",
                order=31,
            ),
            HomeCard(
                _("Advice"),
                _("Which measures fit your municipality, from its latest situation report, saved as a plan."),
                "measures:advice",
                login_required=True,
                order=32,
            ),
        )

    def dashboard_panel(self, user):
        """Editors see what waits for review (partners who edit learn that KS publishes); contacts get advice."""
        from .models import Measure, Plan, Proposal

        panel = {"template": "measures/_dashboard.html", "municipalities": user.municipalities.all()}
        if user.has_perm("measures.view_drafts"):
            panel["in_review"] = Measure.objects.filter(status=Measure.Status.REVIEW).count()
            panel["drafts"] = Measure.objects.filter(status=Measure.Status.DRAFT).count()
            panel["proposals"] = Proposal.objects.filter(status=Proposal.Status.OPEN).count()
        panel["proposes"] = user.has_perm("measures.change_measure") and not user.has_perm("measures.publish_measure")
        plans = Plan.objects.filter(municipality__in=panel["municipalities"])
        panel["plans"] = plans.select_related("municipality")[:5]
        return panel

    def municipality_panel(self, user, municipality):
        """Advice for the municipality and its saved plans, for those who may read its advice."""
        if not user.has_perm("measures.view_advice", municipality):
            return None
        from .plans import visible_plans

        plans = visible_plans(user).filter(municipality=municipality).annotate(measure_count=Count("items"))
        return {
            "template": "measures/_municipality_panel.html",
            "order": 20,
            "municipality": municipality,
            "plans": plans[:5],
            "can_plan": user.has_perm("measures.add_plan", municipality),
        }

    def catalogue_choices(self) -> list[tuple[str, str]]:
        """The published measures (key, name) that a situation report's measure rows may point at (mapping asks)."""
        from .catalogue import published

        return list(published().order_by("name").values_list("key", "name"))

    def catalogue_url(self, key: str) -> str:
        """The catalogue's page of a measure a situation report's row points at (mapping asks, never names it)."""
        from django.urls import reverse

        return reverse("measures:measure", args=[key])

    def youth_report_panel(self, user, survey, weak):
        """Measures that may help with the indicators where a municipality's pupils fare worse than the country's."""
        from .indicators import helping

        groups = helping(weak)
        return {"template": "measures/_youth_report_panel.html", "groups": groups} if groups else None

    def event_panel(self, user, event):
        """The way to the group work's assessments of measures, for those who may record or read them."""
        from .feedback import may_view, recordable_groups

        if not user.is_authenticated or not may_view(user, event):
            return None
        return {"template": "measures/_event_panel.html", "groups": recordable_groups(user, event)}
