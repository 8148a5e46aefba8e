"""CSV exports of Dutch banks: ING (old and current), Rabobank, ABN AMRO (TAB),
Triodos, ASN, KNAB and bunq.

Each bank has its own columns, separator, date and amount notation, and most put no
account balance in the file. A layout is recognised by its header row (or, for the
banks without one, by the shape of the first row); the account is taken from the rows.
When the export has balances (ING current, Rabobank, ABN AMRO, ASN), the statement's
opening and closing balance come from them; otherwise they stay empty and the import
says that it could not check the balance.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from .base import (
    ParsedLine,
    ParsedStatement,
    StatementParseError,
    clean,
    parse_amount_cents,
    parse_day,
)
from .dutch86 import parse_details


@dataclass
class _Row:
    number: int  # line number in the file
    account: str
    line: ParsedLine
    balance_after: int | None = None
    balance_before: int | None = None


class _Cells:
    """One CSV row with its line number, so every error can say where it is."""

    def __init__(self, row: list[str], number: int, names: list[str] | None, file: str):
        self.row = row
        self.number = number
        self.names = names
        self.file = file

    def get(self, key: str | int) -> str:
        if isinstance(key, str) and key not in (self.names or []):
            raise self.fail(key, _("this column is missing from the header row"))
        index = key if isinstance(key, int) else (self.names or []).index(key)
        return self.row[index].strip() if index < len(self.row) else ""

    def fail(self, key: str | int, reason: str) -> StatementParseError:
        field = key if isinstance(key, str) else f"column {key + 1}"
        return StatementParseError(
            reason, file=self.file, location=f"line {self.number}", field=field
        )

    def amount(self, key: str | int, *, decimal: str = ",") -> int:
        try:
            return parse_amount_cents(self.get(key), decimal=decimal)
        except ValueError as exc:
            raise self.fail(
                key,
                _("%(reason)s; expected an amount such as %(example)s")
                % {"reason": exc, "example": f"12{decimal}50"},
            ) from exc

    def day(self, key: str | int, *formats: str) -> date:
        try:
            return parse_day(self.get(key), *formats)
        except ValueError as exc:
            raise self.fail(
                key, _("%(reason)s; expected a date such as 31-12-2026") % {"reason": exc}
            ) from exc


def _ing(c: _Cells) -> _Row:
    cents = c.amount("Bedrag (EUR)")
    direction = c.get("Af Bij").lower()
    if direction not in {"af", "bij"}:
        raise c.fail("Af Bij", _("expected Af or Bij"))
    if direction == "af":
        cents = -cents
    names = c.names or []
    mutation = "Mutatiesoort" if "Mutatiesoort" in names else "MutatieSoort"
    balance = c.amount("Saldo na mutatie") if "Saldo na mutatie" in names else None
    remarks = c.get("Mededelingen")
    return _Row(
        c.number,
        c.get("Rekening"),
        ParsedLine(
            booking_date=c.day("Datum", "%Y%m%d", "%d-%m-%Y"),
            amount_cents=cents,
            counterparty_iban=c.get("Tegenrekening"),
            counterparty_name=clean(c.get("Naam / Omschrijving")),
            description=clean(remarks) or clean(c.get(mutation)),
            end_to_end_reference=_after(remarks, "Kenmerk:").strip("-"),
            location=f"line {c.number}",
        ),
        balance_after=balance,
    )


def _after(text: str, label: str) -> str:
    match = re.search(re.escape(label) + r"\s*(\S+)", text)
    return match.group(1) if match else ""


def _rabobank(c: _Cells) -> _Row:
    description = " ".join(c.get(f"Omschrijving-{i}") for i in (1, 2, 3))
    return _Row(
        c.number,
        c.get("IBAN/BBAN"),
        ParsedLine(
            booking_date=c.day("Datum", "%Y-%m-%d"),
            value_date=c.day("Rentedatum", "%Y-%m-%d"),
            amount_cents=c.amount("Bedrag"),
            counterparty_iban=c.get("Tegenrekening IBAN/BBAN"),
            counterparty_name=clean(c.get("Naam tegenpartij")),
            description=clean(description) or clean(c.get("Betalingskenmerk")),
            end_to_end_reference=c.get("Transactiereferentie"),
            bank_reference=c.get("Volgnr"),
            location=f"line {c.number}",
        ),
        balance_after=c.amount("Saldo na trn"),
    )


_IBAN_IN_TEXT = re.compile(r"/IBAN/([A-Z0-9]+)/|IBAN:\s*([A-Z0-9]+)")
_NAME_IN_TEXT = re.compile(r"/NAME/([^/]*)/|Naam:\s*(.+?)\s{2,}")


def _abn_amro(c: _Cells) -> _Row:
    # No header: account, currency, date, balance before, balance after, value date,
    # amount, description (SEPA subfields or fixed-width text).
    text = c.get(7)
    before = c.amount(3)
    if text.startswith("/"):
        details = parse_details(text)
        iban_text, name_text = details.counterparty_iban, details.counterparty_name
        description, eref = details.description, details.end_to_end_reference
    else:
        iban, name = _IBAN_IN_TEXT.search(text), _NAME_IN_TEXT.search(text)
        iban_text = next((g for g in iban.groups() if g), "") if iban else ""
        name_text = clean(next((g for g in name.groups() if g), "")) if name else ""
        description, eref = clean(text), ""
    return _Row(
        c.number,
        c.get(0),
        ParsedLine(
            booking_date=c.day(2, "%Y%m%d"),
            value_date=c.day(5, "%Y%m%d"),
            amount_cents=c.amount(6),
            counterparty_iban=iban_text,
            counterparty_name=name_text,
            description=description,
            end_to_end_reference=eref,
            location=f"line {c.number}",
        ),
        balance_after=c.amount(4),
        balance_before=before,
    )


def _triodos(c: _Cells) -> _Row:
    # No header: date, account, amount, Debet/Credit, name, counter account, code,
    # description[, balance after].
    cents = c.amount(2)
    direction = c.get(3).lower()
    if direction not in {"debet", "credit"}:
        raise c.fail(3, _("expected Debet or Credit"))
    if direction == "debet":
        cents = -cents
    return _Row(
        c.number,
        c.get(1),
        ParsedLine(
            booking_date=c.day(0, "%d-%m-%Y"),
            amount_cents=cents,
            counterparty_name=clean(c.get(4)),
            counterparty_iban=c.get(5),
            description=clean(c.get(7)),
            location=f"line {c.number}",
        ),
        balance_after=c.amount(8) if len(c.row) > 8 and c.get(8) else None,
    )


def _asn(c: _Cells) -> _Row:
    # No header, 19 columns, amounts with a decimal point.
    before = c.amount(8, decimal=".")
    cents = c.amount(10, decimal=".")
    return _Row(
        c.number,
        c.get(1),
        ParsedLine(
            booking_date=c.day(0, "%d-%m-%Y"),
            value_date=c.day(12, "%d-%m-%Y"),
            amount_cents=cents,
            counterparty_iban=c.get(2),
            counterparty_name=clean(c.get(3)),
            description=clean(c.get(17).strip("'")),
            end_to_end_reference=c.get(16),
            bank_reference=c.get(15),
            location=f"line {c.number}",
        ),
        balance_before=before,
        balance_after=before + cents,
    )


def _knab(c: _Cells) -> _Row:
    cents = c.amount("Bedrag")
    direction = c.get("CreditDebet").upper()
    if direction not in {"C", "D"}:
        raise c.fail("CreditDebet", _("expected C or D"))
    if direction == "D":
        cents = -cents
    return _Row(
        c.number,
        c.get("Rekeningnummer"),
        ParsedLine(
            booking_date=c.day("Boekdatum", "%d-%m-%Y")
            if c.get("Boekdatum")
            else c.day("Transactiedatum", "%d-%m-%Y"),
            value_date=c.day("Valutadatum", "%d-%m-%Y") if c.get("Valutadatum") else None,
            amount_cents=cents,
            counterparty_iban=c.get("Tegenrekeningnummer"),
            counterparty_name=clean(c.get("Tegenrekeninghouder")),
            description=clean(c.get("Omschrijving")),
            bank_reference=c.get("Referentie"),
            location=f"line {c.number}",
        ),
    )


def _bunq(c: _Cells) -> _Row:
    raw = c.get("Amount")
    decimal = "," if re.search(r",\d{1,2}$", raw) else "."
    return _Row(
        c.number,
        c.get("Account"),
        ParsedLine(
            booking_date=c.day("Date", "%Y-%m-%d", "%d-%m-%Y"),
            value_date=c.day("Interest Date", "%Y-%m-%d", "%d-%m-%Y")
            if c.get("Interest Date")
            else None,
            amount_cents=c.amount("Amount", decimal=decimal),
            counterparty_iban=c.get("Counterparty"),
            counterparty_name=clean(c.get("Name")),
            description=clean(c.get("Description")),
            location=f"line {c.number}",
        ),
    )


@dataclass(frozen=True)
class Layout:
    name: str
    delimiter: str
    header: tuple[str, ...] | None  # the columns that identify it; None: no header row
    row: Callable[[_Cells], _Row]
    columns: int = 0  # for layouts without a header: the number of columns
    newest_first: bool = False


LAYOUTS = (
    Layout("ing", ",", ("Datum", "Naam / Omschrijving", "Af Bij", "Bedrag (EUR)"), _ing),
    Layout(
        "ing", ";", ("Datum", "Naam / Omschrijving", "Af Bij", "Saldo na mutatie"), _ing, 0, True
    ),
    Layout("rabobank", ",", ("IBAN/BBAN", "Munt", "Volgnr", "Saldo na trn"), _rabobank),
    Layout("knab", ";", ("Rekeningnummer", "Transactiedatum", "CreditDebet", "Bedrag"), _knab),
    Layout("bunq", ";", ("Date", "Amount", "Account", "Counterparty", "Name"), _bunq),
    Layout("bunq", ",", ("Date", "Amount", "Account", "Counterparty", "Name"), _bunq),
    Layout("abn_amro", "\t", None, _abn_amro, 8),
    Layout("triodos", ",", None, _triodos, 8),
    Layout("asn", ",", None, _asn, 19),
)


def _rows(text: str, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def detect(text: str) -> Layout | None:
    first = text.split("\n", 1)[0]
    for layout in LAYOUTS:
        if layout.header is not None:
            cells = (
                [c.strip().strip('"').strip() for c in _rows(first, layout.delimiter)[0]]
                if first
                else []
            )
            if all(column in cells for column in layout.header):
                return layout
    for layout in LAYOUTS:
        if layout.header is None and first:
            cells = _rows(first, layout.delimiter)[0]
            if len(cells) in {layout.columns, layout.columns + 1} and layout.delimiter in first:
                if layout.name == "triodos" and cells[3].strip().lower() not in {"debet", "credit"}:
                    continue
                if layout.name == "abn_amro" and not re.fullmatch(r"\d{8}", cells[2].strip()):
                    continue
                if layout.name == "asn" and not re.fullmatch(r"\d\d-\d\d-\d{4}", cells[0].strip()):
                    continue
                return layout
    return None


def parse(text: str, *, file: str, layout: Layout) -> list[ParsedStatement]:
    rows = _rows(text, layout.delimiter)
    names: list[str] | None = None
    start = 0
    if layout.header is not None:
        names = [c.strip() for c in rows[0]]
        start = 1
    parsed: list[_Row] = []
    for number, row in enumerate(rows[start:], start=start + 1):
        if not any(cell.strip() for cell in row):
            continue
        expected = len(names) if names else layout.columns
        if len(row) < expected:
            raise StatementParseError(
                _("this row has %(count)s columns, the %(layout)s layout has %(expected)s")
                % {"count": len(row), "layout": layout.name, "expected": expected},
                file=file,
                location=f"line {number}",
            )
        parsed.append(layout.row(_Cells(row, number, names, file)))
    if not parsed:
        raise StatementParseError(_("the file holds no transactions"), file=file)
    if layout.newest_first:
        parsed.reverse()
    by_account: dict[str, list[_Row]] = {}
    for item in parsed:
        if not item.account:
            raise StatementParseError(
                _("the account number is empty"), file=file, location=f"line {item.number}"
            )
        by_account.setdefault(item.account.replace(" ", ""), []).append(item)
    statements = []
    for account, items in by_account.items():
        statement = ParsedStatement(
            format=f"csv_{layout.name}",
            account=account,
            location=f"line {items[0].number}",
            lines=[item.line for item in items],
        )
        first, last = items[0], items[-1]
        if first.balance_after is not None and last.balance_after is not None:
            opening = (
                first.balance_before
                if first.balance_before is not None
                else first.balance_after - first.line.amount_cents
            )
            statement.opening_balance_cents = opening
            statement.closing_balance_cents = last.balance_after
        statement.opening_date = min(item.line.booking_date for item in items)
        statement.closing_date = max(item.line.booking_date for item in items)
        statements.append(statement)
    return statements
