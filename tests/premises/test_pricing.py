"""The price of a booking, worked out by hand for each rule."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wijk.premises.pricing import AddOnTerms, TariffTerms, quote, room_hire, vat_cents

HOURLY = TariffTerms(hour_cents=2_500, daypart_cents=None, day_cents=None, vat_rate="exempt")
ALL = TariffTerms(hour_cents=2_500, daypart_cents=8_000, day_cents=18_000, vat_rate="21")


def test_hourly_price_is_pro_rata_per_minute():
    line = room_hire(90, HOURLY, description="Grote zaal")
    assert (line.unit, line.quantity, line.net_cents, line.vat_cents) == ("hour", 90, 3_750, 0)
    # 25 minutes at € 25,00 an hour is € 10,416.. → € 10,42 (half up)
    assert room_hire(25, HOURLY, description="x").net_cents == 1_042


@pytest.mark.parametrize(
    ("minutes", "unit", "quantity", "net"),
    [
        (120, "hour", 120, 5_000),  # 2 h: 50,00 < day-part 80,00
        (180, "hour", 180, 7_500),  # 3 h: 75,00 < 80,00
        (200, "daypart", 1, 8_000),  # 3 h 20: 83,33 > 80,00
        (240, "daypart", 1, 8_000),
        (300, "hour", 300, 12_500),  # 5 h: 125,00 < two started day-parts 160,00
        (480, "daypart", 2, 16_000),  # 8 h: 2 day-parts 160,00 < day 180,00 < 200,00
        (600, "day", 1, 18_000),  # 10 h: 3 day-parts 240,00 > day 180,00
        (1_500, "day", 2, 36_000),  # 25 h: two started days
    ],
)
def test_the_cheapest_applicable_price_wins(minutes, unit, quantity, net):
    line = room_hire(minutes, ALL, description="Zaal")
    assert (line.unit, line.quantity, line.net_cents) == (unit, quantity, net)


def test_vat_per_line_rounded_half_up():
    assert vat_cents(1_042, "21") == 219  # 218,82 → 219
    assert vat_cents(50, "9") == 5  # 4,5 → 5
    assert vat_cents(12_345, "exempt") == 0
    assert vat_cents(12_345, "0") == 0


def test_a_quote_with_extras_each_with_its_own_vat():
    result = quote(
        minutes=150,
        tariff=HOURLY,
        room_description="Grote zaal",
        add_ons=[
            AddOnTerms("Koffie en thee", "person", 150, "9"),
            AddOnTerms("Schoonmaak", "booking", 3_500, "21"),
            AddOnTerms("Beamer", "hour", 500, "21"),
        ],
        people=12,
    )
    # room 2,5 h × 25,00 = 62,50 exempt; coffee 12 × 1,50 = 18,00 + 9% 1,62;
    # cleaning 35,00 + 21% 7,35; projector 2,5 × 5,00 = 12,50 + 21% 2,625 → 2,63
    assert [(line.net_cents, line.vat_cents) for line in result.lines] == [
        (6_250, 0),
        (1_800, 162),
        (3_500, 735),
        (1_250, 263),
    ]
    assert (result.net_cents, result.vat_cents, result.gross_cents) == (12_800, 1_160, 13_960)


def test_no_tariff_means_only_the_extras():
    result = quote(
        minutes=60,
        tariff=None,
        room_description="x",
        add_ons=[AddOnTerms("Schoonmaak", "booking", 3_500, "exempt")],
    )
    assert result.gross_cents == 3_500


def test_nonsense_is_refused():
    with pytest.raises(ValueError):
        room_hire(0, HOURLY, description="x")
    with pytest.raises(ValueError):
        room_hire(60, TariffTerms(None, None, None, "exempt"), description="x")


@given(
    minutes=st.integers(min_value=1, max_value=7 * 24 * 60),
    hour=st.one_of(st.none(), st.integers(0, 50_000)),
    daypart=st.one_of(st.none(), st.integers(0, 200_000)),
    day=st.integers(0, 500_000),
)
def test_never_more_than_any_single_price_would_charge(minutes, hour, daypart, day):
    line = room_hire(minutes, TariffTerms(hour, daypart, day, "21"), description="x")
    assert line.net_cents <= -(-minutes // (24 * 60)) * day
    if hour is not None:
        assert line.net_cents <= (2 * hour * minutes + 60) // 120
    assert line.vat_cents == (2 * line.net_cents * 21 + 100) // 200
