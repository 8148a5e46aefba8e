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
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_lazy, pgettext
from django.utils.translation import gettext as _

from wijk.organisations.models import Organisation

from .models import AccountType, BudgetLine, FiscalYear, JournalEntry, JournalLine
from .models import ReportingCategory as C
from .money import format_cents
from .rollups import posted_sums
from .selectors import LedgerDetail, TrialBalance


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
    # What the report shows, in plain words, above the table.
    description: str = ""


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
        for row in BudgetLine.objects.filter(
            fiscal_year=fiscal_year, building__isnull=True, activity__isnull=True
        )
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
    earned, grants, months, solvency, current, largest, unknown = [], [], [], [], [], [], []
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
        grant_total = flows.get(C.PUBLIC_GRANTS, 0) + flows.get(C.PRIVATE_GRANTS, 0)
        grants.append(_ratio(grant_total, income))
        months.append(_ratio(equity * 12, costs))
        solvency.append(_ratio(equity, assets))
        current.append(_ratio(liquid, short))
        by_funder = grants_by_funder(
            organisation=organisation, start=year.start_date, end=year.end_date
        )
        named = {name: amount for name, amount in by_funder.items() if name}
        if named:
            funder, amount = max(named.items(), key=lambda item: (item[1], item[0]))
            largest.append(_ratio(amount, income))
            report.notes.append(
                _("%(year)s: the largest single funder is %(funder)s (%(amount)s in grants).")
                % {"year": year, "funder": funder, "amount": format_cents(amount)}
            )
        else:
            largest.append(None)
        unknown.append(_ratio(by_funder.get("", 0), grant_total) if grant_total else None)
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
        Row(
            _("Largest single funder (its grants / total income)"),
            tuple(largest),
            "percent",
        ),
        Row(_("Reserves in months of expenditure"), tuple(months), "number"),
        Row(_("Solvency (reserves and funds / total assets)"), tuple(solvency), "percent"),
        Row(
            _("Current ratio (receivables and cash / current liabilities)"),
            tuple(current),
            "number",
        ),
        Row(
            _("Grants without a recorded funder (share of all grants)"),
            tuple(unknown),
            "percent",
        ),
    ]
    if any(value for value in unknown):
        report.notes.append(
            _(
                "Some grants have no funder recorded. Fill in the counterparty of their entries "
                "so the share of the largest funder is complete."
            )
        )
    return report


def grants_by_funder(*, organisation: Organisation, start: date, end: date) -> dict[str, int]:
    """Grant income (public and private) per counterparty; "" for grants without one."""
    result: dict[str, int] = {}
    for row in (
        JournalLine.objects.filter(
            organisation=organisation,
            entry__status=JournalEntry.Status.POSTED,
            entry__is_closing=False,
            entry__date__gte=start,
            entry__date__lte=end,
            account__category__in=[C.PUBLIC_GRANTS, C.PRIVATE_GRANTS],
        )
        .values("entry__counterparty")
        .annotate(debit=Sum("debit_cents"), credit=Sum("credit_cents"))
        .order_by()
    ):
        name = row["entry__counterparty"].strip()
        result[name] = result.get(name, 0) + (row["credit"] or 0) - (row["debit"] or 0)
    return result


def _ratio(numerator: int, denominator: int) -> int | None:
    """numerator / denominator in ten-thousandths (so 1/100 of a percent), or None."""
    if denominator <= 0:
        return None
    return round(numerator * 10000 / denominator)


# --- result per building and per activity ---------------------------------------------

DIMENSIONS = {
    "building": (gettext_lazy("Result per building"), gettext_lazy("Not linked to a building")),
    "activity": (gettext_lazy("Result per activity"), gettext_lazy("Not linked to an activity")),
}


