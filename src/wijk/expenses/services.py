"""Every change to expense claims: submit, approve, reject, pay, and the threshold.

The state machine lives here (see the diagram in `models.py`). Money reaches the
books only through the ledger's posting service: the last approval posts the claim
in the purchases journal, paying it posts the bank (or cash) payment.
"""

from __future__ import annotations

from datetime import date
from typing import IO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumValidationError

from wijk.accounts.models import User
from wijk.core.models import audit_record
from wijk.ledger import services as ledger
from wijk.ledger.language import books_text
from wijk.ledger.models import Account, AccountType, Fund, Journal, JournalEntry
from wijk.ledger.money import format_cents
from wijk.organisations.models import Membership, Organisation
from wijk.organisations.roles import Role

from .models import (
    DEFAULT_SECOND_APPROVAL_THRESHOLD_CENTS,
    ExpenseApproval,
    ExpenseClaim,
    ExpensePolicy,
)
from .receipts import check_receipt, remove_private_file, store_private_file

# The liability account in the chart template that holds approved, unpaid claims
# (RGS BSchOvsOvi, "overige verplichtingen inzake personeel").
CLAIMS_PAYABLE_NUMBER = "1620"
CLAIMS_PAYABLE_RGS = "BSchOvsOvi"


def second_approval_threshold(*, organisation: Organisation) -> int:
    policy = ExpensePolicy.objects.filter(organisation=organisation).first()
    if policy is None:
        return DEFAULT_SECOND_APPROVAL_THRESHOLD_CENTS
    return policy.second_approval_threshold_cents


def needs_second_approval(claim: ExpenseClaim) -> bool:
    return claim.amount_cents > second_approval_threshold(organisation=claim.organisation)


@transaction.atomic
def expense_policy_update(
    *, organisation: Organisation, threshold_cents: int, actor: User
) -> ExpensePolicy:
    if threshold_cents < 0:
        raise ValidationError(
            {"threshold": [ValidationError(_("Enter an amount of zero or more."))]}
        )
    policy, _created = ExpensePolicy.objects.update_or_create(
        organisation=organisation, defaults={"second_approval_threshold_cents": threshold_cents}
    )
    audit_record(
        action="expense_policy.update",
        actor=actor,
        organisation=organisation,
        obj=policy,
        data={"threshold": format_cents(threshold_cents)},
    )
    return policy


def normalise_iban(value: str) -> str:
    return stdnum_iban.compact(value or "")


def validate_iban(value: str) -> str:
    """The IBAN in compact form, or a ValidationError that says what is wrong."""
    try:
        return str(stdnum_iban.validate(value or ""))
    except StdnumValidationError as exc:
        raise ValidationError(
            _(
                "This is not a valid IBAN. Check it on your bank card, for example NL91 ABNA 0417 1643 00."
            ),
            code="iban",
        ) from exc


def format_iban(value: str) -> str:
    return str(stdnum_iban.format(value)) if value else ""


