"""Sales invoices: VAT rounding, numbering, posting, PDF, e-mail, payments, credit notes."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db.models import Sum

from tests.sales.helpers import customer, draft_invoice, line
from wijk.core.models import AuditEvent
from wijk.ledger.models import Account, JournalEntry, JournalLine
from wijk.sales import services
from wijk.sales.models import Invoice, InvoiceSequence
from wijk.sales.selectors import invoice_row

pytestmark = pytest.mark.django_db


def _account(org, number):  # type: ignore[no-untyped-def]
    return Account.objects.get(organisation=org, number=number)


def _send(invoice, day=date(2026, 3, 10), **kwargs):  # type: ignore[no-untyped-def]
    return services.invoice_send(invoice=invoice, actor=None, issue_date=day, **kwargs)


def pdf_text(content: bytes, tmp_path) -> str:  # type: ignore[no-untyped-def]
    """The text of a PDF: poppler's pdftotext when installed, installed by scripts/system-packages.sh."""
    path = tmp_path / "invoice.pdf"
    path.write_bytes(content)
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(  # noqa: S603
        [tool, "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


# --- amounts ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quantity", "price", "rate", "net", "vat"),
    [
        ("1", 10000, "21", 10000, 2100),
        ("3", 333, "21", 999, 210),  # 209,79 rounds up to 210
        ("1", 250, "21", 250, 53),  # 52,5 rounds half up
        ("1", 50, "9", 50, 5),  # 4,5 rounds half up
        ("1", 49, "9", 49, 4),  # 4,41 rounds down
        ("1,5", 1999, "21", 2999, 630),  # 2998,5 -> 2999; 629,79 -> 630
        ("0.333", 100, "9", 33, 3),  # 33,3 -> 33; 2,97 -> 3
        ("2", 1250, "0", 2500, 0),
        ("2", 1250, "exempt", 2500, 0),
        ("-1", 250, "21", -250, -53),  # credit: half away from zero
    ],
)
def test_line_amounts_round_per_line(quantity, price, rate, net, vat):
    q = Decimal(quantity.replace(",", "."))
    assert services.line_amounts(quantity=q, unit_price_cents=price, vat_rate=rate) == (net, vat)


def test_totals_are_the_sum_of_rounded_lines(org_a, books):
    invoice = draft_invoice(
        org_a,
        line(
            org_a,
            description="Koffie",
            quantity="3",
            unit_price_cents=333,
            account="8110",
            vat_rate="9",
        ),
        line(
            org_a,
            description="Wijn",
            quantity="3",
            unit_price_cents=333,
            account="8100",
            vat_rate="21",
        ),
        line(
            org_a,
            description="Zaal",
            quantity="1",
            unit_price_cents=5000,
            account="8000",
            vat_rate="exempt",
        ),
    )
    # 999 + 999 + 5000 net; VAT 89,91 -> 90 and 209,79 -> 210
    assert (invoice.net_cents, invoice.vat_cents, invoice.total_cents) == (6998, 300, 7298)
    summary = {
        row["rate"]: (row["net"], row["vat"])
        for row in services.vat_summary(list(invoice.lines.all()))
    }
    assert summary == {"9": (999, 90), "21": (999, 210), "exempt": (5000, 0)}


# --- drafts -----------------------------------------------------------------------------


def test_bad_draft_names_every_problem_and_writes_nothing(org_a, org_b, books):
    foreign = customer(org_b, "Vreemde klant")
    with pytest.raises(ValidationError) as caught:
        services.invoice_create_draft(
            organisation=org_a,
            customer=foreign,
            payment_term_days=400,
            lines=[
                services.LineData("", Decimal(0), 100, _account(org_a, "4200"), "12"),
            ],
            actor=None,
        )
    errors = caught.value.error_dict
    assert set(errors) == {"customer", "payment_term_days", "lines"}
    messages = [m for e in errors["lines"] for m in e.messages]
    assert "Line 1: describe what you charge." in messages
    assert "Line 1: the quantity cannot be zero." in messages
    assert "Line 1: choose one of the listed income accounts." in messages
    assert "Line 1: choose a VAT rate." in messages
    assert not Invoice.objects.filter(organisation=org_a).exists()


def test_customer_validation(org_a):
    with pytest.raises(ValidationError) as caught:
        services.customer_create(
            organisation=org_a,
            name="",
            address="",
            email="",
            kvk_number="123",
            vat_number="NL123",
            actor=None,
        )
    assert set(caught.value.error_dict) == {"name", "address", "email", "kvk_number", "vat_number"}
    created = services.customer_create(
        organisation=org_a,
        name="Gemeente Buurtstad",
        address="Postbus 1",
        email="facturen@buurtstad.example",
        kvk_number="4123 4567",
        vat_number="NL000099998B57",
        actor=None,
    )
    assert created.kvk_number == "41234567"
    with pytest.raises(ValidationError) as caught:
        services.customer_create(
            organisation=org_a,
            name="gemeente buurtstad",
            address="x",
            email="a@b.example",
            actor=None,
        )
    assert "already exists" in caught.value.error_dict["name"][0].messages[0]


# --- sending ----------------------------------------------------------------------------


def test_send_numbers_posts_and_stores_the_pdf(org_a, books, _media):
    invoice = _send(draft_invoice(org_a))
    assert invoice.number == "2026-0001" and invoice.status == "sent"
    assert invoice.due_date == date(2026, 3, 24)  # 14 days from the settings
    assert invoice.payment_reference.startswith("RF")
    from stdnum import iso11649

    assert iso11649.is_valid(invoice.payment_reference)
    entry = invoice.entry
    assert entry.is_posted and entry.journal.code == "VRK" and entry.reference == "2026-0001"
    assert entry.counterparty == invoice.customer.name  # who owes it, for the reports
    lines = {
        ln.account.number: (ln.debit_cents, ln.credit_cents)
        for ln in entry.lines.select_related("account")
    }
    assert lines == {"1300": (12100, 0), "8010": (0, 10000), "1510": (0, 2100)}
    pdf = (_media / invoice.pdf_path).read_bytes()
    assert pdf.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="invoice.send", data__number="2026-0001").exists()


