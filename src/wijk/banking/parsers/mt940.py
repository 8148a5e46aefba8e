"""MT940 statements (ABN AMRO, ING, Rabobank, Triodos, ASN/SNS/RegioBank, KNAB, bunq).

The SWIFT structure is read by the `mt-940` package. A file may hold several
statements (one per day, or per account); the package merges them into one, so the
file is first cut at each `:20:` and every statement parsed on its own. The contents
of `:86:` are taken apart by our own `dutch86` module.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import mt940 as mt940_package
from django.utils.translation import gettext as _

from .base import ParsedLine, ParsedStatement, StatementParseError, clean, shared
from .dutch86 import parse_details

_ENVELOPE = re.compile(r"\{[1-3]:[^}]*\}|\{4:|-\}|\{5:[^}]*\}")
_START = re.compile(r"^:20:", re.MULTILINE)
_TRANSACTION = re.compile(r"^:61:", re.MULTILINE)
_BARE_IBAN = re.compile(r"[A-Z]{2}\d\d[A-Z]{4}\d{7,20}")
# The package's own reading of `:86:` (German "?20" subfields) is of no use here:
# `dutch86` reads it. Leaving it out saves a regex pass per line.
_PROCESSORS: dict[str, list[Any]] = {"post_transaction_details": []}


def looks_like(text: str) -> bool:
    return bool(re.search(r"^:20:", text, re.MULTILINE)) and bool(
        re.search(r"^:6[02][FM]:", text, re.MULTILINE)
    )


def _cents(amount: Any) -> int:
    return int(Decimal(amount.amount) * 100)


def _chunks(text: str) -> list[tuple[int, str]]:
    """(first line number, text) of each statement in the file."""
    starts = [m.start() for m in _START.finditer(text)]
    chunks = []
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(text)
        chunks.append((text.count("\n", 0, start) + 1, text[start:end]))
    return chunks


def _line_numbers(chunk: str, first: int) -> list[int]:
    numbers = []
    line, position = first, 0
    for match in _TRANSACTION.finditer(chunk):
        line += chunk.count("\n", position, match.start())
        position = match.start()
        numbers.append(line)
    return numbers


# Transactions handed to the package at a time: a long statement is cut into pieces
# at its `:61:` lines, each with the statement's header, so the package's objects for
# a 100,000-line statement never exist all at once (see benchmarks/).
PIECE = 2000


def _pieces(chunk: str, first_line: int) -> list[tuple[str, int, int]]:
    """(text, first line of its body, length of its header) of each piece of a statement.

    Every piece repeats the header (everything before the first `:61:`): the package
    reads the account and opening balance from it and files each `:61:` with the
    `:86:` after it exactly as in the whole statement. The last piece ends with the
    statement's closing balance and whatever follows it.
    """
    starts = [m.start() for m in _TRANSACTION.finditer(chunk)]
    if len(starts) <= PIECE:
        return [(chunk, first_line, 0)]
    header = chunk[: starts[0]]
    cuts = starts[::PIECE][1:]
    bounds = [starts[0], *cuts, len(chunk)]
    pieces = []
    line = first_line + header.count("\n")
    for begin, end in itertools.pairwise(bounds):
        pieces.append((header + chunk[begin:end], line, len(header)))
        line += chunk.count("\n", begin, end)
    return pieces


def _read(piece: str, asn: bool) -> Any:
    asnb = mt940_package.tags.StatementASNB
    tags: dict[int | str, Any] = {asnb.id: asnb()} if asn else {}
    transactions = mt940_package.models.Transactions(processors=dict(_PROCESSORS), tags=tags)
    transactions.parse(piece)
    return transactions


def _read_error(
    exc: Exception, piece: str, body_line: int, header_length: int, first_line: int, file: str
) -> StatementParseError:
    tag = exc.args[1] if len(exc.args) > 1 else None
    raw = str(exc.args[2]) if len(exc.args) > 2 else ""
    value = clean(raw)[:80]
    head = re.compile(rf"^:{re.escape(str(getattr(tag, 'id', 'none')))}[A-Z]?:", re.MULTILINE)
    # The tag with the very value the package could not read, else the tag's first place.
    first = raw.strip().split("\n")[0]
    exact = (
        re.search(head.pattern + r"[ \t]*" + re.escape(first), piece, re.MULTILINE)
        if first
        else None
    )
    found = head.match(piece, exact.start()) if exact else head.search(piece)
    field = found.group(0) if found else ""
    where = f"line {first_line}"
    if found and found.start() < header_length:
        where = f"line {first_line + piece.count(chr(10), 0, found.start())}"
    elif found:
        where = f"line {body_line + piece.count(chr(10), header_length, found.start())}"
    reason = _("cannot read %(value)r") % {"value": value} if value else clean(str(exc))[:200]
    return StatementParseError(
        _("the MT940 statement cannot be read: %(reason)s") % {"reason": reason},
        file=file,
        location=where,
        field=field,
    )


def parse(text: str, *, file: str) -> list[ParsedStatement]:
    text = _ENVELOPE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    asn = "ASNB" in text[:200] or re.search(r"^:25:NL\d\dASNB", text, re.M) is not None
    same = shared()
    statements = [
        _statement(chunk, first_line, asn, file, same) for first_line, chunk in _chunks(text)
    ]
    if not statements:
        raise StatementParseError(_("the file holds no MT940 statement (no :20:)"), file=file)
    return statements


def _statement(
    chunk: str,
    first_line: int,
    asn: bool,
    file: str,
    same: Callable[[Any], Any],
    *,
    whole: bool = False,
) -> ParsedStatement:
    where = f"line {first_line}"
    numbers = _line_numbers(chunk, first_line)
    statement: ParsedStatement | None = None
    closing: Any = None
    index = -1
    pieces = [(chunk, first_line, 0)] if whole else _pieces(chunk, first_line)
    for number, (piece, body_line, header_length) in enumerate(pieces, start=1):
        try:
            transactions = _read(piece, asn)
        except Exception as exc:  # the package raises many kinds; all mean "cannot read"
            raise _read_error(exc, piece, body_line, header_length, first_line, file) from exc
        data = transactions.data
        if statement is None:
            statement = _header(data, where, file)
        closing = data.get("final_closing_balance") or data.get("intermediate_closing_balance")
        if closing is None and number == len(pieces):
            raise StatementParseError(
                _("the closing balance (:62F:) is missing"),
                file=file,
                location=where,
                field=":62F:",
            )
        # Taken from the end of a reversed list, so each of the package's transaction
        # objects is let go as soon as its line is made.
        pending = transactions.transactions
        transactions.transactions = []
        if number < len(pieces) and pending and not pending[-1].data.get("id"):
            # The package adds a `:61:` that it cannot give a type to the transaction
            # before it; only the whole statement at once reads such a file as before.
            return _statement(chunk, first_line, asn, file, same, whole=True)
        pending.reverse()
        while pending:
            index += 1
            line_where = f"line {numbers[index]}" if index < len(numbers) else where
            statement.lines.append(_line(pending.pop().data, line_where, file, same))
        del transactions, pending
    if statement is None or closing is None:  # pragma: no cover - refused above
        raise StatementParseError(_("the statement is empty"), file=file, location=where)
    statement.closing_balance_cents = _cents(closing.amount)
    statement.closing_date = closing.date
    return statement


def _header(data: dict[str, Any], where: str, file: str) -> ParsedStatement:
    account = clean(data.get("account_identification"))
    if not account:
        raise StatementParseError(
            _("the account (:25:) is missing"), file=file, location=where, field=":25:"
        )
    opening = data.get("final_opening_balance") or data.get("intermediate_opening_balance")
    if opening is None:
        raise StatementParseError(
            _("the opening balance (:60F:) is missing"), file=file, location=where, field=":60F:"
        )
    # "NL10BUNQ2290325473 EUR" and "1291.99.348EUR": the account, then its currency.
    match = re.match(r"^(.*?)\s*(EUR|USD|GBP|CHF)$", account)
    if match and match.group(1):
        account = match.group(1)
    return ParsedStatement(
        format="mt940",
        account=account,
        currency=str(opening.amount.currency or "EUR"),
        opening_balance_cents=_cents(opening.amount),
        opening_date=opening.date,
        statement_id=clean(data.get("transaction_reference"))
        + "/"
        + clean(data.get("statement_number")),
        location=where,
    )


def _line(tx: dict[str, Any], where: str, file: str, same: Callable[[Any], Any]) -> ParsedLine:
    if tx.get("date") is None or tx.get("amount") is None:
        raise StatementParseError(
            _("the date or amount of the transaction is missing"),
            file=file,
            location=where,
            field=":61:",
        )
    details = parse_details(tx.get("transaction_details") or "")
    extra = clean(tx.get("extra_details"))
    iban = details.counterparty_iban
    if not iban and _BARE_IBAN.fullmatch(extra):
        iban = extra
    customer_reference = clean(tx.get("customer_reference"))
    if customer_reference in {"NONREF", "EREF"}:
        customer_reference = ""
    return ParsedLine(
        booking_date=same(tx.get("entry_date") or tx["date"]),
        value_date=same(tx["date"]),
        amount_cents=_cents(tx["amount"]),
        counterparty_iban=same(iban),
        counterparty_name=same(details.counterparty_name),
        description=details.description,
        end_to_end_reference=details.end_to_end_reference or customer_reference,
        bank_reference=clean(tx.get("bank_reference")),
        location=where,
    )
