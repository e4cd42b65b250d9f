from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class YouthConfig(AppConfig):
    name = "trygg.youth"
    label = "youth"
    verbose_name = _("Youth survey")

    @property
    def nav_items(self):
        from trygg.core.navigation import NavItem

        # In the deck, Ungdata is part of KS's work to develop knowledge: it sits with measures and the library.
        return (
            NavItem(_("Youth survey"), "youth:index", perm="youth.view_surveys", order=34, group=_("Knowledge")),
            NavItem(
                _("Youth survey: national overview"),
                "youth:overview",
                perm="youth.view_overview",
                order=35,
                group=_("Knowledge"),
            ),
            NavItem(
                _("Youth survey: research access"),
                "youth:grants",
                perm="youth.view_grants",
                order=36,
                group=_("Knowledge"),
            ),
        )

    @property
    def periodic_work(self):
        from .services import sweep_inbox

        return (sweep_inbox,)

    @property
    def home_cards(self):
        from trygg.core.navigation import HomeCard

        return (
            HomeCard(
                _("Youth survey"),
                _(
                    "Pupils answer anonymously in class with one-time codes; the municipality sees its results beside "
                    "its county and the country the day the survey closes."
                ),
                "youth:index",
                login_required=True,
                order=35,
            ),
            HomeCard(
                _("Answer the youth survey"),
                _("For pupils: the code from your teacher opens the questionnaire. Anonymous and voluntary."),
                "youth:start",
                order=36,
            ),
        )
