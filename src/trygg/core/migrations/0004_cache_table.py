from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    """The shared cache lives in the database (settings.CACHES); ``migrate`` is the one set-up step it needs."""
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_background_work")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
