"""The books of one fiscal year as an XML Auditfile Financieel 3.2 (XAF 3.2).

XAF is the Dutch exchange format for a general ledger: the tax office (Belastingdienst)
asks for it at an audit, and accountants read it into their own tools. The layout is
the one of `XmlAuditfileFinancieel3.2.xsd` (namespace `http://www.auditfiles.nl/XAF/3.2`);
tests validate our output against that schema.

What goes in:

- header: fiscal year, its first and last day, EUR, today, software and version;
- company: name, KvK number (`companyIdent`), RSIN (`taxRegIdent`), street address;
- generalLedger: every account, with the RGS code and reference number as `leadCode`
  and `leadReference`; `accTp` is B (balance sheet) or P (income and expenses);
- periods: one per month of the fiscal year (`periodNumber` 1, 2, ...);
- openingBalance: the balance of every balance-sheet account at the first day, from
  posted entries dated before it. When an earlier year was not closed, its result is
  added to the equity accounts as the closing entry would (`fiscal_year_close`), so
  the opening balance balances; `opBalDesc` then says so;
- transactions: every journal, and in it every posted entry of the year in number
  order, with its lines. Drafts are left out.

Amounts are positive with D or C; text has the characters XML 1.0 forbids removed and
is cut to the schema's maximum length. Written with the standard library's
ElementTree, which escapes text.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Sum
from django.utils import timezone

import wijk
from wijk.organisations.models import Organisation

from .models import Account, AccountType, FiscalYear, Fund, Journal, JournalEntry, JournalLine

NAMESPACE = "http://www.auditfiles.nl/XAF/3.2"
SOFTWARE_DESCRIPTION = "Wijkonderneming"
CURRENCY = "EUR"
COUNTRY = "NL"

# Journaltype in the schema: B, C, G, M, O, P, S, T, Y, Z.
JOURNAL_TYPES: dict[str, str] = {
    Journal.Kind.BANK: "B",
    Journal.Kind.CASH: "C",
    Journal.Kind.SALES: "S",
    Journal.Kind.PURCHASES: "P",
    Journal.Kind.GENERAL: "M",
}
BALANCE_SHEET_TYPES = frozenset({AccountType.ASSET, AccountType.LIABILITY, AccountType.EQUITY})

# Maximum lengths of the schema's string types that our values could exceed.
ID35 = 35  # IdentificationString35
STRING9 = 9
STRING10 = 10
STRING15 = 15
STRING20 = 20
STRING30 = 30
STRING50 = 50
STRING999 = 999

# Characters XML 1.0 does not allow at all: C0 controls other than tab, line feed and
# carriage return, lone surrogates, U+FFFE and U+FFFF.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# "Slotermeerlaan 120", "Dorpsstraat 12a", "Laan 1940-1945 3 bis": street, number, rest.
_STREET_NUMBER = re.compile(r"^(?P<street>.*\S)\s+(?P<number>\d{1,6})\s*[-/]?\s*(?P<ext>\w{0,6})$")


def clean_text(value: str, max_length: int | None = None) -> str:
    """`value` without the characters XML 1.0 forbids, cut to `max_length` characters."""
    text = _FORBIDDEN.sub("", value)
    if max_length is not None and len(text) > max_length:
        text = text[:max_length]
    return text


def xaf_amount(cents: int) -> str:
    """Integer cents as the schema's Amount2decimals: `1234.50`, `-0.05`."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    return f"{sign}{euros}.{rest:02d}"


def period_number(fiscal_year: FiscalYear, day: date) -> int:
    """The month of `day` within the fiscal year: 1 for its first month."""
    start = fiscal_year.start_date
    return (day.year - start.year) * 12 + day.month - start.month + 1


def split_street(street_address: str) -> tuple[str, str, str]:
    """("Dorpsstraat", "12", "a") from "Dorpsstraat 12a"; the whole text as street otherwise."""
    text = " ".join(clean_text(street_address).split())
    match = _STREET_NUMBER.match(text)
    if match is None:
        return text, "", ""
    return match["street"], match["number"], match["ext"]


@dataclass
class OpeningBalance:
    """Balances per account number at the first day of the year; debit positive."""

    balances: dict[str, int] = field(default_factory=dict)
    # True when results of earlier, unclosed years were added to equity accounts.
    includes_unclosed_result: bool = False


