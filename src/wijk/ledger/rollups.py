"""Balances per account and month, rolled up while posting (`AccountMonthBalance`).

Posting adds each entry's lines to the row of its account and month, in the posting
transaction, with an upsert that adds to what is there (`add_to_month_balances`).
Reports then sum a few hundred rows per year instead of every line: `posted_sums`
takes whole months from the rollups and only the days of a month cut off by the
period (a balance sheet on the 15th) from the lines, so the figures are exactly the
lines' figures. `month_sums_from_lines` recomputes the rollups from the lines, for
`wijk verify-ledger` and the tests.
"""

# ruff: noqa: S608 - the SQL is built from this module's constants and placeholders only
from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.db.models import F, Q, Sum
from django.db.models.functions import TruncMonth

from wijk.organisations.models import Organisation

from .models import AccountMonthBalance, JournalEntry, JournalLine

# Rows per INSERT statement (7 parameters each; far below SQLite's limit).
UPSERT_CHUNK = 500
_UPSERT = """
INSERT INTO ledger_accountmonthbalance (
    organisation_id, account_id, month_start,
    debit_cents, credit_cents, closing_debit_cents, closing_credit_cents
)
VALUES {values}
ON CONFLICT (organisation_id, account_id, month_start) DO UPDATE SET
    debit_cents = ledger_accountmonthbalance.debit_cents + excluded.debit_cents,
    credit_cents = ledger_accountmonthbalance.credit_cents + excluded.credit_cents,
    closing_debit_cents =
        ledger_accountmonthbalance.closing_debit_cents + excluded.closing_debit_cents,
    closing_credit_cents =
        ledger_accountmonthbalance.closing_credit_cents + excluded.closing_credit_cents
"""

# (account id, first day of the month) -> debit, credit, closing debit, closing credit
MonthTotals = dict[tuple[int, date], tuple[int, int, int, int]]


@dataclass(frozen=True)
class PostedLine:
    """What a posted line adds to its account's month."""

    account_id: int
    day: date
    debit_cents: int
    credit_cents: int
    is_closing: bool = False


def month_totals(lines: Iterable[PostedLine]) -> MonthTotals:
    totals: dict[tuple[int, date], list[int]] = {}
    for line in lines:
        row = totals.setdefault((line.account_id, line.day.replace(day=1)), [0, 0, 0, 0])
        row[0] += line.debit_cents
        row[1] += line.credit_cents
        if line.is_closing:
            row[2] += line.debit_cents
            row[3] += line.credit_cents
    return {key: (a, b, c, d) for key, (a, b, c, d) in totals.items()}


def add_to_month_balances(*, organisation_id: int, lines: Iterable[PostedLine]) -> None:
    """Add posted lines to their months' rows: call inside the posting transaction."""
    upsert_month_totals(organisation_id=organisation_id, totals=month_totals(lines))


def upsert_month_totals(*, organisation_id: int, totals: MonthTotals) -> None:
    """Add amounts per account and month to the stored rows, creating missing ones.

    One statement per 500 account-months. The upsert adds to the stored amounts, so
    it is correct whatever was posted before; posts of one organisation queue on the
    chain head's lock anyway, and rows go in a fixed order.
    """
    if not totals:
        return
    adapt = connection.ops.adapt_datefield_value
    rows = [
        (organisation_id, account_id, adapt(month), *amounts)
        for (account_id, month), amounts in sorted(totals.items())
    ]
    with connection.cursor() as cursor:
        for index in range(0, len(rows), UPSERT_CHUNK):
            chunk = rows[index : index + UPSERT_CHUNK]
            values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
            cursor.execute(_UPSERT.format(values=values), [value for row in chunk for value in row])


