"""`wijk invoice-bookings`: turn a month's confirmed bookings into posted sales invoices."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from wijk.ledger.money import format_cents
from wijk.organisations.models import Organisation
from wijk.premises import invoicing


class Command(BaseCommand):
    help = (
        "Invoice the confirmed bookings of a month that are not invoiced yet: one invoice per "
        "customer (default) or per booking, posted in the books with the building."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--organisation", metavar="SLUG", required=True)
        parser.add_argument("--month", metavar="YYYY-MM", required=True)
        parser.add_argument("--per", choices=invoicing.PER_CHOICES, default=invoicing.PER_CUSTOMER)
        parser.add_argument(
            "--date",
            metavar="YYYY-MM-DD",
            help="The invoice date (default: today).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show the invoices that would be made; write nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(
                f"--organisation: no organisation with the short name {options['organisation']!r}."
            )
        try:
            month = invoicing.parse_month(options["month"])
        except ValidationError as exc:
            raise CommandError(f"--month: {' '.join(exc.messages)}") from exc
        try:
            issue_date = date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError as exc:
            raise CommandError(
                "--date: give the date as YYYY-MM-DD, for example 2026-04-01."
            ) from exc
        issue_date = issue_date or timezone.localdate()
        if options["dry_run"]:
            plan = invoicing.invoice_plan(
                organisation=organisation,
                bookings=invoicing.bookings_to_invoice(organisation=organisation, month=month),
                per=options["per"],
            )
            for planned in plan:
                who = (
                    planned.customer.name if planned.customer else f"{planned.customer_name} (new)"
                )
                self.stdout.write(
                    f"-\t{who}\t{len(planned.bookings)} bookings\t"
                    f"{format_cents(planned.total_cents)}"
                )
            self.stdout.write(f"Dry run: {len(plan)} invoices would be made; nothing was written.")
            return
        try:
            made = invoicing.bookings_invoice(
                organisation=organisation,
                month=month,
                per=options["per"],
                actor=None,
                issue_date=issue_date,
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages) + " Nothing was invoiced.") from exc
        for invoice in made:
            self.stdout.write(
                f"{invoice.number}\t{invoice.customer.name}\t"
                f"{invoice.booking_links.count()} bookings\t{format_cents(invoice.total_cents)}"
            )
        self.stdout.write(f"{len(made)} invoices made and posted for {month:%Y-%m}.")
