"""Rooms, bookings, calendars and the public request in a real browser, checked with axe."""

from __future__ import annotations

import os
import shutil
import time as clock
from datetime import time, timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.browser import axe
from tests.browser.helpers import log_in_with_cookie, visit
from tests.factories import make_user
from wijk.premises import antibot, services
from wijk.premises.models import Booking
from wijk.premises.timeutil import to_utc

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def premises(org_a):
    building = services.building_create(
        organisation=org_a,
        data=services.BuildingData(
            name="Buurthuis De Wilg", city="Amsterdam", accepts_requests=True
        ),
        actor=None,
    )
    hall = services.space_create(
        building=building,
        data=services.SpaceData(
            name="Grote zaal",
            capacity=80,
            area_m2=120,
            facilities="Keuken, beamer",
            wheelchair_accessible=True,
            opens_at=time(9),
            closes_at=time(23),
        ),
        actor=None,
    )
    room = services.space_create(
        building=building, data=services.SpaceData(name="Vergaderkamer", capacity=12), actor=None
    )
    services.add_on_create(
        organisation=org_a,
        data=services.AddOnData(
            name="Koffie en thee", kind="catering", unit="person", price_cents=150, vat_rate="9"
        ),
        actor=None,
    )
    monday = timezone.localdate() + timedelta(days=7 - timezone.localdate().weekday())
    for offset, start, end, title, space in [
        (0, time(10), time(12), "Taalcafé", room),
        (0, time(19), time(21), "Koor De Lijster", hall),
        (1, time(14), time(16), "Huiswerkklas", room),
        (2, time(20), time(22), "Yoga", hall),
        (4, time(18), time(23), "Verjaardag", hall),
    ]:
        services.booking_create(
            space=space,
            starts_at=to_utc(monday + timedelta(days=offset), start),
            ends_at=to_utc(monday + timedelta(days=offset), end),
            details=services.BookingDetails(title=title, customer=services.Customer(name=title)),
            actor=None,
        )
    return building, hall, monday


def test_book_a_room_and_see_the_calendars(page, context, live_server, org_a, premises):
    building, hall, monday = premises
    coordinator = make_user("coordinator@alfa.example", org_a, "coordinator")
    log_in_with_cookie(context, live_server.url, coordinator)
    slug = org_a.slug

    def url(name: str, **kwargs: object) -> str:
        return live_server.url + reverse(name, kwargs={"organisation": slug, **kwargs})

    visit(page, url("building_detail", pk=building.pk))
    assert "Grote zaal" in page.inner_text("#rooms-table")
    visit(page, url("space_tariffs", pk=hall.pk))
    visit(page, url("add_on_list"))
    visit(page, url("booking_create", pk=hall.pk))
    page.fill("#id_date", monday.isoformat())
    page.fill("#id_start_time", "19:30")
    page.fill("#id_end_time", "20:30")
    page.fill("#id_title", "Buurtoverleg")
    page.fill("#id_customer_name", "Bewonerscommissie")
    with page.expect_navigation():
        page.click("#booking-form button[type=submit]")
    axe.check(page, when="booking form with a clash")
    assert page.locator("#id_start_time_errors").count() == 1
    page.fill("#id_start_time", "21:00")
    page.fill("#id_end_time", "22:30")
    page.check("#id_add_ons_0")
    with page.expect_navigation():
        page.click("#booking-form button[type=submit]")
    axe.check(page, when="booking saved")
    assert Booking.objects.filter(title="Buurtoverleg").count() == 1
    assert page.locator("#booking-facts").count() == 1

    SCREENSHOTS.mkdir(exist_ok=True)
    week = url("building_week", pk=building.pk) + f"?datum={monday.isoformat()}"
    visit(page, week)
    assert "Buurtoverleg" in page.inner_text("#week")
    page.screenshot(path=str(SCREENSHOTS / "building-week.png"), full_page=True)
    day = url("space_day", pk=hall.pk) + f"?datum={monday.isoformat()}"
    visit(page, day)
    assert "Koor De Lijster" in page.inner_text("#day")
    visit(page, url("booking_list"))
    visit(page, url("occupancy_report"))
    visit(page, url("maintenance_plan", pk=building.pk))
    page.fill("#id_name", "Dakbedekking")
    page.fill("#id_planned_year", str(monday.year + 2))
    page.fill("#id_cost_cents", "40.000,00")
    with page.expect_navigation():
        page.click("#component-form button[type=submit]")
    axe.check(page, when="maintenance plan with a component")
    assert page.locator("#maintenance-warning").count() == 1
    page.screenshot(path=str(SCREENSHOTS / "maintenance-plan.png"), full_page=True)

    page.set_viewport_size(PHONE)
    for name, address in (("building-week-phone", week), ("room-day-phone", day)):
        visit(page, address)
        # nothing sticks out sideways on a phone
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_public_request_without_login(page, live_server, org_a, premises, mailoutbox):
    building, hall, monday = premises
    address = live_server.url + reverse(
        "public_request", kwargs={"slug": org_a.slug, "pk": building.pk}
    )
    page.set_viewport_size(PHONE)
    visit(page, address + f"?datum={monday.isoformat()}")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(SCREENSHOTS / "public-request-phone.png"), full_page=True)
    page.select_option("#id_space", str(hall.pk))
    page.fill("#id_date", monday.isoformat())
    page.fill("#id_start_time", "09:30")
    page.fill("#id_end_time", "12:00")
    page.fill("#id_title", "Kinderfeestje")
    page.check("#id_customer_kind_1")
    page.fill("#id_customer_name", "Sanne de Vries")
    page.fill("#id_customer_email", "sanne@example.org")
    page.fill("#id_people", "200")
    clock.sleep(antibot.MIN_SECONDS + 0.2)  # a person takes a few seconds to fill it in
    with page.expect_navigation():
        page.click("#request-form button[type=submit]")
    axe.check(page, when="public request with an error")
    assert page.locator("#id_people_errors").count() == 1
    # the answer opens at the form with its errors, not at the top of the free times
    assert page.url.endswith("#request-form")
    assert page.evaluate("document.getElementById('request-form').getBoundingClientRect().top") < 50
    page.fill("#id_people", "25")
    clock.sleep(antibot.MIN_SECONDS + 0.2)
    with page.expect_navigation():
        page.click("#request-form button[type=submit]")
    axe.check(page, when="public request sent")
    booking = Booking.objects.get(title="Kinderfeestje")
    assert (booking.status, booking.people) == ("requested", 25)
    assert mailoutbox[-1].to == ["sanne@example.org"]