def month_sums_from_lines(*, organisation: Organisation) -> MonthTotals:
    """What the rollups should hold, summed straight from the posted lines."""
    rows = (
        JournalLine.objects.filter(
            organisation=organisation, entry__status=JournalEntry.Status.POSTED
        )
        .annotate(month=TruncMonth("entry__date"))
        .values("account", "month")
        .annotate(
            debit=Sum("debit_cents"),
            credit=Sum("credit_cents"),
            closing_debit=Sum("debit_cents", filter=Q(entry__is_closing=True)),
            closing_credit=Sum("credit_cents", filter=Q(entry__is_closing=True)),
        )
        .order_by()
    )
    return {
        (row["account"], row["month"]): (
            int(row["debit"] or 0),
            int(row["credit"] or 0),
            int(row["closing_debit"] or 0),
            int(row["closing_credit"] or 0),
        )
        for row in rows
    }


def month_sums_stored(*, organisation: Organisation) -> MonthTotals:
    return {
        (account_id, month): (debit, credit, closing_debit, closing_credit)
        for account_id, month, debit, credit, closing_debit, closing_credit in (
            AccountMonthBalance.objects.filter(organisation=organisation).values_list(
                "account_id",
                "month_start",
                "debit_cents",
                "credit_cents",
                "closing_debit_cents",
                "closing_credit_cents",
            )
        )
    }


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def posted_sums(
    *,
    organisation: Organisation | int,
    end: date,
    start: date | None = None,
    fields: tuple[str, ...] = ("account",),
    include_closing: bool = True,
    where: Q | None = None,
) -> dict[tuple[Any, ...], tuple[int, int]]:
    """Posted debits and credits dated from `start` (or the beginning) to `end`, grouped.

    `fields` and `where` use paths that both lines and rollups have (`account`,
    `account__type`, `account__category`). Whole months come from the rollups; the
    days before the first whole month and after the last one come from the lines.
    """
    first_full = None
    if start is not None:
        first_full = start if start.day == 1 else _month_end(start) + timedelta(days=1)
    last_full = end.replace(day=1)
    if _month_end(end) != end:
        last_full = (last_full - timedelta(days=1)).replace(day=1)
    totals: dict[tuple[Any, ...], tuple[int, int]] = {}

    def add(queryset: Any, debit: Any, credit: Any) -> None:
        if fields:
            rows = queryset.values(*fields).annotate(debit=debit, credit=credit).order_by()
        else:
            rows = [queryset.aggregate(debit=debit, credit=credit)]
        for row in rows:
            key = tuple(row[name] for name in fields)
            old_debit, old_credit = totals.get(key, (0, 0))
            totals[key] = (
                old_debit + int(row["debit"] or 0),
                old_credit + int(row["credit"] or 0),
            )

    edges = Q()
    if first_full is None or first_full <= last_full:
        months = AccountMonthBalance.objects.filter(
            organisation=organisation, month_start__lte=last_full
        )
        if first_full is not None:
            months = months.filter(month_start__gte=first_full)
        if where is not None:
            months = months.filter(where)
        if include_closing:
            add(months, Sum("debit_cents"), Sum("credit_cents"))
        else:
            add(
                months,
                Sum(F("debit_cents") - F("closing_debit_cents")),
                Sum(F("credit_cents") - F("closing_credit_cents")),
            )
        if start is not None and first_full is not None and start < first_full:
            edges |= Q(entry__date__gte=start, entry__date__lt=first_full)
        if end > _month_end(last_full):
            edges |= Q(entry__date__gt=_month_end(last_full), entry__date__lte=end)
    else:  # the period lies within one month, or straddles two without a whole one
        edges = Q(entry__date__gte=start, entry__date__lte=end)
    if edges:
        lines = JournalLine.objects.filter(
            edges, organisation=organisation, entry__status=JournalEntry.Status.POSTED
        )
        if not include_closing:
            lines = lines.filter(entry__is_closing=False)
        if where is not None:
            lines = lines.filter(where)
        add(lines, Sum("debit_cents"), Sum("credit_cents"))
    return totals
