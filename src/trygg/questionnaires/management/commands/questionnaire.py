"""``manage.py questionnaire import FILE`` / ``export CODE VERSION [--format json]``: definitions as files."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ...models import Version
from ...services import DefinitionError, export_definition, import_definition, parse, to_yaml


class Command(BaseCommand):
    help = "Import questionnaire versions from YAML/JSON, or export one version."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        importing = commands.add_parser("import")
        importing.add_argument("file", type=Path)
        exporting = commands.add_parser("export")
        exporting.add_argument("code")
        exporting.add_argument("version", type=int)
        exporting.add_argument("--format", choices=("yaml", "json"), default="yaml")

    def handle(self, *args, action, **options):
        if action == "import":
            try:
                for data in parse(options["file"].read_text(encoding="utf-8")):
                    version = import_definition(data)
                    self.stdout.write(f"{version.questionnaire.code} {version.number}")
            except (OSError, DefinitionError) as error:
                raise CommandError(str(error)) from error
            return
        version = Version.objects.filter(questionnaire__code=options["code"], number=options["version"]).first()
        if version is None:
            raise CommandError(f"No version {options['version']} of {options['code']}")
        data = export_definition(version)
        if options["format"] == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(to_yaml(data), ending="")
