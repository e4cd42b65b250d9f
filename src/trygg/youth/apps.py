from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class YouthConfig(AppConfig):
    name = "trygg.youth"
    label = "youth"
    verbose_name = _("Youth survey")

    @property
    def nav_items(self):
        from trygg.core.navigation import NavItem

        return (NavItem(_("Youth survey"), "youth:index", perm="youth.view_surveys", order=35),)
