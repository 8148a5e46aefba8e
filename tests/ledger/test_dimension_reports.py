"""Dimensions on lines (building, activity, fund), the counterparty, and the reports
that use them: result per building and activity, cash position, fund movements,
budget versus actual, the largest funder, the trend chart and PDF downloads."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.factories import make_organisation
from wijk.activities import services as activities
from wijk.ledger import reports, services
from wijk.ledger.models import Fund, JournalEntry
from wijk.ledger.services import LineInput
from wijk.ledger.verification import verify_organisation
from wijk.premises import services as premises

pytestmark = pytest.mark.django_db


def rows(report):
    return {row.label: row.values for row in report.rows if row.kind != "heading"}


@pytest.fixture
def tagged(books, board_a):
    """Books with a building, two activities, a restricted fund and funders."""
    org = books.organisation
    books.centre = premises.building_create(
        organisation=org, data=premises.BuildingData(name="Buurthuis"), actor=board_a
    )
    books.cafe = activities.activity_create(
        organisation=org,
        data=activities.ActivityData(name="Taalcafé", building=books.centre),
        actor=board_a,
    )
    books.bar = activities.activity_create(
        organisation=org, data=activities.ActivityData(name="Bar"), actor=board_a
    )
    grants = services.account_create(
        organisation=org,
        number="8400",
        name_nl="Subsidie",
        name_en="Grant",
        type="income",
        category="public_grants",
        actor=board_a,
    )
    fund_account = services.account_create(
        organisation=org,
        number="0950",
        name_nl="Bestemmingsfonds",
        name_en="Restricted fund",
        type="equity",
        category="restricted_funds",
        actor=board_a,
    )
    books.fund = services.fund_create(
        organisation=org,
        name="Fonds taalcafé",
        kind=Fund.Kind.RESTRICTED_FUND,
        account=fund_account,
        actor=board_a,
    )
    books.grants = grants

    def entry(*lines, day=date(2026, 3, 10), counterparty=""):
        created = services.journal_entry_create(
            organisation=org,
            journal=books.bank_journal,
            date=day,
            description="Boeking",
            lines=list(lines),
            actor=board_a,
            counterparty=counterparty,
        )
        return books.post(created)

    # room hire € 500 in the centre, for the bar
    entry(
        LineInput(books.bank, debit_cents=50000),
        LineInput(books.room_hire, credit_cents=50000, building=books.centre, activity=books.bar),
    )
    # a grant € 1.000 for the language café, from the fund's giver
    entry(
        LineInput(books.bank, debit_cents=100000),
        LineInput(
            grants, credit_cents=100000, activity=books.cafe, fund=books.fund, building=books.centre
        ),
        counterparty="Oranje Fonds",
        day=date(2026, 2, 1),
    )
    # a second grant € 300 from the municipality, and € 200 with no funder named
    entry(
        LineInput(books.bank, debit_cents=30000),
        LineInput(grants, credit_cents=30000),
        counterparty="Gemeente",
        day=date(2026, 4, 1),
    )
    entry(
        LineInput(books.bank, debit_cents=20000),
        LineInput(grants, credit_cents=20000),
        day=date(2026, 4, 2),
    )
    # energy € 250 for the centre; café costs € 400 paid from the fund
    entry(
        LineInput(books.energy, debit_cents=25000, building=books.centre),
        LineInput(books.bank, credit_cents=25000),
        day=date(2026, 3, 20),
    )
    entry(
        LineInput(books.energy, debit_cents=40000, activity=books.cafe, fund=books.fund),
        LineInput(books.bank, credit_cents=40000),
        day=date(2026, 5, 5),
    )
    return books


def test_lines_keep_their_dimensions_and_the_chain_verifies(tagged):
    findings = verify_organisation(organisation=tagged.organisation)
    assert findings == []
    assert tagged.centre.ledger_lines.count() == 3
    assert tagged.cafe.ledger_lines.count() == 2


def test_another_organisations_building_or_activity_is_refused(books, board_a):
    other = make_organisation("Ander", "ander")
    building = premises.building_create(
        organisation=other, data=premises.BuildingData(name="Elders"), actor=None
    )
    activity = activities.activity_create(
        organisation=other, data=activities.ActivityData(name="Elders"), actor=None
    )
    for tags, message in (
        ({"building": building}, "Line 2: unknown building."),
        ({"activity": activity}, "Line 2: unknown activity."),
    ):
        with pytest.raises(ValidationError) as exc:
            books.entry(
                LineInput(books.bank, debit_cents=100),
                LineInput(books.room_hire, credit_cents=100, **tags),
            )
        assert message in exc.value.messages
    assert not JournalEntry.objects.filter(organisation=books.organisation).exists()


def test_result_per_building_and_activity_adds_up_to_the_income_statement(tagged):
    org, year = tagged.organisation, tagged.year
    by_building = rows(
        reports.result_by_dimension(organisation=org, fiscal_year=year, dimension="building")
    )
    assert by_building["Buurthuis"] == (150000, 25000, 125000, None, None)
    assert by_building["Not linked to a building"] == (50000, 40000, 10000, None, None)
    assert by_building["Total"] == (200000, 65000, 135000, None, None)
    by_activity = rows(
        reports.result_by_dimension(organisation=org, fiscal_year=year, dimension="activity")
    )
    assert by_activity["Taalcafé"] == (100000, 40000, 60000, None, None)
    assert by_activity["Bar"] == (50000, 0, 50000, None, None)
    assert by_activity["Not linked to an activity"] == (50000, 25000, 25000, None, None)
    statement = rows(reports.income_statement(organisation=org, fiscal_year=year))
    assert statement["Result (surplus or deficit)"][0] == by_building["Total"][2]
    assert statement["Result (surplus or deficit)"][0] == by_activity["Total"][2]


def test_cash_position_runs_month_by_month(tagged):
    values = rows(reports.cash_position(organisation=tagged.organisation, fiscal_year=tagged.year))
    assert values["February 2026"] == (0, 100000, 0, 100000)
    assert values["March 2026"] == (100000, 50000, 25000, 125000)
    assert values["April 2026"] == (125000, 50000, 0, 175000)
    assert values["May 2026"] == (175000, 0, 40000, 135000)
    assert values["December 2026"] == (135000, 0, 0, 135000)
    assert values["Whole year"] == (0, 200000, 65000, 135000)
    assert values["1100 Bank"] == (None, None, None, 135000)


def test_fund_movements_match_the_balance_sheet_before_and_after_closing(
    tagged, board_a, year_over
):
    org, year = tagged.organisation, tagged.year
    before = rows(reports.fund_movements(organisation=org, fiscal_year=year))
    assert before["Fonds taalcafé"] == (0, 100000, 40000, 0, 60000)
    assert before["General reserve, other reserves and results"] == (0, 100000, 25000, 0, 75000)
    assert before["Total reserves and funds"][4] == 135000
    sheet = rows(reports.balance_sheet(organisation=org, fiscal_year=year))
    assert sheet["Total assets"][0] == before["Total reserves and funds"][4]
    services.fiscal_year_close(fiscal_year=year, actor=board_a)
    year.refresh_from_db()
    after = rows(reports.fund_movements(organisation=org, fiscal_year=year))
    assert after == before  # a closed year's report is reproducible
    sheet = rows(reports.balance_sheet(organisation=org, fiscal_year=year))
    assert sheet["Restricted funds"][0] == 60000


def test_largest_funder_and_grants_without_a_funder(tagged):
    report = reports.independence(organisation=tagged.organisation)
    values = rows(report)
    # income € 2.000; the largest funder gave € 1.000 → 50 %; € 200 of € 1.500 grants unnamed
    assert values["Largest single funder (its grants / total income)"] == (5000,)
    assert values["Grants without a recorded funder (share of all grants)"] == (1333,)
    assert any("Oranje Fonds" in note for note in report.notes)
    assert any("no funder recorded" in note for note in report.notes)


def test_budget_versus_actual_counts_up_to_this_month(tagged, board_a):
    services.budget_set_year(
        fiscal_year=tagged.year, account=tagged.energy, annual_cents=120000, actor=board_a
    )
    report = reports.budget_vs_actual(
        organisation=tagged.organisation, fiscal_year=tagged.year, today=date(2026, 4, 15)
    )
    values = rows(report)
    assert values["4300 Energie"] == (120000, 40000, 25000, -15000)
    assert values["8000 Zaalverhuur"] == (0, 0, 50000, 50000)
    assert values["Result (surplus or deficit)"] == (-120000, -40000, 175000, 215000)
    assert "up to and including 30-04-2026" in report.subtitle
    early = reports.budget_vs_actual(
        organisation=tagged.organisation, fiscal_year=tagged.year, today=date(2025, 6, 1)
    )
    assert rows(early)["4300 Energie"] == (120000, 0, 0, 0)


def test_fund_must_use_a_reserves_account_of_its_kind(books, board_a):
    with pytest.raises(ValidationError) as exc:
        services.fund_create(
            organisation=books.organisation,
            name="Verkeerd",
            kind=Fund.Kind.RESTRICTED_FUND,
            account=books.reserve,  # a general reserve
            actor=board_a,
        )
    assert "account" in exc.value.message_dict
    assert not Fund.objects.filter(organisation=books.organisation).exists()


def test_fund_page_adds_a_fund_and_locates_errors(client, tagged, board_a):
    client.force_login(board_a)
    url = reverse("fund_list", kwargs={"organisation": tagged.organisation.slug})
    page = client.get(url)
    assert page.status_code == 200
    assert "Fonds taalcafé" in page.content.decode()
    bad = client.post(url, {"name": "", "kind": "restricted_fund", "account": ""})
    assert bad.status_code == 400
    assert 'id="id_name_errors"' in bad.content.decode()
    assert Fund.objects.filter(organisation=tagged.organisation).count() == 1
    good = client.post(
        url,
        {
            "name": "Reserve",
            "kind": "restricted_fund",
            "account": tagged.fund.account_id,
            "purpose": "Voor later",
        },
    )
    assert good.status_code == 302
    assert Fund.objects.filter(organisation=tagged.organisation).count() == 2


def test_entry_form_saves_dimensions_and_counterparty(client, tagged, board_a):
    client.force_login(board_a)
    url = reverse("entry_create", kwargs={"organisation": tagged.organisation.slug})
    form = {
        "journal": tagged.bank_journal.pk,
        "date": "2026-06-01",
        "description": "Zaalhuur juni",
        "reference": "",
        "counterparty": "Koor Nieuw-West",
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "2",
        "lines-MAX_NUM_FORMS": "40",
        "lines-0-account": tagged.bank.pk,
        "lines-0-debit": "75,00",
        "lines-1-account": tagged.room_hire.pk,
        "lines-1-credit": "75,00",
        "lines-1-building": tagged.centre.pk,
        "lines-1-activity": tagged.bar.pk,
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    line = tagged.bar.ledger_lines.get(entry__description="Zaalhuur juni")
    assert line.building == tagged.centre
    assert line.entry.counterparty == "Koor Nieuw-West"


REPORT_PAGES = [
    ("trial_balance", "Trial balance"),
    ("income_statement", "Statement of income and expenditure"),
    ("balance_sheet", "Balance sheet"),
    ("budget_vs_actual", "Budget versus actual"),
    ("result_by_building", "Result per building"),
    ("result_by_activity", "Result per activity"),
    ("cash_position", "Cash position"),
    ("fund_movements", "Movements of funds and reserves"),
    ("independence", "Financial independence"),
]


@pytest.mark.parametrize(("name", "title"), REPORT_PAGES)
def test_every_report_as_page_csv_xlsx_and_pdf(client, tagged, board_a, name, title):
    client.force_login(board_a)
    url = reverse(name, kwargs={"organisation": tagged.organisation.slug})
    page = client.get(url)
    assert page.status_code == 200
    assert title in page.content.decode()
    csv_response = client.get(url + "?formaat=csv")
    assert csv_response["Content-Type"].startswith("text/csv")
    assert title in csv_response.content.decode()
    xlsx = client.get(url + "?formaat=xlsx")
    assert xlsx.content[:2] == b"PK"
    pdf = client.get(url + "?formaat=pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(  # noqa: S603 - fixed program, our own bytes on stdin
            ["pdftotext", "-layout", "-", "-"],  # noqa: S607
            input=pdf.content,
            capture_output=True,
            check=True,
        ).stdout.decode()
        assert title in text
        assert tagged.organisation.name in text


def test_independence_page_has_a_chart_with_its_data(client, tagged, board_a):
    client.force_login(board_a)
    url = reverse("independence", kwargs={"organisation": tagged.organisation.slug})
    html = client.get(url).content.decode()
    assert 'id="report-chart"' in html
    assert "<svg" in html
    data = client.get(url + "?formaat=grafiek-csv").content.decode()
    assert data.splitlines()[0] == "Fiscal year,Indicator,Share of total income (%)"
    assert "2026,Largest single funder,50.00" in data
    # a report without a chart has no chart data
    other = reverse("cash_position", kwargs={"organisation": tagged.organisation.slug})
    assert client.get(other + "?formaat=grafiek-csv").status_code == 404


def test_report_index_links_every_report(client, tagged, board_a):
    client.force_login(board_a)
    html = client.get(
        reverse("report_index", kwargs={"organisation": tagged.organisation.slug})
    ).content.decode()
    for name, _title in REPORT_PAGES:
        assert reverse(name, kwargs={"organisation": tagged.organisation.slug}) in html


def test_command_line_gives_every_report_and_a_pdf(tagged, tmp_path, capsys):
    slug = tagged.organisation.slug
    for name in (
        "trial-balance",
        "budget-vs-actual",
        "result-by-building",
        "result-by-activity",
        "cash-position",
        "fund-movements",
    ):
        call_command("report", name, "--organisation", slug, "--year", "2026")
        assert capsys.readouterr().out.count("\n") > 2
    target = tmp_path / "independence.pdf"
    call_command(
        "report", "independence", "--organisation", slug, "--format", "pdf", "--output", str(target)
    )
    assert target.read_bytes().startswith(b"%PDF")


def test_a_closed_years_reports_are_reproducible(tagged, board_a, year_over):
    """Regenerating a closed year's reports later gives the same figures."""
    from wijk.ledger.views import REPORTS

    org, year = tagged.organisation, tagged.year
    services.fiscal_year_close(fiscal_year=year, actor=board_a)
    year.refresh_from_db()

    def snapshot():
        return {
            name: [
                (row.label, row.values) for row in builder(organisation=org, fiscal_year=year).rows
            ]
            for name, builder in REPORTS.items()
            if name not in ("independence", "budget-vs-actual")  # these span or follow today
        }

    first = snapshot()
    # the next year goes on: new entries, a new building, a budget
    services.fiscal_year_create(organisation=org, year=2027, actor=board_a)
    later = services.journal_entry_create(
        organisation=org,
        journal=tagged.bank_journal,
        date=date(2027, 1, 5),
        description="Zaalhuur 2027",
        lines=[
            LineInput(tagged.bank, debit_cents=777),
            LineInput(tagged.room_hire, credit_cents=777, building=tagged.centre),
        ],
        actor=board_a,
    )
    tagged.post(later)
    premises.building_create(
        organisation=org, data=premises.BuildingData(name="Nieuw gebouw"), actor=board_a
    )
    services.fund_create(
        organisation=org,
        name="Nieuw fonds",
        kind=Fund.Kind.RESTRICTED_FUND,
        account=tagged.fund.account,
        actor=board_a,
    )
    assert snapshot() == first
    independence = reports.independence(organisation=org)
    assert independence.columns == ["2026", "2027"]


