"""Occupancy: booked hours over available hours, per room and month or week.

Available hours are the room's opening hours on its open days (the stretch between
opening and closing is measured in real time, so a day with a clock change counts
what the clock really ran). Booked hours are confirmed bookings, clipped to those
opening hours: a party that runs on past closing time counts until closing, so the
share never exceeds 100%. Requests, declined and cancelled bookings do not count.
The hours are also split by customer class.
"""

from __future__ import annotations

import csv
import io
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import BigIntegerField, Func
from django.utils import timezone

from wijk.organisations.models import Organisation

from .models import Booking, BookingStatus, CustomerClass, Space
from .timeutil import local_day_bounds, to_utc


class UnixSeconds(Func):
    """A stored moment as whole seconds since 1970 (UTC), computed by the database.

    Django has no such function. Turning tens of thousands of stored times into aware
    datetimes in Python took about half of a year's occupancy report, and all the report
    needs is a number to compare with the local midnights. Both databases store the
    moment in UTC (SQLite as text, PostgreSQL as timestamptz).
    """

    output_field = BigIntegerField()

    @property
    def convert_value(self) -> Any:
        # Both databases already return an integer (the SQL casts it); without a
        # converter Django passes the rows through as they come, which is a fifth of
        # the report's time at tens of thousands of bookings.
        # Django skips the rows' conversion only for its own no-op converter.
        return self._convert_value_noop  # type: ignore[attr-defined]

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="CAST(strftime('%%%%s', %(expressions)s) AS INTEGER)",
            **extra,
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="FLOOR(EXTRACT(EPOCH FROM %(expressions)s))::bigint",
            **extra,
        )


@dataclass
class Occupancy:
    space: Space
    period: int  # month 1-12 or ISO week 1-53
    available_minutes: int = 0
    booked_minutes: int = 0
    by_class: dict[str, int] = field(default_factory=dict)

    @property
    def share_basis_points(self) -> int:
        """Booked over available in 1/100 of a percent, rounded half up; 0 when closed."""
        if not self.available_minutes:
            return 0
        return (2 * 10_000 * self.booked_minutes + self.available_minutes) // (
            2 * self.available_minutes
        )


def _days(year: int) -> Iterator[date]:
    day = date(year, 1, 1)
    while day.year == year:
        yield day
        day += timedelta(days=1)


def by_month(day: date) -> int:
    return day.month


def by_week(day: date) -> int:
    """ISO week; days of week 1 of next year or week 52/53 of last year stay in this year."""
    week = day.isocalendar().week
    if day.month == 12 and week == 1:
        return 53
    if day.month == 1 and week >= 52:
        return 0
    return week


def occupancy(
    *,
    organisation: Organisation,
    year: int,
    period: Callable[[date], int] = by_month,
    spaces: list[Space] | None = None,
) -> list[Occupancy]:
    """One row per room and period that has opening hours or bookings, in room order."""
    if spaces is None:
        spaces = list(
            Space.objects.for_organisation(organisation)
            .filter(is_active=True)
            .select_related("building")
            .order_by("building__name", "name")
        )
    # Days as indices into the year. A booking's local days are found by bisecting the
    # local midnights (as Unix seconds) instead of converting every booking's times to
    # local time: a year holds tens of thousands of bookings.
    days = list(_days(year))
    midnights = [int(local_day_bounds(day)[0].timestamp()) for day in days]
    periods = [period(day) for day in days]
    rows: dict[tuple[int, int], Occupancy] = {}
    windows: dict[int, list[tuple[int, int] | None]] = {}
    for space in spaces:
        open_days = set(space.open_weekdays)
        windows[space.pk] = [None] * len(days)
        for index, day in enumerate(days):
            if day.weekday() in open_days:
                opens, closes = to_utc(day, space.opens_at), to_utc(day, space.closes_at)
                windows[space.pk][index] = (int(opens.timestamp()), int(closes.timestamp()))
                key = (space.pk, periods[index])
                row = rows.get(key)
                if row is None:
                    row = rows[key] = Occupancy(space=space, period=periods[index])
                row.available_minutes += int((closes - opens).total_seconds()) // 60
    year_start = local_day_bounds(date(year, 1, 1))[0]
    year_end = local_day_bounds(date(year, 12, 31))[1]
    bookings = (
        Booking.objects.for_organisation(organisation)
        .filter(status=BookingStatus.CONFIRMED, space__in=spaces)
        .overlapping(year_start, year_end)
        .annotate(start_ts=UnixSeconds("starts_at"), end_ts=UnixSeconds("ends_at"))
        .values_list("space_id", "start_ts", "end_ts", "customer_class")
    )
    by_pk = {space.pk: space for space in spaces}
    class_minutes: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    last_index = len(days) - 1
    for space_id, start_ts, end_ts, customer_class in bookings.iterator(chunk_size=5_000):
        first = max(bisect_right(midnights, start_ts) - 1, 0)
        last = min(bisect_right(midnights, end_ts) - 1, last_index)
        space_windows = windows[space_id]
        for index in range(first, last + 1):
            window = space_windows[index]
            if window is not None:
                minutes = (min(end_ts, window[1]) - max(start_ts, window[0])) // 60
                if minutes > 0:
                    key = (space_id, periods[index])
                    row = rows.get(key)
                    if row is None:
                        row = rows[key] = Occupancy(space=by_pk[space_id], period=key[1])
                    row.booked_minutes += minutes
                    counts = class_minutes[key]
                    counts[customer_class] = counts.get(customer_class, 0) + minutes
    order = {space.pk: index for index, space in enumerate(spaces)}
    result = sorted(rows.values(), key=lambda row: (order[row.space.pk], row.period))
    for row in result:
        counts = class_minutes.get((row.space.pk, row.period), {})
        row.by_class = {value: counts.get(value, 0) for value in CustomerClass.values}
    return result


def hours_text(minutes: int) -> str:
    """Minutes as hours with two decimals, rounded half up, with a point: "7.50"."""
    hundredths = (minutes * 100 * 2 + 60) // 120
    return f"{hundredths // 100}.{hundredths % 100:02d}"


def occupancy_csv(*, organisation: Organisation, year: int) -> str:
    """A row per room and month: hours available, booked, the share and hours per class."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "building",
            "room",
            "month",
            "available_hours",
            "booked_hours",
            "occupancy_percent",
            *(f"{value}_hours" for value in CustomerClass.values),
        ]
    )
    for row in occupancy(organisation=organisation, year=year):
        writer.writerow(
            [
                row.space.building.name,
                row.space.name,
                f"{year}-{row.period:02d}",
                hours_text(row.available_minutes),
                hours_text(row.booked_minutes),
                f"{row.share_basis_points // 100}.{row.share_basis_points % 100:02d}",
                *(hours_text(row.by_class[value]) for value in CustomerClass.values),
            ]
        )
    return buffer.getvalue()


def occupancy_command_report(
    *, organisation: Organisation, year: int | None, file_format: str
) -> str:
    if file_format != "csv":
        raise ValueError("--format: the occupancy report is made as csv only.")
    return occupancy_csv(organisation=organisation, year=year or timezone.localdate().year)
