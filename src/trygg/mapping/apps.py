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

    @property
    def periodic_work(self):
        from .rounds import remind_before_deadline

        return (remind_before_deadline,)

    @property
    def home_cards(self):
        from trygg.core.navigation import HomeCard

        return (
            HomeCard(
                _("Situation reports"),
                _("Each municipality reports its situation; KS builds the national picture and the brief from them."),
                "mapping:index",
                login_required=True,
                order=20,
            ),
        )

    def dashboard_panel(self, user):
        """Open rounds: response rates for those who see every report, each own municipality's status for others."""
        from .models import Round
        from .rounds import rounds_for

        entries = _round_entries(user, rounds_for(user).filter(status=Round.Status.OPEN))
        return {"template": "mapping/_dashboard.html", "entries": entries}

    def event_panel(self, user, event):
        """The rounds an event requires its invited municipalities to answer, shown on the event's page."""
        from .rounds import rounds_for

        entries = _round_entries(user, rounds_for(user).filter(event=event))
        return {"template": "mapping/_event_panel.html", "entries": entries} if entries else None

    def municipality_panel(self, user, municipality):
        """The municipality's situation report and its status in open rounds, for those who may read its reports."""
        from .rounds import municipality_overview

        if not user.has_perm("mapping.view_municipality", municipality):
            return None
        return {
            "template": "mapping/_municipality_panel.html",
            "order": 10,
            "municipality": municipality,
            "overview": municipality_overview(municipality),
            "can_start": user.has_perm("mapping.start_report", municipality),
        }


def _round_entries(user, rounds) -> list[dict]:
    from .rounds import municipality_statuses, response_rates

    if user.has_perm("mapping.view_full_picture"):
        return [{"round": round, "rates": response_rates(round)} for round in rounds]
    return [{"round": round, "statuses": municipality_statuses(round, user.municipalities.all())} for round in rounds]
