from pathlib import Path

from django.core.management.base import BaseCommand

from trygg.core import backup


class Command(BaseCommand):
    help = "Write every table and every uploaded file to one archive that any supported database can restore."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="the .tar.gz file to write")

    def handle(self, *args, archive, **options):
        manifest = backup.backup(archive)
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(f"{archive}: {rows} rows in {len(manifest['tables'])} tables, {len(manifest['files'])} files")