@transaction.atomic
def expense_claim_submit(
    *,
    organisation: Organisation,
    actor: User,
    date: date,
    description: str,
    amount_cents: int,
    account: Account,
    iban: str,
    account_holder: str,
    receipt: IO[bytes],
    receipt_name: str = "",
    fund: Fund | None = None,
) -> ExpenseClaim:
    """A member asks to be paid back. Everything is checked before anything is written."""
    errors: dict[str, list[ValidationError]] = {}
    description = description.strip()
    account_holder = account_holder.strip()
    if not Membership.objects.filter(organisation=organisation, user=actor).exists():
        raise ValidationError(_("Only members of the organisation can submit a claim."))
    if date > timezone.localdate():
        errors["date"] = [ValidationError(_("The date cannot be in the future."))]
    if not description:
        errors["description"] = [ValidationError(_("Say what you bought or paid for."))]
    elif len(description) > 200:
        errors["description"] = [
            ValidationError(_("Use at most %(limit)s characters.") % {"limit": 200})
        ]
    if amount_cents <= 0:
        errors["amount"] = [ValidationError(_("Enter an amount above zero, for example 12,50."))]
    if (
        account.organisation_id != organisation.pk
        or account.type != AccountType.EXPENSE
        or not account.is_active
    ):
        errors["account"] = [ValidationError(_("Choose one of the listed expense accounts."))]
    if fund is not None and (fund.organisation_id != organisation.pk or not fund.is_active):
        errors["fund"] = [ValidationError(_("Choose one of the listed funds."))]
    try:
        iban = validate_iban(iban)
    except ValidationError as exc:
        errors["iban"] = [exc]
    if not account_holder:
        errors["account_holder"] = [ValidationError(_("Give the name on the bank account."))]
    elif len(account_holder) > 120:
        errors["account_holder"] = [
            ValidationError(_("Use at most %(limit)s characters.") % {"limit": 120})
        ]
    try:
        checked = check_receipt(receipt, name=receipt_name)
    except ValidationError as exc:
        errors.update(exc.error_dict)
    if errors:
        raise ValidationError(errors)
    # The file is written last and removed again if recording the claim fails, so a
    # refused claim leaves nothing behind.
    path = store_private_file(
        folder="receipts",
        organisation_id=organisation.pk,
        content=checked.content,
        extension=checked.extension,
    )
    try:
        claim = ExpenseClaim.objects.create(
            organisation=organisation,
            submitted_by=actor,
            date=date,
            description=description,
            amount_cents=amount_cents,
            account=account,
            fund=fund,
            iban=iban,
            account_holder=account_holder,
            receipt_path=path,
            receipt_content_type=checked.content_type,
            receipt_size=len(checked.content),
            receipt_original_name=checked.original_name,
            receipt_sha256=checked.sha256,
        )
        audit_record(
            action="expense_claim.submit",
            actor=actor,
            organisation=organisation,
            obj=claim,
            data={"claim": claim.reference, "amount": format_cents(amount_cents)},
        )
    except BaseException:
        remove_private_file(path)
        raise
    return claim


def _lock(claim: ExpenseClaim) -> ExpenseClaim:
    return (
        ExpenseClaim.objects.select_for_update(of=("self",))
        .select_related("organisation", "account", "fund", "submitted_by")
        .get(pk=claim.pk)
    )


def _roles(organisation: Organisation, user: User) -> frozenset[str]:
    return frozenset(
        Membership.objects.filter(organisation=organisation, user=user).values_list(
            "role", flat=True
        )
    )


def _journal(organisation: Organisation, kind: str) -> Journal:
    journal = Journal.objects.filter(organisation=organisation, kind=kind).order_by("code").first()
    if journal is None:
        raise ValidationError(
            _("The books are not set up yet: there is no %(kind)s journal. Set up the books first.")
            % {"kind": dict(Journal.Kind.choices)[kind]}
        )
    return journal


def claims_payable_account(*, organisation: Organisation, actor: User | None) -> Account:
    """The chart's "expense claims payable" account; added from the template if missing."""
    account = (
        Account.objects.filter(organisation=organisation, number=CLAIMS_PAYABLE_NUMBER).first()
        or Account.objects.filter(organisation=organisation, rgs_code=CLAIMS_PAYABLE_RGS)
        .order_by("number")
        .first()
    )
    if account is not None:
        return account
    if not Account.objects.filter(organisation=organisation).exists():
        raise ValidationError(_("The books are not set up yet. Set up the books first."))
    return ledger.account_create(
        organisation=organisation,
        number=CLAIMS_PAYABLE_NUMBER,
        name_nl="Te betalen declaraties vrijwilligers",
        name_en="Expense claims payable to volunteers",
        type=AccountType.LIABILITY,
        category="current_liabilities",
        rgs_code=CLAIMS_PAYABLE_RGS,
        actor=actor,
    )


