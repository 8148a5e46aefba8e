"""`wijk backup` keeps receipts and invoice PDFs (the media folder), and restore brings them back."""

from __future__ import annotations

import io
from datetime import date

import pytest

from tests.expenses.helpers import png_bytes
from tests.factories import make_organisation, make_user
from tests.sales.helpers import draft_invoice
from wijk.core.backup import backup_create, backup_restore
from wijk.expenses import services as expenses
from wijk.ledger import services as ledger
from wijk.ledger.models import Account
from wijk.sales import services as sales


@pytest.mark.django_db(transaction=True)
def test_backup_includes_receipts_and_invoice_pdfs(settings, tmp_path, posted_entries_cleanup):
    settings.MEDIA_ROOT = tmp_path / "data" / "media"
    org = make_organisation("Bewonersbedrijf Alfa", "alfa")
    volunteer = make_user("vrijwilliger@alfa.example", org, "volunteer")
    ledger.ledger_setup(organisation=org, actor=None)
    ledger.fiscal_year_create(organisation=org, year=2026, actor=None)
    receipt = png_bytes()
    claim = expenses.expense_claim_submit(
        organisation=org,
        actor=volunteer,
        date=date(2026, 3, 5),
        description="Verf",
        amount_cents=1999,
        account=Account.objects.get(organisation=org, number="4210"),
        iban="NL91ABNA0417164300",
        account_holder="Vera",
        receipt=io.BytesIO(receipt),
        receipt_name="verf.png",
    )
    invoice = sales.invoice_send(
        invoice=draft_invoice(org), actor=None, issue_date=date(2026, 3, 9)
    )
    pdf = (settings.MEDIA_ROOT / invoice.pdf_path).read_bytes()

    result = backup_create(destination=tmp_path / "backups")
    files = result.manifest["files"]
    assert f"media/{claim.receipt_path}" in files
    assert f"media/{invoice.pdf_path}" in files

    (settings.MEDIA_ROOT / claim.receipt_path).unlink()
    (settings.MEDIA_ROOT / invoice.pdf_path).write_bytes(b"overwritten")
    backup_restore(archive=result.path)
    assert (settings.MEDIA_ROOT / claim.receipt_path).read_bytes() == receipt
    assert (settings.MEDIA_ROOT / invoice.pdf_path).read_bytes() == pdf
