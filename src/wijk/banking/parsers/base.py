"""The neutral shape every statement parser returns, and the one error they raise.

Whatever the bank and the format, a parser turns a file into `ParsedStatement`s with
`ParsedLine`s: amounts in signed integer cents (positive = money in), dates as
`date`, the counterparty and references as plain text. The import service only ever
sees this shape.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from django.utils.translation import gettext as _


@dataclass(frozen=True, slots=True)
class ParsedLine:
    booking_date: date
    amount_cents: int
    value_date: date | None = None
    counterparty_iban: str = ""
    counterparty_name: str = ""
    description: str = ""
    end_to_end_reference: str = ""
    bank_reference: str = ""
    location: str = ""  # where in the file: "line 12", "Ntry 3"


@dataclass
class ParsedStatement:
    format: str
    account: str  # the account as the file names it; an IBAN for modern exports
    currency: str = "EUR"
    opening_balance_cents: int | None = None
    opening_date: date | None = None
    closing_balance_cents: int | None = None
    closing_date: date | None = None
    statement_id: str = ""
    location: str = ""
    lines: list[ParsedLine] = field(default_factory=list)


_LINE = re.compile(r"^line (\d+)$")


def place(location: str) -> str:
    """A location as the reader's language says it: "line 12" is "regel 12" in Dutch;
    an XML path such as Stmt[1]/Ntry[3] stays as it is."""
    found = _LINE.match(location)
    return _("line %(number)s") % {"number": found.group(1)} if found else location


class StatementParseError(Exception):
    """A file that cannot be read as a statement; names the file, the place and the field."""

    def __init__(self, message: str, *, file: str = "", location: str = "", field: str = ""):
        self.message = message
        self.file = file
        self.location = location
        self.field = field
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ", ".join(part for part in (self.file, place(self.location)) if part)
        what = f"{self.field}: " if self.field else ""
        return f"{where}: {what}{self.message}" if where else f"{what}{self.message}"


_AMOUNT = re.compile(r"^[+-]?[0-9][0-9.,]*$")


def parse_amount_cents(text: str, *, decimal: str = ",") -> int:
    """An amount as a bank writes it ("1.234,56", "-12.50", "500,") to signed cents.

    `decimal` is the file's decimal separator; the other separator is a thousands mark.
    Raises ValueError with a short reason.
    """
    value = text.strip().replace(" ", "").replace("\u00a0", "")
    if not value or not _AMOUNT.match(value):
        raise ValueError(_("%(text)r is not an amount") % {"text": text})
    thousands = "." if decimal == "," else ","
    value = value.replace(thousands, "").replace(decimal, ".")
    if value.endswith("."):
        value += "0"
    try:
        amount = Decimal(value)
    except InvalidOperation as exc:
        raise ValueError(_("%(text)r is not an amount") % {"text": text}) from exc
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise ValueError(_("%(text)r has more than two decimals") % {"text": text})
    return int(cents)


def parse_day(text: str, *formats: str) -> date:
    value = text.strip()
    for fmt in formats:
        try:
            return datetime.strptime(value, fmt).date()  # noqa: DTZ007 - a date, no time
        except ValueError:
            continue
    raise ValueError(_("%(text)r is not a date") % {"text": text})


def clean(text: str | None) -> str:
    """Collapse whitespace (banks pad with spaces and break lines anywhere)."""
    return " ".join((text or "").split())


H = TypeVar("H", bound=Hashable)


def shared() -> Callable[[H], H]:
    """A function that gives one object for all equal values it is given.

    A statement names the same few hundred counterparties and days over and over; a
    100,000-line file then holds each once instead of once per line.
    """
    seen: dict[Hashable, Hashable] = {}

    def one(value: H) -> H:
        return seen.setdefault(value, value)  # type: ignore[return-value]

    return one
