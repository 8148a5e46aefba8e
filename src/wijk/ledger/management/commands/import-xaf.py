"""`wijk import-xaf FILE --organisation SLUG [--dry-run]`: history from another package."""

from __future__ import annotations

import importlib
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from wijk.ledger.xaf_import import MAX_BYTES, XafImportResult, xaf_import, xaf_read

_opening = importlib.import_module("wijk.ledger.management.commands.import-opening-balances")


def describe(result: XafImportResult) -> list[str]:
    """The result as lines of text, for the command and its tests."""
    verb = "Would import" if result.dry_run else "Imported"
    lines = [f"{verb} {result.entries} entries with {result.lines} lines from {result.file_name}."]
    if result.chart_installed:
        lines.append("The chart of accounts template was installed first.")
    if result.opening_posted:
        lines.append("The opening balance in the file was posted as the opening entry.")
    for year in result.years_created:
        lines.append(f"Fiscal year {year} opened.")
    for source, number, name in result.accounts_created:
        lines.append(f"Account {number} {name} created (account {source} in the file).")
    lines.append(f"{len(result.accounts_mapped)} accounts of the file matched existing accounts.")
    lines.extend(f"Note: {note}" for note in result.notes)
    lines.extend(f"Warning: {warning}" for warning in result.warnings)
    return lines


class Command(BaseCommand):
    help = (
        "Import the accounts, fiscal years and posted transactions of an XML Auditfile "
        "Financieel 3.2 (XAF) exported by another bookkeeping package."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", metavar="FILE", help="An XAF 3.2 file (.xaf or .xml).")
        parser.add_argument("--organisation", metavar="SLUG", required=True)
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check everything and say what would happen; write nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = _opening.find_organisation(options["organisation"])
        name, data = _opening.read_file(options["file"], MAX_BYTES)
        try:
            document = xaf_read(file_name=name, data=data)
            result = xaf_import(
                organisation=organisation, document=document, actor=None, dry_run=options["dry_run"]
            )
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        for line in describe(result):
            if line.startswith("Warning: "):
                self.stderr.write(line)
            else:
                self.stdout.write(line)
