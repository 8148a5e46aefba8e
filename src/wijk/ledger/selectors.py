"""Reads of the books. Every figure is aggregated in SQL over posted lines.

Sums over whole months read the balances rolled up per account and month at posting
(`rollups.posted_sums`), with the same result as summing the lines themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import F, Q, QuerySet, Sum, Window

from wijk.activities.models import Activity
from wijk.organisations.models import Organisation
from wijk.premises.models import Building

from .models import (
    EARNED_INCOME,
    Account,
    AccountType,
    FiscalYear,
    Journal,
    JournalEntry,
    JournalLine,
    ReportingCategory,
)
from .rollups import posted_sums


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
    totals = {
        key[0]: amounts
        for key, amounts in posted_sums(organisation=organisation, start=start, end=end).items()
    }
    accounts = Account.objects.filter(organisation=organisation, pk__in=totals).order_by("number")
    rows = [TrialBalanceRow(account, *totals[account.pk]) for account in accounts]
    return TrialBalance(rows=rows, start=start, end=end)


def posted_totals(*, organisation: Organisation) -> tuple[int, int]:
    """Sum of all posted debits and credits; equal in healthy books."""
    sums = posted_sums(organisation=organisation, end=date.max, fields=())
    return sums.get((), (0, 0))


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


@dataclass(frozen=True)
class YearSummary:
    """The year so far, by reporting category, for the dashboard."""

    fiscal_year: FiscalYear
    income_cents: int
    expense_cents: int
    earned_income_cents: int
    cash_cents: int

    @property
    def result_cents(self) -> int:
        return self.income_cents - self.expense_cents

    @property
    def earned_income_share(self) -> float | None:
        """Financial independence: (trading + service contracts) / total income."""
        if self.income_cents <= 0:
            return None
        return self.earned_income_cents / self.income_cents


def year_summary(
    *, organisation: Organisation, fiscal_year: FiscalYear, until: date | None = None
) -> YearSummary:
    """The year's figures up to `until` (today on the dashboard: entries dated later, such
    as an invoice dated next month, are not "so far"); the whole year without it."""
    end = fiscal_year.end_date if until is None else min(until, fiscal_year.end_date)
    rows = posted_sums(
        organisation=organisation,
        start=fiscal_year.start_date,
        end=end,
        fields=("account__type", "account__category"),
    )
    income = expense = earned = 0
    for (account_type, category), (debit, credit) in rows.items():
        if account_type == AccountType.INCOME:
            amount = credit - debit
            income += amount
            if category in EARNED_INCOME:
                earned += amount
        elif account_type == AccountType.EXPENSE:
            expense += debit - credit
    cash_debit, cash_credit = posted_sums(
        organisation=organisation,
        end=end,
        fields=(),
        where=Q(account__category=ReportingCategory.CASH),
    ).get((), (0, 0))
    return YearSummary(
        fiscal_year=fiscal_year,
        income_cents=income,
        expense_cents=expense,
        earned_income_cents=earned,
        cash_cents=cash_debit - cash_credit,
    )


def current_fiscal_year(*, organisation: Organisation, today: date) -> FiscalYear | None:
    years = FiscalYear.objects.filter(organisation=organisation)
    current: FiscalYear | None = years.filter(start_date__lte=today, end_date__gte=today).first()
    return current or years.order_by("-start_date").first()


def budget_by_account(
    *,
    fiscal_year: FiscalYear,
    building: Building | None = None,
    activity: Activity | None = None,
) -> dict[int, int]:
    """The year's budget per account id, in cents: the organisation's, or one building's
    or activity's own budget."""
    from .models import BudgetLine

    return {
        row["account"]: row["total"] or 0
        for row in BudgetLine.objects.filter(
            fiscal_year=fiscal_year, building=building, activity=activity
        )
        .values("account")
        .annotate(total=Sum("amount_cents"))
    }


@dataclass(frozen=True)
class LedgerDetailLine:
    entry: JournalEntry
    description: str
    debit_cents: int
    credit_cents: int
    balance_cents: int


@dataclass(frozen=True)
class LedgerDetail:
    account: Account
    fiscal_year: FiscalYear
    opening_cents: int
    lines: list[LedgerDetailLine]

    @property
    def closing_cents(self) -> int:
        return self.lines[-1].balance_cents if self.lines else self.opening_cents


def ledger_detail(*, account: Account, fiscal_year: FiscalYear) -> LedgerDetail:
    """Every posted line on one account in a fiscal year, with a running balance.

    The opening balance (debit minus credit before the year) is one SQL sum; the
    running balance is added up over the year's lines in date order.
    """
    posted = JournalLine.objects.filter(account=account, entry__status=JournalEntry.Status.POSTED)
    before_debit, before_credit = posted_sums(
        organisation=account.organisation_id,
        end=fiscal_year.start_date - timedelta(days=1),
        fields=(),
        where=Q(account=account),
    ).get((), (0, 0))
    opening = before_debit - before_credit
    order = [F("entry__date").asc(), F("entry__chain_index").asc(), F("id").asc()]
    rows = (
        posted.filter(
            entry__date__gte=fiscal_year.start_date, entry__date__lte=fiscal_year.end_date
        )
        .select_related("entry__journal", "entry__fiscal_year")
        # The running balance is a window sum in SQL, not a loop over the lines.
        .annotate(running=Window(Sum(F("debit_cents") - F("credit_cents")), order_by=order))
        .order_by(*order)
    )
    lines = [
        LedgerDetailLine(
            entry=line.entry,
            description=line.description or line.entry.description,
            debit_cents=line.debit_cents,
            credit_cents=line.credit_cents,
            balance_cents=opening + line.running,
        )
        for line in rows
    ]
    return LedgerDetail(
        account=account, fiscal_year=fiscal_year, opening_cents=opening, lines=lines
    )


def fund_balances(*, organisation: Organisation, on: date) -> dict[int, int]:
    """Balance per fund on a date, in cents: lines with the fund on equity, income or
    expense accounts (credit minus debit), as in the fund-movements report."""
    rows = (
        JournalLine.objects.filter(
            organisation=organisation,
            entry__status=JournalEntry.Status.POSTED,
            entry__date__lte=on,
            fund__isnull=False,
            account__type__in=[AccountType.EQUITY, AccountType.INCOME, AccountType.EXPENSE],
        )
        .values("fund")
        .annotate(debit=Sum("debit_cents"), credit=Sum("credit_cents"))
        .order_by()
    )
    return {row["fund"]: (row["credit"] or 0) - (row["debit"] or 0) for row in rows}
