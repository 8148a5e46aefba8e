"""CAMT.053 bank-to-customer statements (ISO 20022), versions 001.02, 001.04 and 001.08.

Read with a locked-down lxml parser: a document with a DTD is refused outright (so no
entity can be declared, let alone expanded), entities are never resolved, nothing is
loaded from the network or from files, and libxml2's limits on depth and size stay on.
A hostile file can neither blow up memory nor make the server open a file or a
connection. The document is then validated against the ISO schema of its namespace
(copied in `banking/data/`), so a missing or misplaced element is reported by its line
before anything is taken from it.

lxml (libxml2, in C) rather than defusedxml over the standard library and the pure
Python `xmlschema`: a 100,000-line statement parses and validates in seconds instead
of minutes (see benchmarks/bank_import_bench.py).
"""

from __future__ import annotations

import functools
import io
import re
from collections import deque
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from lxml import etree

from .base import ParsedLine, ParsedStatement, StatementParseError, clean, parse_day, shared

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "data"
NAMESPACES = {
    f"urn:iso:std:iso:20022:tech:xsd:camt.053.001.{version}": f"camt.053.001.{version}.xsd"
    for version in ("02", "04", "08")
}
_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)

Element = Any  # lxml's _Element; typed loosely, lxml ships no stubs


def looks_like(head: bytes) -> bool:
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return stripped.startswith(b"<")


# The locked-down settings, for the tree parser and for streaming alike.
_OPTIONS: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}


def _parser() -> Any:
    return etree.XMLParser(**_OPTIONS)


@functools.cache
def _schema(namespace: str) -> Any:
    document = etree.parse(str(SCHEMA_DIR / NAMESPACES[namespace]), _parser())
    return etree.XMLSchema(document)


class _Reader:
    """Finds elements by paths without the namespace ("Acct/Id/IBAN")."""

    def __init__(self, ns: str):
        self.ns = "{" + ns + "}"
        self.paths: dict[str, str] = {}  # each path with its namespace, made once

    def path(self, path: str) -> str:
        full = self.paths.get(path)
        if full is None:
            full = self.paths[path] = "/".join(self.ns + part for part in path.split("/"))
        return full

    def find(self, node: Element | None, path: str) -> Element | None:
        if node is None:
            return None
        return node.find(self.path(path))

    def text(self, node: Element | None, path: str) -> str:
        if node is None:
            return ""
        found = node.find(self.path(path))
        return clean(found.text) if found is not None else ""

    def findall(self, node: Element, path: str) -> list[Element]:
        return list(node.findall(self.path(path)))


def _syntax_error(exc: Any, file: str) -> StatementParseError:
    line = exc.lineno or 0
    if "depth" in str(exc.msg).lower():
        return StatementParseError(
            _("the XML is nested too deeply (more than 256 levels) to be a bank statement"),
            file=file,
            location=f"line {line}",
        )
    return StatementParseError(
        _("the file is not well-formed XML (%(reason)s)") % {"reason": clean(exc.msg)},
        file=file,
        location=f"line {line}",
    )


def _schema_error(error: Any, file: str) -> StatementParseError:
    message = re.sub(r"\{[^}]*\}", "", clean(error.message))
    return StatementParseError(
        _("the file does not follow the CAMT.053 schema (%(reason)s)") % {"reason": message[:200]},
        file=file,
        location=f"line {error.line}",
    )


def _namespace(data: bytes, file: str) -> str:
    """The namespace of the root element, read from the first tag only."""
    try:
        for _event, root in etree.iterparse(io.BytesIO(data), events=("start",), **_OPTIONS):
            tag = root.tag if isinstance(root.tag, str) else ""
            return tag[1:].split("}")[0] if tag.startswith("{") else ""
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(exc, file) from exc
    raise StatementParseError(
        _("the file is not well-formed XML (%(reason)s)") % {"reason": "no element"}, file=file
    )


def _whole_file_problem(data: bytes, namespace: str, file: str) -> StatementParseError | None:
    """What is wrong with the file as XML or against the schema, located by its line.

    Validating while streaming tells what is wrong but not on which line, and may
    hand over an entry before finding it invalid. So a file that the stream refuses
    is read again as a whole tree (as big as the file, once) to say where, and the
    XML or schema fault comes first, as it would had the file been checked before
    reading it. A valid file never takes this path.
    """
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        return _syntax_error(exc, file)
    schema = _schema(namespace)
    if not schema.validate(root):
        return _schema_error(schema.error_log.filter_from_errors()[0], file)
    return None


