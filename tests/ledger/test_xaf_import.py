"""History from another package: `wijk import-xaf` reads an XAF 3.2 file into the books.

Our own export read back into an empty organisation gives the same trial balance to
the cent; the real Exact Online sample comes in with a warning about its negative
quantities; bad files are refused with the place and nothing is written.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from wijk.core.models import AuditEvent
from wijk.ledger import services
from wijk.ledger.models import (
    Account,
    FiscalYear,
    ImportedTransaction,
    JournalEntry,
    JournalLine,
    LedgerImport,
)
from wijk.ledger.selectors import trial_balance
from wijk.ledger.verification import verify_organisation
from wijk.ledger.xaf import xaf_export
from wijk.ledger.xaf_import import xaf_import, xaf_read
from wijk.organisations.models import Organisation

from ..factories import make_organisation

pytestmark = pytest.mark.django_db

XAF_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "xaf"
EXACT = XAF_DIR / "samples" / "ExactOnline_V32_2016.xml"
SPECIMEN = XAF_DIR / "samples" / "XmlAuditfileFinancieel3.2_test.xml"
SCHEMA = XAF_DIR / "XmlAuditfileFinancieel3.2.original.xsd"


def counts() -> tuple[int, ...]:
    return (
        JournalEntry.objects.count(),
        JournalLine.objects.count(),
        Account.objects.count(),
        FiscalYear.objects.count(),
        LedgerImport.objects.count(),
        ImportedTransaction.objects.count(),
        AuditEvent.objects.count(),
    )


def balances(organisation: Organisation, end: date) -> dict[str, tuple[int, int]]:
    return {
        row.account.number: (row.debit_cents, row.credit_cents)
        for row in trial_balance(organisation=organisation, end=end).rows
    }


def small_xaf(
    transactions: str,
    *,
    accounts: str = "",
    opening: str = "",
    header_extra: str = "",
    qntity: str = "",
) -> bytes:
    """A small XAF 3.2 document in the layout other packages write."""
    accounts = accounts or (
        "<ledgerAccount><accID>1000</accID><accDesc>Kas</accDesc><accTp>B</accTp>"
        "<leadReference>BLimKasKas</leadReference></ledgerAccount>"
        "<ledgerAccount><accID>8000</accID><accDesc>Omzet zaalverhuur</accDesc><accTp>P</accTp>"
        "<leadCode>21</leadCode><leadReference>WOvbHuoHuo</leadReference></ledgerAccount>"
        "<ledgerAccount><accID>4999</accID><accDesc>Kosten kermis</accDesc><accTp>P</accTp>"
        "</ledgerAccount>"
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<auditfile xmlns="http://www.auditfiles.nl/XAF/3.2">
  <header>
    <fiscalYear>2025</fiscalYear>
    <startDate>2025-01-01</startDate>
    <endDate>2025-12-31</endDate>
    <curCode>EUR</curCode>
    <dateCreated>2026-01-10</dateCreated>
    <softwareDesc>Ander pakket</softwareDesc>{header_extra}
  </header>
  <company>
    <companyIdent>12345678</companyIdent>
    <companyName>Buurthuis De Linde</companyName>
    <taxRegistrationCountry>NL</taxRegistrationCountry>
    <taxRegIdent/>
    <streetAddress><country>NL</country></streetAddress>
    <generalLedger>{accounts}</generalLedger>
    {opening}
    <transactions>
      <linesCount>2</linesCount>
      <totalDebit>150.00</totalDebit>
      <totalCredit>150.00</totalCredit>
      <journal>
        <jrnID>10</jrnID>
        <desc>Kasboek</desc>
        <jrnTp>C</jrnTp>
{transactions}
      </journal>
    </transactions>
  </company>
</auditfile>
""".replace("QNTITY", qntity).encode("utf-8")


def tx(number: str, day: str, *lines: tuple[str, str, str]) -> str:
    body = "".join(
        f"<trLine><nr>{i}</nr><accID>{acc}</accID><docRef/><effDate>{day}</effDate>"
        f"<amnt>{amount}</amnt><amntTp>{side}</amntTp>QNTITY</trLine>"
        for i, (acc, amount, side) in enumerate(lines, start=1)
    )
    return (
        f"<transaction><nr>{number}</nr><desc>Boeking {number}</desc>"
        f"<periodNumber>1</periodNumber><trDt>{day}</trDt>{body}</transaction>"
    )


