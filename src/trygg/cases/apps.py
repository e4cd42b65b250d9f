from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "trygg.cases"
    label = "cases"
    verbose_name = _("Help in difficult cases")

    @property
    def nav_items(self):
        from trygg.core.navigation import NavItem

        return (NavItem(_("Cases"), "cases:index", perm="cases.view_cases", order=40),)

    @property
    def periodic_work(self):
        from .targets import remind_and_escalate

        return (remind_and_escalate,)

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
