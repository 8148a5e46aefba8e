"""Sent invoices, their lines and payments, and decided claims refuse every change in the database."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import DatabaseError, connection, transaction

from tests.expenses.helpers import submit_claim
from tests.factories import make_user
from tests.sales.helpers import draft_invoice
from wijk.expenses import services as expenses
from wijk.expenses.models import ExpenseApproval, ExpenseClaim
from wijk.ledger.models import Account
from wijk.sales import services
from wijk.sales.models import Invoice, InvoiceLine, Payment

pytestmark = pytest.mark.django_db


def refused(action, match: str = "immutable") -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DatabaseError, match=match), transaction.atomic():
        action()


def raw(sql: str, *params: object) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _sent(org):  # type: ignore[no-untyped-def]
    return services.invoice_send(
        invoice=draft_invoice(org), actor=None, issue_date=date(2026, 3, 10)
    )


def test_sent_invoice_refuses_every_write_path(org_a, books):
    invoice = _sent(org_a)
    line = invoice.lines.get()
    pk = invoice.pk

    def save() -> None:
        invoice.total_cents = 1
        invoice.net_cents = 1
        invoice.vat_cents = 0
        invoice.save()

    refused(save)
    refused(lambda: Invoice.objects.filter(pk=pk).update(number="2026-0099"))
    refused(lambda: Invoice.objects.filter(pk=pk).update(status="draft"))
    refused(lambda: Invoice.objects.filter(pk=pk).delete())
    refused(lambda: InvoiceLine.objects.filter(pk=line.pk).update(unit_price_cents=1))
    refused(lambda: InvoiceLine.objects.filter(pk=line.pk).delete())
    refused(
        lambda: InvoiceLine.objects.create(
            organisation=org_a,
            invoice=invoice,
            position=9,
            description="Erbij",
            quantity=1,
            unit_price_cents=1,
            account=line.account,
            vat_rate="0",
            net_cents=1,
            vat_cents=0,
        )
    )
    refused(
        lambda: raw(
            "UPDATE sales_invoice SET total_cents = 0, net_cents = 0, vat_cents = 0 WHERE id = %s",
            pk,
        )
    )
    refused(lambda: raw("DELETE FROM sales_invoiceline WHERE id = %s", line.pk))
    invoice.refresh_from_db()
    assert invoice.number == "2026-0001" and invoice.total_cents == 12100
    # The e-mail bookkeeping may still change.
    Invoice.objects.filter(pk=pk).update(email_status="failed", email_error="timeout")


def test_draft_invoice_may_change(org_a, books):
    invoice = draft_invoice(org_a)
    Invoice.objects.filter(pk=invoice.pk).update(note="Anders")
    services.invoice_delete_draft(invoice=invoice, actor=None)
    assert not Invoice.objects.filter(pk=invoice.pk).exists()


def test_payment_refuses_change(org_a, books):
    invoice = _sent(org_a)
    payment = services.invoice_payment_register(
        invoice=invoice,
        actor=None,
        date=date(2026, 3, 11),
        amount_cents=100,
        bank_account=Account.objects.get(organisation=org_a, number="1100"),
    )
    refused(lambda: Payment.objects.filter(pk=payment.pk).update(amount_cents=5))
    refused(lambda: Payment.objects.filter(pk=payment.pk).delete())


def test_decided_claim_refuses_change(org_a, books, volunteer_a):
    treasurer = make_user("penningmeester@alfa.example", org_a, "treasurer")
    claim = expenses.expense_claim_approve(claim=submit_claim(org_a, volunteer_a), actor=treasurer)
    refused(lambda: ExpenseClaim.objects.filter(pk=claim.pk).update(amount_cents=99999))
    refused(lambda: ExpenseClaim.objects.filter(pk=claim.pk).update(iban="NL02ABNA0123456789"))
    refused(lambda: ExpenseClaim.objects.filter(pk=claim.pk).update(status="submitted", entry=None))
    # The ORM already refuses (protected by the approvals); raw SQL meets the trigger.
    refused(lambda: ExpenseClaim.objects.filter(pk=claim.pk).delete(), match="protected")
    refused(lambda: raw("DELETE FROM expenses_expenseapproval WHERE claim_id = %s", claim.pk))
    refused(lambda: ExpenseApproval.objects.filter(claim=claim).delete())
    claim = expenses.expense_claim_pay(
        claim=claim,
        actor=treasurer,
        paid_on=date(2026, 3, 9),
        bank_account=Account.objects.get(organisation=org_a, number="1100"),
    )
    refused(lambda: ExpenseClaim.objects.filter(pk=claim.pk).update(paid_on=date(2026, 3, 10)))
    rejected = submit_claim(org_a, volunteer_a, description="Tweede")
    expenses.expense_claim_reject(claim=rejected, actor=treasurer, reason="Dubbel")
    refused(lambda: ExpenseClaim.objects.filter(pk=rejected.pk).update(rejection_reason="Anders"))


def test_texts_written_into_the_books_are_in_the_books_language(org_a, books, settings):
    """Posted entries never change: their descriptions follow the installation's
    language, not that of whoever posted (here a treasurer on the English pages)."""
    from django.utils import translation

    invoice = _sent(org_a)
    settings.LANGUAGE_CODE = "nl"
    with translation.override("en"):
        payment = services.invoice_payment_register(
            invoice=invoice,
            actor=None,
            date=date(2026, 3, 11),
            amount_cents=100,
            bank_account=Account.objects.get(organisation=org_a, number="1100"),
        )
    description = payment.entry.description
    assert description.startswith(f"Betaling van factuur {invoice.number} "), description
