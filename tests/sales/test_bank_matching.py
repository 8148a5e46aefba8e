"""An imported bank statement books the payment of an open invoice by its reference."""

from __future__ import annotations

from datetime import date

import pytest

from tests.banking import fixtures
from tests.sales.helpers import draft_invoice
from wijk.banking import services as banking
from wijk.banking.importing import statement_import
from wijk.banking.models import BankLine
from wijk.ledger.models import Account
from wijk.ledger.verification import verify_organisation
from wijk.sales import services
from wijk.sales.selectors import invoice_row

pytestmark = pytest.mark.django_db

IBAN = "NL91ABNA0417164300"


@pytest.fixture
def sent(org_a, books):  # type: ignore[no-untyped-def]
    banking.bank_account_create(
        organisation=org_a,
        iban=IBAN,
        name="Betaalrekening",
        ledger_account=Account.objects.get(organisation=org_a, number="1100"),
        actor=None,
    )
    return services.invoice_send(
        invoice=draft_invoice(org_a), actor=None, issue_date=date(2026, 3, 2)
    )


def _import(org, *lines):  # type: ignore[no-untyped-def]
    return statement_import(
        organisation=org,
        data=fixtures.camt053(tuple(lines), account=IBAN),
        file_name="afschrift.xml",
        actor=None,
    )


def test_payment_with_the_reference_is_booked_on_the_invoice(org_a, sent):
    spaced = " ".join(sent.payment_reference[i : i + 4] for i in range(0, 25, 4)).lower()
    _import(
        org_a,
        fixtures.Line(date(2026, 3, 9), 5000, "NL02RABO0123456789", "Huurders", spaced),
        fixtures.Line(date(2026, 3, 10), 1000, "NL02RABO0123456789", "Iemand", "gift"),
    )
    paid = BankLine.objects.get(amount_cents=5000)
    assert paid.status == "booked" and paid.matched_by == "invoice"
    assert paid.journal_entry.counterparty == sent.customer.name
    assert sent.payments.get().amount_cents == 5000
    assert invoice_row(invoice=sent, today=date(2026, 3, 10)).status == "partly_paid"
    assert BankLine.objects.get(amount_cents=1000).status == "unmatched"
    # the rest arrives later, naming only the invoice number
    rest = sent.total_cents - 5000
    _import(
        org_a,
        fixtures.Line(
            date(2026, 3, 20), rest, "NL02RABO0123456789", "Huurders", f"factuur {sent.number}"
        ),
    )
    assert invoice_row(invoice=sent, today=date(2026, 3, 20)).status == "paid"
    assert verify_organisation(organisation=org_a) == []


def test_more_than_is_open_or_money_out_is_left_alone(org_a, sent):
    _import(
        org_a,
        fixtures.Line(
            date(2026, 3, 9), sent.total_cents + 1, "", "Huurders", sent.payment_reference
        ),
        fixtures.Line(date(2026, 3, 9), -100, "", "Huurders", sent.payment_reference),
    )
    assert not BankLine.objects.filter(status="booked").exists()
    assert not sent.payments.exists()


def test_a_line_without_reference_is_matched_to_the_invoice_by_hand(org_a, sent):
    from wijk.banking.matching import match_options
    from wijk.core.models import AuditEvent

    _import(org_a, fixtures.Line(date(2026, 3, 9), 3000, "", "Huurders", "huur"))
    line = BankLine.objects.get()
    assert line.status == "unmatched"
    options = match_options(organisation=org_a, lines=[line])[line.pk]
    assert [o.value for o in options] == [f"invoice:{sent.pk}"]
    assert sent.number in options[0].label
    banking.bank_line_match(line=line, match=f"invoice:{sent.pk}", actor=None)
    line.refresh_from_db()
    assert line.status == "booked" and line.matched_by == "invoice"
    assert sent.payments.get().entry == line.journal_entry
    assert AuditEvent.objects.filter(action="bank_line.match").exists()
    assert verify_organisation(organisation=org_a) == []


def test_money_out_or_an_unknown_item_cannot_be_matched_to_an_invoice(org_a, sent):
    from django.core.exceptions import ValidationError

    _import(org_a, fixtures.Line(date(2026, 3, 9), -3000, "", "Huurders", sent.number))
    line = BankLine.objects.get()
    for match in (f"invoice:{sent.pk}", "invoice:999999", "nothing:1", "invoice:x"):
        with pytest.raises(ValidationError):
            banking.bank_line_match(line=line, match=match, actor=None)
    assert not sent.payments.exists()
