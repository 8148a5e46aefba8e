"""Amounts as people type them, to integer cents and back.

Written by hand because the rule is our own: treasurers type Dutch notation
("1.234,56", "12,50", "€ 7"), sometimes English ("1,234.56", "12.50"). The last
separator followed by one or two digits is the decimal mark; a separator followed by
three digits groups thousands. Anything else is refused with a message, never guessed.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_ALLOWED = re.compile(r"^-?[0-9.,]+$")


def parse_cents(text: str) -> int:
    value = (text or "").strip().replace("€", "").replace(" ", "").replace("\u00a0", "")
    if not value or not _ALLOWED.match(value):
        raise ValidationError(_("Enter an amount such as 1.234,56."), code="money")
    negative = value.startswith("-")
    value = value.lstrip("-")
    last = max(value.rfind(","), value.rfind("."))
    if last >= 0 and len(value) - last - 1 in (1, 2):
        whole, fraction = value[:last], value[last + 1 :]
    else:
        whole, fraction = value, ""
    groups = re.split(r"[.,]", whole)
    if len(groups) > 1 and (not groups[0] or any(len(g) != 3 for g in groups[1:])):
        raise ValidationError(_("Enter an amount such as 1.234,56."), code="money")
    digits = "".join(groups)
    if not digits:
        digits = "0"
    try:
        amount = Decimal(f"{digits}.{fraction or '0'}")
    except InvalidOperation as exc:
        raise ValidationError(_("Enter an amount such as 1.234,56."), code="money") from exc
    cents = int(amount * 100)
    return -cents if negative else cents


def format_cents(cents: int, *, symbol: bool = True) -> str:
    """Dutch notation: € 1.234,56 (or -€ 1.234,56)."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    text = f"{euros:,}".replace(",", ".") + f",{rest:02d}"
    return f"{sign}€ {text}" if symbol else f"{sign}{text}"