def parse(data: bytes, *, file: str) -> list[ParsedStatement]:
    """Every statement in the file, streamed: each `Ntry` is read, then let go.

    The file is checked against the schema of its namespace while it streams, so a
    100,000-line statement never stands in memory as a whole tree (lxml's tree of
    such a file is ten times its size); nothing is written before the whole file
    has been read and found valid.
    """
    match = _DOCTYPE.search(data[:4096]) or _DOCTYPE.search(data)
    if match:
        line = data.count(b"\n", 0, match.start()) + 1
        raise StatementParseError(
            _("the XML file declares a DTD or entities, which are refused for safety"),
            file=file,
            location=f"line {line}",
        )
    namespace = _namespace(data, file)
    if namespace not in NAMESPACES:
        try:  # a broken file is reported as broken first, whatever its namespace
            etree.fromstring(data, _parser())
        except etree.XMLSyntaxError as exc:
            raise _syntax_error(exc, file) from exc
        raise StatementParseError(
            _(
                "this XML is not a CAMT.053 statement of version 001.02, 001.04 or 001.08 "
                "(namespace %(namespace)r)"
            )
            % {"namespace": namespace or "none"},
            file=file,
            location="Document",
        )
    r = _Reader(namespace)
    same = shared()
    stmt_tag, entry_tag = r.ns + "Stmt", r.ns + "Ntry"
    statements: list[ParsedStatement] = []
    lines: list[ParsedLine] = []
    events = etree.iterparse(
        io.BytesIO(data),
        events=("end",),
        tag=(stmt_tag, entry_tag),
        schema=_schema(namespace),
        **_OPTIONS,
    )
    try:
        for _event, element in events:
            parent = element.getparent()
            if parent is None:
                continue
            if element.tag == entry_tag and parent.tag == stmt_tag:
                where = f"Stmt[{len(statements) + 1}]/Ntry[{len(lines) + 1}]"
                entry = _entry(r, element, where, file, same)
                lines.append(entry if entry is not None else _SKIPPED)
                _let_go(element, entry_tag)
            elif element.tag == stmt_tag and parent.tag == r.ns + "BkToCstmrStmt":
                statement = _statement(r, element, len(statements) + 1, file)
                statement.lines = [line for line in lines if line is not _SKIPPED]
                statements.append(statement)
                lines = []
                element.clear()
    except etree.XMLSyntaxError as exc:
        if not exc.error_log.filter_domains([etree.ErrorDomains.SCHEMASV]):
            raise _syntax_error(exc, file) from exc
        located = _whole_file_problem(data, namespace, file)
        if located is not None:
            raise located from exc
        message = re.sub(r"\{[^}]*\}", "", clean(exc.msg))
        raise StatementParseError(
            _("the file does not follow the CAMT.053 schema (%(reason)s)")
            % {"reason": message[:200]},
            file=file,
        ) from exc
    except StatementParseError as own:
        raise (_whole_file_problem(data, namespace, file) or own) from own
    if events.root is not None and events.root.getroottree().docinfo.doctype:
        raise StatementParseError(
            _("the XML file declares a DTD, which is refused for safety"), file=file
        )
    return statements


def _let_go(element: Element, tag: str) -> None:
    """Free an entry that has been read, and the one before it (already emptied)."""
    element.clear(keep_tail=False)
    previous = element.getprevious()
    if previous is not None and previous.tag == tag:
        element.getparent().remove(previous)


def _amount(r: _Reader, node: Element, where: str, file: str) -> tuple[int, str]:
    amount_node = r.find(node, "Amt")
    try:
        value = Decimal((amount_node.text or "") if amount_node is not None else "")
    except InvalidOperation as exc:
        raise StatementParseError(
            _("not an amount"), file=file, location=where, field="Amt"
        ) from exc
    sign = -1 if r.text(node, "CdtDbtInd") == "DBIT" else 1
    currency = amount_node.get("Ccy", "") if amount_node is not None else ""
    return sign * int(value * 100), currency


def _day(r: _Reader, node: Element | None, path: str, where: str, file: str) -> Any:
    return _to_day(
        r.text(node, path + "/Dt") or r.text(node, path + "/DtTm")[:10], path, where, file
    )


def _to_day(text: str, path: str, where: str, file: str) -> date | None:
    if not text:
        return None
    day = _DAYS.get(text)  # a statement has a few hundred days over many entries
    if day is None:
        try:
            day = parse_day(text, "%Y-%m-%d")
        except ValueError as exc:
            raise StatementParseError(str(exc), file=file, location=where, field=path) from exc
        if len(_DAYS) < 10_000:
            _DAYS[text] = day
    return day


_DAYS: dict[str, date] = {}


