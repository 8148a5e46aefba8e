"""Bank lines that pay an open invoice: recognised by the invoice's payment reference.

Registered with the bank import (`wijk.banking.matching.register_matcher`), so an
imported statement books the payment of an open invoice by itself. A line matches
when its description or end-to-end reference carries the invoice's RF payment
reference (or, failing that, its number) and the amount is money in, no more than
what is still open. The payment is registered through `invoice_payment_register`, the
same service as the "register payment" button, so the books, the invoice's status and
the activity log follow. A line whose payment the books refuse (a closed month, say)
stays for the treasurer to reconcile.

What is left, the treasurer can match to an open invoice by hand on the reconciliation
page: `invoice_match_source` lists the open invoices a line could pay and books the
chosen one through the same service.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wijk.banking.matching import MatchOption, MatchSource
from wijk.ledger.money import format_cents
from wijk.organisations.models import Organisation

from .models import Invoice
from .services import invoice_payment_register, paid_cents

if TYPE_CHECKING:
    from wijk.accounts.models import User
    from wijk.banking.models import BankLine
    from wijk.ledger.models import JournalEntry

_NOT_ALPHANUMERIC = re.compile(r"[^0-9A-Z]")


def _plain(text: str) -> str:
    """Upper case without spaces or punctuation: "rf18 5390 0754 7034" -> "RF18539007547034"."""
    return _NOT_ALPHANUMERIC.sub("", text.upper())


def open_invoices(*, organisation: Organisation) -> list[Invoice]:
    """Sent invoices (not credit notes, not credited) with money still to receive."""
    invoices = (
        Invoice.objects.for_organisation(organisation)
        .filter(status=Invoice.Status.SENT, kind=Invoice.Kind.INVOICE, credit_note__isnull=True)
        .select_related("customer")
        .order_by("number")
    )
    return [invoice for invoice in invoices if invoice.total_cents > paid_cents(invoice)]


def match_invoice_payments(
    organisation: Organisation, lines: Sequence[BankLine], actor: User | None
) -> int:
    """Book the lines that pay an open invoice; return how many were booked."""
    from wijk.banking.models import BankLine

    incoming = [line for line in lines if line.amount_cents > 0]
    if not incoming:
        return 0
    invoices = open_invoices(organisation=organisation)
    by_reference = {_plain(i.payment_reference): i for i in invoices if i.payment_reference}
    by_number = {_plain(i.number): i for i in invoices if i.number}
    booked = 0
    for line in incoming:
        text = _plain(f"{line.description} {line.end_to_end_reference}")
        invoice = next((i for ref, i in by_reference.items() if ref and ref in text), None)
        if invoice is None:
            invoice = next((i for number, i in by_number.items() if number in text), None)
        if invoice is None or line.amount_cents > invoice.total_cents - paid_cents(invoice):
            continue
        try:
            with transaction.atomic():
                entry = _pay(invoice, line, actor)
                line.status = BankLine.Status.BOOKED
                line.journal_entry = entry
                line.matched_by = "invoice"
                line.save(update_fields=["status", "journal_entry", "matched_by"])
        except ValidationError:
            continue  # left for the treasurer, with the reason on the reconciliation page
        booked += 1
    return booked


def _pay(invoice: Invoice, line: BankLine, actor: User | None) -> JournalEntry:
    payment = invoice_payment_register(
        invoice=invoice,
        actor=actor,
        date=line.booking_date,
        amount_cents=line.amount_cents,
        bank_account=line.bank_account.ledger_account,
    )
    return payment.entry


def _options(organisation: Organisation, lines: Sequence[BankLine]) -> dict[int, list[MatchOption]]:
    """Open invoices each line of money in could pay: no more than is still open."""
    incoming = [line for line in lines if line.amount_cents > 0]
    if not incoming:
        return {}
    invoices = [
        (i, i.total_cents - paid_cents(i)) for i in open_invoices(organisation=organisation)
    ]
    result: dict[int, list[MatchOption]] = {}
    for line in incoming:
        text = _plain(f"{line.description} {line.end_to_end_reference}")
        fitting = [(i, left) for i, left in invoices if line.amount_cents <= left]
        # Named in the line first, then the ones whose open amount is exactly the line's.
        fitting.sort(
            key=lambda pair: (
                not (
                    (pair[0].payment_reference and _plain(pair[0].payment_reference) in text)
                    or (pair[0].number and _plain(pair[0].number) in text)
                ),
                pair[1] != line.amount_cents,
                pair[0].number,
            )
        )
        if fitting:
            result[line.pk] = [
                MatchOption(
                    f"invoice:{invoice.pk}",
                    _("Invoice %(number)s, %(customer)s, %(open)s open")
                    % {
                        "number": invoice.number,
                        "customer": invoice.customer.name,
                        "open": format_cents(left),
                    },
                )
                for invoice, left in fitting
            ]
    return result


def _book(line: BankLine, invoice_id: int, actor: User | None) -> JournalEntry:
    invoice = Invoice.objects.for_organisation(line.organisation).filter(pk=invoice_id).first()
    if invoice is None:
        raise ValidationError({"match": [ValidationError(_("Choose what this line pays."))]})
    if line.amount_cents <= 0:
        raise ValidationError(
            {
                "match": [
                    ValidationError(_("This line is money going out; it cannot pay an invoice."))
                ]
            }
        )
    return _pay(invoice, line, actor)


invoice_match_source = MatchSource(name="invoice", options=_options, book=_book)
