"""The maintenance plan (MJOP): indexed costs, the yearly provision, the warning."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_user
from wijk.ledger.models import FiscalYear, Fund
from wijk.ledger.reports import fund_movements
from wijk.premises import services
from wijk.premises.maintenance import Component, indexed, plan, years_due
from wijk.premises.models import Building, MaintenanceComponent
from wijk.premises.selectors import maintenance_plan

ROOF = Component("Dakbedekking", 2028, None, 4_000_000, 2026)
PAINT = Component("Schilderwerk", 2026, 4, 800_000, 2026)


def test_costs_rise_by_the_yearly_price_rise_compounded():
    assert indexed(100_000, from_year=2026, to_year=2028, rise_bp=250) == 105_063  # 1000 × 1.025²
    assert indexed(100_000, from_year=2026, to_year=2025, rise_bp=250) == 97_561  # 1000 / 1.025
    assert indexed(100_000, from_year=2026, to_year=2026, rise_bp=250) == 100_000


def test_recurring_work_comes_back_after_its_interval():
    assert years_due(Component("x", 2024, 5, 1, 2024), 2026, 2035) == [2029, 2034]
    assert years_due(ROOF, 2026, 2035) == [2028]
    assert years_due(ROOF, 2029, 2035) == []


def test_provision_and_warning_by_hand():
    result = plan(
        [ROOF, PAINT],
        first_year=2026,
        rise_bp=0,
        reserve_cents=1_000_000,
        contribution_cents=500_000,
    )
    assert result.costs == [800_000, 0, 4_000_000, 0, 800_000, 0, 0, 0, 800_000, 0]
    # the tightest year is 2028: (8.000 + 40.000 − 10.000) / 3 years = 12.666,67 a year
    assert result.provision_cents == 1_266_667
    assert result.underfunded
    assert result.years[:3] == [
        (2026, 800_000, 700_000),
        (2027, 0, 1_200_000),
        (2028, 4_000_000, -2_300_000),
    ]
    enough = plan(
        [ROOF, PAINT],
        first_year=2026,
        rise_bp=0,
        reserve_cents=1_000_000,
        contribution_cents=1_266_667,
    )
    assert not enough.underfunded
    assert min(reserve for _year, _cost, reserve in enough.years) >= 0
    rich = plan(
        [ROOF, PAINT], first_year=2026, rise_bp=0, reserve_cents=10_000_000, contribution_cents=0
    )
    assert rich.provision_cents == 0 and not rich.underfunded


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": " "}, "name"),
        ({"planned_year": 1800}, "planned_year"),
        ({"interval_years": 0}, "interval_years"),
        ({"cost_cents": -1}, "cost_cents"),
        ({"price_year": 99999}, "price_year"),
    ],
)
def test_bad_components_are_refused_by_field(org_a, changes, field):
    building = services.building_create(
        organisation=org_a, data=services.BuildingData(name="Buurthuis"), actor=None
    )
    values = {"name": "Dak", "planned_year": 2030, "cost_cents": 100, "price_year": 2026} | changes
    with pytest.raises(ValidationError) as exc:
        services.maintenance_component_create(
            building=building, data=services.ComponentData(**values), actor=None
        )
    assert field in exc.value.message_dict
    assert not MaintenanceComponent.objects.exists()


@pytest.mark.django_db
def test_plan_page_warns_and_components_are_added_with_located_errors(client, org_a, board_a):
    building = services.building_create(
        organisation=org_a,
        data=services.BuildingData(
            name="Buurthuis", maintenance_contribution_cents=100_000, maintenance_inflation_bp=0
        ),
        actor=None,
    )
    client.force_login(board_a)
    page = reverse("maintenance_plan", kwargs={"organisation": org_a.slug, "pk": building.pk})
    create = reverse(
        "maintenance_component_create", kwargs={"organisation": org_a.slug, "pk": building.pk}
    )
    bad = client.post(
        create,
        {
            "name": "Dak",
            "planned_year": "volgend jaar",
            "cost_cents": "40.000,00",
            "price_year": "2026",
        },
    )
    assert bad.status_code == 400 and 'id="id_planned_year_errors"' in bad.content.decode()
    this_year = timezone.localdate().year
    good = client.post(
        create,
        {
            "name": "Dak",
            "planned_year": str(this_year + 2),
            "cost_cents": "40.000,00",
            "price_year": str(this_year),
        },
    )
    assert good.status_code == 302
    html = client.get(page).content.decode()
    # 40.000 due in three years, no reserve: 13.333,34 a year is needed, 1.000 is added
    assert 'id="maintenance-warning"' in html
    assert "€ 13.333,34" in html and "€ 1.000,00" in html
    component = MaintenanceComponent.objects.get()
    edit = reverse(
        "maintenance_component_edit", kwargs={"organisation": org_a.slug, "pk": component.pk}
    )
    client.post(
        edit,
        {
            "name": "Dak",
            "planned_year": str(this_year + 2),
            "cost_cents": "2.000,00",
            "price_year": str(this_year),
        },
    )
    assert 'id="maintenance-warning"' not in client.get(page).content.decode()  # 666,67 < 1.000
    volunteer = make_user("vrijwilliger@alfa.example", org_a, "volunteer")
    client.force_login(volunteer)
    assert client.get(page).status_code == 200
    assert client.post(create, {"name": "X"}).status_code == 403


def test_the_reserve_comes_from_the_books(org_a, posted_entries_cleanup):
    from wijk.demo.books import build_books

    build_books(org_a)
    fund = Fund.objects.get(organisation=org_a, name="Reserve groot onderhoud")
    building = Building.objects.get(organisation=org_a, name="Buurthuis De Wilg")
    values = {
        field: getattr(building, field) for field in services.BuildingData.__dataclass_fields__
    }
    building = services.building_update(
        building=building,
        data=services.BuildingData(**{**values, "maintenance_fund": fund}),
        actor=None,
    )
    result = maintenance_plan(building=building, today=date(2026, 12, 31))
    report = fund_movements(
        organisation=org_a,
        fiscal_year=FiscalYear.objects.get(organisation=org_a, start_date__year=2026),
    )
    closing = next(row.values[-1] for row in report.rows if row.label == fund.name)
    assert result.reserve_cents == closing != 0
