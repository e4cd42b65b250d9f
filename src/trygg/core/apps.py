from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "trygg.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.db.models.signals import post_migrate, pre_save

        from .validation import normalise_text

        pre_save.connect(normalise_text, dispatch_uid="trygg.core.validation.normalise_text")
        post_migrate.connect(_start_schedule, sender=self)

    @property
    def periodic_work(self):
        from . import mail
        from .jobs import progress

        return (mail.recover, progress.recover)

    @property
    def nav_items(self):
        from .navigation import NavItem

        return (
            NavItem(_("Overview"), "core:dashboard", login_required=True, order=0),
            NavItem(_("Municipalities"), "core:municipalities", order=80),
            NavItem(
                _("Organisations"), "core:organisations", perm="core.view_organisation", order=81, group=_("Registers")
            ),
            NavItem(_("People"), "core:people", perm="core.view_person", order=82, group=_("Registers")),
            NavItem(_("Audit trail"), "core:audit", perm="core.view_auditentry", order=90, group=_("Registers")),
        )

    @property
    def home_cards(self):
        from .navigation import HomeCard

        return (
            HomeCard(
                _("Municipalities"),
                _("All 357 municipalities with county, police district and population."),
                "core:municipalities",
                order=80,
            ),
        )


def _start_schedule(using="default", plan=None, **kwargs):
    """Every ``migrate`` (every deployment) starts the worker's periodic tick, or mends a broken chain of ticks.

    ``flush`` sends the same signal without a plan; emptying a database starts nothing."""
    from .jobs import schedule

    if using == "default" and plan is not None:
        schedule.ensure()


class TryggAdminConfig(admin_apps.AdminConfig):
    """Django's admin app with Trygg's two-factor admin site."""

    default = False
    default_site = "trygg.core.admin_site.TryggAdminSite"
