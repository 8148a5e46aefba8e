"""`wijk import-statement`: import a bank statement file (CAMT.053, MT940 or CSV)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from wijk.banking.importing import statement_import
from wijk.organisations.models import Organisation


class Command(BaseCommand):
    help = "Import a bank statement; the format is detected from the content."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="The statement file: CAMT.053, MT940 or a bank's CSV.")
        parser.add_argument("--organisation", required=True, help="The organisation's slug.")
        parser.add_argument(
            "--add-account",
            action="store_true",
            help="Register the statement's IBAN as a bank account when it is not yet known.",
        )
        parser.add_argument("--json", action="store_true", help="Print the summary as JSON.")

    _shown = False

    def _progress(self, done: int, total: int) -> None:
        """A bar on standard error, only when someone watches it (a terminal)."""
        if not self.stderr.isatty():
            return
        width = 30
        filled = width * done // max(total, 1)
        self.stderr.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} statements",
            ending="",
            style_func=str,
        )
        self.stderr.flush()
        self._shown = True

    def _end_progress(self) -> None:
        if self._shown:
            self.stderr.write("", style_func=str)
            self._shown = False

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"--organisation: no organisation {options['organisation']!r}.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        if path.stat().st_size > settings.BANK_STATEMENT_MAX_BYTES:
            limit = settings.BANK_STATEMENT_MAX_BYTES // (1024 * 1024)
            raise CommandError(f"{path}: the file is larger than {limit} MB. Nothing was imported.")
        try:
            summary = statement_import(
                organisation=organisation,
                data=path.read_bytes(),
                file_name=path.name,
                actor=None,
                add_account=options["add_account"],
                progress=None if options["json"] else self._progress,
            )
        except ValidationError as exc:
            self._end_progress()
            raise CommandError(" ".join(exc.messages)) from exc
        self._end_progress()
        if options["json"]:
            self.stdout.write(json.dumps(summary.as_json(), ensure_ascii=False))
            return
        self.stdout.write(
            f"{path.name}: {summary.imported} imported, {summary.already_present} already "
            f"present, {summary.matched} matched, {summary.unmatched} left to reconcile "
            f"({len(summary.statements)} statements)."
        )
        for note in summary.notes:
            self.stdout.write(note)
