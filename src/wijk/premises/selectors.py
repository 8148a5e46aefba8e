"""Reads of buildings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import ngettext

from wijk.ledger.selectors import fund_balances
from wijk.organisations.models import Organisation

from . import maintenance
from .models import (
    HOLDS_SLOT,
    AddOn,
    Booking,
    BookingStatus,
    Building,
    CustomerKind,
    Space,
    Tariff,
)
from .timeutil import free_intervals, local, local_day_bounds, to_utc


def building_list(*, organisation: Organisation, active_only: bool = False) -> QuerySet[Building]:
    buildings = Building.objects.for_organisation(organisation)
    if active_only:
        buildings = buildings.filter(is_active=True)
    return buildings.order_by("name")


def space_list(*, building: Building) -> QuerySet[Space]:
    return Space.objects.filter(building=building).order_by("name")


def spaces_of_organisation(*, organisation: Organisation) -> QuerySet[Space]:
    return (
        Space.objects.for_organisation(organisation)
        .select_related("building")
        .order_by("building__name", "name")
    )


def tariffs_of_space(*, space: Space) -> dict[str, Tariff]:
    return {tariff.customer_class: tariff for tariff in Tariff.objects.filter(space=space)}


def add_on_list(*, organisation: Organisation, active_only: bool = False) -> QuerySet[AddOn]:
    add_ons = AddOn.objects.for_organisation(organisation)
    if active_only:
        add_ons = add_ons.filter(is_active=True)
    return add_ons.order_by("kind", "name")


def bookings_between(
    *,
    organisation: Organisation,
    starts: datetime,
    ends: datetime,
    building: Building | None = None,
    space: Space | None = None,
    holding_only: bool = True,
) -> QuerySet[Booking]:
    """Bookings that overlap [starts, ends), in start order, with their room."""
    bookings = Booking.objects.for_organisation(organisation).overlapping(starts, ends)
    if holding_only:
        bookings = bookings.holding_slot()
    if building is not None:
        bookings = bookings.filter(space__building=building)
    if space is not None:
        bookings = bookings.filter(space=space)
    return bookings.select_related("space", "space__building").order_by("starts_at", "space__name")


def booking_requests(*, organisation: Organisation) -> QuerySet[Booking]:
    return (
        Booking.objects.for_organisation(organisation)
        .filter(status=BookingStatus.REQUESTED)
        .select_related("space", "space__building")
        .order_by("starts_at")
    )


def opening_window(*, space: Space, day: date) -> tuple[datetime, datetime] | None:
    """The room's opening hours on a local day in UTC, or None when it is closed."""
    if day.weekday() not in space.open_weekdays:
        return None
    return to_utc(day, space.opens_at), to_utc(day, space.closes_at)


def free_slots(*, space: Space, day: date) -> list[tuple[datetime, datetime]]:
    """The free parts of a room's opening hours on a day."""
    window = opening_window(space=space, day=day)
    if window is None:
        return []
    busy = Booking.objects.filter(space=space).holding_slot().overlapping(*window)
    return free_intervals(window, busy.values_list("starts_at", "ends_at"))


@dataclass(frozen=True)
class WeekItem:
    """One booking in the week calendar, with its times already in local time.

    Plain values, not model instances: a busy week has hundreds of bookings, and
    building models and formatting dates in the template cost more than the query.
    """

    pk: int
    title: str
    status: str
    space_id: int
    space_name: str
    time_label: str  # "19:00–21:00", local time


@dataclass(frozen=True)
class DayColumn:
    day: date
    bookings: list[WeekItem]

    @property
    def iso(self) -> str:
        return self.day.isoformat()


