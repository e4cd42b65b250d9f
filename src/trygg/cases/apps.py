from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "trygg.cases"
    label = "cases"
    verbose_name = _("Help in difficult cases")

    @property
    def nav_items(self):
        from trygg.core.navigation import NavItem

        return (NavItem(_("Cases"), "cases:index", perm="cases.view_cases", order=40, group=_("Cooperation")),)

    @property
    def periodic_work(self):
        from .targets import remind_and_escalate

        return (remind_and_escalate,)

    def dashboard_panel(self, user):
        """The user's open cases, the target that runs out first at the top."""
        from django.utils import timezone

        from .models import Case
        from .services import visible_cases
        from .targets import most_urgent

        now = timezone.now()
        cases = visible_cases(user).exclude(status=Case.Status.CLOSED).prefetch_related("pauses")
        rows = sorted(
            ({"case": case, "clock": most_urgent(case, now)} for case in cases), key=lambda row: row["clock"].left
        )
        return {
            "template": "cases/_dashboard.html",
            "rows": rows[:5],
            "count": len(rows),
            "may_add": user.has_perm("cases.add_case"),
        }

    def measure_panel(self, user, measure):
        """For the measures catalogue: how the measure went in KS's closed cases, suppressed below three (the same
        for every reader: it tells about no case)."""
        from .learning import experience

        found = experience(measure)
        return {"template": "cases/_measure_experience.html", "experience": found} if found else None

    @property
    def home_cards(self):
        from trygg.core.navigation import HomeCard

        return (
            HomeCard(
                _("Help in difficult cases"),
                _("A municipality asks KS for help; KS and its experts answer within visible response targets."),
                "cases:index",
                login_required=True,
                order=40,
            ),
        )