def test_ledger_detail_downloads_and_command_line(client, tagged, board_a, capsys):
    client.force_login(board_a)
    url = reverse(
        "account_detail", kwargs={"organisation": tagged.organisation.slug, "pk": tagged.bank.pk}
    )
    data = client.get(url + "?formaat=csv").content.decode().splitlines()
    assert data[2] == "Opening balance,,,0.00"
    assert data[-1] == "Closing balance,2000.00,650.00,1350.00"
    assert client.get(url + "?formaat=pdf").content.startswith(b"%PDF")
    call_command(
        "report", "ledger-detail", "--organisation", tagged.organisation.slug, "--account", "1100"
    )
    assert capsys.readouterr().out.splitlines()[-1] == "Closing balance,2000.00,650.00,1350.00"
    with pytest.raises(CommandError, match="--account"):
        call_command("report", "ledger-detail", "--organisation", tagged.organisation.slug)
    with pytest.raises(CommandError, match="has no account '9999'"):
        call_command(
            "report",
            "ledger-detail",
            "--organisation",
            tagged.organisation.slug,
            "--account",
            "9999",
        )


def test_budgets_per_building_and_activity_stay_apart(client, tagged, board_a):
    org, year = tagged.organisation, tagged.year
    services.budget_set_year(
        fiscal_year=year, account=tagged.room_hire, annual_cents=90000, actor=board_a
    )
    services.budget_set_year(
        fiscal_year=year,
        account=tagged.room_hire,
        annual_cents=120000,
        actor=board_a,
        building=tagged.centre,
    )
    services.budget_set_year(
        fiscal_year=year,
        account=tagged.energy,
        annual_cents=30000,
        actor=board_a,
        building=tagged.centre,
    )
    services.budget_set_year(
        fiscal_year=year,
        account=tagged.energy,
        annual_cents=50000,
        actor=board_a,
        activity=tagged.cafe,
    )
    # setting the building's budget again replaces only that one
    services.budget_set_year(
        fiscal_year=year,
        account=tagged.room_hire,
        annual_cents=110000,
        actor=board_a,
        building=tagged.centre,
    )
    with pytest.raises(ValidationError):
        services.budget_set_year(
            fiscal_year=year,
            account=tagged.energy,
            annual_cents=1,
            actor=board_a,
            building=tagged.centre,
            activity=tagged.cafe,
        )
    by_building = rows(
        reports.result_by_dimension(organisation=org, fiscal_year=year, dimension="building")
    )
    assert by_building["Buurthuis"][3] == 110000 - 30000
    assert by_building["Not linked to a building"][3] is None
    assert by_building["Total"][3] == 80000
    by_activity = rows(
        reports.result_by_dimension(organisation=org, fiscal_year=year, dimension="activity")
    )
    assert by_activity["Taalcafé"][3] == -50000
    # the organisation's own budget is untouched by the building's and activity's
    statement = rows(reports.income_statement(organisation=org, fiscal_year=year))
    assert statement["Income from products and services"][1] == 90000
    assert statement["Premises"][1] == 0

    client.force_login(board_a)
    url = reverse("budget", kwargs={"organisation": org.slug})
    page = client.get(url + f"?jaar={year.pk}&voor=gebouw-{tagged.centre.pk}")
    assert 'value="1.100,00"' in page.content.decode()
    saved = client.post(
        url + f"?jaar={year.pk}&voor=activiteit-{tagged.bar.pk}",
        {f"budget-{tagged.room_hire.pk}": "600", f"budget-{tagged.energy.pk}": ""},
    )
    assert saved.status_code == 302
    assert saved["Location"].endswith(f"voor=activiteit-{tagged.bar.pk}")
    assert services_budget(year, activity=tagged.bar) == {tagged.room_hire.pk: 60000}
    assert services_budget(year)[tagged.room_hire.pk] == 90000