def _statement(r: _Reader, stmt: Element, index: int, file: str) -> ParsedStatement:
    where = f"Stmt[{index}]"
    account = r.text(stmt, "Acct/Id/IBAN") or r.text(stmt, "Acct/Id/Othr/Id")
    statement = ParsedStatement(
        format="camt053",
        account=account,
        currency=r.text(stmt, "Acct/Ccy") or "EUR",
        statement_id=r.text(stmt, "Id"),
        location=where,
    )
    for b_index, balance in enumerate(r.findall(stmt, "Bal"), start=1):
        code = r.text(balance, "Tp/CdOrPrtry/Cd")
        b_where = f"{where}/Bal[{b_index}]"
        cents, _currency = _amount(r, balance, b_where, file)
        day = _day(r, balance, "Dt", b_where, file)
        if code in {"OPBD", "PRCD"} and statement.opening_balance_cents is None:
            statement.opening_balance_cents, statement.opening_date = cents, day
        elif code == "CLBD":
            statement.closing_balance_cents, statement.closing_date = cents, day
    if statement.opening_balance_cents is None or statement.closing_balance_cents is None:
        raise StatementParseError(
            _("the opening (OPBD) or closing (CLBD) balance is missing"),
            file=file,
            location=where,
            field="Bal",
        )
    return statement


# An entry that is not booked yet (pending, information only): counted for the
# numbering of entries in error messages, never imported.
_SKIPPED = ParsedLine(booking_date=date.min, amount_cents=0)


def _paths(r: _Reader, node: Element) -> dict[str, list[Element]]:
    """Every element under `node` by its path ("RltdPties/Dbtr/Nm"), in document order.

    One walk over an entry instead of a search per field: an entry has some twenty
    elements, and lxml's `find` parses its path on every call.
    """
    ns, cut = r.ns, len(r.ns)
    found: dict[str, list[Element]] = {}
    queue: deque[tuple[Element, str]] = deque([(node, "")])
    while queue:  # breadth first: elements of one path come in document order
        parent, prefix = queue.popleft()
        for child in parent:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            path = prefix + (tag[cut:] if tag.startswith(ns) else tag)
            found.setdefault(path, []).append(child)
            if len(child):
                queue.append((child, path + "/"))
    return found


def _entry(
    r: _Reader, entry: Element, where: str, file: str, same: Callable[[str], str]
) -> ParsedLine | None:
    paths = _paths(r, entry)

    def text(path: str) -> str:
        found = paths.get(path)
        return clean(found[0].text) if found else ""

    status = text("Sts") or text("Sts/Cd")
    if status and status not in {"BOOK"}:
        return None  # pending or information-only entries are not on the books yet
    amount_nodes = paths.get("Amt")
    try:
        value = Decimal((amount_nodes[0].text or "") if amount_nodes else "")
    except InvalidOperation as exc:
        raise StatementParseError(
            _("not an amount"), file=file, location=where, field="Amt"
        ) from exc
    cents = (-1 if text("CdtDbtInd") == "DBIT" else 1) * int(value * 100)

    def day(path: str) -> date | None:
        return _to_day(text(path + "/Dt") or text(path + "/DtTm")[:10], path, where, file)

    booking = day("BookgDt")
    if booking is None:
        raise StatementParseError(
            _("the booking date is missing"), file=file, location=where, field="BookgDt"
        )
    # The counterparty and references only when the entry holds one transaction.
    one = len(paths.get("NtryDtls/TxDtls", ())) == 1
    tx = "NtryDtls/TxDtls/" if one else "\x00"  # no path starts with NUL

    party = "Dbtr" if cents > 0 else "Cdtr"
    name = text(f"{tx}RltdPties/{party}/Nm") or text(f"{tx}RltdPties/{party}/Pty/Nm")
    iban = text(f"{tx}RltdPties/{party}Acct/Id/IBAN")
    remittance = " ".join(clean(node.text) for node in paths.get(f"{tx}RmtInf/Ustrd", ())) or text(
        f"{tx}RmtInf/Strd/CdtrRefInf/Ref"
    )
    description = clean(remittance or text("AddtlNtryInf"))
    end_to_end = text(f"{tx}Refs/EndToEndId")
    return ParsedLine(
        booking_date=booking,
        value_date=day("ValDt"),
        amount_cents=cents,
        counterparty_iban=same(iban),
        counterparty_name=same(name),
        description=description,
        end_to_end_reference="" if end_to_end == "NOTPROVIDED" else end_to_end,
        bank_reference=text("AcctSvcrRef") or text(f"{tx}Refs/AcctSvcrRef"),
        location=where,
    )
