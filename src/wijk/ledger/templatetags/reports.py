from decimal import Decimal

from django import template
from django.utils.formats import number_format

from wijk.ledger.money import format_cents

register = template.Library()


@register.filter
def report_value(value: int | None, kind: str) -> str:
    """A report cell: money in Dutch notation, percentages and ratios with two decimals."""
    if value is None:
        return "–"
    if kind == "percent":
        return f"{number_format(Decimal(value) / 100, 1, use_l10n=True)}%"
    if kind == "number":
        return number_format(Decimal(value) / 10000, 1, use_l10n=True)
    return format_cents(value)
