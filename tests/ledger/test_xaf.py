"""XAF 3.2: `wijk export-xaf` writes an audit file that the official schema accepts and
that says what our books say: every posted entry and line, the right totals, accounts,
journals and company identifiers."""

from __future__ import annotations

import importlib
import io
import os
import xml.etree.ElementTree as ET
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum

import wijk
from wijk.ledger import services
from wijk.ledger.models import FiscalYear, Journal, JournalEntry, JournalLine
from wijk.ledger.services import LineInput
from wijk.ledger.xaf import (
    NAMESPACE,
    clean_text,
    period_number,
    split_street,
    xaf_amount,
    xaf_export,
)
from wijk.organisations.models import Organisation

from ..factories import make_organisation

pytestmark = pytest.mark.django_db

# shared/ lies beside the repository: /work/shared next to /work/main.
XAF_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "xaf"
# The 3.2 schema as published in 2014 (namespace http://www.auditfiles.nl/XAF/3.2). Its
# upstream name is XmlAuditfileFinancieel3.2.xsd; shared/ keeps it as ".original".
SCHEMA_NAMES = ("XmlAuditfileFinancieel3.2.original.xsd", "XmlAuditfileFinancieel3.2.xsd")
NS = {"x": NAMESPACE}
TRICKY = "Energie & water <maart> \"Vattenfall\" 'voorschot'\x07 klaar"


@pytest.fixture(scope="session")
def xaf_schema():  # type: ignore[no-untyped-def]
    schema_path = next((XAF_DIR / name for name in SCHEMA_NAMES if (XAF_DIR / name).exists()), None)
    if schema_path is None:
        pytest.skip(f"the XAF 3.2 schema is not at {XAF_DIR} (shared data absent)")
    import xmlschema

    return xmlschema.XMLSchema10(str(schema_path))


def assert_valid(schema, document: bytes) -> None:  # type: ignore[no-untyped-def]
    errors = list(schema.iter_errors(document.decode("utf-8")))
    assert not errors, "\n".join(str(error) for error in errors[:5])


def parse(document: bytes) -> ET.Element:
    return ET.fromstring(document)  # noqa: S314 - our own output


def texts(root: ET.Element, path: str) -> list[str]:
    return [element.text or "" for element in root.iterfind(path, NS)]


def assert_references_hold(root: ET.Element) -> None:
    """The schema's key and keyref rules, checked here: the 3.2 schema writes their
    XPaths without a namespace prefix, so a validator applies them to nothing."""
    accounts = texts(root, "x:company/x:generalLedger/x:ledgerAccount/x:accID")
    assert len(accounts) == len(set(accounts))
    used = texts(root, ".//x:trLine/x:accID") + texts(root, ".//x:obLine/x:accID")
    assert set(used) <= set(accounts)
    periods = texts(root, "x:company/x:periods/x:period/x:periodNumber")
    assert len(periods) == len(set(periods))
    assert set(texts(root, ".//x:transaction/x:periodNumber")) <= set(periods)
    journals = texts(root, ".//x:journal/x:jrnID")
    assert len(journals) == len(set(journals))
    for journal in root.iterfind(".//x:journal", NS):
        numbers = texts(journal, "x:transaction/x:nr")
        assert len(numbers) == len(set(numbers))


def assert_totals_add_up(root: ET.Element) -> tuple[Decimal, Decimal]:
    """linesCount, totalDebit and totalCredit match the lines, and each transaction balances."""
    section = root.find("x:company/x:transactions", NS)
    assert section is not None
    debit = credit = Decimal(0)
    count = 0
    for transaction in section.iterfind("x:journal/x:transaction", NS):
        sides: dict[str, Decimal] = defaultdict(Decimal)
        for line in transaction.iterfind("x:trLine", NS):
            amount = Decimal(line.findtext("x:amnt", namespaces=NS) or "")
            side = line.findtext("x:amntTp", namespaces=NS) or ""
            assert amount > 0
            sides[side] += amount
            count += 1
        assert sides["D"] == sides["C"] == Decimal(transaction.findtext("x:amnt", namespaces=NS))
        debit += sides["D"]
        credit += sides["C"]
    assert int(section.findtext("x:linesCount", namespaces=NS) or "") == count
    assert Decimal(section.findtext("x:totalDebit", namespaces=NS)) == debit
    assert Decimal(section.findtext("x:totalCredit", namespaces=NS)) == credit
    assert debit == credit
    return debit, credit


