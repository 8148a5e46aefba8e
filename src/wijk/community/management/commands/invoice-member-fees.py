"""`wijk invoice-member-fees --organisation SLUG --year Y [--dry-run] [--email]`."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from wijk.community import fees
from wijk.ledger.money import format_cents
from wijk.organisations.models import Organisation


class Command(BaseCommand):
    help = (
        "Send one sales invoice per member for the year's membership fee, posted in the "
        "books. A member who already has the invoice for that year is skipped, so the "
        "command can be run again safely."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--organisation", metavar="SLUG", required=True)
        parser.add_argument("--year", metavar="Y", type=int, required=True)
        parser.add_argument(
            "--date",
            metavar="YYYY-MM-DD",
            type=date.fromisoformat,
            help="Invoice date (default: today).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Only list who would be invoiced."
        )
        parser.add_argument(
            "--email", action="store_true", help="E-mail the invoices to members with an address."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(
                f"--organisation: no organisation with the short name {options['organisation']!r}."
            )
        try:
            run = fees.membership_fees_invoice(
                organisation=organisation,
                year=options["year"],
                actor=None,
                issue_date=options["date"],
                dry_run=options["dry_run"],
            )
        except ValidationError as exc:
            raise CommandError("; ".join(_messages(exc))) from exc
        plan = run.plan
        for line in plan.due:
            self.stdout.write(
                f"{'due' if options['dry_run'] else 'invoiced'}: person {line.person.pk} "
                f"{format_cents(line.amount_cents)}"
            )
        if options["dry_run"]:
            self.stdout.write(
                f"{len(plan.due)} to invoice ({format_cents(plan.due_total_cents)}), "
                f"{len(plan.invoiced)} already invoiced; nothing changed (--dry-run)."
            )
            return
        numbers = ", ".join(invoice.number for invoice in run.invoices)
        self.stdout.write(
            f"{len(run.invoices)} invoices sent ({format_cents(plan.due_total_cents)})"
            f"{': ' + numbers if numbers else ''}; {len(plan.invoiced)} already invoiced."
        )
        if options["email"] and run.invoices:
            sent, not_sent = fees.membership_fees_email(invoices=run.invoices, actor=None)
            self.stdout.write(f"{sent} e-mailed, {not_sent} not e-mailed.")


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [
            f"{'--year' if field == 'year' else field}: {message}"
            for field, errors in exc.error_dict.items()
            for error in errors
            for message in error.messages
        ]
    return list(exc.messages)
