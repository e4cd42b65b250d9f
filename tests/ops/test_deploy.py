"""What deploy/ gives an operator stays true to the code."""

import os
import secrets
import subprocess
import sys
from io import StringIO
from pathlib import Path

from django.core.management import call_command

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"


def test_the_production_settings_pass_djangos_deployment_checks():
    """``check --deploy`` with the production profile, every app installed: no warning (HSTS, secure cookies…)."""
    env = {
        **os.environ,
        "TRYGG_PROFILE": "production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "trygg.example",
        "DJANGO_SETTINGS_MODULE": "trygg.settings",
    }
    # What the test run itself sets (the browser tests allow Django's sync calls from Playwright's loop) is not
    # the production environment.
    for variable in ("SECURE_SSL_REDIRECT", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(variable, None)
    command = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0 and "no issues" in done.stdout, done.stdout + done.stderr


def test_the_environment_reference_is_up_to_date():
    output = StringIO()
    call_command("env_reference", stdout=output)
    assert (DEPLOY / "environment.md").read_text() == output.getvalue(), (
        "Run `.venv/bin/python manage.py env_reference > deploy/environment.md` and commit the result."
    )


def test_the_reference_names_every_variable_the_settings_read():
    reference = (DEPLOY / "environment.md").read_text()
    for variable in ("DATABASE_URL", "DJANGO_SECRET_KEY", "ALLOWED_HOSTS", "TRYGG_PROFILE", "MEDIA_ROOT", "LOG_FORMAT"):
        assert f"| `{variable}` |" in reference
