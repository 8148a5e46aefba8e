"""Reads of sales: invoices with their payment status, customers, accounts to choose."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from wijk.ledger.models import Account, AccountType
from wijk.ledger.money import format_cents
from wijk.organisations.models import Organisation

from .models import Customer, Invoice


class PaymentStatus:
    DRAFT = "draft"
    OPEN = "open"
    PARTLY_PAID = "partly_paid"
    PAID = "paid"
    OVERDUE = "overdue"
    CREDITED = "credited"
    CREDIT_NOTE = "credit_note"


PAYMENT_STATUS_LABELS: dict[str, Promise] = {
    PaymentStatus.DRAFT: _("Draft"),
    PaymentStatus.OPEN: _("Open"),
    PaymentStatus.PARTLY_PAID: _("Partly paid"),
    PaymentStatus.PAID: _("Paid"),
    PaymentStatus.OVERDUE: _("Overdue"),
    PaymentStatus.CREDITED: _("Credited"),
    PaymentStatus.CREDIT_NOTE: _("Credit note"),
}


@dataclass(frozen=True)
class InvoiceRow:
    invoice: Invoice
    paid_cents: int
    status: str

    @property
    def status_label(self) -> str:
        return str(PAYMENT_STATUS_LABELS[self.status])

    @property
    def outstanding_cents(self) -> int:
        if self.status in {PaymentStatus.CREDITED, PaymentStatus.CREDIT_NOTE, PaymentStatus.DRAFT}:
            return 0
        return self.invoice.total_cents - self.paid_cents


def payment_status(invoice: Invoice, *, paid_cents: int, credited: bool, today: date) -> str:
    if not invoice.is_sent:
        return PaymentStatus.DRAFT
    if invoice.kind == Invoice.Kind.CREDIT_NOTE:
        return PaymentStatus.CREDIT_NOTE
    if credited:
        return PaymentStatus.CREDITED
    if paid_cents >= invoice.total_cents:
        return PaymentStatus.PAID
    if invoice.due_date is not None and today > invoice.due_date:
        return PaymentStatus.OVERDUE
    if paid_cents > 0:
        return PaymentStatus.PARTLY_PAID
    return PaymentStatus.OPEN


def invoice_rows(*, organisation: Organisation, today: date, status: str = "") -> list[InvoiceRow]:
    """Invoices newest first with paid amount and status; payments summed in SQL."""
    invoices = (
        Invoice.objects.for_organisation(organisation)
        .select_related("customer", "credit_note")
        .annotate(paid=Coalesce(Sum("payments__amount_cents"), 0))
        .order_by("-year", "-sequence", "-created_at", "-id")[:1000]
    )
    rows = []
    for invoice in invoices:
        credited = hasattr(invoice, "credit_note")
        row = InvoiceRow(
            invoice=invoice,
            paid_cents=int(invoice.paid),  # type: ignore[attr-defined]
            status=payment_status(
                invoice,
                paid_cents=int(invoice.paid),  # type: ignore[attr-defined]
                credited=credited,
                today=today,
            ),
        )
        if not status or row.status == status:
            rows.append(row)
    return rows


def invoice_row(*, invoice: Invoice, today: date) -> InvoiceRow:
    paid = int(invoice.payments.aggregate(total=Sum("amount_cents"))["total"] or 0)
    credited = Invoice.objects.filter(credit_of=invoice).exists()
    return InvoiceRow(
        invoice=invoice,
        paid_cents=paid,
        status=payment_status(invoice, paid_cents=paid, credited=credited, today=today),
    )


def customer_list(*, organisation: Organisation) -> QuerySet[Customer]:
    return Customer.objects.for_organisation(organisation).order_by("name")


def income_accounts(*, organisation: Organisation) -> QuerySet[Account]:
    return Account.objects.filter(
        organisation=organisation, type=AccountType.INCOME, is_active=True
    ).order_by("number")


@dataclass(frozen=True)
class ReceivablesSummary:
    open_count: int
    overdue_count: int
    outstanding_cents: int


def receivables_summary(*, organisation: Organisation, today: date) -> ReceivablesSummary:
    """For the dashboard: sent invoices not yet paid in full (credited ones excluded), in SQL."""
    rows = (
        Invoice.objects.for_organisation(organisation)
        .filter(status=Invoice.Status.SENT, kind=Invoice.Kind.INVOICE, credit_note__isnull=True)
        .annotate(paid=Coalesce(Sum("payments__amount_cents"), 0))
        .annotate(open=F("total_cents") - F("paid"))
        .filter(open__gt=0)
        .aggregate(
            count=Count("pk"),
            overdue=Count("pk", filter=Q(due_date__lt=today)),
            outstanding=Coalesce(Sum("open"), 0),
        )
    )
    return ReceivablesSummary(
        open_count=rows["count"],
        overdue_count=rows["overdue"],
        outstanding_cents=rows["outstanding"],
    )


def person_open_invoices_reason(person: Any) -> str | None:
    """Anonymisation blocker: money is still owed on invoices to the person's customer.

    Counted in SQL like `receivables_summary`: sent invoices, not credited, paid less
    than their total. Draft invoices are not owed; they are deleted or sent first.
    """
    rows = (
        Invoice.objects.filter(
            organisation_id=person.organisation_id,
            customer__person=person,
            status=Invoice.Status.SENT,
            kind=Invoice.Kind.INVOICE,
            credit_note__isnull=True,
        )
        .annotate(paid=Coalesce(Sum("payments__amount_cents"), 0))
        .annotate(open=F("total_cents") - F("paid"))
        .filter(open__gt=0)
        .aggregate(count=Count("pk"), outstanding=Coalesce(Sum("open"), 0))
    )
    if not rows["count"]:
        return None
    return str(
        ngettext(
            "%(count)s invoice of %(amount)s in total is not paid yet.",
            "%(count)s invoices of %(amount)s in total are not paid yet.",
            rows["count"],
        )
        % {"count": rows["count"], "amount": format_cents(rows["outstanding"])}
    )
