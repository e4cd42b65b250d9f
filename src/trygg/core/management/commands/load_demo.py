from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from trygg.core.audit import acting_as


class Command(BaseCommand):
    help = "Load reference data and every app's demo content (idempotent) and print the demo logins."

    def handle(self, *args, **options):
        logins = []
        with acting_as(None, "manage.py load_demo"):
            for config in apps.get_app_configs():
                if config.name.startswith("trygg.") and find_spec(f"{config.name}.demo"):
                    logins += import_module(f"{config.name}.demo").load() or []
        self.stdout.write(self.style.SUCCESS(_("Demo data is loaded. Demo logins:")))
        password, key = _("password"), _("two-factor key")
        for login in logins:
            line = f"  {login['role']:<22} {login['username']:<10} {password}: {login['password']}"
            if "totp_secret" in login:
                line += f"   {key}: {login['totp_secret']}"
            self.stdout.write(line)
        self.stdout.write(
            _("KS staff confirm login with a six-digit code: add the key to an authenticator app, or run")
            + " `make totp USER=admin`."
        )
