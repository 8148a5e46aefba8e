"""What the books hold for a contract: income booked and money received.

A contract (a service contract, a right-to-challenge agreement, a grant) is linked to
the income account its money is booked on, and optionally to a fund (a grant kept as
a restricted fund). The contract page then adds up, from posted journal lines only:

- *booked*: lines on the income account within the contract period, credit minus
  debit, that carry the contract's fund; without a fund, those whose entry names the
  partner as counterparty (as bank lines and invoices do);
- *received*: money in on bank and cash accounts within the period from an entry
  whose counterparty is the partner.

Nothing is typed twice: the value stands in the contract, the money in the books.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext as _

from wijk.accounts.models import User
from wijk.core.models import audit_record
from wijk.ledger.models import Account, AccountType, Fund, JournalEntry, JournalLine

from .models import Contract

MAX_LINES = 50


@transaction.atomic
def contract_link_books(
    *, contract: Contract, income_account: Account | None, fund: Fund | None, actor: User | None
) -> Contract:
    errors: dict[str, list[ValidationError]] = {}
    organisation_id = contract.organisation_id
    if income_account is not None and (
        income_account.organisation_id != organisation_id
        or income_account.type != AccountType.INCOME
    ):
        errors["income_account"] = [ValidationError(_("Choose one of the listed income accounts."))]
    if fund is not None and fund.organisation_id != organisation_id:
        errors["fund"] = [ValidationError(_("Choose one of the listed funds."))]
    if fund is not None and income_account is None:
        errors["income_account"] = [
            ValidationError(_("Choose the income account the fund's money is booked on."))
        ]
    if errors:
        raise ValidationError(errors)
    contract.income_account = income_account
    contract.fund = fund
    contract.save(update_fields=["income_account", "fund"])
    audit_record(
        action="contract.link_books",
        actor=actor,
        organisation=contract.organisation,
        obj=contract,
        data={"name": contract.title},
    )
    return contract


@dataclass(frozen=True)
class ContractMoney:
    booked_cents: int
    received_cents: int
    lines: list[JournalLine]
    linked: bool

    def remaining_cents(self, value_cents: int | None) -> int | None:
        return None if value_cents is None else value_cents - self.booked_cents


def _period(contract: Contract) -> Q:
    period = Q(entry__date__gte=contract.start_date)
    if contract.end_date is not None:
        period &= Q(entry__date__lte=contract.end_date)
    return period


def _posted(contract: Contract) -> QuerySet[JournalLine]:
    return JournalLine.objects.filter(
        organisation_id=contract.organisation_id, entry__status=JournalEntry.Status.POSTED
    ).filter(_period(contract))


def contract_money(*, contract: Contract) -> ContractMoney:
    """Booked and received for the contract, summed in SQL; the latest lines to show."""
    partner = Q(entry__counterparty__iexact=contract.partner.name)
    received_sums = (
        _posted(contract)
        .filter(partner, account__type=AccountType.ASSET, account__category="cash")
        .aggregate(debit=Sum("debit_cents"), credit=Sum("credit_cents"))
    )
    received = int(received_sums["debit"] or 0) - int(received_sums["credit"] or 0)
    if contract.income_account_id is None:
        return ContractMoney(0, received, [], linked=False)
    booked_lines = _posted(contract).filter(account_id=contract.income_account_id)
    booked_lines = (
        booked_lines.filter(fund_id=contract.fund_id)
        if contract.fund_id is not None
        else booked_lines.filter(partner)
    )
    sums = booked_lines.aggregate(debit=Sum("debit_cents"), credit=Sum("credit_cents"))
    lines = list(
        booked_lines.select_related("entry", "entry__journal", "fund").order_by(
            "-entry__date", "-pk"
        )[:MAX_LINES]
    )
    return ContractMoney(
        booked_cents=int(sums["credit"] or 0) - int(sums["debit"] or 0),
        received_cents=received,
        lines=lines,
        linked=True,
    )
