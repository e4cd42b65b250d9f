from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "trygg.library"
    label = "library"
    verbose_name = _("Library")

    @property
    def nav_items(self):
        from trygg.core.navigation import NavItem

        return (NavItem(_("Library"), "library:list", order=33, group=_("Knowledge")),)

    @property
    def home_cards(self):
        from trygg.core.navigation import HomeCard

        return (
            HomeCard(
                _("Library"),
                _("Research, slides and guides for every municipality, found in Norwegian, with similar documents."),
                "library:list",
                order=50,
            ),
        )
