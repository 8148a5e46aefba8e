"""The booking pages and calendars: book, see, confirm, decline, cancel."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from django.urls import reverse

from tests.factories import make_user
from wijk.premises import services
from wijk.premises.models import Booking, BookingSeries
from wijk.premises.timeutil import to_utc

pytestmark = pytest.mark.django_db


@pytest.fixture
def space(org_a):
    building = services.building_create(
        organisation=org_a, data=services.BuildingData(name="Buurthuis"), actor=None
    )
    return services.space_create(
        building=building,
        data=services.SpaceData(name="Grote zaal", opens_at=time(9), closes_at=time(22)),
        actor=None,
    )


@pytest.fixture
def coordinator(org_a):
    return make_user("coordinator@alfa.example", org_a, "coordinator")


def form(**changes):
    data = {
        "date": "2026-03-02",
        "start_time": "19:00",
        "end_time": "21:00",
        "repeat": "",
        "title": "Koor",
        "customer_kind": "organisation",
        "customer_name": "Koor De Lijster",
        "customer_email": "koor@example.org",
        "customer_class": "resident_initiative",
        "skip_holidays": "on",
    }
    data.update(changes)
    return data


def test_book_once_then_see_it_in_every_calendar(client, space, coordinator, org_a):
    client.force_login(coordinator)
    url = reverse("booking_create", kwargs={"organisation": org_a.slug, "pk": space.pk})
    response = client.post(url, form())
    booking = Booking.objects.get()
    assert response["Location"] == reverse(
        "booking_detail", kwargs={"organisation": org_a.slug, "pk": booking.pk}
    )
    assert booking.starts_at == datetime(2026, 3, 2, 18, tzinfo=UTC)
    detail = client.get(response["Location"]).content.decode()
    assert "Monday 2 March 2026, 19:00–21:00" in detail
    week = client.get(
        reverse("building_week", kwargs={"organisation": org_a.slug, "pk": space.building.pk}),
        {"datum": "2026-03-04"},
    ).content.decode()
    assert "Buurthuis, week 10" in week and "19:00–21:00" in week and "Koor" in week
    assert f'href="{response["Location"]}"' in week
    day_url = reverse("space_day", kwargs={"organisation": org_a.slug, "pk": space.pk})
    assert f'href="{day_url}?datum=2026-03-02"' in week
    day = client.get(
        reverse("space_day", kwargs={"organisation": org_a.slug, "pk": space.pk}),
        {"datum": "2026-03-02"},
    ).content.decode()
    # opening hours 09:00–22:00: free, booked, free
    assert day.index("09:00–19:00") < day.index("19:00–21:00") < day.index("21:00–22:00")
    assert "Book from 21:00" in day
    closed = client.get(
        reverse("space_day", kwargs={"organisation": org_a.slug, "pk": space.pk}),
        {"datum": "nonsense"},
    )
    assert closed.status_code == 200


def test_a_clash_is_shown_on_the_time_field(client, space, coordinator, org_a):
    client.force_login(coordinator)
    url = reverse("booking_create", kwargs={"organisation": org_a.slug, "pk": space.pk})
    client.post(url, form())
    response = client.post(url, form(start_time="20:00", end_time="22:00", title="Yoga"))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_start_time_errors"' in html
    assert "Grote zaal is already booked from 2 March 2026 19:00 to 2 March 2026 21:00" in html
    assert Booking.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"date": "2-3-2026x"}, "date"),
        ({"end_time": "18:00"}, "end_time"),
        ({"repeat": "weekly"}, "last_date"),
        ({"repeat": "weekly", "last_date": "2026-03-01"}, "last_date"),
        (
            {"repeat": "weekly", "last_date": "2026-05-01", "skip_dates": "5-3-2026, morgen"},
            "skip_dates",
        ),
        ({"customer_email": "geen adres"}, "customer_email"),
        ({"customer_class": "vip"}, "customer_class"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_input_is_located_and_nothing_is_booked(
    client, space, coordinator, org_a, changes, field
):
    client.force_login(coordinator)
    url = reverse("booking_create", kwargs={"organisation": org_a.slug, "pk": space.pk})
    response = client.post(url, form(**changes))
    assert response.status_code == 400
    assert f'id="id_{field}_errors"' in response.content.decode()
    assert not Booking.objects.exists()


def test_book_a_series_and_cancel_one_date(client, space, coordinator, org_a):
    client.force_login(coordinator)
    url = reverse("booking_create", kwargs={"organisation": org_a.slug, "pk": space.pk})
    response = client.post(
        url, form(repeat="fortnightly", last_date="2026-04-30", skip_dates="16-03-2026")
    )
    assert response.status_code == 302
    series = BookingSeries.objects.get()
    # 2 Mar, (16 Mar skipped), 30 Mar, 13 Apr, 27 Apr (King's Day, skipped)
    assert [b.starts_at.date() for b in series.bookings.order_by("starts_at")] == [
        date(2026, 3, 2),
        date(2026, 3, 30),
        date(2026, 4, 13),
    ]
    booking = series.bookings.order_by("starts_at")[1]
    detail = reverse("booking_detail", kwargs={"organisation": org_a.slug, "pk": booking.pk})
    assert "3 dates from 2 March 2026 to 30 April 2026" in client.get(detail).content.decode()
    status = reverse("booking_status", kwargs={"organisation": org_a.slug, "pk": booking.pk})
    client.post(status, {"status": "cancelled"})
    assert list(series.bookings.order_by("starts_at").values_list("status", flat=True)) == [
        "confirmed",
        "cancelled",
        "confirmed",
    ]
    refused = client.post(status, {"status": "confirmed"}, follow=True)
    assert "This booking is cancelled and cannot be changed that way." in refused.content.decode()


def test_requests_are_listed_and_answered(client, space, coordinator, org_a):
    request = services.booking_create(
        space=space,
        starts_at=to_utc(date(2026, 3, 2), time(19)),
        ends_at=to_utc(date(2026, 3, 2), time(21)),
        details=services.BookingDetails(
            title="Verjaardag", customer=services.Customer(name="Fatima")
        ),
        status="requested",
        actor=None,
    )
    client.force_login(coordinator)
    listing = client.get(reverse("booking_list", kwargs={"organisation": org_a.slug}))
    assert "Verjaardag" in listing.content.decode()
    status = reverse("booking_status", kwargs={"organisation": org_a.slug, "pk": request.pk})
    client.post(status, {"status": "declined"})
    request.refresh_from_db()
    assert request.status == "declined"


def test_volunteers_see_calendars_but_not_customers(client, space, org_a):
    services.booking_create(
        space=space,
        starts_at=to_utc(date(2026, 3, 2), time(19)),
        ends_at=to_utc(date(2026, 3, 2), time(21)),
        details=services.BookingDetails(
            title="Koor", customer=services.Customer(name="Koor", email="geheim@example.org")
        ),
        actor=None,
    )
    booking = Booking.objects.get()
    volunteer = make_user("vrijwilliger@alfa.example", org_a, "volunteer")
    client.force_login(volunteer)
    week = client.get(
        reverse("building_week", kwargs={"organisation": org_a.slug, "pk": space.building.pk}),
        {"datum": "2026-03-02"},
    ).content.decode()
    assert "Koor" in week and "geheim@example.org" not in week
    detail = reverse("booking_detail", kwargs={"organisation": org_a.slug, "pk": booking.pk})
    assert client.get(detail).status_code == 403
    create = reverse("booking_create", kwargs={"organisation": org_a.slug, "pk": space.pk})
    assert client.post(create, form(start_time="10:00")).status_code == 403


def test_week_calendar_query_count_does_not_grow(
    client, space, coordinator, org_a, django_assert_max_num_queries
):
    for hour in range(9, 21):
        services.booking_create(
            space=space,
            starts_at=to_utc(date(2026, 3, 3), time(hour)),
            ends_at=to_utc(date(2026, 3, 3), time(hour, 30)),
            details=services.BookingDetails(
                title=f"Les {hour}", customer=services.Customer(name="X")
            ),
            actor=None,
        )
    client.force_login(coordinator)
    url = reverse("building_week", kwargs={"organisation": org_a.slug, "pk": space.building.pk})
    with django_assert_max_num_queries(14):
        response = client.get(url, {"datum": "2026-03-03"})
    assert response.content.decode().count("agenda__item booking--confirmed") == 12
