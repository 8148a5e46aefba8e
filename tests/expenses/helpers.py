"""Named test files and a claim maker for the expense tests (and the URL sweep)."""

from __future__ import annotations

import io
from datetime import date

from PIL import Image

from wijk.accounts.models import User
from wijk.expenses import services
from wijk.expenses.models import ExpenseClaim
from wijk.ledger.models import Account
from wijk.organisations.models import Organisation

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
IBAN = "NL91ABNA0417164300"


def png_bytes(size: tuple[int, int] = (8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (30, 30, 200)).save(buffer, format="JPEG")
    return buffer.getvalue()


def expense_account(organisation: Organisation) -> Account:
    return Account.objects.get(organisation=organisation, number="4200")


def submit_claim(
    organisation: Organisation,
    member: User,
    *,
    amount_cents: int = 1250,
    content: bytes = PDF,
    name: str = "bon.pdf",
    day: date = date(2026, 3, 5),
    description: str = "Koffie en koekjes taalcafé",
) -> ExpenseClaim:
    return services.expense_claim_submit(
        organisation=organisation,
        actor=member,
        date=day,
        description=description,
        amount_cents=amount_cents,
        account=expense_account(organisation),
        iban=IBAN,
        account_holder=member.full_name,
        receipt=io.BytesIO(content),
        receipt_name=name,
    )
