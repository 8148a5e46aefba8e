"""The price of a booking: a pure function of the times, the tariff and the extras.

Everything is integer cents and whole minutes; nothing here touches the database, so
the rules can be read and tested on their own:

- Room hire uses the cheapest of the tariff's prices that applies: per hour (pro rata
  per minute), per started day-part of 4 hours, or per started day of 24 hours.
- An extra is charged once per booking, per person, or per hour (pro rata per minute).
- VAT is worked out per line, rounded half up to the cent; an exempt line has no VAT.
- Prices are without VAT; the total adds the VAT of every line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

DAYPART_MINUTES = 4 * 60
DAY_MINUTES = 24 * 60


def _divide_half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half up, for numerator >= 0."""
    return (2 * numerator + denominator) // (2 * denominator)


def _ceil_divide(numerator: int, denominator: int) -> int:
    return -(-numerator // denominator)


def vat_cents(net_cents: int, rate: str) -> int:
    """VAT on a net amount: rate is "exempt" or a whole percentage such as "21"."""
    if rate == "exempt":
        return 0
    return _divide_half_up(net_cents * int(rate), 100)


@dataclass(frozen=True)
class TariffTerms:
    hour_cents: int | None
    daypart_cents: int | None
    day_cents: int | None
    vat_rate: str


@dataclass(frozen=True)
class AddOnTerms:
    name: str
    unit: str  # "booking", "person" or "hour"
    price_cents: int
    vat_rate: str


@dataclass(frozen=True)
class PriceLine:
    description: str
    unit: str  # "hour", "daypart", "day", "booking", "person"
    quantity: int  # minutes for "hour", otherwise a count
    unit_price_cents: int
    net_cents: int
    vat_rate: str
    vat_cents: int

    @property
    def gross_cents(self) -> int:
        return self.net_cents + self.vat_cents


@dataclass(frozen=True)
class Quote:
    lines: tuple[PriceLine, ...]

    @property
    def net_cents(self) -> int:
        return sum(line.net_cents for line in self.lines)

    @property
    def vat_cents(self) -> int:
        return sum(line.vat_cents for line in self.lines)

    @property
    def gross_cents(self) -> int:
        return self.net_cents + self.vat_cents


def room_hire(minutes: int, tariff: TariffTerms, *, description: str) -> PriceLine:
    """The cheapest way the tariff charges `minutes` of room hire."""
    if minutes <= 0:
        raise ValueError("a booking lasts at least one minute")
    options: list[tuple[int, str, int, int]] = []  # (net, unit, quantity, unit price)
    if tariff.hour_cents is not None:
        options.append(
            (_divide_half_up(tariff.hour_cents * minutes, 60), "hour", minutes, tariff.hour_cents)
        )
    if tariff.daypart_cents is not None:
        parts = _ceil_divide(minutes, DAYPART_MINUTES)
        options.append((parts * tariff.daypart_cents, "daypart", parts, tariff.daypart_cents))
    if tariff.day_cents is not None:
        days = _ceil_divide(minutes, DAY_MINUTES)
        options.append((days * tariff.day_cents, "day", days, tariff.day_cents))
    if not options:
        raise ValueError("the tariff has no price")
    net, unit, quantity, unit_price = min(options, key=lambda option: option[0])
    return PriceLine(
        description=description,
        unit=unit,
        quantity=quantity,
        unit_price_cents=unit_price,
        net_cents=net,
        vat_rate=tariff.vat_rate,
        vat_cents=vat_cents(net, tariff.vat_rate),
    )


def add_on_line(add_on: AddOnTerms, *, minutes: int, people: int) -> PriceLine:
    if add_on.unit == "hour":
        quantity, net = minutes, _divide_half_up(add_on.price_cents * minutes, 60)
    elif add_on.unit == "person":
        quantity, net = people, add_on.price_cents * people
    elif add_on.unit == "booking":
        quantity, net = 1, add_on.price_cents
    else:
        raise ValueError(f"unknown unit {add_on.unit!r}")
    return PriceLine(
        description=add_on.name,
        unit=add_on.unit,
        quantity=quantity,
        unit_price_cents=add_on.price_cents,
        net_cents=net,
        vat_rate=add_on.vat_rate,
        vat_cents=vat_cents(net, add_on.vat_rate),
    )


def quote(
    *,
    minutes: int,
    tariff: TariffTerms | None,
    room_description: str,
    add_ons: Sequence[AddOnTerms] = (),
    people: int = 0,
) -> Quote:
    """Room hire (when there is a tariff) and every extra, each with its own VAT."""
    lines: list[PriceLine] = []
    if tariff is not None:
        lines.append(room_hire(minutes, tariff, description=room_description))
    lines.extend(add_on_line(add_on, minutes=minutes, people=people) for add_on in add_ons)
    return Quote(lines=tuple(lines))
