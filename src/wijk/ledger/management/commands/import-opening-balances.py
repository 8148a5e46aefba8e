"""`wijk import-opening-balances FILE --organisation SLUG --year Y`: one opening entry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from wijk.ledger import services
from wijk.ledger.imports import MAX_BYTES, opening_balances_import, opening_balances_read
from wijk.ledger.models import FiscalYear
from wijk.ledger.money import format_cents
from wijk.organisations.models import Organisation


def read_file(path_text: str, limit: int) -> tuple[str, bytes]:
    """The file's name and bytes, or a CommandError that names the problem."""
    path = Path(path_text).expanduser()
    try:
        if path.is_dir():
            raise CommandError(f"FILE: {path_text} is a folder; give a file.")
        if path.stat().st_size > limit:
            raise CommandError(f"FILE: {path_text} is larger than {limit // (1024 * 1024)} MB.")
        return path.name, path.read_bytes()
    except FileNotFoundError as exc:
        raise CommandError(f"FILE: there is no file {path_text}.") from exc
    except OSError as exc:
        raise CommandError(f"FILE: cannot read {path_text}: {exc.strerror or exc}.") from exc


def find_organisation(slug: str) -> Organisation:
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise CommandError(f"--organisation: no organisation with the short name {slug!r}.")
    return organisation


class Command(BaseCommand):
    help = (
        "Read opening balances from a CSV or XLSX file (columns account, description, "
        "debit, credit, fund) and post them as the opening entry of a fiscal year."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", metavar="FILE", help="A .csv or .xlsx file.")
        parser.add_argument("--organisation", metavar="SLUG", required=True)
        parser.add_argument(
            "--year",
            type=int,
            required=True,
            help="The fiscal year that starts in this calendar year; opened when missing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = find_organisation(options["organisation"])
        name, data = read_file(options["file"], MAX_BYTES)
        try:
            with transaction.atomic():
                opening = opening_balances_read(
                    organisation=organisation, file_name=name, data=data
                )
                fiscal_year = FiscalYear.objects.filter(
                    organisation=organisation, start_date__year=options["year"]
                ).first()
                if fiscal_year is None:
                    fiscal_year = services.fiscal_year_create(
                        organisation=organisation, year=options["year"], actor=None
                    )
                    self.stderr.write(f"Fiscal year {fiscal_year} opened.")
                record = opening_balances_import(
                    organisation=organisation, fiscal_year=fiscal_year, opening=opening, actor=None
                )
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        self.stdout.write(
            f"Opening balance {fiscal_year} posted: {len(opening.lines)} lines, "
            f"{format_cents(opening.debit_cents)} on each side "
            f"(entry {record.opening_entry})."
        )