def _result_by_dimension(
    organisation: Organisation, start: date, end: date, dimension: str
) -> dict[int | None, tuple[int, int]]:
    """(income, costs) per building or activity id, in one GROUP BY."""
    result: dict[int | None, tuple[int, int]] = {}
    for row in (
        JournalLine.objects.filter(
            organisation=organisation,
            entry__status=JournalEntry.Status.POSTED,
            entry__is_closing=False,
            entry__date__gte=start,
            entry__date__lte=end,
            account__type__in=[AccountType.INCOME, AccountType.EXPENSE],
        )
        .values(f"{dimension}_id", "account__type")
        .annotate(debit=Sum("debit_cents"), credit=Sum("credit_cents"))
        .order_by()
    ):
        key = row[f"{dimension}_id"]
        income, costs = result.get(key, (0, 0))
        if row["account__type"] == AccountType.INCOME:
            income += (row["credit"] or 0) - (row["debit"] or 0)
        else:
            costs += (row["debit"] or 0) - (row["credit"] or 0)
        result[key] = (income, costs)
    return result


def result_by_dimension(
    *, organisation: Organisation, fiscal_year: FiscalYear, dimension: str
) -> Report:
    """Operating result (income, costs, result) per building or per activity."""
    from wijk.activities.models import Activity
    from wijk.premises.models import Building

    title, unassigned = DIMENSIONS[dimension]
    previous = _previous_year(fiscal_year)
    current = _result_by_dimension(
        organisation, fiscal_year.start_date, fiscal_year.end_date, dimension
    )
    before = (
        _result_by_dimension(organisation, previous.start_date, previous.end_date, dimension)
        if previous
        else {}
    )
    objects: list[Building | Activity] = list(
        (Building if dimension == "building" else Activity)
        .objects.filter(organisation=organisation)
        .order_by("name")
    )
    report = Report(
        name=f"result-by-{dimension}",
        title=str(title),
        subtitle=str(fiscal_year),
        columns=[
            pgettext("report column", "Income"),
            _("Expenditure"),
            _("Result %(year)s") % {"year": fiscal_year},
            _("Budgeted result"),
            _("Result %(year)s") % {"year": previous} if previous else _("Previous year"),
        ],
    )
    budgets: dict[int | None, int] = {}
    for budget_row in (
        BudgetLine.objects.filter(fiscal_year=fiscal_year, **{f"{dimension}__isnull": False})
        .values(f"{dimension}_id", "account__type")
        .annotate(total=Sum("amount_cents"))
        .order_by()
    ):
        sign = 1 if budget_row["account__type"] == AccountType.INCOME else -1
        key = budget_row[f"{dimension}_id"]
        budgets[key] = budgets.get(key, 0) + sign * (budget_row["total"] or 0)

    def row_values(key: int | None) -> tuple[int | None, ...]:
        income, costs = current.get(key, (0, 0))
        earlier: int | None = None
        if previous is not None:
            old_income, old_costs = before.get(key, (0, 0))
            earlier = old_income - old_costs
        return (income, costs, income - costs, budgets.get(key), earlier)

    # An open year lists every building or activity in use; a closed year only those
    # with figures, so regenerating its report later gives the same rows.
    shown = [
        obj
        for obj in objects
        if obj.pk in current
        or obj.pk in before
        or obj.pk in budgets
        or (obj.is_active and not fiscal_year.is_closed)
    ]
    for obj in shown:
        report.rows.append(Row(obj.name, row_values(obj.pk)))
    report.rows.append(Row(str(unassigned), row_values(None)))
    keys: list[int | None] = [obj.pk for obj in shown] + [None]
    totals = [row_values(key) for key in keys]
    total: list[int | None] = [sum(t[i] or 0 for t in totals) for i in range(3)]
    # Only buildings or activities have their own budget; without any, there is no total.
    total.append(sum(budgets.values()) if budgets else None)
    total.append(None if previous is None else sum(t[4] or 0 for t in totals))
    report.rows.append(Row(_("Total"), tuple(total), "total"))
    if not shown:
        report.notes.append(
            _("There are no buildings yet: every line counts as not linked.")
            if dimension == "building"
            else _("There are no activities yet: every line counts as not linked.")
        )
    report.notes.append(
        _(
            "Income and costs count where a line in the books carries this %(dimension)s. "
            "The total equals the result in the statement of income and expenditure."
        )
        % {"dimension": _("building") if dimension == "building" else _("activity")}
    )
    report.notes.append(
        _(
            "The budgeted result comes from the budget you set for each %(dimension)s on the "
            "budget page; it is separate from the organisation's own budget."
        )
        % {"dimension": _("building") if dimension == "building" else _("activity")}
    )
    return report