GOOD = small_xaf(
    tx("25001", "2025-03-01", ("1000", "150.00", "D"), ("8000", "150.00", "C"))
    + "\n"
    + tx("25002", "2025-04-01", ("4999", "40.5", "D"), ("1000", "40.50", "C"))
)


@pytest.fixture
def target(db):  # type: ignore[no-untyped-def]
    return make_organisation("Buurthuis Nieuw", "nieuw")


def test_small_file_is_mapped_created_and_posted(target, board_a):
    document = xaf_read(file_name="linde-2025.xaf", data=GOOD)
    assert document.transaction_count == 2
    assert document.warnings == []
    result = xaf_import(organisation=target, document=document, actor=None)
    assert result.chart_installed
    assert result.entries == 2 and result.lines == 4
    assert result.years_created == ["2025"]
    # 1000 Kas matches our cash account by RGS code; 8000 by the RGS code WOvbHuoHuo;
    # 4999 has no RGS code and no match by name: created as an expense (debit balance).
    mapped = {source: number for source, _desc, number, _how in result.accounts_mapped}
    assert (
        mapped["1000"]
        == Account.objects.get(organisation=target, rgs_code="BLimKasKas", number="1000").number
    )
    assert mapped["8000"] == "8000"
    [(source, number, name)] = result.accounts_created
    assert (source, name) == ("4999", "Kosten kermis")
    created = Account.objects.get(organisation=target, number=number)
    assert created.type == "expense" and created.category == "overhead"
    assert number.startswith("4")  # inside the template's overhead group (44xx-47xx)

    entries = JournalEntry.objects.filter(organisation=target).order_by("date")
    assert [e.reference for e in entries] == ["10/25001", "10/25002"]
    assert [e.journal.kind for e in entries] == ["cash", "cash"]
    assert all(e.is_posted for e in entries)
    assert balances(target, date(2025, 12, 31)) == {
        "1000": (15_000, 4_050),
        number: (4_050, 0),
        "8000": (0, 15_000),
    }
    assert verify_organisation(organisation=target) == []
    record = LedgerImport.objects.get(organisation=target)
    assert record.kind == "xaf" and record.entries_count == 2
    assert AuditEvent.objects.filter(organisation=target, action="ledger.import_xaf").count() == 1


def test_same_file_twice_adds_nothing(target):
    xaf_import(organisation=target, document=xaf_read(file_name="a.xaf", data=GOOD), actor=None)
    before = counts()
    with pytest.raises(ValidationError, match="already imported on .* Nothing was added"):
        xaf_import(
            organisation=target, document=xaf_read(file_name="again.xaf", data=GOOD), actor=None
        )
    assert counts() == before


def test_overlapping_file_adds_only_new_transactions(target):
    xaf_import(organisation=target, document=xaf_read(file_name="a.xaf", data=GOOD), actor=None)
    more = small_xaf(
        tx("25001", "2025-03-01", ("1000", "150.00", "D"), ("8000", "150.00", "C"))
        + tx("25003", "2025-05-01", ("1000", "10.00", "D"), ("8000", "10.00", "C"))
    )
    result = xaf_import(
        organisation=target, document=xaf_read(file_name="b.xaf", data=more), actor=None
    )
    assert (result.entries, result.already_imported) == (1, 1)
    assert JournalEntry.objects.filter(organisation=target).count() == 3


def test_dry_run_reports_and_writes_nothing(target):
    before = counts()
    result = xaf_import(
        organisation=target,
        document=xaf_read(file_name="a.xaf", data=GOOD),
        actor=None,
        dry_run=True,
    )
    assert result.dry_run and result.entries == 2 and len(result.accounts_created) == 1
    assert counts() == before


