"""Small display helpers for the premises pages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def hours(minutes: int) -> str:
    """Minutes as hours with two decimals (rounded half up), in the page's language: 7,50."""
    hundredths = (minutes * 100 * 2 + 60) // 120
    return formats.number_format(Decimal(hundredths) / 100, decimal_pos=2)


@register.filter
def percent(basis_points: int) -> str:
    """Basis points (1/100 %) as a percentage with one decimal, rounded half up."""
    tenths = (basis_points + 5) // 10
    return formats.number_format(Decimal(tenths) / 10, decimal_pos=1) + "%"


@register.filter
def get(mapping: dict[str, int], key: str) -> int:
    return mapping.get(key, 0)


@register.filter
def month_name(number: int) -> str:
    return formats.date_format(date(2000, number, 1), "F")
