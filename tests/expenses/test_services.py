"""Expense claims: submitting with a receipt, the approval rules, posting and paying."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tests.expenses.helpers import (
    EXE,
    HTML,
    IBAN,
    PDF,
    expense_account,
    jpeg_bytes,
    png_bytes,
    submit_claim,
)
from tests.factories import make_user
from wijk.core.models import AuditEvent
from wijk.expenses import services
from wijk.expenses.models import ExpenseApproval, ExpenseClaim
from wijk.ledger.models import Account, JournalEntry

pytestmark = pytest.mark.django_db


def _files(root):  # type: ignore[no-untyped-def]
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _payable(org):  # type: ignore[no-untyped-def]
    return Account.objects.get(organisation=org, number="1620")


def _balance(entry: JournalEntry) -> tuple[int, int]:
    lines = list(entry.lines.all())
    return sum(ln.debit_cents for ln in lines), sum(ln.credit_cents for ln in lines)


# --- submitting ------------------------------------------------------------------------


def test_submit_stores_the_receipt_under_a_random_name(org_a, books, volunteer_a, _media):
    claim = submit_claim(org_a, volunteer_a)
    assert claim.status == ExpenseClaim.Status.SUBMITTED
    assert claim.receipt_content_type == "application/pdf"
    assert claim.receipt_path.startswith(f"receipts/{org_a.pk}/")
    assert "bon" not in claim.receipt_path
    stored = _media / claim.receipt_path
    assert stored.read_bytes() == PDF
    assert oct(stored.stat().st_mode & 0o777) == "0o640"
    assert claim.iban == IBAN
    event = AuditEvent.objects.get(action="expense_claim.submit")
    assert event.actor == volunteer_a and event.data["amount"] == "€ 12,50"


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (png_bytes(), "bon.png", "image/png"),
        (jpeg_bytes(), "bon.jpg", "image/jpeg"),
        # The name does not decide the type: a PNG called .pdf is accepted as the PNG it is.
        (png_bytes(), "bon.pdf", "image/png"),
    ],
)
def test_receipt_type_comes_from_the_content(
    org_a, books, volunteer_a, _media, content, name, expected
):
    claim = submit_claim(org_a, volunteer_a, content=content, name=name)
    assert claim.receipt_content_type == expected
    assert claim.receipt_path.endswith("." + expected.split("/")[1].replace("jpeg", "jpg"))
    assert claim.receipt_original_name == name


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (HTML, "bon.pdf", "is not a PDF, JPEG or PNG file"),
        (EXE, "bon.pdf", "is not a PDF, JPEG or PNG file"),
        (b"", "bon.pdf", "The file is empty"),
        (b"%PDF-1.4\n1 0 obj\n<<>>\n", "kapot.pdf", "is not a complete PDF file"),
        (png_bytes()[:40], "half.png", "cannot be opened as an image"),
    ],
)
def test_bad_receipt_is_refused_and_nothing_is_written(
    org_a, books, volunteer_a, _media, content, name, message
):
    with pytest.raises(ValidationError) as caught:
        submit_claim(org_a, volunteer_a, content=content, name=name)
    assert list(caught.value.error_dict) == ["receipt"]
    assert message in caught.value.error_dict["receipt"][0].messages[0]
    assert ExpenseClaim.objects.count() == 0
    assert _files(_media) == []
    assert not AuditEvent.objects.filter(action="expense_claim.submit").exists()


def test_oversized_receipt_is_refused(org_a, books, volunteer_a, _media, settings):
    settings.WIJK_MAX_UPLOAD_MB = 1
    big = PDF[:-7] + b" " * (1024 * 1024) + b"\n%%EOF\n"
    with pytest.raises(ValidationError) as caught:
        submit_claim(org_a, volunteer_a, content=big)
    assert "larger than 1 MB" in caught.value.error_dict["receipt"][0].messages[0]
    assert ExpenseClaim.objects.count() == 0 and _files(_media) == []


def test_every_bad_field_is_named_and_nothing_is_written(org_a, books, volunteer_a, _media):
    income = Account.objects.get(organisation=org_a, number="8000")
    with pytest.raises(ValidationError) as caught:
        services.expense_claim_submit(
            organisation=org_a,
            actor=volunteer_a,
            date=date(2999, 1, 1),
            description="  ",
            amount_cents=0,
            account=income,
            iban="NL00 BANK 1234 5678 90",
            account_holder="",
            receipt=io.BytesIO(HTML),
            receipt_name="bon.pdf",
        )
    assert set(caught.value.error_dict) == {
        "date",
        "description",
        "amount",
        "account",
        "iban",
        "account_holder",
        "receipt",
    }
    assert ExpenseClaim.objects.count() == 0 and _files(_media) == []


def test_outsider_cannot_submit(org_a, org_b, books, board_b):
    with pytest.raises(ValidationError):
        submit_claim(org_a, board_b)


# --- approving --------------------------------------------------------------------------


def test_small_claim_is_posted_on_the_treasurers_approval(org_a, books, volunteer_a, treasurer_a):
    claim = submit_claim(org_a, volunteer_a, amount_cents=1250)
    claim = services.expense_claim_approve(claim=claim, actor=treasurer_a)
    assert claim.status == ExpenseClaim.Status.POSTED
    entry = claim.entry
    assert entry.is_posted and entry.journal.code == "INK" and entry.date == date(2026, 3, 5)
    assert entry.counterparty == claim.account_holder
    assert _balance(entry) == (1250, 1250)
    debit = entry.lines.get(debit_cents__gt=0)
    credit = entry.lines.get(credit_cents__gt=0)
    assert debit.account == expense_account(org_a)
    assert credit.account == _payable(org_a)
    assert ExpenseApproval.objects.get().approved_as == "treasurer"
    assert AuditEvent.objects.filter(action="expense_claim.post").count() == 1


def test_nobody_approves_their_own_claim(org_a, books, treasurer_a):
    claim = submit_claim(org_a, treasurer_a)
    with pytest.raises(ValidationError, match="cannot approve your own claim"):
        services.expense_claim_approve(claim=claim, actor=treasurer_a)
    claim.refresh_from_db()
    assert claim.status == ExpenseClaim.Status.SUBMITTED
    assert not ExpenseApproval.objects.exists() and not JournalEntry.objects.exists()


def test_above_the_threshold_a_second_board_member_must_approve(
    org_a, books, volunteer_a, treasurer_a, second_board_a
):
    claim = submit_claim(org_a, volunteer_a, amount_cents=25001)
    claim = services.expense_claim_approve(claim=claim, actor=treasurer_a)
    assert claim.status == ExpenseClaim.Status.PARTLY_APPROVED
    assert not JournalEntry.objects.exists()
    # The same person cannot give the second approval.
    with pytest.raises(ValidationError, match="already approved"):
        services.expense_claim_approve(claim=claim, actor=treasurer_a)
    claim = services.expense_claim_approve(claim=claim, actor=second_board_a)
    assert claim.status == ExpenseClaim.Status.POSTED
    assert sorted(claim.approvals.values_list("approved_as", flat=True)) == ["board", "treasurer"]
    assert _balance(claim.entry) == (25001, 25001)


def test_exactly_the_threshold_needs_one_approval(org_a, books, volunteer_a, treasurer_a):
    claim = submit_claim(org_a, volunteer_a, amount_cents=25000)
    assert services.expense_claim_approve(claim=claim, actor=treasurer_a).status == "posted"


def test_board_member_may_approve_first_then_the_treasurer(
    org_a, books, volunteer_a, treasurer_a, second_board_a
):
    claim = submit_claim(org_a, volunteer_a, amount_cents=40000)
    claim = services.expense_claim_approve(claim=claim, actor=second_board_a)
    assert claim.status == "partly_approved"
    assert services.expense_claim_approve(claim=claim, actor=treasurer_a).status == "posted"


def test_board_member_alone_cannot_approve_a_small_claim(org_a, books, volunteer_a, second_board_a):
    claim = submit_claim(org_a, volunteer_a)
    with pytest.raises(ValidationError, match="treasurer must approve"):
        services.expense_claim_approve(claim=claim, actor=second_board_a)


def test_volunteer_cannot_approve(org_a, books, volunteer_a, treasurer_a):
    other = make_user("andere@alfa.example", org_a, "volunteer")
    claim = submit_claim(org_a, other)
    with pytest.raises(ValidationError, match="Only the treasurer or a board member"):
        services.expense_claim_approve(claim=claim, actor=volunteer_a)


def test_treasurer_own_large_claim_needs_two_other_people(
    org_a, books, treasurer_a, second_board_a
):
    """The treasurer's own claim: a board member approves, but the treasurer's part stays open."""
    claim = submit_claim(org_a, treasurer_a, amount_cents=30000)
    claim = services.expense_claim_approve(claim=claim, actor=second_board_a)
    assert claim.status == "partly_approved"
    with pytest.raises(ValidationError, match="own claim"):
        services.expense_claim_approve(claim=claim, actor=treasurer_a)
    second_treasurer = make_user("tweede-pm@alfa.example", org_a, "treasurer")
    assert services.expense_claim_approve(claim=claim, actor=second_treasurer).status == "posted"


def test_threshold_is_set_per_organisation(org_a, books, volunteer_a, treasurer_a, board_a):
    services.expense_policy_update(organisation=org_a, threshold_cents=1000, actor=board_a)
    claim = submit_claim(org_a, volunteer_a, amount_cents=1001)
    assert (
        services.expense_claim_approve(claim=claim, actor=treasurer_a).status == "partly_approved"
    )
    with pytest.raises(ValidationError):
        services.expense_policy_update(organisation=org_a, threshold_cents=-1, actor=board_a)


def test_posting_into_a_closed_month_needs_a_reason_and_keeps_the_claim_open(
    org_a, books, volunteer_a, treasurer_a
):
    from wijk.ledger import services as ledger

    ledger.period_close(fiscal_year=books, month_start=date(2026, 3, 1), actor=treasurer_a)
    claim = submit_claim(org_a, volunteer_a)
    with pytest.raises(ValidationError, match="closed"):
        services.expense_claim_approve(claim=claim, actor=treasurer_a)
    claim.refresh_from_db()
    assert claim.status == "submitted" and not ExpenseApproval.objects.exists()
    claim = services.expense_claim_approve(
        claim=claim, actor=treasurer_a, override_reason="Late bon"
    )
    assert claim.entry.override_reason == "Late bon"


# --- rejecting and paying ---------------------------------------------------------------


def test_reject_needs_a_reason_and_ends_the_claim(org_a, books, volunteer_a, treasurer_a):
    claim = submit_claim(org_a, volunteer_a)
    with pytest.raises(ValidationError) as caught:
        services.expense_claim_reject(claim=claim, actor=treasurer_a, reason=" ")
    assert "reason" in caught.value.error_dict
    claim = services.expense_claim_reject(
        claim=claim, actor=treasurer_a, reason="Geen bon van deze winkel"
    )
    assert claim.status == "rejected" and claim.rejected_by == treasurer_a
    with pytest.raises(ValidationError, match="cannot be approved"):
        services.expense_claim_approve(claim=claim, actor=treasurer_a)
    with pytest.raises(ValidationError, match="cannot be paid|Only an approved"):
        services.expense_claim_pay(
            claim=claim,
            actor=treasurer_a,
            paid_on=date(2026, 3, 10),
            bank_account=Account.objects.get(organisation=org_a, number="1100"),
        )
    assert (
        AuditEvent.objects.get(action="expense_claim.reject").data["reason"]
        == "Geen bon van deze winkel"
    )


def test_pay_posts_the_bank_payment(org_a, books, volunteer_a, treasurer_a):
    claim = submit_claim(org_a, volunteer_a)
    claim = services.expense_claim_approve(claim=claim, actor=treasurer_a)
    bank = Account.objects.get(organisation=org_a, number="1100")
    claim = services.expense_claim_pay(
        claim=claim, actor=treasurer_a, paid_on=date(2026, 3, 12), bank_account=bank
    )
    assert claim.status == "paid" and claim.paid_on == date(2026, 3, 12)
    payment = claim.payment_entry
    assert payment.is_posted and payment.journal.code == "BNK"
    assert _balance(payment) == (1250, 1250)
    assert payment.lines.get(debit_cents__gt=0).account == _payable(org_a)
    assert payment.lines.get(credit_cents__gt=0).account == bank
    # The payable account is back at zero.
    from django.db.models import Sum

    totals = _payable(org_a).lines.aggregate(d=Sum("debit_cents"), c=Sum("credit_cents"))
    assert totals["d"] == totals["c"] == 1250
    with pytest.raises(ValidationError):
        services.expense_claim_pay(
            claim=claim, actor=treasurer_a, paid_on=date(2026, 3, 12), bank_account=bank
        )


def test_pay_refuses_a_non_cash_account_and_an_early_date(org_a, books, volunteer_a, treasurer_a):
    claim = services.expense_claim_approve(
        claim=submit_claim(org_a, volunteer_a), actor=treasurer_a
    )
    with pytest.raises(ValidationError) as caught:
        services.expense_claim_pay(
            claim=claim,
            actor=treasurer_a,
            paid_on=date(2026, 3, 12),
            bank_account=Account.objects.get(organisation=org_a, number="4200"),
        )
    assert "bank_account" in caught.value.error_dict
    with pytest.raises(ValidationError) as caught:
        services.expense_claim_pay(
            claim=claim,
            actor=treasurer_a,
            paid_on=date(2026, 3, 1),
            bank_account=Account.objects.get(organisation=org_a, number="1100"),
        )
    assert "paid_on" in caught.value.error_dict
    claim.refresh_from_db()
    assert claim.status == "posted"


def test_database_refuses_an_inconsistent_state(org_a, books, volunteer_a):
    from django.db import IntegrityError, transaction

    claim = submit_claim(org_a, volunteer_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        ExpenseClaim.objects.filter(pk=claim.pk).update(status="posted")
    with pytest.raises(IntegrityError), transaction.atomic():
        ExpenseClaim.objects.filter(pk=claim.pk).update(status="rejected")
