from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    name = "trygg.networks"
    label = "networks"
    verbose_name = _("Networks")

    @property
    def nav_items(self):
        from trygg.core.navigation import NavItem

        return (NavItem(_("Networks"), "networks:index", login_required=True, order=45, group=_("Cooperation")),)