def test_pdf_shows_number_lines_vat_and_reference(org_a, books, _media, tmp_path):
    org_a.kvk_number = "41234567"
    org_a.street_address = "Wilgenlaan 3"
    org_a.save()
    invoice = _send(
        draft_invoice(
            org_a,
            line(org_a),
            line(
                org_a,
                description="Koffie",
                quantity="20",
                unit_price_cents=150,
                account="8110",
                vat_rate="9",
            ),
        )
    )
    text = pdf_text((_media / invoice.pdf_path).read_bytes(), tmp_path)
    for expected in (
        "2026-0001",
        "Zaalhuur grote zaal",
        "Koffie",
        "41234567",
        "NL91 ABNA 0417 1643 00",
        "€ 153,70",  # 121,00 + 32,70
        "Huurdersvereniging De Wilg",
    ):
        assert expected in text, expected
    assert invoice.payment_reference[:4] in text


def test_numbers_are_gap_free_and_only_taken_when_sent(org_a, books):
    drafts = [draft_invoice(org_a) for _i in range(4)]
    # A draft deleted, a send refused: neither takes a number.
    services.invoice_delete_draft(invoice=drafts[1], actor=None)
    empty = draft_invoice(org_a, line(org_a, unit_price_cents=0))
    with pytest.raises(ValidationError, match="€ 0,00"):
        _send(empty)
    with pytest.raises(ValidationError) as caught:
        _send(drafts[2], day=date(2031, 1, 5))  # no fiscal year: refused, nothing numbered
    assert "issue_date" in caught.value.error_dict
    numbers = [_send(d).number for d in (drafts[3], drafts[0], drafts[2])]
    assert numbers == ["2026-0001", "2026-0002", "2026-0003"]
    assert InvoiceSequence.objects.get(organisation=org_a, year=2026).last_number == 3
    from wijk.ledger import services as ledger

    ledger.fiscal_year_create(organisation=org_a, year=2027, actor=None)
    assert _send(draft_invoice(org_a), day=date(2027, 1, 2)).number == "2027-0001"


def test_sent_invoice_cannot_change(org_a, books):
    invoice = _send(draft_invoice(org_a))
    with pytest.raises(ValidationError, match="credit note"):
        services.invoice_update_draft(
            invoice=invoice,
            customer=invoice.customer,
            lines=[line(org_a)],
            payment_term_days=1,
            actor=None,
        )
    with pytest.raises(ValidationError, match="credit note"):
        services.invoice_delete_draft(invoice=invoice, actor=None)
    with pytest.raises(ValidationError):
        _send(invoice)


def test_send_without_iban_is_refused(org_a, books):
    from wijk.sales.models import SalesSettings

    invoice = draft_invoice(org_a)
    SalesSettings.objects.filter(organisation=org_a).update(iban="")
    with pytest.raises(ValidationError, match="IBAN"):
        _send(invoice)
    invoice.refresh_from_db()
    assert invoice.status == "draft" and not JournalEntry.objects.exists()


def test_email_goes_with_the_pdf(org_a, books):
    invoice = _send(draft_invoice(org_a))
    assert services.invoice_email(invoice=invoice, actor=None) is True
    message = mail.outbox[-1]
    assert message.to == ["penningmeester@huurders.example"]
    assert "2026-0001" in message.subject
    name, content, kind = message.attachments[0]
    assert name == "2026-0001.pdf" and kind == "application/pdf" and content.startswith(b"%PDF")
    invoice.refresh_from_db()
    assert invoice.email_status == "sent"


