from django import template

from wijk.ledger.money import format_cents

register = template.Library()


@register.filter
def cents(value: int | None) -> str:
    """Integer cents as Dutch money: 123456 -> € 1.234,56; empty stays empty."""
    if value in (None, ""):
        return ""
    return format_cents(int(value))


@register.filter
def cents_plain(value: int | None) -> str:
    if value in (None, "", 0):
        return ""
    return format_cents(int(value), symbol=False)
