"""`wijk restore ARCHIVE`: replace the database and uploads with a backup's."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from wijk.core.backup import BackupError, backup_read_manifest, backup_restore


def _has_terminal() -> bool:
    try:
        return bool(sys.stdin and sys.stdin.isatty())
    except ValueError:  # stdin closed
        return False


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
            # Without a terminal (cron, CI, a pipe) nobody can answer: refuse rather
            # than read an empty answer or fail on end-of-file.
            if not _has_terminal():
                raise CommandError(
                    "No terminal to confirm the restore on; nothing was changed. "
                    "Add --yes to restore without confirmation."
                )
            try:
                answer = input(
                    f"This replaces ALL current data with the backup of {manifest['created_at']}. Type 'yes' to go on: "
                )
            except (EOFError, KeyboardInterrupt):
                answer = ""
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled; nothing was changed.")
        try:
            backup_restore(archive=archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Restored the backup of {manifest['created_at']}."))