def test_opening_balance_in_the_file_becomes_the_opening_entry(target):
    opening = (
        "<openingBalance><opBalDate>2025-01-01</opBalDate><linesCount>2</linesCount>"
        "<totalDebit>500.00</totalDebit><totalCredit>500.00</totalCredit>"
        "<obLine><nr>1</nr><accID>1000</accID><amnt>500.00</amnt><amntTp>D</amntTp></obLine>"
        "<obLine><nr>2</nr><accID>0900</accID><amnt>500.00</amnt><amntTp>C</amntTp></obLine>"
        "</openingBalance>"
    )
    accounts = (
        "<ledgerAccount><accID>1000</accID><accDesc>Kas</accDesc><accTp>B</accTp></ledgerAccount>"
        "<ledgerAccount><accID>0900</accID><accDesc>Algemene reserve</accDesc><accTp>B</accTp>"
        "</ledgerAccount>"
    )
    data = small_xaf(
        tx("1", "2025-02-01", ("1000", "20.00", "C"), ("0900", "20.00", "D")),
        accounts=accounts,
        opening=opening,
    )
    result = xaf_import(
        organisation=target, document=xaf_read(file_name="o.xaf", data=data), actor=None
    )
    assert result.opening_posted
    year = FiscalYear.objects.get(organisation=target)
    assert year.opening_import.opening_entry.date == date(2025, 1, 1)  # type: ignore[union-attr]
    assert balances(target, date(2025, 12, 31))["1000"] == (50_000, 2_000)


# --- round trip and real files ------------------------------------------------------------


def test_own_export_into_the_same_books_is_refused(books):
    services.journal_entry_post(entry=books.hire(5_000), actor=None)
    data = xaf_export(organisation=books.organisation, fiscal_year=books.year)
    before = counts()
    with pytest.raises(
        ValidationError, match="export of these same books .*count every entry twice"
    ):
        xaf_import(
            organisation=books.organisation,
            document=xaf_read(file_name="alfa.xaf", data=data),
            actor=None,
        )
    assert counts() == before


@pytest.fixture
def exact_sample() -> bytes:
    if not EXACT.exists():
        pytest.skip(f"shared data absent ({EXACT})")
    return EXACT.read_bytes()


def test_exact_online_sample_imports_with_a_warning(target, exact_sample):
    document = xaf_read(file_name=EXACT.name, data=exact_sample)
    assert len(document.warnings) == 1
    assert "7 lines carry a negative quantity" in document.warnings[0]
    result = xaf_import(organisation=target, document=document, actor=None)
    assert result.entries == 57
    assert result.lines == 167
    assert result.years_created == ["2016"]
    # Stock accounts without an RGS code (3310, 3320, 3330) had no match: created.
    created = {source for source, _number, _name in result.accounts_created}
    assert {"3310", "3320", "3330"} <= created
    # Bank (BLimBanRba) matches our bank account by its RGS code.
    mapped = {source: (number, how) for source, _d, number, how in result.accounts_mapped}
    assert mapped["1100"] == ("1100", "number")  # same number and RGS code
    assert mapped["1101"] == ("1100", "RGS code")  # another bank account, same code
    # Every account got a type that fits its RGS section.
    for source, number, _name in result.accounts_created:
        account = Account.objects.get(organisation=target, number=number)
        ledger = next(a for a in document.accounts if a.account_id == source)
        if ledger.account_type == "B":
            assert account.is_balance_sheet, (source, number)
        else:
            assert not account.is_balance_sheet, (source, number)
    tb = trial_balance(organisation=target, end=date(2016, 12, 31))
    assert tb.balanced and tb.debit_cents == 99_995_406
    assert verify_organisation(organisation=target) == []


def test_exact_sample_breaks_the_schema_only_with_negative_quantities(exact_sample):
    """Our reading agrees with the official schema: xmlschema finds only the quantities."""
    xmlschema = pytest.importorskip("xmlschema")
    schema = xmlschema.XMLSchema10(str(SCHEMA))
    reasons = {error.reason for error in schema.iter_errors(str(EXACT))}
    assert reasons == {"value must be non negative"}
    assert xaf_read(file_name=EXACT.name, data=exact_sample).warnings


def test_official_specimen_is_schema_valid_but_refused_for_its_totals(exact_sample, target):
    """The official specimen passes the schema, but its one transaction does not balance
    (its README says the totals do not reconcile): refused, naming the transaction."""
    with pytest.raises(ValidationError) as caught:
        xaf_read(file_name=SPECIMEN.name, data=SPECIMEN.read_bytes())
    first = caught.value.messages[0]
    assert first.startswith(f"{SPECIMEN.name}: line 209: transaction String in journal String")
    assert "does not balance: debit € 0,00, credit € 3,14" in first
    assert counts()[0] == 0


