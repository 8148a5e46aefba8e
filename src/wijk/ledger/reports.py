"""Financial reports, computed by aggregation in SQL and shaped as plain tables.

Sums over whole months come from the balances rolled up per account and month at
posting (`rollups.posted_sums`), with exactly the lines' figures.

Each report is a `Report`: a title, columns and rows (headings, lines, subtotals,
totals) with amounts in cents. The same object renders as a page, CSV and XLSX, so
the figures are computed once. Income and expenditure follow the layout of the Dutch
guideline for non-profit organisations (RJ 640) with the costs by nature, as small
organisations may use; the balance sheet shows reserves and funds separately.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from wijk.organisations.models import Organisation

from .models import AccountType, BudgetLine, FiscalYear
from .models import ReportingCategory as C
from .rollups import posted_sums


@dataclass(frozen=True)
class Row:
    label: str
    values: tuple[int | None, ...] = ()
    kind: str = "line"  # heading, line, subtotal, total


@dataclass
class Report:
    name: str
    title: str
    subtitle: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # "money" columns hold cents; "percent" columns hold basis points (1/100 %).
    value_format: str = "money"


def _sums_by_category(
    organisation: Organisation, start: date | None, end: date, *, include_closing: bool
) -> dict[str, int]:
    """Net amount per reporting category, in the category's own direction."""
    result: dict[str, int] = {}
    for (account_type, category), (debit, credit) in posted_sums(
        organisation=organisation,
        start=start,
        end=end,
        fields=("account__type", "account__category"),
        include_closing=include_closing,
    ).items():
        natural = debit - credit
        if account_type in (AccountType.INCOME, AccountType.LIABILITY, AccountType.EQUITY):
            natural = credit - debit
        result[category] = result.get(category, 0) + natural
    return result


def _budget_by_category(fiscal_year: FiscalYear | None) -> dict[str, int]:
    if fiscal_year is None:
        return {}
    return {
        row["account__category"]: row["total"] or 0
        for row in BudgetLine.objects.filter(fiscal_year=fiscal_year)
        .values("account__category")
        .annotate(total=Sum("amount_cents"))
    }


def _previous_year(fiscal_year: FiscalYear) -> FiscalYear | None:
    previous: FiscalYear | None = FiscalYear.objects.filter(
        organisation=fiscal_year.organisation, end_date=fiscal_year.start_date - timedelta(days=1)
    ).first()
    return previous


INCOME_GROUPS = (
    (gettext_lazy("Income from products and services"), (C.TRADING, C.SERVICE_CONTRACTS)),
    (gettext_lazy("Grants from government"), (C.PUBLIC_GRANTS,)),
    (gettext_lazy("Income from other non-profit organisations"), (C.PRIVATE_GRANTS,)),
    (gettext_lazy("Donations and gifts"), (C.DONATIONS,)),
    (gettext_lazy("Membership fees"), (C.MEMBERSHIP_FEES,)),
    (gettext_lazy("Other income"), (C.OTHER_INCOME,)),
)
EXPENSE_GROUPS = (
    (gettext_lazy("Staff"), (C.STAFF,)),
    (gettext_lazy("Premises"), (C.PREMISES,)),
    (gettext_lazy("Activities"), (C.ACTIVITIES,)),
    (gettext_lazy("Materials"), (C.MATERIALS,)),
    (gettext_lazy("Overhead"), (C.OVERHEAD,)),
    (gettext_lazy("Depreciation"), (C.DEPRECIATION,)),
)


