"""Opening balances from CSV or XLSX: one balanced opening entry per fiscal year, posted
through the posting service; every bad file refused with its line and column, nothing
written."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from wijk.core.models import AuditEvent
from wijk.ledger import services
from wijk.ledger.imports import (
    opening_balances_import,
    opening_balances_read,
    opening_from_session,
    opening_to_session,
)
from wijk.ledger.models import (
    Account,
    FiscalYear,
    Fund,
    JournalEntry,
    JournalLine,
    LedgerImport,
)
from wijk.ledger.selectors import trial_balance

pytestmark = pytest.mark.django_db

GOOD_CSV = (
    b"rekening;omschrijving;debet;credit;fonds\n"
    b"1100;Betaalrekening;12.345,67;;\n"
    b"1000;Kas;150,00;;\n"
    b"BSchCreHac;Crediteuren;;1.000,00;\n"  # an RGS code that fits one account (1600)
    b"0900;Algemene reserve;;11495.67;\n"
)


@pytest.fixture
def chart(org_a):  # type: ignore[no-untyped-def]
    services.ledger_setup(organisation=org_a, actor=None)
    year = services.fiscal_year_create(organisation=org_a, year=2026, actor=None)
    return org_a, year


def counts() -> tuple[int, ...]:
    return (
        JournalEntry.objects.count(),
        JournalLine.objects.count(),
        LedgerImport.objects.count(),
        AuditEvent.objects.count(),
        FiscalYear.objects.count(),
    )


def read(organisation, data: bytes, name: str = "beginbalans.csv"):  # type: ignore[no-untyped-def]
    return opening_balances_read(organisation=organisation, file_name=name, data=data)


def test_csv_becomes_one_posted_opening_entry(chart, board_a):
    organisation, year = chart
    creditors = Account.objects.get(organisation=organisation, rgs_code="BSchCreHac")
    opening = read(organisation, GOOD_CSV)
    assert [line.line for line in opening.lines] == [2, 3, 4, 5]
    assert opening.lines[2].account == creditors
    assert opening.debit_cents == opening.credit_cents == 1_249_567
    record = opening_balances_import(
        organisation=organisation, fiscal_year=year, opening=opening, actor=board_a
    )
    entry = record.opening_entry
    assert entry is not None and entry.is_posted
    assert entry.date == date(2026, 1, 1)
    assert entry.journal.kind == "general"
    assert entry.description == "Opening balance 2026"
    assert record.opening_year == year
    rows = {
        row.account.number: (row.debit_cents, row.credit_cents)
        for row in trial_balance(organisation=organisation, end=date(2026, 1, 1)).rows
    }
    assert rows == {
        "1100": (1_234_567, 0),
        "1000": (15_000, 0),
        "1600": (0, 100_000),
        "0900": (0, 1_149_567),
    }
    event = AuditEvent.objects.get(action="ledger.import_opening")
    assert event.actor == board_a and event.data["total"] == "€ 12.495,67"


def test_xlsx_with_numbers_and_lost_leading_zeros(chart):
    organisation, year = chart
    fund_account = Account.objects.filter(
        organisation=organisation, category="restricted_funds"
    ).first()
    assert fund_account is not None
    Fund.objects.create(
        organisation=organisation, name="Speeltuin", kind="restricted_fund", account=fund_account
    )
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Account", "Description", "Debit", "Credit", "Fund"])
    sheet.append([1100, "Bank", 2500.5, None, None])
    sheet.append([int(fund_account.number), "Fonds speeltuin", None, "2.000,50", "speeltuin"])
    sheet.append([900, "Reserve", None, 500, None])  # 0900 typed as a number
    sheet.append([None, None, None, None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    opening = read(organisation, buffer.getvalue(), "beginbalans.xlsx")
    assert [
        (line.account.number, line.debit_cents, line.credit_cents) for line in opening.lines
    ] == [
        ("1100", 250_050, 0),
        (fund_account.number, 0, 200_050),
        ("0900", 0, 50_000),
    ]
    assert opening.lines[1].fund is not None and opening.lines[1].fund.name == "Speeltuin"
    opening_balances_import(
        organisation=organisation, fiscal_year=year, opening=opening, actor=None
    )
    assert JournalLine.objects.filter(fund__name="Speeltuin").count() == 1


def test_same_file_twice_and_second_opening_are_refused(chart):
    organisation, year = chart
    opening_balances_import(
        organisation=organisation,
        fiscal_year=year,
        opening=read(organisation, GOOD_CSV),
        actor=None,
    )
    before = counts()
    with pytest.raises(
        ValidationError, match=r"beginbalans.csv was already imported on .*Nothing was added"
    ):
        opening_balances_import(
            organisation=organisation,
            fiscal_year=year,
            opening=read(organisation, GOOD_CSV),
            actor=None,
        )
    other = GOOD_CSV.replace(b"150,00", b"150,01").replace(b"11495.67", b"11495.68")
    with pytest.raises(ValidationError, match="2026 already has an opening entry"):
        opening_balances_import(
            organisation=organisation,
            fiscal_year=year,
            opening=read(organisation, other),
            actor=None,
        )
    assert counts() == before


def test_books_with_earlier_entries_are_refused(chart):
    organisation, year = chart
    earlier = services.fiscal_year_create(organisation=organisation, year=2025, actor=None)
    bank = Account.objects.get(organisation=organisation, number="1100")
    reserve = Account.objects.get(organisation=organisation, number="0900")
    general = organisation.journals.get(code="MEM")
    entry = services.journal_entry_create(
        organisation=organisation,
        journal=general,
        date=earlier.start_date,
        description="Start",
        lines=[
            services.LineInput(bank, debit_cents=100),
            services.LineInput(reserve, credit_cents=100),
        ],
        actor=None,
    )
    services.journal_entry_post(entry=entry, actor=None)
    before = counts()
    with pytest.raises(ValidationError, match="already hold entries before 01-01-2026"):
        opening_balances_import(
            organisation=organisation,
            fiscal_year=year,
            opening=read(organisation, GOOD_CSV),
            actor=None,
        )
    assert counts() == before


def test_session_round_trip_keeps_the_preview_inside_the_organisation(chart, org_b):
    organisation, year = chart
    opening = read(organisation, GOOD_CSV)
    data = opening_to_session(opening, fiscal_year=year)
    again = opening_from_session(organisation=organisation, data=data)
    assert again is not None and again[1].lines == opening.lines and again[0] == year
    assert opening_from_session(organisation=org_b, data=data) is None
    assert opening_from_session(organisation=organisation, data={"year": year.pk}) is None


def test_command(chart, tmp_path):
    path = tmp_path / "beginbalans.csv"
    path.write_bytes(GOOD_CSV)
    out = io.StringIO()
    call_command(
        "import-opening-balances", str(path), "--organisation", "alfa", "--year", "2026", stdout=out
    )
    assert "Opening balance 2026 posted: 4 lines, € 12.495,67 on each side" in out.getvalue()
    before = counts()
    with pytest.raises(CommandError, match="already imported"):
        call_command("import-opening-balances", str(path), "--organisation=alfa", "--year=2026")
    # A year that does not exist yet would be opened, in the same transaction.
    err = io.StringIO()
    other = tmp_path / "beginbalans-2027.csv"
    other.write_bytes(GOOD_CSV.replace(b"Kas;", b"Kas 2027;"))
    with pytest.raises(CommandError, match="already hold entries before 01-01-2027"):
        call_command(
            "import-opening-balances",
            str(other),
            "--organisation=alfa",
            "--year=2027",
            stdout=io.StringIO(),
            stderr=err,
        )
    assert counts() == before
    with pytest.raises(CommandError, match="^FILE: there is no file"):
        call_command("import-opening-balances", "nope.csv", "--organisation=alfa", "--year=2026")
    with pytest.raises(CommandError, match="^--organisation"):
        call_command("import-opening-balances", str(path), "--organisation=x", "--year=2026")


def test_command_opens_a_missing_year(org_a, tmp_path):
    services.ledger_setup(organisation=org_a, actor=None)
    path = tmp_path / "b.csv"
    path.write_bytes(GOOD_CSV)
    err = io.StringIO()
    call_command(
        "import-opening-balances",
        str(path),
        "--organisation=alfa",
        "--year=2024",
        stdout=io.StringIO(),
        stderr=err,
    )
    assert "Fiscal year 2024 opened." in err.getvalue()
    assert FiscalYear.objects.get(organisation=org_a).opening_import is not None


# --- bad input: the line, the column, what to do; nothing written -----------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b"rekening;debet;credit\n1100;12,3,4;\n0900;;10,00\n",
            "beginbalans.csv, line 2, column B (debet): “12,3,4” is not an amount. "
            "Write it as 1.234,56 or 1234.56",
        ),
        (
            b"rekening;debet;credit\n9876;10,00;\n0900;;10,00\n",
            "beginbalans.csv, line 2, column A (rekening): there is no account 9876 in the chart "
            "of accounts",
        ),
        (
            b"rekening;debet;credit\nBLimKasKas;10,00;\n0900;;10,00\n",
            "line 2, column A (rekening): the RGS code BLimKasKas fits several accounts (1000, 1010)",
        ),
        (
            b"rekening;debet;credit\n1100;10,00;5,00\n0900;;10,00\n",
            "line 2: both debit and credit are filled in",
        ),
        (b"rekening;debet;credit\n1100;-10,00;\n", "line 2: a negative amount"),
        (
            b"rekening;bedrag\n1100;10,00\n",
            "line 1: the first line must name the columns account, debit and credit",
        ),
        (
            b"rekening;debet;credit;fonds\n1100;10,00;;Onbekend\n",
            "line 2, column D (fonds): there is no fund named “Onbekend”",
        ),
        (
            "rekening;debet;credit\n1100;10,00;\n0900;;10,00;Café\n".encode("cp1252"),
            "line 3: this is not UTF-8",
        ),
        (
            b"\x89PNG\r\n\x1a\n" + b"\x00" * 30,
            "beginbalans.csv is a PNG file, not a list of balances",
        ),
        (b"PK\x03\x04garbage", "this is not a spreadsheet that can be read"),
        (b"   \n", "beginbalans.csv is empty"),
    ],
)
def test_bad_files_are_refused_with_line_and_column(chart, data, message):
    organisation, _year = chart
    before = counts()
    with pytest.raises(ValidationError) as caught:
        read(organisation, data)
    assert any(message in text for text in caught.value.messages), caught.value.messages
    assert counts() == before


def test_income_account_and_unbalanced_file_are_refused(chart):
    organisation, year = chart
    data = b"rekening;debet;credit\n1100;100,00;\n8000;;60,00\n0900;;30,00\n"
    opening = read(organisation, data)
    before = counts()
    with pytest.raises(ValidationError) as caught:
        opening_balances_import(
            organisation=organisation, fiscal_year=year, opening=opening, actor=None
        )
    messages = caught.value.messages
    assert any(
        m.startswith("beginbalans.csv, line 3: account 8000 is an income or expense account")
        for m in messages
    )
    assert any(
        "does not balance: debit € 100,00, credit € 90,00. The debit side is € 10,00 higher" in m
        for m in messages
    )
    assert counts() == before


def test_closed_year_is_refused(chart, year_over):
    organisation, year = chart
    services.fiscal_year_close(fiscal_year=year, actor=None)
    year.refresh_from_db()
    before = counts()
    with pytest.raises(ValidationError, match="The fiscal year 2026 is closed"):
        opening_balances_import(
            organisation=organisation,
            fiscal_year=year,
            opening=read(organisation, GOOD_CSV),
            actor=None,
        )
    assert counts() == before


def test_books_not_set_up(org_b):
    with pytest.raises(ValidationError, match="Set up the books first"):
        read(org_b, GOOD_CSV)