def _post_claim(claim: ExpenseClaim, actor: User, override_reason: str) -> JournalEntry:
    organisation = claim.organisation
    payable = claims_payable_account(organisation=organisation, actor=actor)
    who = claim.submitted_by.full_name or claim.submitted_by.email
    entry = ledger.journal_entry_create(
        organisation=organisation,
        journal=_journal(organisation, Journal.Kind.PURCHASES),
        date=claim.date,
        description=books_text(
            lambda: (
                _("Expense claim %(reference)s: %(description)s (%(who)s)")
                % {"reference": claim.reference, "description": claim.description, "who": who}
            )
        )[:255],
        reference=claim.reference,
        counterparty=claim.account_holder,
        lines=[
            ledger.LineInput(
                claim.account,
                debit_cents=claim.amount_cents,
                description=claim.description,
                fund=claim.fund,
            ),
            ledger.LineInput(payable, credit_cents=claim.amount_cents, description=who[:255]),
        ],
        actor=actor,
    )
    return ledger.journal_entry_post(entry=entry, actor=actor, override_reason=override_reason)


@transaction.atomic
def expense_claim_approve(
    *, claim: ExpenseClaim, actor: User, override_reason: str = ""
) -> ExpenseClaim:
    """Record the actor's approval; the last approval needed posts the claim.

    The treasurer approves every claim. Above the threshold a board member who is not
    that treasurer approves too, in either order. Nobody approves their own claim or
    approves twice.
    """
    claim = _lock(claim)
    organisation = claim.organisation
    if not claim.is_open_for_approval:
        raise ValidationError(
            _("This claim is %(status)s; it cannot be approved any more.")
            % {"status": claim.get_status_display().lower()}
        )
    if claim.submitted_by_id == actor.pk:
        raise ValidationError(
            _("You cannot approve your own claim. The treasurer or another board member does that.")
        )
    roles = _roles(organisation, actor)
    approvals = list(claim.approvals.all())
    if any(a.approver_id == actor.pk for a in approvals):
        raise ValidationError(
            _(
                "You have already approved this claim. A different person must give the other approval."
            )
        )
    done = {a.approved_as for a in approvals}
    second = needs_second_approval(claim)
    if Role.TREASURER in roles and ExpenseApproval.As.TREASURER not in done:
        approved_as = ExpenseApproval.As.TREASURER
    elif Role.BOARD in roles and second and ExpenseApproval.As.BOARD not in done:
        approved_as = ExpenseApproval.As.BOARD
    elif Role.BOARD in roles and ExpenseApproval.As.TREASURER not in done:
        raise ValidationError(_("The treasurer must approve this claim."))
    elif Role.TREASURER in roles or Role.BOARD in roles:
        raise ValidationError(
            _(
                "The second approval must come from a board member who has not approved this claim yet."
            )
        )
    else:
        raise ValidationError(_("Only the treasurer or a board member can approve claims."))
    approval = ExpenseApproval.objects.create(
        organisation=organisation, claim=claim, approver=actor, approved_as=approved_as
    )
    done.add(approved_as)
    audit_record(
        action="expense_claim.approve",
        actor=actor,
        organisation=organisation,
        obj=claim,
        data={"claim": claim.reference, "role": str(approval.get_approved_as_display())},
    )
    complete = ExpenseApproval.As.TREASURER in done and (
        not second or ExpenseApproval.As.BOARD in done
    )
    if not complete:
        claim.status = ExpenseClaim.Status.PARTLY_APPROVED
        claim.save(update_fields=["status"])
        return claim
    claim.entry = _post_claim(claim, actor, override_reason)
    claim.status = ExpenseClaim.Status.POSTED
    claim.save(update_fields=["status", "entry"])
    audit_record(
        action="expense_claim.post",
        actor=actor,
        organisation=organisation,
        obj=claim,
        data={"claim": claim.reference},
    )
    return claim


