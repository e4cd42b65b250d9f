"""Indicators say which way is good. Those already stored take the direction their definition in data/ gives, so a
frozen version still equals its definition file (``import_definition`` compares the two). The column has a database
default, so rows written by code (or migrations) that know no direction still go in."""

from pathlib import Path

import yaml
from django.conf import settings
from django.db import migrations, models


def directions(apps, schema_editor):
    Indicator = apps.get_model("questionnaires", "Indicator")
    for path in sorted((Path(settings.DATA_DIR) / "questionnaires").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for version in data.get("questionnaires", [data]) if isinstance(data, dict) else []:
            for indicator in version.get("indicators", []):
                if indicator.get("direction"):
                    Indicator.objects.filter(code=indicator["code"]).update(direction=indicator["direction"])


class Migration(migrations.Migration):
    dependencies = [("questionnaires", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="indicator",
            name="direction",
            field=models.CharField(
                blank=True,
                db_default="",
                choices=[("higher", "Higher is better"), ("lower", "Lower is better")],
                max_length=10,
                verbose_name="direction",
            ),
        ),
        migrations.RunPython(directions, migrations.RunPython.noop),
    ]
