"""Bank lines that pay out an approved expense claim.

Registered with the bank import (`wijk.banking.matching.register_matcher`), so an
imported statement books the payment of an approved, unpaid claim by itself. A line
of money going out fits a claim when its amount is exactly the claim's and either
the counterparty's IBAN is the IBAN the claim is paid to, or the claim's reference
("D12") appears in the description or end-to-end reference (and the money went to the
claim's IBAN, when the bank names one). Strict on purpose: when two claims fit one
line, or the payment service refuses (a closed month, a payment
dated before the expense), nothing is booked and the line stays for the treasurer,
who picks the claim on the reconciliation page (`claim_match_source`). The payment
goes through `expense_claim_pay`, the same service as the "paid" button, so the
claim's status, the books and the activity log follow.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wijk.banking.matching import MatchOption, MatchSource
from wijk.ledger.money import format_cents
from wijk.organisations.models import Organisation

from .models import ExpenseClaim
from .services import expense_claim_pay, normalise_iban

if TYPE_CHECKING:
    from wijk.accounts.models import User
    from wijk.banking.models import BankLine
    from wijk.ledger.models import JournalEntry


def approved_claims(*, organisation: Organisation) -> list[ExpenseClaim]:
    """Claims approved and posted, not paid yet: what the enterprise still owes."""
    return list(
        ExpenseClaim.objects.for_organisation(organisation)
        .filter(status=ExpenseClaim.Status.POSTED)
        .order_by("pk")
    )


def _names_reference(text: str, claim: ExpenseClaim) -> bool:
    # "D12" as a word of its own: not inside "D123" or "AD12", spaces and zeros allowed.
    return re.search(rf"(?<![0-9A-Z])D\s?0*{claim.pk}(?![0-9])", text) is not None


def _fitting(
    line: BankLine, claims: Sequence[ExpenseClaim]
) -> tuple[list[ExpenseClaim], list[ExpenseClaim]]:
    """Claims of exactly the line's amount: those it names, and the others paid to its IBAN."""
    if line.amount_cents >= 0:
        return [], []
    iban = normalise_iban(line.counterparty_iban).upper()
    text = f"{line.description} {line.end_to_end_reference}".upper()
    named = []
    same_iban = []
    for claim in claims:
        if claim.amount_cents != -line.amount_cents:
            continue
        if _names_reference(text, claim):
            named.append(claim)
        elif iban and normalise_iban(claim.iban).upper() == iban:
            same_iban.append(claim)
    return named, same_iban


def _the_one(line: BankLine, claims: Sequence[ExpenseClaim]) -> ExpenseClaim | None:
    """The one claim this line certainly pays, or None when none or more than one fit.

    A line naming one claim pays that one, unless the money went to another IBAN than
    the claim's. A line naming none pays the claim paid to its IBAN, if there is one
    such claim of its amount.
    """
    named, same_iban = _fitting(line, claims)
    if named:
        if len(named) != 1:
            return None
        iban = normalise_iban(line.counterparty_iban).upper()
        claim = named[0]
        return claim if not iban or normalise_iban(claim.iban).upper() == iban else None
    return same_iban[0] if len(same_iban) == 1 else None


def _pay(claim: ExpenseClaim, line: BankLine, actor: User | None) -> JournalEntry:
    paid = expense_claim_pay(
        claim=claim,
        actor=actor,
        paid_on=line.booking_date,
        bank_account=line.bank_account.ledger_account,
    )
    return cast("JournalEntry", paid.payment_entry)  # set by the service when paid


def match_claim_payments(
    organisation: Organisation, lines: Sequence[BankLine], actor: User | None
) -> int:
    """Book the lines that pay out exactly one approved claim; return how many."""
    from wijk.banking.models import BankLine

    outgoing = [line for line in lines if line.amount_cents < 0]
    if not outgoing:
        return 0
    claims = approved_claims(organisation=organisation)
    if not claims:
        return 0
    booked = 0
    for line in outgoing:
        claim = _the_one(line, claims)
        if claim is None:
            continue  # none, or ambiguous: the treasurer decides
        try:
            with transaction.atomic():
                entry = _pay(claim, line, actor)
                line.status = BankLine.Status.BOOKED
                line.journal_entry = entry
                line.matched_by = "claim"
                line.save(update_fields=["status", "journal_entry", "matched_by"])
        except ValidationError:
            continue  # left for the treasurer
        claims.remove(claim)
        booked += 1
    return booked


def _options(organisation: Organisation, lines: Sequence[BankLine]) -> dict[int, list[MatchOption]]:
    """Approved claims each line of money out could pay: those of exactly its amount."""
    outgoing = [line for line in lines if line.amount_cents < 0]
    if not outgoing:
        return {}
    claims = approved_claims(organisation=organisation)
    result: dict[int, list[MatchOption]] = {}
    for line in outgoing:
        named, same_iban = _fitting(line, claims)
        fitting = named + same_iban
        others = [c for c in claims if c.amount_cents == -line.amount_cents and c not in fitting]
        if fitting or others:
            result[line.pk] = [
                MatchOption(
                    f"claim:{claim.pk}",
                    _("Expense claim %(reference)s, %(holder)s, %(amount)s")
                    % {
                        "reference": claim.reference,
                        "holder": claim.account_holder,
                        "amount": format_cents(claim.amount_cents),
                    },
                )
                for claim in fitting + others
            ]
    return result


def _book(line: BankLine, claim_id: int, actor: User | None) -> JournalEntry:
    claim = ExpenseClaim.objects.for_organisation(line.organisation).filter(pk=claim_id).first()
    if claim is None:
        raise ValidationError({"match": [ValidationError(_("Choose what this line pays."))]})
    if claim.amount_cents != -line.amount_cents:
        raise ValidationError(
            {
                "match": [
                    ValidationError(
                        _(
                            "The claim is %(claim)s but the bank line is %(line)s. Only a line "
                            "of money going out of exactly the claim's amount can pay it."
                        )
                        % {
                            "claim": format_cents(claim.amount_cents),
                            "line": format_cents(line.amount_cents),
                        }
                    )
                ]
            }
        )
    return _pay(claim, line, actor)


claim_match_source = MatchSource(name="claim", options=_options, book=_book)
