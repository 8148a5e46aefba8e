"""`wijk verify-ledger [--organisation SLUG]`: check balances, numbering and the hash chain."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from wijk.ledger.verification import verify_all
from wijk.organisations.models import Organisation


class Command(BaseCommand):
    help = "Check the books of one or every organisation; exits non-zero on any finding."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--organisation", metavar="SLUG", help="Only this organisation.")

    def handle(self, *args: Any, **options: Any) -> None:
        organisations = Organisation.objects.order_by("slug")
        if options["organisation"]:
            organisations = organisations.filter(slug=options["organisation"])
            if not organisations.exists():
                raise CommandError(
                    f"--organisation: no organisation with the short name {options['organisation']!r}."
                )
        selected = list(organisations)
        findings = verify_all(organisations=selected)
        for finding in findings:
            self.stderr.write(f"FOUND {finding}")
        if findings:
            raise CommandError(
                f"{len(findings)} finding(s) in the books. The first broken link is listed first."
            )
        self.stdout.write(
            self.style.SUCCESS(f"Books verified for {len(selected)} organisation(s): no findings.")
        )
