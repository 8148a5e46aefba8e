"""What a building earns: its result from the books beside its budget and last year.

Everything comes from ledger lines that carry the building as dimension (room hire
invoiced through `invoicing.py`, bank postings booked on the building), so the figures
are the books' own, never typed in twice:

- income, costs and result of the fiscal year, the budgeted result (the building's
  own budget lines) and last year's result;
- the hire income (income on the room-hire accounts) per m² and per available hour:
  the available hours are the rooms' opening hours in the year, as in the occupancy
  report;
- income and costs per month, as a chart (Vega-Lite rendered to SVG on the server)
  whose data is also offered as CSV.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from wijk.ledger.models import AccountType, BudgetLine, FiscalYear, JournalEntry, JournalLine

from .invoicing import ROOM_HIRE_EXEMPT, ROOM_HIRE_TAXED
from .models import Building, Space
from .occupancy import occupancy


@dataclass
class MonthTotals:
    month: date
    income: int = 0
    costs: int = 0


@dataclass
class BuildingResult:
    fiscal_year: FiscalYear
    previous: FiscalYear | None
    income: int
    costs: int
    budget_result: int | None
    previous_result: int | None
    hire_income: int
    area_m2: int | None
    available_minutes: int
    months: list[MonthTotals] = field(default_factory=list)

    @property
    def result(self) -> int:
        return self.income - self.costs

    @property
    def hire_per_m2_cents(self) -> int | None:
        if not self.area_m2:
            return None
        return (2 * self.hire_income + self.area_m2) // (2 * self.area_m2)

    @property
    def hire_per_available_hour_cents(self) -> int | None:
        if not self.available_minutes:
            return None
        return (2 * 60 * self.hire_income + self.available_minutes) // (2 * self.available_minutes)


def _lines(building: Building, start: date, end: date) -> Any:
    return JournalLine.objects.filter(
        organisation=building.organisation,
        building=building,
        entry__status=JournalEntry.Status.POSTED,
        entry__is_closing=False,
        entry__date__gte=start,
        entry__date__lte=end,
        account__type__in=[AccountType.INCOME, AccountType.EXPENSE],
    )


def _income_and_costs(building: Building, start: date, end: date) -> tuple[int, int]:
    income = costs = 0
    for row in (
        _lines(building, start, end)
        .values("account__type")
        .annotate(debit=Sum("debit_cents"), credit=Sum("credit_cents"))
        .order_by()
    ):
        if row["account__type"] == AccountType.INCOME:
            income += (row["credit"] or 0) - (row["debit"] or 0)
        else:
            costs += (row["debit"] or 0) - (row["credit"] or 0)
    return income, costs


def building_result(*, building: Building, fiscal_year: FiscalYear) -> BuildingResult:
    """The building's figures for one fiscal year, in a handful of aggregate queries."""
    start, end = fiscal_year.start_date, fiscal_year.end_date
    previous = (
        FiscalYear.objects.filter(organisation=building.organisation, end_date__lt=start)
        .order_by("-end_date")
        .first()
    )
    income, costs = _income_and_costs(building, start, end)
    previous_result = None
    if previous is not None:
        old_income, old_costs = _income_and_costs(building, previous.start_date, previous.end_date)
        previous_result = old_income - old_costs
    budget_result = None
    for row in (
        BudgetLine.objects.filter(fiscal_year=fiscal_year, building=building)
        .values("account__type")
        .annotate(total=Sum("amount_cents"))
        .order_by()
    ):
        sign = 1 if row["account__type"] == AccountType.INCOME else -1
        budget_result = (budget_result or 0) + sign * (row["total"] or 0)
    hire = _lines(building, start, end).filter(
        account__type=AccountType.INCOME,
        account__number__in=[ROOM_HIRE_EXEMPT[0], ROOM_HIRE_TAXED[0]],
    )
    totals = hire.aggregate(debit=Sum("debit_cents"), credit=Sum("credit_cents"))
    hire_income = (totals["credit"] or 0) - (totals["debit"] or 0)
    months: dict[date, MonthTotals] = {}
    for row in (
        _lines(building, start, end)
        .annotate(month=TruncMonth("entry__date"))
        .values("month", "account__type")
        .annotate(debit=Sum("debit_cents"), credit=Sum("credit_cents"))
        .order_by("month")
    ):
        month = row["month"]
        totals_of_month = months.setdefault(month, MonthTotals(month))
        if row["account__type"] == AccountType.INCOME:
            totals_of_month.income += (row["credit"] or 0) - (row["debit"] or 0)
        else:
            totals_of_month.costs += (row["debit"] or 0) - (row["credit"] or 0)
    spaces = list(Space.objects.filter(building=building, is_active=True).order_by("name"))
    area = building.floor_area_m2 or sum(space.area_m2 or 0 for space in spaces) or None
    available = sum(
        row.available_minutes
        for row in occupancy(organisation=building.organisation, year=start.year, spaces=spaces)
    )
    return BuildingResult(
        fiscal_year=fiscal_year,
        previous=previous,
        income=income,
        costs=costs,
        budget_result=budget_result,
        previous_result=previous_result,
        hire_income=hire_income,
        area_m2=area,
        available_minutes=available,
        months=list(months.values()),
    )


def chart_points(result: BuildingResult) -> list[dict[str, Any]]:
    income, costs = pgettext("report column", "Income"), _("Expenditure")
    points = []
    for month in result.months:
        label = formats.date_format(month.month, "M Y")
        points.append({"month": label, "kind": income, "euro": month.income / 100})
        points.append({"month": label, "kind": costs, "euro": month.costs / 100})
    return points


def chart_spec(result: BuildingResult) -> dict[str, Any]:
    """Income and costs per month, side by side."""
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": _("Income and expenditure per month"),
        "width": 560,
        "height": 240,
        "data": {"values": chart_points(result)},
        "mark": "bar",
        "encoding": {
            "x": {"field": "month", "type": "ordinal", "sort": None, "title": None},
            "xOffset": {"field": "kind"},
            "y": {"field": "euro", "type": "quantitative", "title": _("Euro")},
            "color": {
                "field": "kind",
                "type": "nominal",
                "title": None,
                "legend": {"orient": "bottom"},
                "scale": {"range": ["#1b6b45", "#b3541e"]},
            },
        },
        "config": {"font": "DejaVu Sans, Arial, sans-serif"},
    }


def chart_csv(result: BuildingResult) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([_("Month"), pgettext("report column", "Income"), _("Expenditure")])
    for month in result.months:
        writer.writerow(
            [
                month.month.strftime("%Y-%m"),
                f"{month.income / 100:.2f}",
                f"{month.costs / 100:.2f}",
            ]
        )
    return buffer.getvalue()
