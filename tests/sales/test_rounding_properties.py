"""VAT rounding per line, checked against exact fractions for many generated lines."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from wijk.sales.services import line_amounts


def _round_half_away(value: Fraction) -> int:
    sign = -1 if value < 0 else 1
    magnitude = abs(value)
    whole = int(magnitude)
    return sign * (whole + (1 if magnitude - whole >= Fraction(1, 2) else 0))


quantities = (
    st.integers(min_value=-99_999, max_value=99_999)
    .filter(bool)
    .map(lambda thousandths: Decimal(thousandths) / 1000)
)
prices = st.integers(min_value=0, max_value=10_000_000)
rates = st.sampled_from(["21", "9", "0", "exempt"])


@given(quantity=quantities, price=prices, rate=rates)
def test_line_amounts_match_exact_rounding(quantity, price, rate):
    net, vat = line_amounts(quantity=quantity, unit_price_cents=price, vat_rate=rate)
    exact_net = Fraction(quantity) * price
    assert net == _round_half_away(exact_net)
    percent = {"21": 21, "9": 9, "0": 0, "exempt": 0}[rate]
    assert vat == _round_half_away(Fraction(net * percent, 100))
    # A credit note's line is the exact mirror image.
    assert line_amounts(quantity=-quantity, unit_price_cents=price, vat_rate=rate) == (-net, -vat)
