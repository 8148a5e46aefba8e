"""`wijk backup`: a consistent online backup of the database and uploaded files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from wijk.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Write a backup archive (database, uploads, checksums) into a folder."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--to",
            dest="destination",
            default=None,
            help="Folder for the archive (default: the backups folder in the data folder).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        destination = Path(options["destination"] or Path(settings.DATA_DIR) / "backups")
        try:
            result = backup_create(destination=destination)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        count = len(result.manifest["files"])
        files = "1 file" if count == 1 else f"{count} files"
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written: {result.path} ({files}, checksums in manifest.json)"
            )
        )
