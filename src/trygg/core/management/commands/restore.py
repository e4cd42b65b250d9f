from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from trygg.core import backup


class Command(BaseCommand):
    help = "Migrate, then restore an archive from `manage.py backup` into this empty database and its file storage."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="the .tar.gz file that `manage.py backup` wrote")

    def handle(self, *args, archive, **options):
        if not archive.is_file():
            raise CommandError(f"{archive} is not a file.")
        call_command("migrate", interactive=False, verbosity=0)
        try:
            manifest = backup.restore(archive)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(table["rows"] for table in manifest["tables"].values())
        tables, files = len(manifest["tables"]), len(manifest["files"])
        self.stdout.write(f"Restored {rows} rows in {tables} tables and {files} files.")