# --- cash position ----------------------------------------------------------------------


def cash_position(*, organisation: Organisation, fiscal_year: FiscalYear) -> Report:
    """Cash and bank per month of the year: opening balance, received, paid, closing."""
    from django.db.models.functions import TruncMonth

    from .services import fiscal_year_months

    cash_lines = JournalLine.objects.filter(
        organisation=organisation,
        entry__status=JournalEntry.Status.POSTED,
        account__category=C.CASH,
    )
    opening_row = cash_lines.filter(entry__date__lt=fiscal_year.start_date).aggregate(
        debit=Sum("debit_cents"), credit=Sum("credit_cents")
    )
    balance = (opening_row["debit"] or 0) - (opening_row["credit"] or 0)
    by_month = {
        row["month"]: (row["debit"] or 0, row["credit"] or 0)
        for row in cash_lines.filter(
            entry__date__gte=fiscal_year.start_date, entry__date__lte=fiscal_year.end_date
        )
        .annotate(month=TruncMonth("entry__date"))
        .values("month")
        .annotate(debit=Sum("debit_cents"), credit=Sum("credit_cents"))
        .order_by("month")
    }
    report = Report(
        name="cash-position",
        title=_("Cash position"),
        subtitle=str(fiscal_year),
        columns=[_("Opening balance"), _("Received"), _("Paid"), _("Closing balance")],
    )
    report.rows.append(Row(_("Per month"), kind="heading"))
    received_total = paid_total = 0
    year_opening = balance
    for month in fiscal_year_months(fiscal_year):
        received, paid = by_month.get(month, (0, 0))
        received_total += received
        paid_total += paid
        closing = balance + received - paid
        report.rows.append(Row(date_format(month, "F Y"), (balance, received, paid, closing)))
        balance = closing
    report.rows.append(
        Row(_("Whole year"), (year_opening, received_total, paid_total, balance), "total")
    )
    report.rows.append(Row(_("Per account at the end of the year"), kind="heading"))
    for row in (
        cash_lines.filter(entry__date__lte=fiscal_year.end_date)
        .values("account__number", "account__name_nl", "account__name_en")
        .annotate(debit=Sum("debit_cents"), credit=Sum("credit_cents"))
        .order_by("account__number")
    ):
        english = (get_language() or "nl").startswith("en")
        name = row["account__name_en"] if english else row["account__name_nl"]
        report.rows.append(
            Row(
                f"{row['account__number']} {name}",
                (None, None, None, (row["debit"] or 0) - (row["credit"] or 0)),
            )
        )
    report.notes.append(
        _(
            "Transfers between your own bank and cash accounts count both as received and as "
            "paid; they do not change the closing balance."
        )
    )
    return report


# --- movements of funds and reserves ------------------------------------------------------


