"""A building's result from the books, beside its budget and last year, with hire ratios."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from tests.factories import make_user
from tests.premises.test_invoicing import book
from tests.premises.test_invoicing import centre as centre  # noqa: F401 - fixture
from wijk.ledger import services as ledger
from wijk.ledger.models import Account, BudgetLine, FiscalYear
from wijk.premises import invoicing, results, services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_result_hire_income_and_ratios_by_hand(org_a, centre):
    building, hall, coffee = centre
    services.building_update(
        building=building,
        data=services.BuildingData(name="Buurthuis", floor_area_m2=200),
        actor=None,
    )
    building.refresh_from_db()
    # 2.5 h × € 20 exempt hire + 10 coffees € 15 catering, in March
    book(hall, date(2026, 3, 2), (19, 0), (21, 30), add_ons=[coffee], people=10)
    invoicing.bookings_invoice(
        organisation=org_a,
        month=date(2026, 3, 1),
        per="customer",
        actor=None,
        issue_date=date(2026, 3, 31),
    )
    year = FiscalYear.objects.get(organisation=org_a)
    accounts = {a.number: a for a in Account.objects.filter(organisation=org_a)}
    entry = ledger.journal_entry_create(
        organisation=org_a,
        journal=year.organisation.journals.get(code="MEM"),
        date=date(2026, 4, 10),
        description="Schoonmaak",
        lines=[
            ledger.LineInput(accounts["4120"], debit_cents=2_000, building=building),
            ledger.LineInput(accounts["1100"], credit_cents=2_000),
        ],
        actor=None,
    )
    ledger.journal_entry_post(entry=entry, actor=None)
    BudgetLine.objects.create(
        organisation=org_a,
        fiscal_year=year,
        account=accounts["8000"],
        month_start=date(2026, 1, 1),
        amount_cents=100_00,
        building=building,
    )
    figures = results.building_result(building=building, fiscal_year=year)
    assert (figures.income, figures.costs, figures.result) == (6_500, 2_000, 4_500)
    assert figures.budget_result == 10_000 and figures.previous_result is None
    assert figures.hire_income == 5_000  # catering is not room hire
    assert figures.hire_per_m2_cents == 25  # € 50 / 200 m²
    # Grote zaal open 08:00-23:00 every day: 15 h × 365 days = 5,475 hours
    assert figures.available_minutes == 15 * 60 * 365
    assert figures.hire_per_available_hour_cents == 1  # 5,000 / 5,475 rounded
    assert [(m.month, m.income, m.costs) for m in figures.months] == [
        (date(2026, 3, 1), 6_500, 0),
        (date(2026, 4, 1), 0, 2_000),
    ]
    assert "2026-03,65.00,0.00" in results.chart_csv(figures)


def test_the_page_with_chart_for_the_books_roles_only(client, org_a, board_a, centre):
    building, hall, _coffee = centre
    book(hall, date(2026, 3, 2), (19, 0), (21, 0))
    invoicing.bookings_invoice(
        organisation=org_a,
        month=date(2026, 3, 1),
        per="customer",
        actor=None,
        issue_date=date(2026, 3, 31),
    )
    url = reverse("building_result", kwargs={"organisation": org_a.slug, "pk": building.pk})
    client.force_login(board_a)
    page = client.get(url, {"jaar": "2026"}).content.decode()
    assert "€ 40,00" in page and "<svg" in page and 'id="result-chart"' in page
    csv = client.get(url, {"jaar": "2026", "formaat": "grafiek-csv"})
    assert csv["Content-Type"].startswith("text/csv") and b"2026-03,40.00,0.00" in csv.content
    coordinator = make_user("coordinator@alfa.example", org_a, "coordinator")
    client.force_login(coordinator)
    assert client.get(url).status_code == 403
