"""Questionnaire version 1: the source deck's dialogue questions, so every installation can open a round."""

from django.db import migrations

TITLE = "Dialogspørsmål om MC-kriminalitet"


def create_v1(apps, schema_editor):
    Questionnaire = apps.get_model("mapping", "Questionnaire")
    Questionnaire.objects.get_or_create(version=1, defaults={"title": TITLE})


class Migration(migrations.Migration):
    dependencies = [("mapping", "0001_initial")]

    operations = [migrations.RunPython(create_v1, migrations.RunPython.noop)]