def test_treasurer_invoices_a_month_of_bookings(
    page, context, live_server, org_a, board_a, settings, tmp_path, posted_entries_cleanup
):
    from tests.sales.helpers import settings_with_iban
    from wijk.ledger import services as ledger
    from wijk.sales.models import Invoice

    settings.MEDIA_ROOT = tmp_path / "media"
    ledger.ledger_setup(organisation=org_a, actor=None)
    ledger.fiscal_year_create(organisation=org_a, year=2026, actor=None)
    settings_with_iban(org_a)
    building = services.building_create(
        organisation=org_a, data=services.BuildingData(name="Buurthuis De Wilg"), actor=None
    )
    hall = services.space_create(
        building=building, data=services.SpaceData(name="Grote zaal"), actor=None
    )
    services.space_tariffs_set(
        space=hall,
        rows=[services.TariffRow("resident_initiative", 2_000, 7_000, None, "exempt")],
        actor=None,
    )
    for day, name in ((2, "Koor De Lijster"), (9, "Koor De Lijster"), (14, "Familie Jansen")):
        services.booking_create(
            space=hall,
            starts_at=to_utc(timezone.datetime(2026, 3, day).date(), time(19)),
            ends_at=to_utc(timezone.datetime(2026, 3, day).date(), time(21, 30)),
            details=services.BookingDetails(
                title="Repetitie", customer=services.Customer(name=name)
            ),
            actor=None,
        )
    log_in_with_cookie(context, live_server.url, board_a)
    address = live_server.url + reverse("booking_invoicing", kwargs={"organisation": org_a.slug})
    visit(page, address + "?month=2026-03&per=customer&issue_date=2026-04-01&email=on")
    assert page.locator("#invoicing table").count() == 2
    page.screenshot(path=str(SCREENSHOTS / "invoice-bookings.png"), full_page=True)
    page.click("#invoicing-run button[type=submit]")
    page.wait_for_selector("#invoices-made", timeout=30_000)  # two PDFs are rendered
    axe.check(page, when="bookings invoiced (htmx)")
    assert Invoice.objects.filter(status="sent").count() == 2
    assert page.locator("#plan-empty").count() == 1
    page.screenshot(path=str(tmp_path / "invoiced.png"), full_page=True)
    result = live_server.url + reverse(
        "building_result", kwargs={"organisation": org_a.slug, "pk": building.pk}
    )
    page.set_default_navigation_timeout(60_000)  # the first chart starts the Vega renderer
    visit(page, result + "?jaar=2026")
    assert page.locator("#result-chart svg").count() == 1
    page.screenshot(path=str(SCREENSHOTS / "building-result.png"), full_page=True)
    page.set_viewport_size(PHONE)
    visit(page, result + "?jaar=2026")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(tmp_path / "result-phone.png"), full_page=True)
    visit(page, address + "?month=2026-03&per=booking")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    visit(page, address + "?month=maart")
    assert page.locator("#form-error-summary").count() == 1
    page.screenshot(path=str(tmp_path / "phone-error.png"), full_page=True)
    folder = os.environ.get("WIJK_SCREENSHOTS")
    if folder:
        for name in ("invoiced", "phone-error", "result-phone"):
            shutil.copy(tmp_path / f"{name}.png", Path(folder) / f"invoice-bookings-{name}.png")