def test_email_failure_keeps_the_posted_invoice_and_allows_resending(org_a, books, settings):
    invoice = _send(draft_invoice(org_a))
    settings.EMAIL_BACKEND = "tests.sales.failing_mail.Backend"
    assert services.invoice_email(invoice=invoice, actor=None) is False
    invoice.refresh_from_db()
    assert invoice.status == "sent" and invoice.entry.is_posted
    assert invoice.email_status == "failed" and "refused" in invoice.email_error
    assert AuditEvent.objects.filter(action="invoice.email_failed").exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.invoice_email(invoice=invoice, actor=None) is True
    invoice.refresh_from_db()
    assert invoice.email_status == "sent" and invoice.email_error == ""


# --- payments and credit notes ------------------------------------------------------------


def test_payments_move_the_status(org_a, books):
    invoice = _send(draft_invoice(org_a))
    bank = _account(org_a, "1100")
    today = date(2026, 3, 15)
    assert invoice_row(invoice=invoice, today=today).status == "open"
    assert invoice_row(invoice=invoice, today=date(2026, 3, 25)).status == "overdue"
    services.invoice_payment_register(
        invoice=invoice, actor=None, date=today, amount_cents=5000, bank_account=bank
    )
    assert invoice_row(invoice=invoice, today=today).status == "partly_paid"
    with pytest.raises(ValidationError) as caught:
        services.invoice_payment_register(
            invoice=invoice, actor=None, date=today, amount_cents=9000, bank_account=bank
        )
    assert "€ 71,00" in caught.value.error_dict["amount"][0].messages[0]
    services.invoice_payment_register(
        invoice=invoice, actor=None, date=today, amount_cents=7100, bank_account=bank
    )
    row = invoice_row(invoice=invoice, today=date(2026, 4, 30))
    assert row.status == "paid" and row.outstanding_cents == 0
    receivable = JournalLine.objects.filter(account__number="1300", organisation=org_a).aggregate(
        d=Sum("debit_cents"), c=Sum("credit_cents")
    )
    assert receivable["d"] == receivable["c"] == 12100


def test_credit_note_reverses_the_invoice(org_a, books):
    invoice = _send(
        draft_invoice(
            org_a,
            line(org_a),
            line(org_a, description="Koffie", unit_price_cents=250, account="8110", vat_rate="9"),
        )
    )
    credit = services.invoice_credit(invoice=invoice, actor=None, issue_date=date(2026, 3, 20))
    assert credit.kind == "credit_note" and credit.number == "2026-0002"
    assert credit.total_cents == -invoice.total_cents
    invoice.refresh_from_db()
    assert invoice.status == "sent" and invoice.total_cents == 12373  # unchanged
    lines = {
        ln.account.number: (ln.debit_cents, ln.credit_cents)
        for ln in credit.entry.lines.select_related("account")
    }
    assert lines == {
        "1300": (0, 12373),
        "8010": (10000, 0),
        "8110": (250, 0),
        "1510": (2100, 0),
        "1520": (23, 0),
    }
    # Every account the invoice touched is back at zero.
    totals = (
        JournalLine.objects.filter(organisation=org_a)
        .values("account__number")
        .annotate(d=Sum("debit_cents"), c=Sum("credit_cents"))
    )
    assert all(row["d"] == row["c"] for row in totals)
    assert invoice_row(invoice=invoice, today=date(2026, 5, 1)).status == "credited"
    with pytest.raises(ValidationError, match="already been credited"):
        services.invoice_credit(invoice=invoice, actor=None, issue_date=date(2026, 3, 20))
    with pytest.raises(ValidationError, match="credited"):
        services.invoice_payment_register(
            invoice=invoice,
            actor=None,
            date=date(2026, 3, 21),
            amount_cents=100,
            bank_account=_account(org_a, "1100"),
        )


def test_every_posted_entry_balances(org_a, books):
    invoice = _send(
        draft_invoice(org_a, line(org_a, quantity="1,5".replace(",", "."), unit_price_cents=1999))
    )
    services.invoice_payment_register(
        invoice=invoice,
        actor=None,
        date=date(2026, 3, 11),
        amount_cents=1000,
        bank_account=_account(org_a, "1000"),
    )
    for entry in JournalEntry.objects.filter(organisation=org_a):
        assert entry.is_posted
        sums = entry.lines.aggregate(d=Sum("debit_cents"), c=Sum("credit_cents"))
        assert sums["d"] == sums["c"]
    assert JournalEntry.objects.get(reference=invoice.payment_reference).journal.code == "KAS"