def fund_movements(*, organisation: Organisation, fiscal_year: FiscalYear) -> Report:
    """Per fund: opening balance, added (income), spent (costs), other changes, closing.

    A fund's balance is the sum of every line that carries the fund on a reserves,
    income or expense account. Closing a year moves the result of those lines to the
    fund's reserves account, which leaves that sum unchanged: the figures are the same
    before and after the year is closed.
    """
    from .models import Fund

    types = [AccountType.EQUITY, AccountType.INCOME, AccountType.EXPENSE]
    lines = JournalLine.objects.filter(
        organisation=organisation,
        entry__status=JournalEntry.Status.POSTED,
        account__type__in=types,
    )
    opening: dict[int | None, int] = {
        row["fund"]: (row["credit"] or 0) - (row["debit"] or 0)
        for row in lines.filter(entry__date__lt=fiscal_year.start_date)
        .values("fund")
        .annotate(debit=Sum("debit_cents"), credit=Sum("credit_cents"))
        .order_by()
    }
    movements: dict[tuple[int | None, str], int] = {}
    for row in (
        lines.filter(
            entry__date__gte=fiscal_year.start_date,
            entry__date__lte=fiscal_year.end_date,
            entry__is_closing=False,
        )
        .values("fund", "account__type")
        .annotate(debit=Sum("debit_cents"), credit=Sum("credit_cents"))
        .order_by()
    ):
        movements[(row["fund"], row["account__type"])] = (row["credit"] or 0) - (row["debit"] or 0)
    report = Report(
        name="fund-movements",
        title=_("Movements of funds and reserves"),
        subtitle=str(fiscal_year),
        columns=[
            _("Opening balance"),
            _("Added (income)"),
            _("Spent (costs)"),
            _("Other changes"),
            _("Closing balance"),
        ],
    )

    def values(fund_id: int | None) -> tuple[int, int, int, int, int]:
        start = opening.get(fund_id, 0)
        added = movements.get((fund_id, AccountType.INCOME), 0)
        spent = -movements.get((fund_id, AccountType.EXPENSE), 0)
        other = movements.get((fund_id, AccountType.EQUITY), 0)
        return (start, added, spent, other, start + added - spent + other)

    funds = list(Fund.objects.filter(organisation=organisation).order_by("kind", "name"))
    all_rows: list[tuple[int, ...]] = []
    for kind, label in Fund.Kind.choices:
        group = [
            f
            for f in funds
            if f.kind == kind
            and (
                (f.is_active and not fiscal_year.is_closed)
                or f.pk in opening
                or any(k[0] == f.pk for k in movements)
            )
        ]
        if not group:
            continue
        report.rows.append(Row(str(label), kind="heading"))
        for fund in group:
            v = values(fund.pk)
            all_rows.append(v)
            report.rows.append(Row(fund.name, v))
    report.rows.append(Row(_("Without a fund"), kind="heading"))
    v = values(None)
    all_rows.append(v)
    report.rows.append(Row(_("General reserve, other reserves and results"), v))
    report.rows.append(
        Row(
            _("Total reserves and funds"),
            tuple(sum(r[i] for r in all_rows) for i in range(5)),
            "total",
        )
    )
    report.notes.append(
        _(
            "Income and costs count towards a fund when their line in the books carries that "
            "fund. The total equals the reserves and funds in the balance sheet, including "
            "results not yet allocated."
        )
    )
    return report


# --- trial balance and budget versus actual ---------------------------------------------


def trial_balance_report(*, trial_balance: TrialBalance, subtitle: str) -> Report:
    """The trial balance (from the selector) as a report for the downloads."""
    report = Report(
        name="trial-balance",
        title=_("Trial balance"),
        subtitle=subtitle,
        columns=[_("Debit"), _("Credit"), _("Balance")],
    )
    for row in trial_balance.rows:
        report.rows.append(
            Row(
                f"{row.account.number} {row.account.name}",
                (row.debit_cents, row.credit_cents, row.balance_cents),
            )
        )
    report.rows.append(
        Row(
            _("Total"),
            (
                trial_balance.debit_cents,
                trial_balance.credit_cents,
                trial_balance.debit_cents - trial_balance.credit_cents,
            ),
            "total",
        )
    )
    return report


