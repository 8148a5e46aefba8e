"""History from another package: reading an XML Auditfile Financieel 3.2 (XAF) into the books.

Reading (`xaf_read`) is safe and strict:

- at most `MAX_BYTES`; a file that is not XML (a PNG, a PDF, a CSV) is named for what it is;
- the text must be in the encoding the XML declaration names (UTF-8 when it names none);
  a mis-encoded byte is reported with its line and column;
- parsed with defusedxml: no DTD, no entities, no network;
- then the parts we import are checked against the rules of the XAF 3.2 schema
  (`XmlAuditfileFinancieel3.2.xsd`): the namespace, the required fields, dates,
  amounts with at most two decimals, D or C, the account and journal types, every
  line's account present in the general ledger, every account and journal id once.
  A violation refuses the file, naming the line in the file, the element and the
  field. One violation is tolerated: a negative quantity (`qntity`, which the
  schema wants non-negative; Exact Online writes them). Quantities are not imported,
  so it only gives a warning. Every transaction must balance; one that does not is
  named by journal and number.

Importing (`xaf_import`) happens in one transaction, all or nothing:

1. the organisation without a chart gets the template (`services.ledger_setup`);
2. each account of the file is mapped to one of ours: by number when the name or the
   RGS code agrees, then by RGS code (the file's `leadCode` or `leadReference`), then
   by name; otherwise a new account is made with `services.account_create`, its type
   and category taken from the template account with the closest RGS code (or, without
   one, from the account type and balance in the file), numbered inside that
   category's group of the template;
3. missing fiscal years are opened (`services.fiscal_year_create`);
4. the file's opening balance becomes the year's opening entry when the year has
   none and the books hold nothing earlier;
5. each transaction becomes a draft in the journal of the matching kind (XAF journal
   type B bank, C cash, S sales, P purchases, anything else general), with the source
   journal and number in the reference, all created by `services.journal_entries_create`;
   the drafts are posted in batches by `services.journal_entries_post`.

The file's SHA-256 is recorded: the same file a second time is refused, and every
source transaction is recorded once (`ImportedTransaction`), so a later, overlapping
file adds only what is new.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import filetype
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wijk.accounts.models import User
from wijk.core.models import audit_record
from wijk.organisations.models import Organisation

from . import services
from .imports import opening_entry_problem
from .models import (
    Account,
    AccountType,
    FiscalYear,
    ImportedTransaction,
    Journal,
    JournalEntry,
    LedgerImport,
    PeriodLock,
)
from .money import format_cents
from .xaf import NAMESPACE, SOFTWARE_DESCRIPTION

MAX_BYTES = 50 * 1024 * 1024
MAX_ERRORS = 20
BATCH_SIZE = 500

ACCOUNT_TYPES = frozenset({"B", "M", "P"})
JOURNAL_TYPES = frozenset({"B", "C", "G", "M", "O", "P", "S", "T", "Y", "Z"})
JOURNAL_KINDS: dict[str, str] = {
    "B": Journal.Kind.BANK,
    "C": Journal.Kind.CASH,
    "S": Journal.Kind.SALES,
    "P": Journal.Kind.PURCHASES,
}
_AMOUNT = re.compile(r"^-?\d{1,18}(\.\d{1,2})?$")
_INTEGER = re.compile(r"^[+-]?\d+$")
_RGS_CODE = re.compile(r"^[BW][A-Z][a-z]{2}[A-Za-z]*$")
_RGS_REFERENCE = re.compile(r"^\d{5,}$")
_ENCODING = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
# RGS main sections to our types and categories, for accounts the template lacks.
RGS_SECTIONS: dict[str, tuple[str, str]] = {
    "BIva": (AccountType.ASSET, "fixed_assets"),
    "BMva": (AccountType.ASSET, "fixed_assets"),
    "BFva": (AccountType.ASSET, "fixed_assets"),
    "BVrd": (AccountType.ASSET, "current_assets"),
    "BVor": (AccountType.ASSET, "current_assets"),
    "BEff": (AccountType.ASSET, "current_assets"),
    "BLim": (AccountType.ASSET, "cash"),
    "BEiv": (AccountType.EQUITY, "general_reserve"),
    "BVrz": (AccountType.LIABILITY, "provisions"),
    "BLas": (AccountType.LIABILITY, "long_term_liabilities"),
    "BSch": (AccountType.LIABILITY, "current_liabilities"),
    "WOmz": (AccountType.INCOME, "trading"),
    "WOvb": (AccountType.INCOME, "other_income"),
    "WKpr": (AccountType.EXPENSE, "activities"),
    "WPer": (AccountType.EXPENSE, "staff"),
    "WAfs": (AccountType.EXPENSE, "depreciation"),
    "WWvb": (AccountType.EXPENSE, "depreciation"),
    "WBed": (AccountType.EXPENSE, "overhead"),
    "WFbe": (AccountType.EXPENSE, "financial"),
    "WBel": (AccountType.EXPENSE, "overhead"),
}


# --- reading -------------------------------------------------------------------------


@dataclass(frozen=True)
class XafLine:
    account_id: str
    debit_cents: int
    credit_cents: int
    description: str
    line: int


@dataclass(frozen=True)
class XafTransaction:
    number: str
    description: str
    day: date
    lines: list[XafLine]
    line: int


@dataclass(frozen=True)
class XafJournal:
    journal_id: str
    description: str
    journal_type: str
    transactions: list[XafTransaction]


@dataclass(frozen=True)
class XafAccount:
    account_id: str
    description: str
    account_type: str
    rgs_codes: tuple[str, ...]
    line: int


@dataclass
class XafDocument:
    file_name: str
    sha256: str
    software: str
    fiscal_year: str
    start_date: date
    end_date: date
    company: str
    accounts: list[XafAccount]
    journals: list[XafJournal]
    opening_date: date | None = None
    opening: list[XafLine] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def transaction_count(self) -> int:
        return sum(len(journal.transactions) for journal in self.journals)


# Elements whose line messages name; the others are not remembered (memory).
LOCATED = frozenset(
    {
        "auditfile",
        "header",
        "company",
        "ledgerAccount",
        "openingBalance",
        "obLine",
        "journal",
        "transaction",
        "trLine",
        "qntity",
    }
)


class _Parser(DefusedXMLParser):
    """defusedxml's parser that remembers the line of the elements messages name."""

    def __init__(self) -> None:
        super().__init__(forbid_dtd=True, forbid_entities=True, forbid_external=True)
        self.lines: dict[Element, int] = {}

    def _start(self, tag: str, attr_list: Any) -> Element:
        element: Element = super()._start(tag, attr_list)
        if tag.rpartition("}")[2] in LOCATED:
            self.lines[element] = self.parser.CurrentLineNumber
        return element


