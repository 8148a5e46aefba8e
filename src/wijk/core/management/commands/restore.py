"""`wijk restore ARCHIVE`: replace the database and uploads with a backup's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from wijk.core.backup import BackupError, backup_read_manifest, backup_restore


class Command(BaseCommand):
    help = "Restore a backup made by `wijk backup`. Stop the application first."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archive")
        parser.add_argument(
            "--yes", action="store_true", help="Do not ask for confirmation (for scripts)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        archive = Path(options["archive"])
        if not archive.is_file():
            raise CommandError(f"{archive}: file not found.")
        try:
            manifest = backup_read_manifest(archive=archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if not options["yes"]:
            if not options.get("interactive", True):
                raise CommandError("Add --yes to restore without confirmation.")
            answer = input(
                f"This replaces ALL current data with the backup of {manifest['created_at']}. Type 'yes' to go on: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled; nothing was changed.")
        try:
            backup_restore(archive=archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Restored the backup of {manifest['created_at']}."))
