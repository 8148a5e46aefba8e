"""`wijk export-journal --organisation SLUG [--year Y]`: the books as an hledger journal."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from wijk.ledger.exchange import journal_to_hledger
from wijk.ledger.models import FiscalYear
from wijk.organisations.models import Organisation


class Command(BaseCommand):
    help = "Print the posted entries as a plain-text hledger journal on standard output."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--organisation", metavar="SLUG", required=True)
        parser.add_argument(
            "--year", type=int, help="Only the fiscal year that starts in this year."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(
                f"--organisation: no organisation with the short name {options['organisation']!r}."
            )
        start = end = None
        if options["year"] is not None:
            year = FiscalYear.objects.filter(
                organisation=organisation, start_date__year=options["year"]
            ).first()
            if year is None:
                raise CommandError(
                    f"--year: {organisation.slug} has no fiscal year starting in {options['year']}."
                )
            start, end = year.start_date, year.end_date
        for line in journal_to_hledger(organisation=organisation, start=start, end=end):
            self.stdout.write(line)