def opening_balance(*, organisation: Organisation, fiscal_year: FiscalYear) -> OpeningBalance:
    """Balance-sheet balances from posted entries dated before the year's first day.

    Income and expense accounts are emptied by the closing entry of each year. When an
    earlier year has not been closed, its result is moved here as the closing entry
    would move it: the part booked on a fund to that fund's equity account, the rest to
    the general reserve. Without a general reserve that rest stays on its income and
    expense accounts, so the opening balance still balances.
    """
    rows = (
        JournalLine.objects.filter(
            organisation=organisation,
            entry__status=JournalEntry.Status.POSTED,
            entry__date__lt=fiscal_year.start_date,
        )
        .values("account", "fund")
        .annotate(debit=Sum("debit_cents"), credit=Sum("credit_cents"))
        .order_by()
    )
    accounts = {a.pk: a for a in Account.objects.filter(organisation=organisation)}
    funds = {f.pk: f for f in Fund.objects.filter(organisation=organisation)}
    reserve = (
        Account.objects.filter(
            organisation=organisation, category="general_reserve", is_active=True
        )
        .order_by("number")
        .first()
    )
    by_account: dict[int, int] = defaultdict(int)
    moved = False
    for row in rows:
        balance = (row["debit"] or 0) - (row["credit"] or 0)
        if balance == 0:
            continue
        account = accounts[row["account"]]
        if account.type in BALANCE_SHEET_TYPES:
            by_account[account.pk] += balance
        elif row["fund"] is not None:
            by_account[funds[row["fund"]].account_id] += balance
            moved = True
        elif reserve is not None:
            by_account[reserve.pk] += balance
            moved = True
        else:
            by_account[account.pk] += balance
    balances = {
        accounts[pk].number: cents
        for pk, cents in sorted(by_account.items(), key=lambda item: accounts[item[0]].number)
        if cents != 0
    }
    return OpeningBalance(balances=balances, includes_unclosed_result=moved)


def _child(parent: ET.Element, name: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, f"{{{NAMESPACE}}}{name}")
    if text is not None:
        element.text = text
    return element


def _header(root: ET.Element, fiscal_year: FiscalYear) -> None:
    header = _child(root, "header")
    _child(header, "fiscalYear", clean_text(str(fiscal_year), STRING9))
    _child(header, "startDate", fiscal_year.start_date.isoformat())
    _child(header, "endDate", fiscal_year.end_date.isoformat())
    _child(header, "curCode", CURRENCY)
    _child(header, "dateCreated", timezone.localdate().isoformat())
    _child(header, "softwareDesc", SOFTWARE_DESCRIPTION)
    _child(header, "softwareVersion", clean_text(wijk.__version__, STRING20))


def _company_identity(company: ET.Element, organisation: Organisation) -> None:
    if organisation.kvk_number:
        _child(company, "companyIdent", clean_text(organisation.kvk_number, ID35))
    _child(company, "companyName", clean_text(organisation.name, STRING999))
    _child(company, "taxRegistrationCountry", COUNTRY)
    # Required by the schema; empty when the organisation has no RSIN.
    _child(company, "taxRegIdent", clean_text(organisation.rsin, STRING30))
    address = _child(company, "streetAddress")
    street, number, extension = split_street(organisation.street_address)
    if street:
        _child(address, "streetname", clean_text(street, STRING999))
    if number:
        _child(address, "number", clean_text(number, STRING15))
    if extension:
        _child(address, "numberExtension", clean_text(extension, STRING999))
    if organisation.city.strip():
        _child(address, "city", clean_text(organisation.city.strip(), STRING50))
    if organisation.postcode.strip():
        _child(address, "postalCode", clean_text(organisation.postcode.strip(), STRING10))
    _child(address, "country", COUNTRY)


def _general_ledger(company: ET.Element, organisation: Organisation) -> None:
    accounts = list(Account.objects.filter(organisation=organisation).order_by("number"))
    if not accounts:  # the schema wants at least one ledgerAccount inside generalLedger
        return
    ledger = _child(company, "generalLedger")
    for account in accounts:
        element = _child(ledger, "ledgerAccount")
        _child(element, "accID", clean_text(account.number, ID35))
        _child(element, "accDesc", clean_text(account.name_nl, STRING999))
        _child(element, "accTp", "B" if account.type in BALANCE_SHEET_TYPES else "P")
        if account.rgs_code:
            _child(element, "leadCode", clean_text(account.rgs_code, STRING999))
        if account.rgs_reference:
            _child(element, "leadReference", clean_text(account.rgs_reference, STRING999))


def _periods(company: ET.Element, fiscal_year: FiscalYear) -> None:
    periods = _child(company, "periods")
    first = fiscal_year.start_date
    while first <= fiscal_year.end_date:
        following = (first.replace(day=1) + timedelta(days=32)).replace(day=1)
        last = min(following - timedelta(days=1), fiscal_year.end_date)
        period = _child(periods, "period")
        _child(period, "periodNumber", str(period_number(fiscal_year, first)))
        _child(period, "periodDesc", first.strftime("%Y-%m"))
        _child(period, "startDatePeriod", first.isoformat())
        _child(period, "endDatePeriod", last.isoformat())
        first = following


