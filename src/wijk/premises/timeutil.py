"""Local time, recurring dates and Dutch public holidays: pure functions.

Bookings are stored in UTC and planned in local time. A weekly group meets at 19:00
in Amsterdam, in winter (UTC+1) and in summer (UTC+2) alike, so occurrences are made
from the local date and time first and converted to UTC one by one; adding 7 × 24
hours to a UTC time would move the group to 18:00 or 20:00 after a clock change.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Europe/Amsterdam")


def to_utc(day: date, at: time) -> datetime:
    """A local wall-clock time as an aware UTC datetime.

    A time that does not exist (02:30 on the night clocks go forward) is read with the
    offset before the change; a time that occurs twice (02:30 when clocks go back) is
    the first of the two.
    """
    return datetime.combine(day, at, tzinfo=LOCAL).astimezone(UTC)


def local(moment: datetime) -> datetime:
    return moment.astimezone(LOCAL)


def local_day_bounds(day: date) -> tuple[datetime, datetime]:
    """[midnight, next midnight) of a local day in UTC: 23, 24 or 25 hours long."""
    return to_utc(day, time(0)), to_utc(day + timedelta(days=1), time(0))


def easter_sunday(year: int) -> date:
    """Gregorian Easter (the anonymous algorithm of Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def dutch_holidays(year: int) -> dict[date, str]:
    """The public holidays of the Netherlands (Liberation Day every year)."""
    easter = easter_sunday(year)
    kings_day = date(year, 4, 27)
    if kings_day.weekday() == 6:  # on a Sunday it moves to Saturday
        kings_day = date(year, 4, 26)
    return {
        date(year, 1, 1): "Nieuwjaarsdag",
        easter - timedelta(days=2): "Goede Vrijdag",
        easter: "Eerste Paasdag",
        easter + timedelta(days=1): "Tweede Paasdag",
        kings_day: "Koningsdag",
        date(year, 5, 5): "Bevrijdingsdag",
        easter + timedelta(days=39): "Hemelvaartsdag",
        easter + timedelta(days=49): "Eerste Pinksterdag",
        easter + timedelta(days=50): "Tweede Pinksterdag",
        date(year, 12, 25): "Eerste Kerstdag",
        date(year, 12, 26): "Tweede Kerstdag",
    }


def _monthly(first: date) -> Iterator[date]:
    """The same weekday in the same week of every month (the 2nd Tuesday, say).

    A 5th weekday exists only in some months; months without it are left out.
    """
    nth = (first.day - 1) // 7
    year, month = first.year, first.month
    while True:
        start = date(year, month, 1)
        offset = (first.weekday() - start.weekday()) % 7
        candidate = start + timedelta(days=offset + 7 * nth)
        if candidate.month == month:
            yield candidate
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def occurrence_dates(
    *,
    frequency: str,
    first_date: date,
    last_date: date,
    skip: Iterable[date] = (),
    skip_holidays: bool = False,
) -> list[date]:
    """Every date of a series from first_date up to and including last_date."""
    skipped = set(skip)
    if frequency == "monthly":
        candidates: Iterator[date] = _monthly(first_date)
    elif frequency in ("weekly", "fortnightly"):
        step = timedelta(weeks=1 if frequency == "weekly" else 2)
        candidates = (first_date + n * step for n in range(10_000))
    else:
        raise ValueError(f"unknown frequency {frequency!r}")
    holidays: dict[date, str] = {}
    if skip_holidays:
        for year in range(first_date.year, last_date.year + 1):
            holidays.update(dutch_holidays(year))
    dates = []
    for day in candidates:
        if day > last_date:
            break
        if day not in skipped and day not in holidays:
            dates.append(day)
    return dates


def free_intervals(
    window: tuple[datetime, datetime], busy: Iterable[tuple[datetime, datetime]]
) -> list[tuple[datetime, datetime]]:
    """The parts of the half-open window that no busy interval covers."""
    start, end = window
    free = []
    cursor = start
    for busy_start, busy_end in sorted(busy):
        if busy_end <= cursor:
            continue
        if busy_start >= end:
            break
        if busy_start > cursor:
            free.append((cursor, busy_start))
        cursor = max(cursor, busy_end)
    if cursor < end:
        free.append((cursor, end))
    return free


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())
