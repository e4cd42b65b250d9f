"""A database-independent backup: every row (Django's JSON fixtures) and every stored file, in one tar archive.

The archive carries a manifest with each table's row count and a checksum of its content, and each file's checksum;
a restore loads into an empty database, then proves it holds exactly what the manifest says or changes nothing.
Content types and permissions travel too, with their keys, so that every reference to them stays as it was.
Rows are Django's JSON fixtures with full-precision times (Django's own JSON encoder cuts them to milliseconds).
"""

import datetime
import hashlib
import io
import json
import tarfile
import tempfile
from pathlib import Path

from auditlog.context import disable_auditlog
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.serializers import json as django_json
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder

from .models import User

FORMAT = "tryggjson"
DATA, MANIFEST, FILES = f"data.{FORMAT}", "manifest.json", "files/"


class _Encoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(django_json.Serializer):
    """Django's JSON serializer, keeping microseconds (registered as the ``tryggjson`` fixture format)."""

    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = _Encoder


Deserializer = django_json.Deserializer


class BackupError(Exception):
    pass


def backed_up_models():
    return [model for model in apps.get_models() if model._meta.managed and not model._meta.proxy]


def table_digest() -> dict[str, dict]:
    """Each backed-up table's row count and a checksum of its rows, the same on SQLite and PostgreSQL."""
    digest = {}
    for model in backed_up_models():
        many = {field.name for field in model._meta.many_to_many}
        checksum = hashlib.sha256()
        rows = 0
        queryset = model._base_manager.order_by("pk")
        for row in serializers.serialize("python", queryset.iterator()):
            fields = {name: sorted(value, key=str) if name in many else value for name, value in row["fields"].items()}
            checksum.update(json.dumps([row["pk"], fields], sort_keys=True, default=str).encode())
            rows += 1
        digest[model._meta.label_lower] = {"rows": rows, "sha256": checksum.hexdigest()}
    return digest


def stored_files(storage=default_storage, folder: str = "") -> dict[str, str]:
    """Every file in the storage (the file system or object storage alike) with its checksum."""
    files = {}
    folders, names = storage.listdir(folder) if storage.exists(folder or ".") else ([], [])
    for name in names:
        path = f"{folder}/{name}" if folder else name
        with storage.open(path, "rb") as handle:
            files[path] = hashlib.file_digest(handle, "sha256").hexdigest()
    for sub in folders:
        files |= stored_files(storage, f"{folder}/{sub}" if folder else sub)
    return files


def applied_migrations() -> list[str]:
    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())


def backup(target: Path) -> dict:
    """Write the archive to ``target`` and return its manifest. Reads in one transaction for a consistent copy."""
    serializers.register_serializer(FORMAT, __name__)
    with transaction.atomic(), tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / DATA
        labels = [model._meta.label for model in backed_up_models()]
        call_command("dumpdata", *labels, format=FORMAT, output=str(data), verbosity=0)
        files = stored_files()
        manifest = {"migrations": applied_migrations(), "tables": table_digest(), "files": files}
        with tarfile.open(target, "w:gz") as archive:
            _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=1, sort_keys=True).encode())
            archive.add(data, arcname=DATA)
            for name in files:
                with default_storage.open(name, "rb") as handle:
                    _add_bytes(archive, FILES + name, handle.read())
    return manifest


def restore(source: Path) -> dict:
    """Load the archive into this (migrated, empty) database and storage; refuse a database that has users."""
    serializers.register_serializer(FORMAT, __name__)
    with tarfile.open(source, "r:*") as archive, tempfile.TemporaryDirectory() as folder:
        manifest = json.loads(archive.extractfile(MANIFEST).read())
        if manifest["migrations"] != applied_migrations():
            raise BackupError("The backup was made with other migrations: restore it with the same version of Trygg.")
        if User.objects.exists():
            raise BackupError("The database is not empty: restore only into a new, migrated database.")
        data = Path(folder) / DATA
        data.write_bytes(archive.extractfile(DATA).read())
        with transaction.atomic(), disable_auditlog():
            # Rows that migrate made (content types, permissions, reference rows) come back as the backup has them.
            call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
            call_command("loaddata", str(data), verbosity=0)
            ContentType.objects.clear_cache()
            if table_digest() != manifest["tables"]:
                raise BackupError("The restored tables differ from the backup's manifest; nothing was restored.")
        for name in manifest["files"]:
            if default_storage.exists(name):
                default_storage.delete(name)
            saved = default_storage.save(name, ContentFile(archive.extractfile(FILES + name).read()))
            if saved != name:
                raise BackupError(f"The storage renamed {name} to {saved}.")
    restored = stored_files()
    if any(restored.get(name) != checksum for name, checksum in manifest["files"].items()):
        raise BackupError("The restored files differ from the backup's manifest.")
    return manifest


def _add_bytes(archive: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    archive.addfile(info, io.BytesIO(content))
