"""Occupancy against figures worked out by hand, on the page and on the command line."""

from __future__ import annotations

import csv
import io
from datetime import date, time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from wijk.premises import services
from wijk.premises.models import Booking
from wijk.premises.occupancy import by_week, occupancy
from wijk.premises.timeutil import to_utc

pytestmark = pytest.mark.django_db


def _book(space, start_day, start, end_day, end, customer_class, status="confirmed"):
    booking = services.booking_create(
        space=space,
        starts_at=to_utc(start_day, start),
        ends_at=to_utc(end_day, end),
        details=services.BookingDetails(
            title="x", customer=services.Customer(name="Klant", customer_class=customer_class)
        ),
        status="requested" if status == "requested" else "confirmed",
        actor=None,
    )
    if status == "cancelled":
        services.booking_set_status(booking=booking, status="cancelled", actor=None)
    return booking


@pytest.fixture
def rooms(org_a):
    building = services.building_create(
        organisation=org_a, data=services.BuildingData(name="Buurthuis"), actor=None
    )
    hall = services.space_create(  # Monday to Friday, 09:00-17:00: 8 hours a day
        building=building,
        data=services.SpaceData(
            name="Zaal", opens_at=time(9), closes_at=time(17), open_days="01234"
        ),
        actor=None,
    )
    sports = services.space_create(  # every day 08:00-22:00: 14 hours a day
        building=building,
        data=services.SpaceData(name="Sporthal", opens_at=time(8), closes_at=time(22)),
        actor=None,
    )
    feb = date(2027, 2, 1)  # a Monday
    _book(hall, feb, time(10), feb, time(12), "resident_initiative")  # 2 h
    _book(
        hall, date(2027, 2, 2), time(10), date(2027, 2, 2), time(12), "resident_initiative"
    )  # 2 h
    _book(hall, date(2027, 2, 3), time(13), date(2027, 2, 3), time(17), "commercial")  # 4 h
    _book(
        hall, date(2027, 2, 4), time(16), date(2027, 2, 4), time(18), "non_profit"
    )  # 1 h: closes 17:00
    _book(
        hall, date(2027, 2, 6), time(10), date(2027, 2, 6), time(12), "internal"
    )  # Saturday: closed
    _book(hall, date(2027, 2, 5), time(10), date(2027, 2, 5), time(12), "commercial", "requested")
    _book(hall, date(2027, 2, 8), time(10), date(2027, 2, 8), time(12), "commercial", "cancelled")
    # Friday 26 Feb 15:00 to Monday 1 March 11:00: 2 h in February, 2 h in March
    _book(hall, date(2027, 2, 26), time(15), date(2027, 3, 1), time(11), "internal")
    # 31 March 20:00-23:00 in the sports hall: 2 h until closing
    _book(sports, date(2027, 3, 31), time(20), date(2027, 3, 31), time(23), "commercial")
    return hall, sports


def test_occupancy_by_hand(org_a, rooms):
    hall, sports = rooms
    rows = {(row.space.name, row.period): row for row in occupancy(organisation=org_a, year=2027)}
    assert len(rows) == 24  # two rooms, twelve months
    january, february, march = rows["Zaal", 1], rows["Zaal", 2], rows["Zaal", 3]
    # January 2027 has 21 weekdays, February 20, March 23; 8 hours each
    assert january.available_minutes == 21 * 8 * 60 and january.booked_minutes == 0
    assert february.available_minutes == 20 * 8 * 60
    assert february.booked_minutes == (2 + 2 + 4 + 1 + 2) * 60
    assert february.by_class == {
        "resident_initiative": 4 * 60,
        "non_profit": 1 * 60,
        "commercial": 4 * 60,
        "internal": 2 * 60,
    }
    assert february.share_basis_points == 688  # 11 / 160 = 6.875 %
    assert march.available_minutes == 23 * 8 * 60 and march.booked_minutes == 2 * 60
    assert march.share_basis_points == 109  # 2 / 184 = 1.087 %
    # the sports hall: 31 days of 14 hours in March (the clock change is at night)
    assert rows["Sporthal", 3].available_minutes == 31 * 14 * 60
    assert rows["Sporthal", 3].booked_minutes == 2 * 60
    assert rows["Sporthal", 3].share_basis_points == 46  # 2 / 434 = 0.461 %
    weeks = {
        (row.space.name, row.period): row
        for row in occupancy(organisation=org_a, year=2027, period=by_week)
    }
    assert weeks["Zaal", 5].available_minutes == 5 * 8 * 60  # 1-7 February
    assert weeks["Zaal", 5].booked_minutes == 9 * 60
    assert Booking.objects.count() == 9


def test_occupancy_command_writes_a_row_per_room_and_month(org_a, rooms):
    out = io.StringIO()
    call_command(
        "report",
        "occupancy",
        "--organisation",
        org_a.slug,
        "--year",
        "2027",
        "--format",
        "csv",
        stdout=out,
    )
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0][:6] == [
        "building",
        "room",
        "month",
        "available_hours",
        "booked_hours",
        "occupancy_percent",
    ]
    assert len(rows) == 1 + 24
    by_key = {(row[1], row[2]): row for row in rows[1:]}
    assert by_key["Zaal", "2027-02"] == [
        "Buurthuis",
        "Zaal",
        "2027-02",
        "160.00",
        "11.00",
        "6.88",
        "4.00",
        "1.00",
        "4.00",
        "2.00",
    ]
    assert by_key["Sporthal", "2027-03"][3:6] == ["434.00", "2.00", "0.46"]
    assert [row[1] for row in rows[1:]][:13] == ["Sporthal"] * 12 + ["Zaal"]
    with pytest.raises(CommandError, match="--format"):
        call_command("report", "occupancy", "--organisation", org_a.slug, "--format", "pdf")
    with pytest.raises(CommandError, match="--organisation"):
        call_command("report", "occupancy", "--organisation", "bestaat-niet")


def test_the_ledger_reports_still_answer(org_a):
    with pytest.raises(CommandError, match="no fiscal year"):
        call_command("report", "income-statement", "--organisation", org_a.slug)


def test_occupancy_page_and_download(client, org_a, board_a, rooms):
    client.force_login(board_a)
    url = reverse("occupancy_report", kwargs={"organisation": org_a.slug})
    page = client.get(url, {"jaar": "2027"}).content.decode()
    assert "Occupancy 2027" in page and "6.9%" in page and "160.00" in page
    weekly = client.get(url, {"jaar": "2027", "per": "week"}).content.decode()
    assert "Per room and week" in weekly
    download = client.get(url, {"jaar": "2027", "formaat": "csv"})
    assert download["Content-Type"].startswith("text/csv")
    assert b"Zaal,2027-02,160.00,11.00,6.88" in download.content
    assert client.get(url, {"jaar": "nonsense"}).status_code == 200