def posted_in_year(organisation: Organisation, year: FiscalYear) -> tuple[int, int, Decimal]:
    """Entries, lines and the debit total of our books for the year (posted only)."""
    entries = JournalEntry.objects.filter(
        organisation=organisation,
        status=JournalEntry.Status.POSTED,
        date__gte=year.start_date,
        date__lte=year.end_date,
    )
    lines = JournalLine.objects.filter(entry__in=entries)
    debit = lines.aggregate(total=Sum("debit_cents"))["total"] or 0
    assert debit == (lines.aggregate(total=Sum("credit_cents"))["total"] or 0)
    return entries.count(), lines.count(), Decimal(debit) / 100


@pytest.fixture
def filled(books):  # type: ignore[no-untyped-def]
    """The test books with an address, identifiers and entries in four journals."""
    Organisation.objects.filter(pk=books.organisation.pk).update(
        kvk_number="41234567",
        rsin="815372905",
        street_address="Dorpsstraat 12a",
        postcode="1234 AB",
        city="Ons Dorp",
    )
    books.organisation.refresh_from_db()
    journals = {j.code: j for j in Journal.objects.filter(organisation=books.organisation)}
    books.post(
        books.entry(
            LineInput(books.bank, debit_cents=500_000),
            LineInput(books.reserve, credit_cents=500_000),
            day=date(2026, 1, 1),
            journal=books.general,
            description="Beginkapitaal",
        )
    )
    hire = books.post(books.hire(12_500))
    services.journal_entry_reverse(entry=hire, actor=None, date=date(2026, 3, 11))
    books.post(books.hire(20_000, day=date(2026, 7, 4), journal=journals["VRK"]))
    bill = services.journal_entry_create(
        organisation=books.organisation,
        journal=journals["INK"],
        date=date(2026, 11, 30),
        description=TRICKY,
        reference="F-2026-017",
        lines=[
            LineInput(books.energy, debit_cents=8_000, description="Voorschot november"),
            LineInput(books.energy, debit_cents=1_234),
            LineInput(books.bank, credit_cents=9_234),
        ],
        actor=None,
    )
    books.post(bill)
    books.hire(99_900, day=date(2026, 12, 1))  # a draft: not in the books, not in the file
    return books