def week_of_building(*, building: Building, monday: date) -> list[DayColumn]:
    """Seven local days from Monday with the bookings of every room of the building."""
    starts = local_day_bounds(monday)[0]
    ends = local_day_bounds(monday + timedelta(days=6))[1]
    days: dict[date, list[WeekItem]] = {monday + timedelta(days=n): [] for n in range(7)}
    rows = (
        Booking.objects.for_organisation(building.organisation)
        .overlapping(starts, ends)
        .holding_slot()
        .filter(space__building=building)
        .order_by("starts_at", "space__name")
        .values_list("pk", "title", "status", "space_id", "space__name", "starts_at", "ends_at")
    )
    for pk, title, status, space_id, space_name, starts_at, ends_at in rows:
        start, end = local(starts_at), local(ends_at)
        first = max(start.date(), monday)
        days.setdefault(first, []).append(
            WeekItem(pk, title, status, space_id, space_name, f"{start:%H:%M}–{end:%H:%M}")
        )
    return [
        DayColumn(day, days[day])
        for day in sorted(days)
        if monday <= day < monday + timedelta(days=7)
    ]


def free_slots_by_room(
    *, spaces: list[Space], first: date, days: int, not_before: datetime | None = None
) -> list[tuple[Space, list[tuple[date, list[tuple[datetime, datetime]]]]]]:
    """Free times of several rooms over several days, with one query for all of them.

    With `not_before` (now, on the public page) a time that has passed is not offered:
    the day's free times start at the next quarter of an hour.
    """
    if not_before is not None:
        quarter = 15 * 60
        seconds = -(-int(not_before.timestamp()) // quarter) * quarter
        not_before = datetime.fromtimestamp(seconds, tz=not_before.tzinfo or UTC)
    if not spaces:
        return []
    starts = local_day_bounds(first)[0]
    ends = local_day_bounds(first + timedelta(days=days - 1))[1]
    busy: dict[int, list[tuple[datetime, datetime]]] = {space.pk: [] for space in spaces}
    for space_id, booked_from, booked_until in (
        Booking.objects.filter(space__in=spaces)
        .holding_slot()
        .overlapping(starts, ends)
        .values_list("space_id", "starts_at", "ends_at")
    ):
        busy[space_id].append((booked_from, booked_until))
    result = []
    for space in spaces:
        per_day = []
        for n in range(days):
            day = first + timedelta(days=n)
            window = opening_window(space=space, day=day)
            if window and not_before is not None and window[0] < not_before:
                window = (not_before, window[1]) if not_before < window[1] else None
            per_day.append((day, free_intervals(window, busy[space.pk]) if window else []))
        result.append((space, per_day))
    return result


def maintenance_plan(*, building: Building, today: date) -> maintenance.Plan:
    """The building's maintenance plan from this year, beside its reserve in the books today."""
    first_year = today.year
    reserve = 0
    if building.maintenance_fund_id is not None:
        balances = fund_balances(organisation=building.organisation, on=today)
        reserve = balances.get(building.maintenance_fund_id, 0)
    return maintenance.plan(
        (
            maintenance.Component(
                c.name, c.planned_year, c.interval_years, c.cost_cents, c.price_year
            )
            for c in building.maintenance_components.all()
        ),
        first_year=first_year,
        rise_bp=building.maintenance_inflation_bp,
        reserve_cents=reserve,
        contribution_cents=building.maintenance_contribution_cents,
    )


def person_open_bookings_reason(person: Any) -> str | None:
    """Anonymisation blocker: the person has a requested or confirmed booking still to come.

    Bookings hold the customer's name and e-mail as typed, not a link to the registry,
    so they are matched conservatively, erring towards refusing: a booking that has
    not ended yet, requested or confirmed, whose e-mail address equals the person's
    (ignoring case), or, for a booking by a person (not an organisation), whose name
    equals the person's (ignoring case and outer spaces). A false match only delays
    the anonymisation until the booking is over or cancelled; a missed match would
    anonymise someone who still comes.
    """
    same = Q()
    email = (person.email or "").strip()
    if email:
        same |= Q(customer_email__iexact=email)
    name = (person.name or "").strip()
    if name:
        same |= Q(customer_kind=CustomerKind.PERSON, customer_name__iexact=name)
    if not same:
        return None
    count = (
        Booking.objects.filter(
            organisation_id=person.organisation_id,
            status__in=HOLDS_SLOT,
            ends_at__gt=timezone.now(),
        )
        .filter(same)
        .count()
    )
    if not count:
        return None
    return str(
        ngettext(
            "%(count)s room booking in this person's name is still to come.",
            "%(count)s room bookings in this person's name are still to come.",
            count,
        )
        % {"count": count}
    )