def budget_vs_actual(
    *, organisation: Organisation, fiscal_year: FiscalYear, today: date | None = None
) -> Report:
    """Per income and expense account: budget for the year, budget and actual to date."""
    from django.utils import timezone

    from .models import Account
    from .services import month_end

    today = today or timezone.localdate()
    until = min(fiscal_year.end_date, month_end(today)) if today >= fiscal_year.start_date else None
    budget_year: dict[int, int] = {}
    budget_to_date: dict[int, int] = {}
    for budget_row in (
        BudgetLine.objects.filter(
            fiscal_year=fiscal_year, building__isnull=True, activity__isnull=True
        )
        .values("account", "month_start")
        .annotate(total=Sum("amount_cents"))
        .order_by()
    ):
        key, amount = budget_row["account"], budget_row["total"] or 0
        budget_year[key] = budget_year.get(key, 0) + amount
        if until is not None and budget_row["month_start"] <= until:
            budget_to_date[key] = budget_to_date.get(key, 0) + amount
    actual: dict[int, int] = {}
    if until is not None:
        for row in (
            JournalLine.objects.filter(
                organisation=organisation,
                entry__status=JournalEntry.Status.POSTED,
                entry__is_closing=False,
                entry__date__gte=fiscal_year.start_date,
                entry__date__lte=until,
                account__type__in=[AccountType.INCOME, AccountType.EXPENSE],
            )
            .values("account", "account__type")
            .annotate(debit=Sum("debit_cents"), credit=Sum("credit_cents"))
            .order_by()
        ):
            natural = (row["debit"] or 0) - (row["credit"] or 0)
            if row["account__type"] == AccountType.INCOME:
                natural = -natural
            actual[row["account"]] = natural
    used = set(budget_year) | set(actual)
    accounts = list(
        Account.objects.filter(organisation=organisation, pk__in=used).order_by("number")
    )
    report = Report(
        name="budget-vs-actual",
        title=_("Budget versus actual"),
        subtitle=(
            _("%(year)s, up to and including %(date)s")
            % {"year": fiscal_year, "date": until.strftime("%d-%m-%Y")}
            if until is not None
            else str(fiscal_year)
        ),
        columns=[
            _("Budget for the year"),
            _("Budget to date"),
            _("Actual to date"),
            _("Difference"),
        ],
        description=_(
            "The difference is actual minus budget to date: for income more is better, "
            "for costs less is better."
        ),
    )
    totals: dict[str, list[int]] = {}
    for kind, label in (
        (AccountType.INCOME, pgettext("report heading", "Income")),
        (AccountType.EXPENSE, _("Expenditure")),
    ):
        report.rows.append(Row(label, kind="heading"))
        sums = [0, 0, 0, 0]
        for account in (a for a in accounts if a.type == kind):
            values = (
                budget_year.get(account.pk, 0),
                budget_to_date.get(account.pk, 0),
                actual.get(account.pk, 0),
                actual.get(account.pk, 0) - budget_to_date.get(account.pk, 0),
            )
            sums = [a + b for a, b in zip(sums, values, strict=True)]
            report.rows.append(Row(f"{account.number} {account.name}", values))
        totals[kind] = sums
        report.rows.append(
            Row(
                _("Total income") if kind == AccountType.INCOME else _("Total expenditure"),
                tuple(sums),
                "subtotal",
            )
        )
    income, costs = totals[AccountType.INCOME], totals[AccountType.EXPENSE]
    report.rows.append(
        Row(
            _("Result (surplus or deficit)"),
            tuple(i - c for i, c in zip(income, costs, strict=True)),
            "total",
        )
    )
    if until is None:
        report.notes.append(_("This fiscal year has not started yet: there are no actuals."))
    return report


def ledger_detail_report(*, detail: LedgerDetail) -> Report:
    """The ledger of one account (from the selector) as a report for the downloads."""
    report = Report(
        name="ledger-detail",
        title=_("Ledger of %(account)s")
        % {"account": f"{detail.account.number} {detail.account.name}"},
        subtitle=str(detail.fiscal_year),
        columns=[_("Debit"), _("Credit"), _("Balance")],
    )
    report.rows.append(Row(_("Opening balance"), (None, None, detail.opening_cents)))
    for line in detail.lines:
        entry = line.entry
        report.rows.append(
            Row(
                f"{entry.date.strftime('%d-%m-%Y')} {entry.journal.code} #{entry.number} "
                f"{line.description}",
                (line.debit_cents, line.credit_cents, line.balance_cents),
            )
        )
    report.rows.append(
        Row(
            _("Closing balance"),
            (
                sum(line.debit_cents for line in detail.lines),
                sum(line.credit_cents for line in detail.lines),
                detail.closing_cents,
            ),
            "total",
        )
    )
    return report
