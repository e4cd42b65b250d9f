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

    def event_panel(self, user, event):
        """The slides and reports from the event that the user may open."""
        from .links import for_event

        documents = for_event(user, event)
        return {"template": "library/_event_panel.html", "documents": documents} if documents else None

    def measure_panel(self, user, measure):
        """The library's copies of the measure's sources that the user may open."""
        from .links import for_measure

        documents = list(for_measure(user, measure))
        return {"template": "library/_measure_panel.html", "documents": documents} if documents else None
