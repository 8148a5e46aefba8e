"""Small display helpers for the premises pages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import template
from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from wijk.premises.selectors import DayColumn

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


@register.simple_tag
def week_agenda(
    column: DayColumn, can_manage: bool, booking_url: tuple[str, str], day_url: tuple[str, str]
) -> SafeString:
    """The list items of one day in the week calendar.

    Written in Python rather than as a template loop: a busy week of a building with
    twenty rooms holds hundreds of bookings, and the template engine's per-variable
    lookups made up most of the page's time (benchmarks/premises_bench.py). The markup
    is the same as the template's; every value is escaped by format_html.
    """
    if not column.bookings:
        return format_html('<li class="muted">{}</li>', gettext("Nothing booked."))
    requested = format_html(' <span class="badge">{}</span>', gettext("requested"))
    day_link = f"?datum={column.iso}"
    rows = []
    for booking in column.bookings:
        title = (
            format_html(
                '<a href="{}{}{}">{}</a>', booking_url[0], booking.pk, booking_url[1], booking.title
            )
            if can_manage
            else format_html("{}", booking.title)
        )
        rows.append(
            (
                booking.status,
                booking.time_label,
                title,
                requested if booking.status == "requested" else "",
                f"{day_url[0]}{booking.space_id}{day_url[1]}{day_link}",
                booking.space_name,
            )
        )
    return format_html_join(
        "\n",
        '<li class="agenda__item booking--{}"><span class="agenda__time">{}</span> '
        '<span>{}{}<br><a class="muted" href="{}">{}</a></span></li>',
        rows,
    )
