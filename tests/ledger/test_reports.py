"""Reports: income and expenditure with budget and previous year, balance sheet,
independence indicators; page, CSV, XLSX and command line from the same figures."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from wijk.ledger import reports, services
from wijk.ledger.models import BudgetLine
from wijk.ledger.services import LineInput

pytestmark = pytest.mark.django_db


def rows(report):
    return {row.label: row.values for row in report.rows if row.kind != "heading"}


@pytest.fixture
def year_of_books(books, board_a):
    grant = services.account_create(
        organisation=books.organisation,
        number="8400",
        name_nl="Subsidie gemeente",
        name_en="Municipal grant",
        type="income",
        category="public_grants",
        actor=board_a,
    )
    books.post(books.hire(60000))  # room hire € 600
    books.post(
        books.entry(LineInput(books.bank, debit_cents=40000), LineInput(grant, credit_cents=40000))
    )
    books.post(
        books.entry(
            LineInput(books.energy, debit_cents=25000), LineInput(books.bank, credit_cents=25000)
        )
    )
    services.budget_set_year(
        fiscal_year=books.year, account=books.energy, annual_cents=30001, actor=board_a
    )
    books.grant = grant
    return books


def test_budget_is_spread_exactly_over_the_months(year_of_books):
    lines = BudgetLine.objects.filter(account=year_of_books.energy).order_by("month_start")
    assert lines.count() == 12
    assert sum(line.amount_cents for line in lines) == 30001
    assert lines.last().amount_cents == 2500 + 1


def test_budget_only_for_income_and_expense_accounts(books, board_a):
    with pytest.raises(ValidationError) as exc:
        services.budget_set_year(
            fiscal_year=books.year, account=books.bank, annual_cents=100, actor=board_a
        )
    assert "account" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.budget_set_year(
            fiscal_year=books.year, account=books.energy, annual_cents=-1, actor=board_a
        )


def test_income_statement(year_of_books):
    report = reports.income_statement(
        organisation=year_of_books.organisation, fiscal_year=year_of_books.year
    )
    values = rows(report)
    assert values["Income from products and services"] == (60000, 0, None)
    assert values["Grants from government"] == (40000, 0, None)
    assert values["Total income"] == (100000, 0, None)
    assert values["Premises"] == (25000, 30001, None)
    assert values["Result (surplus or deficit)"] == (75000, -30001, None)


def test_previous_year_column_and_closed_years_keep_their_figures(
    year_of_books, board_a, year_over
):
    books = year_of_books
    services.fiscal_year_close(fiscal_year=books.year, actor=board_a)
    next_year = services.fiscal_year_create(
        organisation=books.organisation, year=2027, actor=board_a
    )
    books.post(books.hire(1000, day=date(2027, 2, 1)))
    closed = rows(reports.income_statement(organisation=books.organisation, fiscal_year=books.year))
    assert closed["Total income"][0] == 100000  # the closing entry is left out
    current = rows(reports.income_statement(organisation=books.organisation, fiscal_year=next_year))
    assert current["Total income"] == (1000, 0, 100000)
    sheet = rows(reports.balance_sheet(organisation=books.organisation, fiscal_year=next_year))
    assert sheet["General reserve"] == (75000, 75000)
    assert sheet["Result of the year not yet allocated"] == (1000, 0)
    assert sheet["Total assets"] == sheet["Total liabilities, reserves and funds"] == (76000, 75000)


def test_balance_sheet_balances(year_of_books):
    sheet = rows(
        reports.balance_sheet(
            organisation=year_of_books.organisation, fiscal_year=year_of_books.year
        )
    )
    assert sheet["Cash and bank"] == (75000,)
    assert sheet["Total assets"] == sheet["Total liabilities, reserves and funds"]


def test_independence_indicators(year_of_books):
    values = rows(reports.independence(organisation=year_of_books.organisation))
    assert values["Earned income share (trading and service contracts / total income)"] == (
        6000,
    )  # 60.00 %
    assert values["Grant dependency (public and private grants / total income)"] == (4000,)
    assert values["Reserves in months of expenditure"] == (360000,)  # 750 / (250/12) = 36 months
    assert values["Current ratio (receivables and cash / current liabilities)"] == (None,)


def test_pages_csv_and_xlsx(client, year_of_books, board_a):
    client.force_login(board_a)
    org = year_of_books.organisation
    for name in ("income_statement", "balance_sheet", "independence"):
        page = client.get(reverse(name, kwargs={"organisation": org.slug}))
        assert page.status_code == 200
        assert 'id="report-table"' in page.content.decode()
    csv_response = client.get(
        reverse("income_statement", kwargs={"organisation": org.slug}) + "?formaat=csv"
    )
    assert csv_response["Content-Type"].startswith("text/csv")
    assert "Total income,1000.00,0.00," in csv_response.content.decode()
    xlsx = client.get(reverse("balance_sheet", kwargs={"organisation": org.slug}) + "?formaat=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    labels = {row[0].value: row[1].value for row in sheet.iter_rows() if row[0].value}
    assert float(labels["Cash and bank"]) == 750.0


def test_report_pages_show_euros(client, year_of_books, board_a):
    client.force_login(board_a)
    html = client.get(
        reverse("income_statement", kwargs={"organisation": year_of_books.organisation.slug})
    ).content.decode()
    assert "€ 1.000,00" in html and "€ 750,00" in html


def test_command_line_reports(year_of_books, tmp_path):
    out = io.StringIO()
    call_command(
        "report",
        "income-statement",
        "--organisation",
        year_of_books.organisation.slug,
        "--year",
        "2026",
        stdout=out,
    )
    assert "Total income,1000.00" in out.getvalue()
    target = tmp_path / "balans.xlsx"
    call_command(
        "report",
        "balance-sheet",
        "--organisation",
        year_of_books.organisation.slug,
        "--format",
        "xlsx",
        "--output",
        str(target),
    )
    assert openpyxl.load_workbook(target).active["A1"].value == "Balance sheet"
    with pytest.raises(CommandError, match="--organisation"):
        call_command("report", "balance-sheet", "--organisation", "onbekend")
    with pytest.raises(CommandError, match="--year"):
        call_command(
            "report",
            "balance-sheet",
            "--organisation",
            year_of_books.organisation.slug,
            "--year",
            "1990",
        )


def test_budget_page_saves_and_locates_bad_amounts(client, books, board_a):
    from tests.factories import make_user

    client.force_login(board_a)
    url = reverse("budget", kwargs={"organisation": books.organisation.slug})
    page = client.get(url)
    assert page.status_code == 200
    assert f'name="budget-{books.energy.pk}"' in page.content.decode()
    bad = client.post(
        url, {f"budget-{books.energy.pk}": "12,3,4", f"budget-{books.room_hire.pk}": "9.000"}
    )
    assert bad.status_code == 400
    assert f'href="#budget-{books.energy.pk}"' in bad.content.decode()
    assert not BudgetLine.objects.exists()
    good = client.post(
        url, {f"budget-{books.energy.pk}": "1.200,00", f"budget-{books.room_hire.pk}": "9.000"}
    )
    assert good.status_code == 302
    assert (
        sum(BudgetLine.objects.filter(account=books.energy).values_list("amount_cents", flat=True))
        == 120000
    )
    assert (
        sum(
            BudgetLine.objects.filter(account=books.room_hire).values_list(
                "amount_cents", flat=True
            )
        )
        == 900000
    )
    reader = make_user("kas@alfa.example", books.organisation, "audit_committee")
    client.force_login(reader)
    assert client.get(url).status_code == 200
    assert client.post(url, {f"budget-{books.energy.pk}": "1"}).status_code == 403


def test_ledger_detail_runs_the_balance_and_starts_from_the_opening(client, year_of_books, board_a):
    from wijk.ledger.selectors import ledger_detail

    books = year_of_books
    later = services.fiscal_year_create(organisation=books.organisation, year=2027, actor=board_a)
    books.post(books.hire(1000, day=date(2027, 1, 5)))
    detail = ledger_detail(account=books.bank, fiscal_year=later)
    assert detail.opening_cents == 75000
    assert [line.balance_cents for line in detail.lines] == [76000]
    this_year = ledger_detail(account=books.bank, fiscal_year=books.year)
    assert this_year.opening_cents == 0
    assert [line.balance_cents for line in this_year.lines] == [60000, 100000, 75000]
    client.force_login(board_a)
    page = client.get(
        reverse(
            "account_detail", kwargs={"organisation": books.organisation.slug, "pk": books.bank.pk}
        )
        + f"?jaar={later.pk}"
    )
    html = page.content.decode()
    assert page.status_code == 200 and "€ 760,00" in html and "€ 750,00" in html


def test_the_dashboard_counts_the_year_so_far_not_what_is_dated_later(
    client, books, board_a, monkeypatch
):
    from django.utils import timezone

    from wijk.ledger.selectors import year_summary

    books.post(books.hire(10_000, day=date(2026, 3, 10)))
    books.post(books.hire(2_500, day=date(2026, 12, 1)))  # dated ahead, an invoice paid early
    whole = year_summary(organisation=books.organisation, fiscal_year=books.year)
    so_far = year_summary(
        organisation=books.organisation, fiscal_year=books.year, until=date(2026, 11, 28)
    )
    assert (whole.income_cents, whole.cash_cents) == (12_500, 12_500)
    assert (so_far.income_cents, so_far.cash_cents) == (10_000, 10_000)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(2026, 11, 28))
    client.force_login(board_a)
    page = client.get(reverse("dashboard", kwargs={"organisation": books.organisation.slug}))
    html = page.content.decode()
    assert "€ 100,00" in html and "€ 125,00" not in html
