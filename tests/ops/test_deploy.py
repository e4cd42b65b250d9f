"""What deploy/ gives an operator stays true to the code."""

from io import StringIO
from pathlib import Path

from django.core.management import call_command

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


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