def test_export_is_valid_and_complete(filled, xaf_schema):
    books = filled
    document = xaf_export(organisation=books.organisation, fiscal_year=books.year)
    assert_valid(xaf_schema, document)
    root = parse(document)
    assert_references_hold(root)

    header = root.find("x:header", NS)
    assert header is not None
    assert header.findtext("x:fiscalYear", namespaces=NS) == "2026"
    assert header.findtext("x:startDate", namespaces=NS) == "2026-01-01"
    assert header.findtext("x:endDate", namespaces=NS) == "2026-12-31"
    assert header.findtext("x:curCode", namespaces=NS) == "EUR"
    assert header.findtext("x:softwareDesc", namespaces=NS) == "Wijkonderneming"
    assert header.findtext("x:softwareVersion", namespaces=NS) == wijk.__version__

    company = root.find("x:company", NS)
    assert company is not None
    assert company.findtext("x:companyIdent", namespaces=NS) == "41234567"
    assert company.findtext("x:companyName", namespaces=NS) == "Bewonersbedrijf Alfa"
    assert company.findtext("x:taxRegistrationCountry", namespaces=NS) == "NL"
    assert company.findtext("x:taxRegIdent", namespaces=NS) == "815372905"
    address = {child.tag.split("}")[1]: child.text for child in company.find("x:streetAddress", NS)}  # type: ignore[union-attr]
    assert address == {
        "streetname": "Dorpsstraat",
        "number": "12",
        "numberExtension": "a",
        "city": "Ons Dorp",
        "postalCode": "1234 AB",
        "country": "NL",
    }

    ledger = {
        account.findtext("x:accID", namespaces=NS): (
            account.findtext("x:accDesc", namespaces=NS),
            account.findtext("x:accTp", namespaces=NS),
        )
        for account in company.iterfind("x:generalLedger/x:ledgerAccount", NS)
    }
    assert ledger == {
        "0500": ("Algemene reserve", "B"),
        "1100": ("Bank", "B"),
        "4300": ("Energie", "P"),
        "8000": ("Zaalverhuur", "P"),
    }
    assert texts(company, "x:periods/x:period/x:periodNumber") == [str(n) for n in range(1, 13)]

    journal_types = {
        journal.findtext("x:jrnID", namespaces=NS): journal.findtext("x:jrnTp", namespaces=NS)
        for journal in company.iterfind("x:transactions/x:journal", NS)
    }
    assert journal_types == {"BNK": "B", "KAS": "C", "VRK": "S", "INK": "P", "MEM": "M"}

    # Five posted entries (the reversal included, the draft not) with eleven lines.
    entries, lines, debit = posted_in_year(books.organisation, books.year)
    assert (entries, lines) == (5, 11)
    assert len(root.findall(".//x:transaction", NS)) == entries
    assert len(root.findall(".//x:trLine", NS)) == lines
    assert assert_totals_add_up(root) == (debit, debit) == (Decimal("5542.34"),) * 2
    assert "999.00" not in document.decode()

    by_journal = {
        journal.findtext("x:jrnID", namespaces=NS): journal
        for journal in company.iterfind("x:transactions/x:journal", NS)
    }
    bank = by_journal["BNK"]
    assert texts(bank, "x:transaction/x:nr") == ["1", "2"]
    reversal = bank.findall("x:transaction", NS)[1]
    assert reversal.findtext("x:desc", namespaces=NS).startswith("Reversal of BNK #1")  # type: ignore[union-attr]
    assert texts(reversal, "x:trLine/x:amntTp") == ["C", "D"]
    assert texts(by_journal["KAS"], "x:transaction") == []

    bill = by_journal["INK"].find("x:transaction", NS)
    assert bill is not None
    assert bill.findtext("x:desc", namespaces=NS) == TRICKY.replace("\x07", "")
    assert bill.findtext("x:periodNumber", namespaces=NS) == "11"
    assert bill.findtext("x:trDt", namespaces=NS) == "2026-11-30"
    assert bill.findtext("x:amnt", namespaces=NS) == "92.34"
    assert texts(bill, "x:trLine/x:nr") == ["1", "2", "3"]
    assert texts(bill, "x:trLine/x:accID") == ["4300", "4300", "1100"]
    assert texts(bill, "x:trLine/x:docRef") == ["F-2026-017"] * 3
    assert texts(bill, "x:trLine/x:effDate") == ["2026-11-30"] * 3
    assert texts(bill, "x:trLine/x:desc") == [
        "Voorschot november",
        TRICKY.replace("\x07", ""),
        TRICKY.replace("\x07", ""),
    ]
    assert texts(bill, "x:trLine/x:amnt") == ["80.00", "12.34", "92.34"]
    assert texts(bill, "x:trLine/x:amntTp") == ["D", "D", "C"]
    assert b"Energie &amp; water &lt;maart&gt;" in document
    assert b"\x07" not in document

    opening = company.find("x:openingBalance", NS)
    assert opening is not None
    assert opening.findtext("x:linesCount", namespaces=NS) == "0"
    assert opening.findall("x:obLine", NS) == []