@transaction.atomic
def expense_claim_reject(*, claim: ExpenseClaim, actor: User, reason: str) -> ExpenseClaim:
    claim = _lock(claim)
    reason = reason.strip()
    if not claim.is_open_for_approval:
        raise ValidationError(
            _("This claim is %(status)s; it cannot be rejected any more.")
            % {"status": claim.get_status_display().lower()}
        )
    if claim.submitted_by_id == actor.pk:
        raise ValidationError(_("You cannot decide on your own claim."))
    if not (_roles(claim.organisation, actor) & {Role.TREASURER, Role.BOARD}):
        raise ValidationError(_("Only the treasurer or a board member can reject claims."))
    if not reason:
        raise ValidationError(
            {"reason": [ValidationError(_("Say why, so the person who asked can act on it."))]}
        )
    if len(reason) > 500:
        raise ValidationError(
            {"reason": [ValidationError(_("Use at most %(limit)s characters.") % {"limit": 500})]}
        )
    claim.status = ExpenseClaim.Status.REJECTED
    claim.rejected_by = actor
    claim.rejected_at = timezone.now()
    claim.rejection_reason = reason
    claim.save(update_fields=["status", "rejected_by", "rejected_at", "rejection_reason"])
    audit_record(
        action="expense_claim.reject",
        actor=actor,
        organisation=claim.organisation,
        obj=claim,
        data={"claim": claim.reference, "reason": reason},
    )
    return claim


def payment_accounts(*, organisation: Organisation) -> list[Account]:
    """Bank and cash accounts money can be paid from."""
    return list(
        Account.objects.filter(
            organisation=organisation, type=AccountType.ASSET, category="cash", is_active=True
        ).order_by("number")
    )


def payment_journal(*, organisation: Organisation, account: Account) -> Journal:
    kind = Journal.Kind.CASH if account.rgs_code.startswith("BLimKas") else Journal.Kind.BANK
    return _journal(organisation, kind)


@transaction.atomic
def expense_claim_pay(
    *,
    claim: ExpenseClaim,
    actor: User | None,
    paid_on: date,
    bank_account: Account,
    override_reason: str = "",
) -> ExpenseClaim:
    """Record that the claim was paid out: post the payment from bank or cash."""
    claim = _lock(claim)
    organisation = claim.organisation
    if claim.status != ExpenseClaim.Status.POSTED:
        raise ValidationError(
            _("Only an approved, posted claim can be paid; this claim is %(status)s.")
            % {"status": claim.get_status_display().lower()}
        )
    if bank_account not in payment_accounts(organisation=organisation):
        raise ValidationError(
            {
                "bank_account": [
                    ValidationError(_("Choose one of the listed bank or cash accounts."))
                ]
            }
        )
    if paid_on < claim.date:
        raise ValidationError(
            {
                "paid_on": [
                    ValidationError(_("The payment cannot be before the date of the expense."))
                ]
            }
        )
    payable = claims_payable_account(organisation=organisation, actor=actor)
    who = claim.submitted_by.full_name or claim.submitted_by.email
    entry = ledger.journal_entry_create(
        organisation=organisation,
        journal=payment_journal(organisation=organisation, account=bank_account),
        date=paid_on,
        description=books_text(
            lambda: (
                _("Payment of expense claim %(reference)s: %(who)s %(iban)s")
                % {"reference": claim.reference, "who": who, "iban": format_iban(claim.iban)}
            )
        )[:255],
        reference=claim.reference,
        counterparty=claim.account_holder,
        lines=[
            ledger.LineInput(payable, debit_cents=claim.amount_cents, description=who[:255]),
            ledger.LineInput(bank_account, credit_cents=claim.amount_cents),
        ],
        actor=actor,
    )
    claim.payment_entry = ledger.journal_entry_post(
        entry=entry, actor=actor, override_reason=override_reason
    )
    claim.status = ExpenseClaim.Status.PAID
    claim.paid_on = paid_on
    claim.save(update_fields=["status", "payment_entry", "paid_on"])
    audit_record(
        action="expense_claim.pay",
        actor=actor,
        organisation=organisation,
        obj=claim,
        data={"claim": claim.reference, "amount": format_cents(claim.amount_cents)},
    )
    return claim
