import pytest
from django.core.exceptions import ValidationError

from wijk.ledger.money import format_cents, parse_cents


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("1.234,56", 123456),
        ("1,234.56", 123456),
        ("1234,5", 123450),
        ("12.50", 1250),
        ("€ 7", 700),
        ("1.000", 100000),
        ("1.000.000,01", 100000001),
        ("0,01", 1),
        ("-3,10", -310),
    ],
)
def test_amounts_as_people_type_them(text, cents):
    assert parse_cents(text) == cents


@pytest.mark.parametrize("text", ["", "abc", "12,3,4", "1.23.4", "1,2345", "€", "--5", "1e5"])
def test_unclear_amounts_are_refused_not_guessed(text):
    with pytest.raises(ValidationError):
        parse_cents(text)


def test_dutch_notation():
    assert format_cents(123456) == "€ 1.234,56"
    assert format_cents(-5) == "-€ 0,05"
    assert format_cents(0, symbol=False) == "0,00"