def test_command_imports_and_reports(target, tmp_path):
    path = tmp_path / "linde.xaf"
    path.write_bytes(GOOD)
    out, err = io.StringIO(), io.StringIO()
    call_command("import-xaf", str(path), "--organisation", "nieuw", stdout=out, stderr=err)
    assert "Imported 2 entries with 4 lines from linde.xaf." in out.getvalue()
    assert "created (account 4999 in the file)" in out.getvalue()
    with pytest.raises(CommandError, match="already imported"):
        call_command("import-xaf", str(path), "--organisation", "nieuw", stdout=io.StringIO())
    with pytest.raises(CommandError, match="^--organisation: .*'onbekend'"):
        call_command("import-xaf", str(path), "--organisation", "onbekend")
    with pytest.raises(CommandError, match="^FILE: there is no file"):
        call_command("import-xaf", str(tmp_path / "nope.xaf"), "--organisation", "nieuw")


def test_command_dry_run(target, tmp_path):
    path = tmp_path / "linde.xaf"
    path.write_bytes(GOOD)
    before = counts()
    out = io.StringIO()
    call_command("import-xaf", str(path), "--organisation=nieuw", "--dry-run", stdout=out)
    assert "Would import 2 entries" in out.getvalue()
    assert counts() == before


# --- bad input: a located message and nothing written --------------------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (PNG, r"bad\.xaf: this is a PNG file, not an audit file"),
        (b"rekening;debet;credit\n1000;10,00;\n", r"bad\.xaf: this is not XML"),
        (b"", r"bad\.xaf: the file is empty"),
        (
            b'<?xml version="1.0"?>\n<auditfile xmlns="http://www.auditfiles.nl/XAF/3.2">\n'
            b"<header>\n<fiscalYear>2025</fiscalYear>\n</auditfile>",
            r"line 5, column 3: the XML is malformed \(mismatched tag\)",
        ),
        (
            '<?xml version="1.0" encoding="UTF-8"?>\n<auditfile>\n<a>Café</a></auditfile>'.encode(
                "latin-1"
            ),
            r"line 3, column 7: the file says it is UTF-8 but this byte is not",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><auditfile/>',
            r"document type definition or entities",
        ),
        (
            b'<?xml version="1.0"?><auditfile xmlns="http://www.auditfiles.nl/XAF/3.1"/>',
            r"version 3\.1; only XAF 3\.2",
        ),
    ],
)
def test_bad_files_are_refused_with_their_place(target, data, message):
    before = counts()
    with pytest.raises(ValidationError, match=message):
        xaf_read(file_name="bad.xaf", data=data)
    assert counts() == before


def test_unbalanced_transaction_is_named(target):
    data = small_xaf(
        tx("25001", "2025-03-01", ("1000", "150.00", "D"), ("8000", "150.00", "C"))
        + "\n"
        + tx("25002", "2025-04-01", ("4999", "40.50", "D"), ("1000", "40.00", "C"))
    )
    with pytest.raises(ValidationError) as caught:
        xaf_read(file_name="u.xaf", data=data)
    [message] = caught.value.messages
    line = data[: data.index(b"<nr>25002")].count(b"\n") + 1
    assert message.startswith(
        f"u.xaf: line {line}: transaction 25002 in journal 10 does not balance"
    )
    assert "difference € 0,50" in message
    assert counts()[0] == 0


def test_schema_violations_name_line_element_and_field(target):
    data = small_xaf(
        tx("1", "2025-13-01", ("1000", "15,00", "D"), ("9999", "15.00", "X")), qntity=""
    )
    with pytest.raises(ValidationError) as caught:
        xaf_read(file_name="s.xaf", data=data)
    text = "\n".join(caught.value.messages)
    assert "element transaction: the field trDt holds “2025-13-01”, not a date" in text
    assert "element trLine: the field amnt holds “15,00”, not an amount" in text
    assert "element trLine: the field amntTp holds “X”; the schema allows C, D" in text
    assert (
        "field accID: the account 9999 is not in the general ledger" not in text
    )  # X line dropped
    missing = small_xaf(
        "<transaction><nr>1</nr><trDt>2025-01-01</trDt>"
        "<trLine><nr>1</nr><docRef/><effDate>2025-01-01</effDate><amnt>1.00</amnt>"
        "<amntTp>D</amntTp></trLine></transaction>"
    )
    line = missing[: missing.index(b"<trLine>")].count(b"\n") + 1
    with pytest.raises(
        ValidationError, match=rf"line {line}, element trLine: the field accID is missing"
    ):
        xaf_read(file_name="m.xaf", data=missing)
    unknown = small_xaf(tx("1", "2025-01-01", ("1000", "1.00", "D"), ("7777", "1.00", "C")))
    with pytest.raises(ValidationError, match="account 7777 is not in the general ledger"):
        xaf_read(file_name="k.xaf", data=unknown)
    assert counts()[0] == 0