def test_opening_balance_carries_earlier_years_closed_or_not(books, xaf_schema):
    earlier = services.fiscal_year_create(organisation=books.organisation, year=2025, actor=None)
    books.post(books.hire(30_000, day=date(2025, 6, 1)))
    books.post(
        books.entry(
            LineInput(books.energy, debit_cents=4_500),
            LineInput(books.bank, credit_cents=4_500),
            day=date(2025, 9, 1),
            description="Energie",
        )
    )
    books.post(books.hire(1_000, day=date(2026, 2, 2)))

    def opening(document: bytes) -> tuple[str, dict[str, tuple[str, str]]]:
        root = parse(document)
        assert_references_hold(root)
        element = root.find("x:company/x:openingBalance", NS)
        assert element is not None
        assert element.findtext("x:opBalDate", namespaces=NS) == "2026-01-01"
        lines = {
            line.findtext("x:accID", namespaces=NS) or "": (
                line.findtext("x:amnt", namespaces=NS) or "",
                line.findtext("x:amntTp", namespaces=NS) or "",
            )
            for line in element.iterfind("x:obLine", NS)
        }
        assert element.findtext("x:linesCount", namespaces=NS) == str(len(lines))
        assert element.findtext("x:totalDebit", namespaces=NS) == "255.00"
        assert element.findtext("x:totalCredit", namespaces=NS) == "255.00"
        return element.findtext("x:opBalDesc", namespaces=NS) or "", lines

    expected = {"1100": ("255.00", "D"), "0500": ("255.00", "C")}
    # 2025 still open: its result (300.00 - 45.00) counts as reserve, as closing would.
    document = xaf_export(organisation=books.organisation, fiscal_year=books.year)
    assert_valid(xaf_schema, document)
    description, lines = opening(document)
    assert lines == expected
    assert "niet afgesloten" in description
    assert len(parse(document).findall(".//x:transaction", NS)) == 1

    services.fiscal_year_close(fiscal_year=earlier, actor=None)
    document = xaf_export(organisation=books.organisation, fiscal_year=books.year)
    assert_valid(xaf_schema, document)
    description, lines = opening(document)
    assert lines == expected
    assert description == "Beginbalans 2026"

    # The closed year itself: its three entries, the closing entry in the general journal.
    earlier.refresh_from_db()
    document = xaf_export(organisation=books.organisation, fiscal_year=earlier)
    assert_valid(xaf_schema, document)
    root = parse(document)
    assert_references_hold(root)
    assert_totals_add_up(root)
    assert len(root.findall(".//x:transaction", NS)) == 3
    memorial = [
        j
        for j in root.iterfind(".//x:journal", NS)
        if j.findtext("x:jrnID", namespaces=NS) == "MEM"
    ]
    assert len(memorial[0].findall("x:transaction", NS)) == 1


def test_fiscal_year_from_july_numbers_its_periods_from_july(db, xaf_schema):
    organisation = make_organisation("Dorpsbedrijf Gamma", "gamma", fiscal_year_start_month=7)
    from .conftest import make_books

    books = make_books(organisation, None)  # fiscal year 2026/2027
    books.post(books.hire(5_000, day=date(2027, 1, 15)))
    assert period_number(books.year, date(2027, 1, 15)) == 7
    document = xaf_export(organisation=organisation, fiscal_year=books.year)
    assert_valid(xaf_schema, document)
    root = parse(document)
    assert_references_hold(root)
    assert root.findtext("x:header/x:fiscalYear", namespaces=NS) == "2026/2027"
    periods = root.findall("x:company/x:periods/x:period", NS)
    assert len(periods) == 12
    assert periods[0].findtext("x:startDatePeriod", namespaces=NS) == "2026-07-01"
    assert periods[-1].findtext("x:endDatePeriod", namespaces=NS) == "2027-06-30"
    assert texts(root, ".//x:transaction/x:periodNumber") == ["7"]
    # No KvK number, RSIN or address: companyIdent left out, taxRegIdent (required) empty.
    company = root.find("x:company", NS)
    assert company is not None
    assert company.find("x:companyIdent", NS) is None
    assert company.findtext("x:taxRegIdent", namespaces=NS) == ""


def test_empty_books_are_valid(org_b, xaf_schema):
    year = services.fiscal_year_create(organisation=org_b, year=2026, actor=None)
    document = xaf_export(organisation=org_b, fiscal_year=year)
    assert_valid(xaf_schema, document)
    root = parse(document)
    assert root.find("x:company/x:generalLedger", NS) is None  # no accounts yet
    assert root.findtext("x:company/x:transactions/x:linesCount", namespaces=NS) == "0"


def test_fiscal_year_of_another_organisation_is_refused(books, org_b):
    with pytest.raises(ValueError, match="another organisation"):
        xaf_export(organisation=org_b, fiscal_year=books.year)


# --- the command ---------------------------------------------------------------------