def income_statement(*, organisation: Organisation, fiscal_year: FiscalYear) -> Report:
    """Statement of income and expenditure: actual, budget and previous year."""
    previous = _previous_year(fiscal_year)
    periods = [
        _sums_by_category(
            organisation, fiscal_year.start_date, fiscal_year.end_date, include_closing=False
        ),
        _budget_by_category(fiscal_year),
        _sums_by_category(
            organisation, previous.start_date, previous.end_date, include_closing=False
        )
        if previous
        else {},
    ]
    has_previous = previous is not None

    def values(categories: tuple[str, ...]) -> tuple[int | None, ...]:
        result: list[int | None] = [sum(p.get(c, 0) for c in categories) for p in periods]
        if not has_previous:
            result[2] = None
        return tuple(result)

    def total(rows: list[tuple[int | None, ...]]) -> tuple[int | None, ...]:
        return tuple(
            None if any(r[i] is None for r in rows) else sum(r[i] or 0 for r in rows)
            for i in range(3)
        )

    report = Report(
        name="income-statement",
        title=_("Statement of income and expenditure"),
        subtitle=str(fiscal_year),
        columns=[
            _("Actual %(year)s") % {"year": fiscal_year},
            _("Budget %(year)s") % {"year": fiscal_year},
            _("Actual %(year)s") % {"year": previous} if previous else _("Previous year"),
        ],
    )
    report.rows.append(Row(pgettext("report heading", "Income"), kind="heading"))
    income_rows = []
    for label, categories in INCOME_GROUPS:
        v = values(categories)
        income_rows.append(v)
        report.rows.append(Row(str(label), v))
    income_total = total(income_rows)
    report.rows.append(Row(_("Total income"), income_total, "subtotal"))
    report.rows.append(Row(_("Expenditure"), kind="heading"))
    expense_rows = []
    for label, categories in EXPENSE_GROUPS:
        v = values(categories)
        expense_rows.append(v)
        report.rows.append(Row(str(label), v))
    expense_total = total(expense_rows)
    report.rows.append(Row(_("Total expenditure"), expense_total, "subtotal"))
    operating = tuple(
        None if a is None or b is None else a - b
        for a, b in zip(income_total, expense_total, strict=True)
    )
    report.rows.append(Row(_("Result before financial income and expenses"), operating, "subtotal"))
    financial = values((C.FINANCIAL,))
    report.rows.append(Row(_("Financial expenses"), financial))
    result = tuple(
        None if a is None or b is None else a - b for a, b in zip(operating, financial, strict=True)
    )
    report.rows.append(Row(_("Result (surplus or deficit)"), result, "total"))
    if not has_previous:
        report.notes.append(_("There is no previous fiscal year in the books."))
    return report


def balance_sheet(
    *, organisation: Organisation, fiscal_year: FiscalYear, at: date | None = None
) -> Report:
    """Balance sheet at the end of the fiscal year (or at the date `at` within it),
    beside the end of the previous year."""
    previous = _previous_year(fiscal_year)
    at = at or fiscal_year.end_date
    ends = [at] + ([previous.end_date] if previous else [])
    periods = [_sums_by_category(organisation, None, end, include_closing=True) for end in ends]
    # The unallocated result comes from the same sums: no second pass over the lines.
    results = [_result_from_sums(p) for p in periods]

    def values(categories: tuple[str, ...]) -> tuple[int | None, ...]:
        return tuple(sum(p.get(c, 0) for c in categories) for p in periods)

    report = Report(
        name="balance-sheet",
        title=_("Balance sheet"),
        subtitle=_("at %(date)s") % {"date": at.strftime("%d-%m-%Y")},
        columns=[end.strftime("%d-%m-%Y") for end in ends],
    )
    assets = [
        (_("Fixed assets"), (C.FIXED_ASSETS,)),
        (_("Receivables"), (C.CURRENT_ASSETS,)),
        (_("Cash and bank"), (C.CASH,)),
    ]
    report.rows.append(Row(_("Assets"), kind="heading"))
    for label, categories in assets:
        report.rows.append(Row(str(label), values(categories)))
    total_assets = values(tuple(c for _label, cats in assets for c in cats))
    report.rows.append(Row(_("Total assets"), total_assets, "total"))
    report.rows.append(Row(_("Liabilities, reserves and funds"), kind="heading"))
    reserve = values((C.GENERAL_RESERVE,))
    # An open year's result is not yet in the reserves: show it as its own line.
    report.rows.append(Row(_("General reserve"), reserve))
    report.rows.append(Row(_("Result of the year not yet allocated"), tuple(results)))
    for label, categories in (
        (_("Designated reserves"), (C.DESIGNATED_RESERVES,)),
        (_("Restricted funds"), (C.RESTRICTED_FUNDS,)),
        (_("Provisions"), (C.PROVISIONS,)),
        (_("Long-term liabilities"), (C.LONG_TERM_LIABILITIES,)),
        (_("Current liabilities"), (C.CURRENT_LIABILITIES,)),
    ):
        report.rows.append(Row(str(label), values(categories)))
    total = tuple(
        sum(
            p.get(c, 0)
            for c in (
                C.GENERAL_RESERVE,
                C.DESIGNATED_RESERVES,
                C.RESTRICTED_FUNDS,
                C.PROVISIONS,
                C.LONG_TERM_LIABILITIES,
                C.CURRENT_LIABILITIES,
            )
        )
        + r
        for p, r in zip(periods, results, strict=True)
    )
    report.rows.append(Row(_("Total liabilities, reserves and funds"), total, "total"))
    return report


