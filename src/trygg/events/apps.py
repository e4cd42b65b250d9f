from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "trygg.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self):
        from trygg.core.mail import mail_failed, mail_sent

        from .invitations import delivery_failed, delivery_sent

        mail_sent.connect(delivery_sent, dispatch_uid="events.delivery_sent")
        mail_failed.connect(delivery_failed, dispatch_uid="events.delivery_failed")

    @property
    def nav_items(self):
        from trygg.core.navigation import NavItem

        return (NavItem(_("Events"), "events:list", order=10),)

    @property
    def periodic_work(self):
        from .emails import remind_before_start

        return (remind_before_start,)

    @property
    def home_cards(self):
        from trygg.core.navigation import HomeCard

        return (
            HomeCard(
                _("Events"),
                _("Study trips, seminars and conferences: the programme, and registration for each municipality."),
                "events:list",
                order=10,
            ),
        )

    def dashboard_panel(self, user):
        from .services import upcoming_for

        return {"template": "events/_dashboard.html", "events": upcoming_for(user)}

    def municipality_panel(self, user, municipality):
        """The municipality's delegations to events, for those who may see each delegation."""
        from .services import municipality_delegations

        delegations = municipality_delegations(municipality)
        shown = [d for d in delegations if user.has_perm("events.view_delegation", d.invitation)]
        if not shown:
            return None
        return {"template": "events/_municipality_panel.html", "order": 30, "delegations": shown}