def services_budget(year, **dimension):
    from wijk.ledger.selectors import budget_by_account

    return budget_by_account(fiscal_year=year, **dimension)


def test_treasurer_adds_an_account_on_the_chart_page(client, books, board_a):
    from wijk.ledger.models import Account

    client.force_login(board_a)
    url = reverse("account_list", kwargs={"organisation": books.organisation.slug})
    before = Account.objects.filter(organisation=books.organisation).count()
    missing = client.post(url, {"number": "8020", "name_nl": "", "type": "income"})
    assert missing.status_code == 400
    for field in ("name_nl", "category"):
        assert f'id="id_{field}_errors"' in missing.content.decode()
    short = client.post(
        url, {"number": "80", "name_nl": "Verhuur", "type": "income", "category": "trading"}
    )
    assert short.status_code == 400
    assert 'id="id_number_errors"' in short.content.decode()
    clash = client.post(
        url,
        {"number": "8020", "name_nl": "Verhuur sporthal", "type": "income", "category": "staff"},
    )
    assert clash.status_code == 400
    assert "does not fit the account type" in clash.content.decode()
    assert Account.objects.filter(organisation=books.organisation).count() == before
    good = client.post(
        url,
        {"number": "8020", "name_nl": "Verhuur sporthal", "type": "income", "category": "trading"},
    )
    assert good.status_code == 302
    account = Account.objects.get(organisation=books.organisation, number="8020")
    assert account.name_en == "Verhuur sporthal"