def _refuse(file_name: str, messages: list[str]) -> ValidationError:
    if len(messages) > MAX_ERRORS:
        rest = len(messages) - MAX_ERRORS
        messages = messages[:MAX_ERRORS] + [_("… and %(count)s more problems.") % {"count": rest}]
    return ValidationError([ValidationError(f"{file_name}: {message}") for message in messages])


def _check_bytes(file_name: str, data: bytes) -> None:
    if len(data) > MAX_BYTES:
        raise _refuse(
            file_name,
            [
                _("the file is larger than %(limit)s MB. Export one fiscal year at a time.")
                % {"limit": MAX_BYTES // (1024 * 1024)}
            ],
        )
    if not data.strip():
        raise _refuse(file_name, [_("the file is empty.")])
    kind = filetype.guess(data)
    if kind is not None:
        raise _refuse(
            file_name,
            [
                _(
                    "this is a %(type)s file, not an audit file. Export the books from your "
                    "package as “XML Auditfile Financieel 3.2” (XAF) and upload that file."
                )
                % {"type": kind.extension.upper()}
            ],
        )
    start = data.lstrip(b"\xef\xbb\xbf").lstrip()
    if start[:2] in (b"\xff\xfe", b"\xfe\xff") or data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return  # UTF-16 with a byte order mark: expat reads it
    if not start.startswith(b"<"):
        raise _refuse(
            file_name,
            [
                _(
                    "this is not XML (an audit file starts with “<?xml”); it looks like "
                    "plain text or CSV. Export the books as “XML Auditfile Financieel 3.2” "
                    "(XAF) and upload that file."
                )
            ],
        )
    declared = _ENCODING.match(start)
    encoding = declared.group(1).decode("ascii").lower() if declared else "utf-8"
    if encoding.replace("-", "").replace("_", "") in ("utf8", "usascii", "ascii"):
        try:
            data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            before = data[: exc.start]
            line = before.count(b"\n") + 1
            column = len(before) - (before.rfind(b"\n") + 1) + 1
            raise _refuse(
                file_name,
                [
                    _(
                        "line %(line)s, column %(column)s: the file says it is %(encoding)s "
                        "but this byte is not (the file was probably saved as Windows-1252 "
                        "or Latin-1). Export the file again, or save it as UTF-8."
                    )
                    % {"line": line, "column": column, "encoding": encoding.upper()}
                ],
            ) from exc


def _parse(file_name: str, data: bytes) -> tuple[Element, dict[Element, int]]:
    parser = _Parser()
    try:
        parser.feed(data)
        root: Element = parser.close()
    except ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(":")[0]
        raise _refuse(
            file_name,
            [
                _(
                    "line %(line)s, column %(column)s: the XML is malformed (%(reason)s). "
                    "The file is damaged or incomplete; export it again."
                )
                % {"line": line, "column": column + 1, "reason": reason}
            ],
        ) from exc
    except DefusedXmlException as exc:
        raise _refuse(
            file_name,
            [
                _(
                    "the file holds a document type definition or entities (%(kind)s), "
                    "which an audit file never needs; it is refused for safety."
                )
                % {"kind": exc.__class__.__name__}
            ],
        ) from exc
    except LookupError as exc:  # an encoding name expat does not know
        raise _refuse(
            file_name,
            [_("unknown encoding: %(reason)s. Export the file as UTF-8.") % {"reason": exc}],
        ) from exc
    return root, parser.lines


class _Reader:
    """Walks the parsed tree, collecting located errors instead of stopping at the first."""

    def __init__(self, file_name: str, lines: dict[Element, int]) -> None:
        self.file_name = file_name
        self.lines = lines
        self.errors: list[str] = []
        self.negative_quantities: list[int] = []

    def error(self, element: Element, name: str, message: str) -> None:
        self.errors.append(
            _("line %(line)s, element %(element)s: %(message)s")
            % {"line": self.lines.get(element, "?"), "element": name, "message": message}
        )

    def children(self, element: Element, name: str) -> Iterator[Element]:
        yield from element.iterfind(f"{{{NAMESPACE}}}{name}")

    def child(self, element: Element, name: str) -> Element | None:
        return element.find(f"{{{NAMESPACE}}}{name}")

    def text(
        self, element: Element, parent: str, name: str, *, required: bool = True, limit: int = 999
    ) -> str:
        found = self.child(element, name)
        value = (found.text or "").strip() if found is not None else ""
        if found is None and required:
            self.error(
                element,
                parent,
                _("the field %(field)s is missing; the XAF 3.2 schema requires it.")
                % {"field": name},
            )
        elif len(value) > limit:
            self.error(
                found if found is not None else element,
                parent,
                _("the field %(field)s is longer than %(limit)s characters.")
                % {"field": name, "limit": limit},
            )
        return value

    def date(self, element: Element, parent: str, name: str) -> date | None:
        value = self.text(element, parent, name)
        if not value:
            if self.child(element, name) is not None:
                self.error(element, parent, _("the field %(field)s is empty.") % {"field": name})
            return None
        try:
            return date.fromisoformat(value[:10] if len(value) > 10 else value)
        except ValueError:
            self.error(
                element,
                parent,
                _("the field %(field)s holds “%(value)s”, not a date such as 2026-03-31.")
                % {"field": name, "value": value[:40]},
            )
            return None

    def amount(self, element: Element, parent: str, name: str) -> int | None:
        value = self.text(element, parent, name)
        if not value:
            return None
        if not _AMOUNT.match(value):
            self.error(
                element,
                parent,
                _(
                    "the field %(field)s holds “%(value)s”, not an amount as XAF writes it "
                    "(such as 1234.56: a point, at most two decimals)."
                )
                % {"field": name, "value": value[:40]},
            )
            return None
        return int(Decimal(value) * 100)

    def choice(self, element: Element, parent: str, name: str, allowed: frozenset[str]) -> str:
        value = self.text(element, parent, name)
        if value and value not in allowed:
            self.error(
                element,
                parent,
                _("the field %(field)s holds “%(value)s”; the schema allows %(allowed)s.")
                % {"field": name, "value": value[:10], "allowed": ", ".join(sorted(allowed))},
            )
        return value

    def quantities(self, element: Element, parent: str) -> None:
        for quantity in self.children(element, "qntity"):
            value = (quantity.text or "").strip()
            if not _INTEGER.match(value):
                self.error(
                    quantity,
                    parent,
                    _("the field qntity holds “%(value)s”, not a whole number.")
                    % {"value": value[:20]},
                )
            elif int(value) < 0:
                self.negative_quantities.append(self.lines.get(quantity, 0))

    def line(self, element: Element, parent: str) -> XafLine | None:
        account_id = self.text(element, parent, "accID", limit=35)
        cents = self.amount(element, parent, "amnt")
        side = self.choice(element, parent, "amntTp", frozenset({"D", "C"}))
        self.quantities(element, parent)
        if not account_id or cents is None or side not in ("D", "C"):
            return None
        if cents < 0:  # a negative amount is the other side
            cents, side = -cents, "C" if side == "D" else "D"
        return XafLine(
            account_id=account_id,
            debit_cents=cents if side == "D" else 0,
            credit_cents=cents if side == "C" else 0,
            description=self.text(element, parent, "desc", required=False)[:255],
            line=self.lines.get(element, 0),
        )


def xaf_read(*, file_name: str, data: bytes) -> XafDocument:
    """Read and check an XAF 3.2 file. Writes nothing; raises located errors."""
    _check_bytes(file_name, data)
    root, lines = _parse(file_name, data)
    if root.tag != f"{{{NAMESPACE}}}auditfile":
        namespace = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
        version = namespace.rsplit("/", 1)[-1] if namespace else ""
        if "auditfiles.nl" in namespace or "auditfile" in root.tag.lower():
            message = _(
                "this is an audit file of version %(version)s; only XAF 3.2 can be read. "
                "Export the books as “XML Auditfile Financieel 3.2”."
            ) % {"version": version or "?"}
        else:
            message = _(
                "this XML is not an audit file (its root element is %(root)s, not auditfile "
                "in the XAF 3.2 namespace)."
            ) % {"root": root.tag.split("}")[-1]}
        raise _refuse(file_name, [message])
    reader = _Reader(file_name, lines)
    header = reader.child(root, "header")
    company = reader.child(root, "company")
    if header is None or company is None:
        raise _refuse(
            file_name,
            [_("line 1: the file lacks its header or company part; export it again.")],
        )
    fiscal_year = reader.text(header, "header", "fiscalYear", limit=9)
    start = reader.date(header, "header", "startDate")
    end = reader.date(header, "header", "endDate")
    currency = reader.text(header, "header", "curCode")
    if currency and currency != "EUR":
        reader.error(
            header,
            "header",
            _("the books are kept in %(currency)s; only EUR can be imported.")
            % {"currency": currency[:3]},
        )
    software = reader.text(header, "header", "softwareDesc", required=False)
    company_name = reader.text(company, "company", "companyName")
    company_ident = reader.text(company, "company", "companyIdent", required=False)

    accounts: list[XafAccount] = []
    seen_accounts: set[str] = set()
    for element in company.iterfind(f"{{{NAMESPACE}}}generalLedger/{{{NAMESPACE}}}ledgerAccount"):
        account_id = reader.text(element, "ledgerAccount", "accID", limit=35)
        description = reader.text(element, "ledgerAccount", "accDesc")
        account_type = reader.choice(element, "ledgerAccount", "accTp", ACCOUNT_TYPES)
        if account_id in seen_accounts:
            reader.error(
                element,
                "ledgerAccount",
                _("the account %(id)s appears twice in the general ledger.") % {"id": account_id},
            )
        seen_accounts.add(account_id)
        codes = tuple(
            value
            for value in (
                reader.text(element, "ledgerAccount", "leadCode", required=False),
                reader.text(element, "ledgerAccount", "leadReference", required=False),
            )
            if value
        )
        if account_id:
            accounts.append(
                XafAccount(account_id, description, account_type, codes, lines.get(element, 0))
            )

    opening: list[XafLine] = []
    opening_date: date | None = None
    opening_element = reader.child(company, "openingBalance")
    if opening_element is not None:
        opening_date = reader.date(opening_element, "openingBalance", "opBalDate")
        for element in reader.children(opening_element, "obLine"):
            parsed = reader.line(element, "obLine")
            if parsed is not None:
                opening.append(parsed)

    journals: list[XafJournal] = []
    seen_journals: set[str] = set()
    for element in company.iterfind(f"{{{NAMESPACE}}}transactions/{{{NAMESPACE}}}journal"):
        journal_id = reader.text(element, "journal", "jrnID", limit=35)
        description = reader.text(element, "journal", "desc")
        journal_type = reader.choice(element, "journal", "jrnTp", JOURNAL_TYPES)
        if journal_id in seen_journals:
            reader.error(
                element, "journal", _("the journal %(id)s appears twice.") % {"id": journal_id}
            )
        seen_journals.add(journal_id)
        transactions: list[XafTransaction] = []
        seen_numbers: set[str] = set()
        for node in reader.children(element, "transaction"):
            number = reader.text(node, "transaction", "nr", limit=35)
            day = reader.date(node, "transaction", "trDt")
            if number in seen_numbers:
                reader.error(
                    node,
                    "transaction",
                    _("transaction %(nr)s appears twice in journal %(journal)s.")
                    % {"nr": number, "journal": journal_id},
                )
            seen_numbers.add(number)
            transaction_lines = [
                parsed
                for parsed in (
                    reader.line(line, "trLine") for line in reader.children(node, "trLine")
                )
                if parsed is not None
            ]
            if number and day is not None:
                transactions.append(
                    XafTransaction(
                        number=number,
                        description=reader.text(node, "transaction", "desc", required=False),
                        day=day,
                        lines=transaction_lines,
                        line=lines.get(node, 0),
                    )
                )
        journals.append(XafJournal(journal_id, description, journal_type, transactions))

    # The schema's keyref: every line's account is in the general ledger.
    for journal in journals:
        for item in journal.transactions:
            for parsed in item.lines:
                if parsed.account_id not in seen_accounts:
                    reader.errors.append(
                        _(
                            "line %(line)s, element trLine, field accID: the account "
                            "%(id)s is not in the general ledger of the file."
                        )
                        % {"line": parsed.line, "id": parsed.account_id}
                    )
    for parsed in opening:
        if parsed.account_id not in seen_accounts:
            reader.errors.append(
                _(
                    "line %(line)s, element obLine, field accID: the account %(id)s is not "
                    "in the general ledger of the file."
                )
                % {"line": parsed.line, "id": parsed.account_id}
            )
    if reader.errors:
        raise _refuse(file_name, reader.errors)

    # Every transaction balances.
    unbalanced: list[str] = []
    for journal in journals:
        for item in journal.transactions:
            debit = sum(line.debit_cents for line in item.lines)
            credit = sum(line.credit_cents for line in item.lines)
            if debit != credit:
                unbalanced.append(
                    _(
                        "line %(line)s: transaction %(nr)s in journal %(journal)s does not "
                        "balance: debit %(debit)s, credit %(credit)s, difference "
                        "%(difference)s. Correct it in the other package and export again."
                    )
                    % {
                        "line": item.line,
                        "nr": item.number,
                        "journal": journal.journal_id,
                        "debit": format_cents(debit),
                        "credit": format_cents(credit),
                        "difference": format_cents(debit - credit),
                    }
                )
    opening_debit = sum(line.debit_cents for line in opening)
    opening_credit = sum(line.credit_cents for line in opening)
    if opening_debit != opening_credit:
        unbalanced.append(
            _(
                "the opening balance does not balance: debit %(debit)s, credit %(credit)s. "
                "Correct it in the other package and export again."
            )
            % {"debit": format_cents(opening_debit), "credit": format_cents(opening_credit)}
        )
    if unbalanced:
        raise _refuse(file_name, unbalanced)
    if start is None or end is None:  # reported above; keeps the type checker sure
        raise _refuse(file_name, [_("the header lacks its dates.")])

    warnings: list[str] = []
    if reader.negative_quantities:
        warnings.append(
            _(
                "%(count)s lines carry a negative quantity (qntity, first at line %(line)s), "
                "which the XAF 3.2 schema does not allow. Quantities are not imported, so "
                "the amounts are not affected."
            )
            % {"count": len(reader.negative_quantities), "line": reader.negative_quantities[0]}
        )
    return XafDocument(
        file_name=file_name,
        sha256=hashlib.sha256(data).hexdigest(),
        software=software,
        fiscal_year=fiscal_year,
        start_date=start,
        end_date=end,
        company=company_ident or company_name,
        accounts=accounts,
        journals=journals,
        opening_date=opening_date,
        opening=opening,
        warnings=warnings,
    )


# --- importing -----------------------------------------------------------------------


@dataclass
class XafImportResult:
    file_name: str
    dry_run: bool = False
    entries: int = 0
    lines: int = 0
    already_imported: int = 0
    skipped_empty: int = 0
    opening_posted: bool = False
    chart_installed: bool = False
    accounts_created: list[tuple[str, str, str]] = field(default_factory=list)
    accounts_mapped: list[tuple[str, str, str, str]] = field(default_factory=list)
    years_created: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _normal(text: str) -> str:
    return " ".join(text.lower().split())


def _balances(document: XafDocument) -> dict[str, int]:
    """Debit minus credit per account of the file, over all its lines."""
    result: dict[str, int] = defaultdict(int)
    for journal in document.journals:
        for item in journal.transactions:
            for line in item.lines:
                result[line.account_id] += line.debit_cents - line.credit_cents
    for line in document.opening:
        result[line.account_id] += line.debit_cents - line.credit_cents
    return result


class _Chart:
    """Our accounts, indexed for matching the file's accounts."""

    def __init__(self, organisation: Organisation) -> None:
        self.accounts = list(
            Account.objects.filter(organisation=organisation).order_by("-is_active", "number")
        )
        self.by_number = {a.number: a for a in self.accounts}
        self.by_rgs: dict[str, list[Account]] = defaultdict(list)
        self.by_reference: dict[str, list[Account]] = defaultdict(list)
        self.by_name: dict[str, list[Account]] = defaultdict(list)
        for account in self.accounts:
            self.add(account)
        self.template = services._template_rows()

    def add(self, account: Account) -> None:
        self.by_number[account.number] = account
        if not account.is_active:  # kept for its number, never matched
            return
        if account.rgs_code:
            self.by_rgs[account.rgs_code.lower()].append(account)
        if account.rgs_reference:
            self.by_reference[account.rgs_reference].append(account)
        for name in (account.name_nl, account.name_en):
            self.by_name[_normal(name)].append(account)

    @staticmethod
    def _side_fits(account: Account, account_type: str) -> bool:
        if account_type == "B":
            return account.is_balance_sheet
        if account_type == "P":
            return not account.is_balance_sheet
        return True

    def match(self, source: XafAccount) -> tuple[Account, str] | None:
        rgs = [code for code in source.rgs_codes if _RGS_CODE.match(code)]
        references = [code for code in source.rgs_codes if _RGS_REFERENCE.match(code)]
        name = _normal(source.description)
        own = self.by_number.get(source.account_id)
        if own is not None and own.is_active and self._side_fits(own, source.account_type):
            same_code = bool(rgs) and own.rgs_code.lower() in {c.lower() for c in rgs}
            same_name = name in (_normal(own.name_nl), _normal(own.name_en))
            if same_code or same_name:
                return own, _("number")
        for code in rgs:
            candidates = self.by_rgs.get(code.lower(), [])
            if candidates:
                named = [a for a in candidates if name in (_normal(a.name_nl), _normal(a.name_en))]
                return (named or candidates)[0], _("RGS code")
        for code in references:
            candidates = self.by_reference.get(code, [])
            if candidates:
                return candidates[0], _("RGS code")
        fitting = [a for a in self.by_name.get(name, []) if self._side_fits(a, source.account_type)]
        if fitting:
            return fitting[0], _("name")
        return None

    def kind_for(self, source: XafAccount, balance: int) -> tuple[str, str, str, str]:
        """(type, category, rgs code, rgs reference) for a new account."""
        rgs = next((code for code in source.rgs_codes if _RGS_CODE.match(code)), "")
        if rgs:
            best: dict[str, str] | None = None
            best_length = 0
            for row in self.template:
                length = len(_common_prefix(row["rgs_code"], rgs))
                if length > best_length:
                    best, best_length = row, length
            if best is not None and best_length >= 7:
                return best["type"], best["category"], rgs, ""
            section = RGS_SECTIONS.get(rgs[:4])
            if section is not None:
                return section[0], section[1], rgs, ""
        debit = balance >= 0
        if source.account_type == "B" or (source.account_type != "P" and rgs.startswith("B")):
            if debit:
                return AccountType.ASSET, "current_assets", rgs, ""
            return AccountType.LIABILITY, "current_liabilities", rgs, ""
        if debit:
            return AccountType.EXPENSE, "overhead", rgs, ""
        return AccountType.INCOME, "other_income", rgs, ""

    def free_number(self, source: XafAccount, category: str) -> str:
        blocks = sorted(
            {int(row["number"]) // 100 for row in self.template if row["category"] == category}
        )
        wanted = source.account_id
        if (
            wanted.isdigit()
            and len(wanted) == 4
            and int(wanted) // 100 in blocks
            and wanted not in self.by_number
        ):
            return wanted
        for block in blocks:
            used = [int(n) for n in self.by_number if n.isdigit() and int(n) // 100 == block]
            for candidate in range(max(used, default=block * 100 - 1) + 1, block * 100 + 100):
                if f"{candidate:04d}" not in self.by_number:
                    return f"{candidate:04d}"
        for block in blocks:
            for candidate in range(block * 100, block * 100 + 100):
                if f"{candidate:04d}" not in self.by_number:
                    return f"{candidate:04d}"
        raise ValidationError(
            _(
                "There is no free account number left for %(id)s %(name)s in its group of "
                "the chart of accounts."
            )
            % {"id": source.account_id, "name": source.description}
        )


def _common_prefix(first: str, second: str) -> str:
    length = 0
    for a, b in zip(first, second, strict=False):
        if a != b:
            break
        length += 1
    return first[:length]


def _year_start(organisation: Organisation, day: date) -> int:
    month = organisation.fiscal_year_start_month
    return day.year if day.month >= month else day.year - 1


@transaction.atomic
def xaf_import(
    *,
    organisation: Organisation,
    document: XafDocument,
    actor: User | None,
    dry_run: bool = False,
) -> XafImportResult:
    """Bring a read XAF file into the books, all or nothing (see the module's docstring).

    With `dry_run` everything is done and checked, then rolled back: the result says
    what an import would do.
    """
    result = XafImportResult(file_name=document.file_name, dry_run=dry_run)
    result.warnings = list(document.warnings)
    previous = LedgerImport.objects.filter(
        organisation=organisation, kind=LedgerImport.Kind.XAF, sha256=document.sha256
    ).first()
    if previous is not None:
        raise ValidationError(
            _("%(file)s was already imported on %(date)s. Nothing was added.")
            % {"file": previous.file_name, "date": previous.created_at.strftime("%d-%m-%Y")}
        )

    # Our own export of these same books would count every entry twice.
    own_export = document.software == SOFTWARE_DESCRIPTION and document.company in {
        organisation.kvk_number,
        organisation.name,
    }
    if (
        own_export
        and JournalEntry.objects.filter(
            organisation=organisation,
            status=JournalEntry.Status.POSTED,
            date__gte=document.start_date,
            date__lte=document.end_date,
        ).exists()
    ):
        raise ValidationError(
            _(
                "%(file)s is an export of these same books (%(company)s, fiscal year "
                "%(year)s); importing it would count every entry twice. Nothing was added."
            )
            % {
                "file": document.file_name,
                "company": document.company,
                "year": document.fiscal_year,
            }
        )

    # 1. The chart and the journals.
    if not Account.objects.filter(organisation=organisation).exists():
        services.ledger_setup(organisation=organisation, actor=actor)
        result.chart_installed = True
    services.ledger_setup_journals(organisation=organisation)

    # 2. Accounts.
    chart = _Chart(organisation)
    balances = _balances(document)
    used = {line.account_id for j in document.journals for t in j.transactions for line in t.lines}
    used |= {line.account_id for line in document.opening}
    mapping: dict[str, Account] = {}
    for source in document.accounts:
        found = chart.match(source)
        if found is not None:
            account, how = found
            mapping[source.account_id] = account
            result.accounts_mapped.append(
                (source.account_id, source.description, account.number, how)
            )
            continue
        if source.account_id not in used:
            continue  # an account without lines: nothing to bring over
        account_type, category, rgs_code, rgs_reference = chart.kind_for(
            source, balances.get(source.account_id, 0)
        )
        number = chart.free_number(source, category)
        name = (source.description or source.account_id)[:120]
        try:
            account = services.account_create(
                organisation=organisation,
                number=number,
                name_nl=name,
                name_en=name,
                type=account_type,
                category=category,
                rgs_code=rgs_code[:30],
                rgs_reference=rgs_reference,
                actor=actor,
            )
        except ValidationError as exc:
            raise ValidationError(
                _("Account %(id)s %(name)s (line %(line)s): %(reason)s")
                % {
                    "id": source.account_id,
                    "name": source.description,
                    "line": source.line,
                    "reason": " ".join(exc.messages),
                }
            ) from exc
        chart.add(account)
        mapping[source.account_id] = account
        result.accounts_created.append((source.account_id, account.number, account.name_nl))

    # 3. Fiscal years.
    days = [t.day for j in document.journals for t in j.transactions]
    if document.opening:
        days.append(document.opening_date or document.start_date)
    years = {y.start_date.year: y for y in FiscalYear.objects.filter(organisation=organisation)}
    for year in sorted({_year_start(organisation, day) for day in days}):
        fiscal_year = next(
            (
                y
                for y in years.values()
                if y.contains(date(year, organisation.fiscal_year_start_month, 1))
            ),
            None,
        )
        if fiscal_year is None:
            try:
                fiscal_year = services.fiscal_year_create(
                    organisation=organisation, year=year, actor=actor
                )
            except ValidationError as exc:
                raise ValidationError(
                    _("The fiscal year %(year)s cannot be opened: %(reason)s")
                    % {"year": year, "reason": " ".join(exc.messages)}
                ) from exc
            years[year] = fiscal_year
            result.years_created.append(str(fiscal_year))
        if fiscal_year.is_closed:
            raise ValidationError(
                _(
                    "The file has entries in the fiscal year %(year)s, which is closed here; "
                    "nothing can be added to it."
                )
                % {"year": fiscal_year}
            )

    journals: dict[str, Journal] = {}
    for kind in Journal.Kind.values:
        found_journal = (
            Journal.objects.filter(organisation=organisation, kind=kind).order_by("code").first()
        )
        if found_journal is not None:
            journals[kind] = found_journal
    general = journals[Journal.Kind.GENERAL]

    record = LedgerImport.objects.create(
        organisation=organisation,
        kind=LedgerImport.Kind.XAF,
        file_name=document.file_name[:255],
        sha256=document.sha256,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )

    # 4. The opening balance.
    opening_lines = [line for line in document.opening if line.debit_cents or line.credit_cents]
    if opening_lines:
        day = document.opening_date or document.start_date
        fiscal_year = next(y for y in years.values() if y.contains(day))
        problem = opening_entry_problem(fiscal_year=fiscal_year)
        if problem:
            result.notes.append(
                _("The opening balance in the file was not posted: %(reason)s")
                % {"reason": problem}
            )
        else:
            entry = services.journal_entry_create(
                organisation=organisation,
                journal=general,
                date=fiscal_year.start_date,
                description=_("Opening balance %(year)s") % {"year": fiscal_year},
                reference=document.file_name[:80],
                lines=[
                    services.LineInput(
                        account=mapping[line.account_id],
                        debit_cents=line.debit_cents,
                        credit_cents=line.credit_cents,
                        description=line.description,
                    )
                    for line in opening_lines
                ],
                actor=actor,
            )
            entry = services.journal_entry_post(entry=entry, actor=actor)
            record.opening_year = fiscal_year
            record.opening_entry = entry
            result.opening_posted = True

    # 5. The transactions, as drafts, then posted in batches.
    known = set(
        ImportedTransaction.objects.filter(organisation=organisation).values_list(
            "source_key", flat=True
        )
    )
    locked = {
        lock.month_start
        for lock in PeriodLock.objects.filter(fiscal_year__organisation=organisation)
    }
    drafts: list[services.EntryInput] = []
    keys: list[str] = []
    for journal in document.journals:
        target = journals.get(JOURNAL_KINDS.get(journal.journal_type, ""), general)
        for item in journal.transactions:
            key = f"{document.company}|{document.fiscal_year}|{journal.journal_id}|{item.number}"[
                :255
            ]
            if key in known:
                result.already_imported += 1
                continue
            lines = [line for line in item.lines if line.debit_cents or line.credit_cents]
            if not lines:
                result.skipped_empty += 1
                continue
            if item.day.replace(day=1) in locked:
                raise ValidationError(
                    _(
                        "Line %(line)s, transaction %(nr)s in journal %(journal)s: the month "
                        "%(month)s is closed in these books, and an import does not post into "
                        "a closed month. Import the history before closing months."
                    )
                    % {
                        "line": item.line,
                        "nr": item.number,
                        "journal": journal.journal_id,
                        "month": item.day.strftime("%m-%Y"),
                    }
                )
            description = (
                item.description
                or next((line.description for line in lines if line.description), "")
                or f"{journal.description} {item.number}"
            )
            if len(description) > 255:
                description = description[:254] + "…"
            drafts.append(
                services.EntryInput(
                    journal=target,
                    date=item.day,
                    description=description,
                    reference=f"{journal.journal_id}/{item.number}"[:80],
                    lines=[
                        services.LineInput(
                            account=mapping[line.account_id],
                            debit_cents=line.debit_cents,
                            credit_cents=line.credit_cents,
                            description=line.description,
                        )
                        for line in lines
                    ],
                )
            )
            keys.append(key)
            known.add(key)
            result.lines += len(lines)
    entries = services.journal_entries_create(
        organisation=organisation, entries=drafts, actor=actor
    )
    for start in range(0, len(entries), BATCH_SIZE):
        services.journal_entries_post(entries=entries[start : start + BATCH_SIZE], actor=actor)
    ImportedTransaction.objects.bulk_create(
        [
            ImportedTransaction(
                organisation=organisation, ledger_import=record, source_key=key, entry=entry
            )
            for key, entry in zip(keys, entries, strict=True)
        ],
        batch_size=2000,
    )
    result.entries = len(entries)
    if result.skipped_empty:
        result.notes.append(
            _("%(count)s transactions without amounts were left out.")
            % {"count": result.skipped_empty}
        )
    if result.already_imported:
        result.notes.append(
            _("%(count)s transactions were imported before and were left out.")
            % {"count": result.already_imported}
        )
    record.entries_count = result.entries + (1 if result.opening_posted else 0)
    record.summary = {
        "entries": result.entries,
        "lines": result.lines,
        "accounts_created": [list(item) for item in result.accounts_created],
        "years_created": result.years_created,
        "warnings": result.warnings,
        "notes": result.notes,
    }
    record.save()
    audit_record(
        action="ledger.import_xaf",
        actor=actor,
        organisation=organisation,
        obj=record,
        data={
            "file": record.file_name,
            "entries": result.entries,
            "accounts": len(result.accounts_created),
        },
    )
    if dry_run:
        transaction.set_rollback(True)
    return result