def test_negative_quantity_warns_but_other_bad_quantities_refuse(target):
    line = ("1000", "1.00", "D"), ("8000", "1.00", "C")
    document = xaf_read(
        file_name="q.xaf",
        data=small_xaf(tx("1", "2025-01-01", *line), qntity="<qntity>-2</qntity>"),
    )
    assert "2 lines carry a negative quantity" in document.warnings[0]
    with pytest.raises(ValidationError, match="field qntity holds “two”, not a whole number"):
        xaf_read(
            file_name="q.xaf",
            data=small_xaf(tx("1", "2025-01-01", *line), qntity="<qntity>two</qntity>"),
        )


def test_foreign_currency_and_oversize_are_refused(target, monkeypatch):
    data = GOOD.replace(b"<curCode>EUR</curCode>", b"<curCode>USD</curCode>")
    with pytest.raises(ValidationError, match="kept in USD; only EUR"):
        xaf_read(file_name="usd.xaf", data=data)
    from wijk.ledger import xaf_import as module

    monkeypatch.setattr(module, "MAX_BYTES", 100)
    with pytest.raises(ValidationError, match="larger than 0 MB"):
        xaf_read(file_name="big.xaf", data=GOOD)


def test_failure_while_posting_rolls_everything_back(target):
    """A closed year in the target: the import stops, and nothing of it stays."""
    services.ledger_setup(organisation=target, actor=None)
    year = services.fiscal_year_create(organisation=target, year=2025, actor=None)
    services.fiscal_year_close(fiscal_year=year, actor=None)
    before = counts()
    document = xaf_read(file_name="a.xaf", data=GOOD)
    with pytest.raises(ValidationError, match="fiscal year 2025, which is closed"):
        xaf_import(organisation=target, document=document, actor=None)
    assert counts() == before


def test_posting_refusal_mid_import_leaves_nothing(target):
    services.ledger_setup(organisation=target, actor=None)
    year = services.fiscal_year_create(organisation=target, year=2025, actor=None)
    services.period_close(fiscal_year=year, month_start=date(2025, 4, 1), actor=None)  # type: ignore[arg-type]
    before = counts()
    with pytest.raises(
        ValidationError,
        match=r"Line \d+, transaction 25002 in journal 10: the month 04-2025 is closed",
    ):
        xaf_import(organisation=target, document=xaf_read(file_name="a.xaf", data=GOOD), actor=None)
    assert counts() == before


def test_other_declared_encodings_are_read(target):
    """UTF-16 with a byte order mark, and Windows-1252 when the declaration says so."""
    text = GOOD.decode("utf-8").replace("Kosten kermis", "Kosten kermis én café")
    utf16 = text.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    document = xaf_read(file_name="utf16.xaf", data=utf16)
    assert document.accounts[2].description == "Kosten kermis én café"
    cp1252 = text.replace('encoding="UTF-8"', 'encoding="windows-1252"').encode("cp1252")
    document = xaf_read(file_name="cp1252.xaf", data=cp1252)
    assert document.accounts[2].description == "Kosten kermis én café"


def test_exact_sample_through_the_page_shows_the_warning(client, target, board_a, exact_sample):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from wijk.organisations.services import membership_add

    membership_add(organisation=target, user=board_a, role="board", actor=None)
    client.force_login(board_a)
    response = client.post(
        reverse("xaf_import", kwargs={"organisation": target.slug}),
        {"file": SimpleUploadedFile(EXACT.name, exact_sample), "dry_run": "on"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "7 lines carry a negative quantity" in html
    assert "The import would post 57 entries with 167 lines." in html
    assert counts()[0] == 0
