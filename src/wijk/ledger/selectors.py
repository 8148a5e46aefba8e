"""Reads of the books. Every figure is aggregated in SQL over posted lines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet, Sum

from wijk.organisations.models import Organisation

from .models import Account, FiscalYear, Journal, JournalEntry, JournalLine


@dataclass(frozen=True)
class TrialBalanceRow:
    account: Account
    debit_cents: int
    credit_cents: int

    @property
    def balance_cents(self) -> int:
        """Debit minus credit: positive for a debit balance."""
        return self.debit_cents - self.credit_cents


@dataclass(frozen=True)
class TrialBalance:
    rows: list[TrialBalanceRow]
    start: date | None
    end: date

    @property
    def debit_cents(self) -> int:
        return sum(row.debit_cents for row in self.rows)

    @property
    def credit_cents(self) -> int:
        return sum(row.credit_cents for row in self.rows)

    @property
    def balanced(self) -> bool:
        return self.debit_cents == self.credit_cents


def trial_balance(
    *, organisation: Organisation, end: date, start: date | None = None
) -> TrialBalance:
    """Posted debits and credits per account for entries dated from `start` to `end`.

    Without `start` it covers everything up to `end` (balances at that date).
    """
    lines = JournalLine.objects.filter(
        organisation=organisation, entry__status=JournalEntry.Status.POSTED, entry__date__lte=end
    )
    if start is not None:
        lines = lines.filter(entry__date__gte=start)
    totals = {
        row["account"]: (row["debit"] or 0, row["credit"] or 0)
        for row in lines.values("account").annotate(
            debit=Sum("debit_cents"), credit=Sum("credit_cents")
        )
    }
    accounts = Account.objects.filter(organisation=organisation, pk__in=totals).order_by("number")
    rows = [TrialBalanceRow(account, *totals[account.pk]) for account in accounts]
    return TrialBalance(rows=rows, start=start, end=end)


def posted_totals(*, organisation: Organisation) -> tuple[int, int]:
    """Sum of all posted debits and credits; equal in healthy books."""
    totals = JournalLine.objects.filter(
        organisation=organisation, entry__status=JournalEntry.Status.POSTED
    ).aggregate(debit=Sum("debit_cents"), credit=Sum("credit_cents"))
    return totals["debit"] or 0, totals["credit"] or 0


def account_list(*, organisation: Organisation) -> QuerySet[Account]:
    return Account.objects.filter(organisation=organisation).order_by("number")


def journal_list(*, organisation: Organisation) -> QuerySet[Journal]:
    return Journal.objects.filter(organisation=organisation).order_by("code")


def fiscal_year_list(*, organisation: Organisation) -> QuerySet[FiscalYear]:
    return FiscalYear.objects.filter(organisation=organisation).order_by("-start_date")


def entry_list(
    *, organisation: Organisation, fiscal_year: FiscalYear | None = None
) -> QuerySet[JournalEntry]:
    entries = (
        JournalEntry.objects.filter(organisation=organisation)
        .select_related("journal", "fiscal_year")
        .annotate(total_cents=Sum("lines__debit_cents"))
        .order_by("-date", "-id")
    )
    if fiscal_year is not None:
        entries = entries.filter(date__gte=fiscal_year.start_date, date__lte=fiscal_year.end_date)
    return entries