def _opening_balance(
    company: ET.Element, organisation: Organisation, fiscal_year: FiscalYear
) -> None:
    opening = opening_balance(organisation=organisation, fiscal_year=fiscal_year)
    description = f"Beginbalans {fiscal_year}"
    if opening.includes_unclosed_result:
        description += (
            "; het resultaat van niet afgesloten eerdere boekjaren is toegerekend aan "
            "de reserves en fondsen"
        )
    element = _child(company, "openingBalance")
    _child(element, "opBalDate", fiscal_year.start_date.isoformat())
    _child(element, "opBalDesc", description)
    debit = sum(cents for cents in opening.balances.values() if cents > 0)
    credit = -sum(cents for cents in opening.balances.values() if cents < 0)
    _child(element, "linesCount", str(len(opening.balances)))
    _child(element, "totalDebit", xaf_amount(debit))
    _child(element, "totalCredit", xaf_amount(credit))
    for index, (number, cents) in enumerate(opening.balances.items(), start=1):
        line = _child(element, "obLine")
        _child(line, "nr", str(index))
        _child(line, "accID", clean_text(number, ID35))
        _child(line, "amnt", xaf_amount(abs(cents)))
        _child(line, "amntTp", "D" if cents > 0 else "C")


def _transactions(company: ET.Element, organisation: Organisation, fiscal_year: FiscalYear) -> None:
    start, end = fiscal_year.start_date, fiscal_year.end_date
    posted = JournalEntry.Status.POSTED
    entries: dict[int, list[JournalEntry]] = defaultdict(list)
    for entry in (
        JournalEntry.objects.filter(
            organisation=organisation, status=posted, date__gte=start, date__lte=end
        )
        .order_by("journal_id", "number", "id")
        .iterator(2000)
    ):
        entries[entry.journal_id].append(entry)
    lines: dict[int, list[tuple[str, int, int, str]]] = defaultdict(list)
    for entry_id, account_number, debit, credit, text in (
        JournalLine.objects.filter(
            organisation=organisation,
            entry__status=posted,
            entry__date__gte=start,
            entry__date__lte=end,
        )
        .order_by("entry_id", "id")
        .values_list("entry_id", "account__number", "debit_cents", "credit_cents", "description")
        .iterator(5000)
    ):
        lines[entry_id].append((account_number, debit, credit, text))

    transactions = _child(company, "transactions")
    lines_count = _child(transactions, "linesCount")
    total_debit = _child(transactions, "totalDebit")
    total_credit = _child(transactions, "totalCredit")
    count = debit_sum = credit_sum = 0
    for journal in Journal.objects.filter(organisation=organisation).order_by("code"):
        element = _child(transactions, "journal")
        _child(element, "jrnID", clean_text(journal.code, ID35))
        _child(element, "desc", clean_text(journal.name or journal.code))
        _child(element, "jrnTp", JOURNAL_TYPES.get(journal.kind, "Z"))
        for entry in entries.get(journal.pk, []):
            entry_lines = lines.get(entry.pk, [])
            transaction = _child(element, "transaction")
            _child(transaction, "nr", str(entry.number))
            _child(transaction, "desc", clean_text(entry.description))
            _child(transaction, "periodNumber", str(period_number(fiscal_year, entry.date)))
            _child(transaction, "trDt", entry.date.isoformat())
            _child(transaction, "amnt", xaf_amount(sum(line[1] for line in entry_lines)))
            for index, (account_number, debit, credit, text) in enumerate(entry_lines, start=1):
                line = _child(transaction, "trLine")
                _child(line, "nr", str(index))
                _child(line, "accID", clean_text(account_number, ID35))
                _child(line, "docRef", clean_text(entry.reference, STRING999))
                _child(line, "effDate", entry.date.isoformat())
                _child(line, "desc", clean_text(text or entry.description))
                _child(line, "amnt", xaf_amount(debit or credit))
                _child(line, "amntTp", "D" if debit else "C")
                count += 1
                debit_sum += debit
                credit_sum += credit
    lines_count.text = str(count)
    total_debit.text = xaf_amount(debit_sum)
    total_credit.text = xaf_amount(credit_sum)


def xaf_export(*, organisation: Organisation, fiscal_year: FiscalYear) -> bytes:
    """The XAF 3.2 document of one fiscal year, UTF-8 encoded."""
    if fiscal_year.organisation_id != organisation.pk:
        raise ValueError("The fiscal year belongs to another organisation.")
    root = ET.Element(f"{{{NAMESPACE}}}auditfile")
    _header(root, fiscal_year)
    company = _child(root, "company")
    _company_identity(company, organisation)
    _general_ledger(company, organisation)
    _periods(company, fiscal_year)
    _opening_balance(company, organisation, fiscal_year)
    _transactions(company, organisation, fiscal_year)
    ET.indent(root, space="  ")
    document = ET.tostring(
        root, encoding="UTF-8", xml_declaration=True, default_namespace=NAMESPACE
    )
    return document + b"\n"
