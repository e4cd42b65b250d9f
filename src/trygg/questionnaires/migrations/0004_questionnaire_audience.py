"""Questionnaires say who answers them, so mapping's rounds offer only those a municipality answers. Those already
stored take the audience their definition in data/ gives (the youth survey's are answered by pupils), so a frozen
version still equals its definition file (``import_definition`` compares the two); any other was imported for a
round. The column has a database default, so rows written by migrations that know no audience still go in."""

from pathlib import Path

import yaml
from django.conf import settings
from django.db import migrations, models


def audiences(apps, schema_editor):
    Questionnaire = apps.get_model("questionnaires", "Questionnaire")
    for path in sorted((Path(settings.DATA_DIR) / "questionnaires").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for version in data.get("questionnaires", [data]) if isinstance(data, dict) else []:
            if version.get("audience"):
                Questionnaire.objects.filter(code=version["questionnaire"]).update(audience=version["audience"])


class Migration(migrations.Migration):
    dependencies = [("questionnaires", "0003_free_text_and_direction")]

    operations = [
        migrations.AddField(
            model_name="questionnaire",
            name="audience",
            field=models.CharField(
                choices=[
                    ("municipality", "A municipality, in its situation report"),
                    ("pupils", "Pupils, anonymously (youth survey)"),
                ],
                db_default="municipality",
                max_length=20,
                verbose_name="answered by",
            ),
        ),
        migrations.RunPython(audiences, migrations.RunPython.noop),
    ]
