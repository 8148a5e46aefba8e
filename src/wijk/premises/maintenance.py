"""The maintenance plan (MJOP) in numbers: pure functions in integer cents.

- A cost at the price level of one year rises by the building's yearly price rise,
  compounded: cost × (1 + r)^(years later), rounded half up to the cent.
- The plan covers `HORIZON` years from this year; recurring work comes back every
  interval after its planned year.
- The yearly provision is the smallest equal yearly addition that keeps the reserve
  from running short in any year of the plan: the largest, over the years k = 1..H,
  of (cost due in the first k years − reserve today) / k, rounded up to the cent.
- The plan is underfunded when the yearly addition now made is below that provision.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

HORIZON = 10


@dataclass(frozen=True)
class Component:
    name: str
    planned_year: int
    interval_years: int | None
    cost_cents: int
    price_year: int


def indexed(cost_cents: int, *, from_year: int, to_year: int, rise_bp: int) -> int:
    """The cost in a later (or earlier) year, compounding the yearly rise in basis points."""
    years = to_year - from_year
    if years >= 0:
        numerator, denominator = cost_cents * (10_000 + rise_bp) ** years, 10_000**years
    else:
        numerator, denominator = cost_cents * 10_000**-years, (10_000 + rise_bp) ** -years
    return (2 * numerator + denominator) // (2 * denominator)


def years_due(component: Component, first: int, last: int) -> list[int]:
    if component.interval_years is None:
        return [component.planned_year] if first <= component.planned_year <= last else []
    year = component.planned_year
    if year < first:
        year += -(-(first - year) // component.interval_years) * component.interval_years
    due = []
    while year <= last:
        due.append(year)
        year += component.interval_years
    return due


@dataclass(frozen=True)
class Plan:
    first_year: int
    costs: list[int]  # per year of the horizon, indexed
    reserve_cents: int
    contribution_cents: int
    provision_cents: int

    @property
    def total_cents(self) -> int:
        return sum(self.costs)

    @property
    def underfunded(self) -> bool:
        return self.contribution_cents < self.provision_cents

    @property
    def years(self) -> list[tuple[int, int, int]]:
        """(year, cost, reserve at the end of the year with the current yearly addition)."""
        rows, reserve = [], self.reserve_cents
        for offset, cost in enumerate(self.costs):
            reserve += self.contribution_cents - cost
            rows.append((self.first_year + offset, cost, reserve))
        return rows


def plan(
    components: Iterable[Component],
    *,
    first_year: int,
    rise_bp: int,
    reserve_cents: int,
    contribution_cents: int,
    horizon: int = HORIZON,
) -> Plan:
    costs = [0] * horizon
    for component in components:
        for year in years_due(component, first_year, first_year + horizon - 1):
            costs[year - first_year] += indexed(
                component.cost_cents, from_year=component.price_year, to_year=year, rise_bp=rise_bp
            )
    provision, cumulative = 0, 0
    for k, cost in enumerate(costs, start=1):
        cumulative += cost
        shortfall = cumulative - reserve_cents
        if shortfall > 0:
            provision = max(provision, -(-shortfall // k))
    return Plan(
        first_year=first_year,
        costs=costs,
        reserve_cents=reserve_cents,
        contribution_cents=contribution_cents,
        provision_cents=provision,
    )