def test_command_writes_a_valid_file(filled, xaf_schema, tmp_path):
    target = tmp_path / "alfa-2026.xaf"
    call_command(
        "export-xaf",
        "--organisation",
        "alfa",
        "--year",
        "2026",
        "--output",
        str(target),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    document = target.read_bytes()
    assert_valid(xaf_schema, document)
    assert len(parse(document).findall(".//x:transaction", NS)) == 5
    assert [p.name for p in tmp_path.iterdir()] == ["alfa-2026.xaf"]  # no temporary left
    # Replaced in one step when it exists.
    call_command(
        "export-xaf",
        "--organisation=alfa",
        "--year=2026",
        f"--output={target}",
        stderr=io.StringIO(),
    )
    assert target.read_bytes().startswith(b"<?xml")


def test_command_prints_to_standard_output(filled, xaf_schema):
    out = io.StringIO()
    call_command("export-xaf", "--organisation", "alfa", "--year", "2026", stdout=out)
    assert_valid(xaf_schema, out.getvalue().encode("utf-8"))


def test_command_errors_name_the_option(books, tmp_path, monkeypatch):
    def export(*args: str) -> None:
        call_command("export-xaf", *args, stdout=io.StringIO(), stderr=io.StringIO())

    with pytest.raises(CommandError, match="^--organisation: .*'onbekend'"):
        export("--organisation", "onbekend", "--year", "2026")
    with pytest.raises(CommandError, match="^--year: alfa has no fiscal year starting in 1999"):
        export("--organisation", "alfa", "--year", "1999")
    with pytest.raises(CommandError, match="^--output: there is no folder"):
        export("--organisation", "alfa", "--year", "2026", "--output", str(tmp_path / "no" / "x"))
    with pytest.raises(CommandError, match="^--output: .* is a folder"):
        export("--organisation", "alfa", "--year", "2026", "--output", str(tmp_path))
    with pytest.raises(CommandError, match="^--output: cannot write"):
        export("--organisation", "alfa", "--year", "2026", "--output", str(tmp_path / ("x" * 300)))

    command = importlib.import_module("wijk.ledger.management.commands.export-xaf")

    def refuse(*args: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(command.os, "replace", refuse)
    with pytest.raises(CommandError, match="^--output: cannot write .*Permission denied"):
        export("--organisation", "alfa", "--year", "2026", "--output", str(tmp_path / "a.xaf"))
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []  # the temporary file was removed


def test_command_needs_organisation_and_year():
    with pytest.raises(CommandError, match="--year"):
        call_command("export-xaf", "--organisation", "alfa", stdout=io.StringIO())


# --- small helpers ----------------------------------------------------------------------


def test_text_is_cleaned_of_characters_xml_forbids():
    assert clean_text("a\x00b\x08c\x0bd\x0ce\x1ff\tg\nh\ud800i\uffffj") == "abcdef\tg\nhij"
    assert clean_text("é" * 60, 50) == "é" * 50


def test_amounts_have_two_decimals_and_a_dot():
    assert [xaf_amount(c) for c in (0, 5, 1234, -5, 123_456_789)] == [
        "0.00",
        "0.05",
        "12.34",
        "-0.05",
        "1234567.89",
    ]


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("Slotermeerlaan 120", ("Slotermeerlaan", "120", "")),
        ("Dorpsstraat 12a", ("Dorpsstraat", "12", "a")),
        ("Kerkstraat 5-2", ("Kerkstraat", "5", "2")),
        ("Laan 1940-1945 3 bis", ("Laan 1940-1945", "3", "bis")),
        ("Buiten de Veste", ("Buiten de Veste", "", "")),
        ("", ("", "", "")),
    ],
)
def test_street_and_house_number_are_split(text, parts):
    assert split_street(text) == parts


def test_shared_schema_folder_is_where_the_tests_look():
    """Not a skip in disguise: where shared/ exists, the schema is found."""
    if not XAF_DIR.parent.exists():
        pytest.skip(f"shared data absent ({XAF_DIR.parent})")
    assert any((XAF_DIR / name).exists() for name in SCHEMA_NAMES), os.listdir(XAF_DIR)