def _result_from_sums(sums: dict[str, int]) -> int:
    """Income minus costs in cumulative sums: the result not yet moved to the reserves."""
    return sum(sums.get(c, 0) for c in INCOME_CATEGORIES) - sum(
        sums.get(c, 0) for c in EXPENSE_CATEGORIES
    )


INCOME_CATEGORIES = (
    C.TRADING,
    C.SERVICE_CONTRACTS,
    C.PUBLIC_GRANTS,
    C.PRIVATE_GRANTS,
    C.DONATIONS,
    C.MEMBERSHIP_FEES,
    C.OTHER_INCOME,
)
EXPENSE_CATEGORIES = (
    C.STAFF,
    C.PREMISES,
    C.ACTIVITIES,
    C.MATERIALS,
    C.OVERHEAD,
    C.DEPRECIATION,
    C.FINANCIAL,
)


def independence(*, organisation: Organisation) -> Report:
    """Financial-independence indicators per fiscal year (basis points: 1/100 %)."""
    years = list(FiscalYear.objects.filter(organisation=organisation).order_by("start_date"))
    report = Report(
        name="independence",
        title=_("Financial independence"),
        subtitle=organisation.name,
        columns=[str(y) for y in years],
        value_format="mixed",
    )
    earned, grants, months, solvency, current = [], [], [], [], []
    for year in years:
        flows = _sums_by_category(
            organisation, year.start_date, year.end_date, include_closing=False
        )
        stock = _sums_by_category(organisation, None, year.end_date, include_closing=True)
        income = sum(flows.get(c, 0) for c in INCOME_CATEGORIES)
        costs = sum(flows.get(c, 0) for c in EXPENSE_CATEGORIES)
        equity = sum(
            stock.get(c, 0) for c in (C.GENERAL_RESERVE, C.DESIGNATED_RESERVES, C.RESTRICTED_FUNDS)
        )
        equity += _result_from_sums(stock)
        assets = sum(stock.get(c, 0) for c in (C.FIXED_ASSETS, C.CURRENT_ASSETS, C.CASH))
        liquid = stock.get(C.CURRENT_ASSETS, 0) + stock.get(C.CASH, 0)
        short = stock.get(C.CURRENT_LIABILITIES, 0)
        earned.append(_ratio(flows.get(C.TRADING, 0) + flows.get(C.SERVICE_CONTRACTS, 0), income))
        grants.append(
            _ratio(flows.get(C.PUBLIC_GRANTS, 0) + flows.get(C.PRIVATE_GRANTS, 0), income)
        )
        months.append(_ratio(equity * 12, costs))
        solvency.append(_ratio(equity, assets))
        current.append(_ratio(liquid, short))
    report.rows = [
        Row(
            _("Earned income share (trading and service contracts / total income)"),
            tuple(earned),
            "percent",
        ),
        Row(
            _("Grant dependency (public and private grants / total income)"),
            tuple(grants),
            "percent",
        ),
        Row(_("Reserves in months of expenditure"), tuple(months), "number"),
        Row(_("Solvency (reserves and funds / total assets)"), tuple(solvency), "percent"),
        Row(
            _("Current ratio (receivables and cash / current liabilities)"),
            tuple(current),
            "number",
        ),
    ]
    report.notes.append(
        _(
            "The share of the largest single funder needs the funder of each grant; it follows with contracts and grants."
        )
    )
    return report


def _ratio(numerator: int, denominator: int) -> int | None:
    """numerator / denominator in ten-thousandths (so 1/100 of a percent), or None."""
    if denominator <= 0:
        return None
    return round(numerator * 10000 / denominator)
