"""Bookings: one-off and recurring, half-open, in local time, never double."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from wijk.core.models import AuditEvent
from wijk.premises import services
from wijk.premises.models import Booking, BookingSeries
from wijk.premises.timeutil import dutch_holidays, easter_sunday, local, occurrence_dates, to_utc

pytestmark = pytest.mark.django_db


@pytest.fixture
def space(org_a):
    building = services.building_create(
        organisation=org_a, data=services.BuildingData(name="Buurthuis"), actor=None
    )
    return services.space_create(
        building=building,
        data=services.SpaceData(
            name="Grote zaal", capacity=40, opens_at=time(9), closes_at=time(23)
        ),
        actor=None,
    )


def details(title="Koor", **customer):
    return services.BookingDetails(
        title=title,
        customer=services.Customer(name=customer.pop("name", "Koor De Lijster"), **customer),
    )


def book(space, day, start, end, **kwargs):
    return services.booking_create(
        space=space,
        starts_at=to_utc(day, start),
        ends_at=to_utc(day, end),
        details=kwargs.pop("details", details()),
        actor=None,
        **kwargs,
    )


def test_half_open_intervals_touch_but_do_not_overlap(space):
    book(space, date(2026, 3, 2), time(19), time(21))
    book(space, date(2026, 3, 2), time(21), time(22))
    book(space, date(2026, 3, 2), time(17), time(19))
    with pytest.raises(ValidationError) as exc:
        book(space, date(2026, 3, 2), time(20, 59), time(21, 30))
    message = exc.value.message_dict["starts_at"][0]
    assert message.startswith(
        "Grote zaal is already booked from 2 March 2026 19:00 to 2 March 2026 21:00"
    )
    assert Booking.objects.count() == 3


def test_the_database_refuses_an_overlap_the_service_did_not_see(space):
    first = book(space, date(2026, 3, 2), time(19), time(21))
    values = {
        "organisation": space.organisation,
        "space": space,
        "title": "Sneaky",
        "customer_name": "X",
        "customer_class": "commercial",
        "starts_at": to_utc(date(2026, 3, 2), time(20)),
        "ends_at": to_utc(date(2026, 3, 2), time(22)),
    }
    with pytest.raises(IntegrityError, match="premises_booking_no_overlap"), transaction.atomic():
        Booking.objects.create(**values)
    # a declined or cancelled booking no longer holds the slot
    services.booking_set_status(booking=first, status="cancelled", actor=None)
    Booking.objects.create(**values)
    # and moving a booking onto another is refused too
    other = Booking.objects.create(
        **{
            **values,
            "starts_at": to_utc(date(2026, 3, 2), time(22)),
            "ends_at": to_utc(date(2026, 3, 2), time(23)),
        }
    )
    with pytest.raises(IntegrityError, match="premises_booking_no_overlap"), transaction.atomic():
        Booking.objects.filter(pk=other.pk).update(starts_at=to_utc(date(2026, 3, 2), time(21)))
    # reinstating the cancelled one over the new one is refused as well
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.filter(pk=first.pk).update(status="confirmed")


def test_other_rooms_and_organisations_are_independent(space, org_b):
    other_room = services.space_create(
        building=space.building, data=services.SpaceData(name="Kleine zaal"), actor=None
    )
    book(space, date(2026, 3, 2), time(19), time(21))
    book(other_room, date(2026, 3, 2), time(19), time(21))
    assert Booking.objects.count() == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": " "}, "title"),
        ({"name": ""}, "customer_name"),
        ({"email": "geen-adres"}, "customer_email"),
        ({"customer_class": "vip"}, "customer_class"),
        ({"kind": "robot"}, "customer_kind"),
    ],
)
def test_bad_booking_details_are_refused_by_field(space, change, field):
    title = change.pop("title", "Koor")
    with pytest.raises(ValidationError) as exc:
        book(space, date(2026, 3, 2), time(19), time(21), details=details(title, **change))
    assert field in exc.value.message_dict
    assert not Booking.objects.exists()


def test_bad_times_are_refused(space):
    with pytest.raises(ValidationError) as exc:
        book(space, date(2026, 3, 2), time(21), time(19))
    assert "ends_at" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.booking_create(
            space=space,
            starts_at=datetime(2026, 3, 2, 18, 0, 30, tzinfo=UTC),
            ends_at=datetime(2026, 3, 2, 19, tzinfo=UTC),
            details=details(),
            actor=None,
        )
    assert "starts_at" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        book(space, date(2026, 3, 2), time(7), time(10), opening_hours_only=True)
    assert (
        "open Mon Tue Wed Thu Fri Sat Sun from 09:00 to 23:00"
        in exc.value.message_dict["starts_at"][0]
    )
    too_many = services.BookingDetails(
        title="Feest", customer=services.Customer(name="X"), people=41
    )
    with pytest.raises(ValidationError) as exc:
        book(space, date(2026, 3, 2), time(19), time(21), details=too_many)
    assert exc.value.message_dict["people"] == ["Grote zaal holds at most 40 people."]
    assert not Booking.objects.exists()


def test_the_price_is_stored_with_the_booking(space, board_a):
    services.tariff_set(
        space=space,
        customer_class="commercial",
        hour_cents=4_000,
        daypart_cents=None,
        day_cents=None,
        vat_rate="21",
        actor=None,
    )
    coffee = services.add_on_create(
        organisation=space.organisation,
        data=services.AddOnData(
            name="Koffie", kind="catering", unit="person", price_cents=150, vat_rate="9"
        ),
        actor=None,
    )
    booking = services.booking_create(
        space=space,
        starts_at=to_utc(date(2026, 3, 2), time(19)),
        ends_at=to_utc(date(2026, 3, 2), time(21, 30)),
        details=services.BookingDetails(
            title="Training",
            customer=services.Customer(
                name="Bedrijf BV", kind="organisation", customer_class="commercial"
            ),
            people=10,
            add_ons=(coffee,),
        ),
        actor=board_a,
    )
    # 2,5 h × 40,00 = 100,00 + 21% 21,00; coffee 10 × 1,50 = 15,00 + 9% 1,35
    assert (booking.price_net_cents, booking.price_vat_cents) == (11_500, 2_235)
    assert list(booking.add_ons.all()) == [coffee]
    event = AuditEvent.objects.get(action="booking.create")
    assert event.description == "Grote zaal booked on 2 March 2026 19:00 for Training."


def test_weekly_series_stays_at_seven_in_the_evening_across_both_clock_changes(space):
    series = services.booking_series_create(
        space=space,
        rule=services.SeriesRule(
            frequency="weekly",
            first_date=date(2026, 3, 16),
            last_date=date(2026, 11, 9),
            start_time=time(19),
            end_time=time(21),
            skip_holidays=False,
        ),
        details=details(),
        actor=None,
    )
    bookings = list(series.bookings.order_by("starts_at"))
    assert len(bookings) == 35
    assert {local(b.starts_at).time() for b in bookings} == {time(19)}
    assert {local(b.ends_at).time() for b in bookings} == {time(21)}
    assert {local(b.starts_at).weekday() for b in bookings} == {0}
    by_date = {local(b.starts_at).date(): b for b in bookings}
    # 29 March 2026 clocks go forward, 25 October back: UTC moves, local time does not
    assert by_date[date(2026, 3, 23)].starts_at == datetime(2026, 3, 23, 18, tzinfo=UTC)
    assert by_date[date(2026, 3, 30)].starts_at == datetime(2026, 3, 30, 17, tzinfo=UTC)
    assert by_date[date(2026, 10, 19)].starts_at == datetime(2026, 10, 19, 17, tzinfo=UTC)
    assert by_date[date(2026, 10, 26)].starts_at == datetime(2026, 10, 26, 18, tzinfo=UTC)


def test_series_skip_exceptions_and_holidays_and_refuse_clashes_whole(space):
    book(space, date(2026, 4, 20), time(20), time(22), details=details("Vergadering"))
    rule = services.SeriesRule(
        frequency="weekly",
        first_date=date(2026, 3, 30),
        last_date=date(2026, 5, 4),
        start_time=time(19),
        end_time=time(21),
    )
    with pytest.raises(ValidationError) as exc:
        services.booking_series_create(space=space, rule=rule, details=details(), actor=None)
    assert "already booked on 20 April 2026" in exc.value.message_dict["skip_dates"][0]
    assert not BookingSeries.objects.exists() and Booking.objects.count() == 1
    series = services.booking_series_create(
        space=space,
        rule=services.SeriesRule(**{**rule.__dict__, "skip_dates": (date(2026, 4, 20),)}),
        details=details(),
        actor=None,
    )
    # 30 Mar, 6 Apr (Easter Monday), 13 Apr, 20 Apr (skipped), 27 Apr (King's Day), 4 May
    dates = [local(b.starts_at).date() for b in series.bookings.order_by("starts_at")]
    assert dates == [date(2026, 3, 30), date(2026, 4, 13), date(2026, 5, 4)]
    cancelled = series.bookings.order_by("starts_at")[1]
    services.booking_set_status(booking=cancelled, status="cancelled", actor=None)
    book(space, date(2026, 4, 13), time(19), time(20), details=details("Ander koor"))
    assert AuditEvent.objects.get(action="booking_series.create").description == (
        "Grote zaal booked 3 times for Koor."
    )


def test_status_changes_follow_the_rules(space):
    request = book(space, date(2026, 3, 2), time(19), time(21), status="requested")
    services.booking_set_status(booking=request, status="confirmed", actor=None)
    with pytest.raises(ValidationError, match="confirmed and cannot be changed"):
        services.booking_set_status(booking=request, status="declined", actor=None)
    services.booking_set_status(booking=request, status="cancelled", actor=None)
    with pytest.raises(ValidationError):
        services.booking_set_status(booking=request, status="confirmed", actor=None)


def test_recurrence_rules_by_hand():
    assert easter_sunday(2026) == date(2026, 4, 5)
    assert easter_sunday(2027) == date(2027, 3, 28)
    holidays = dutch_holidays(2026)
    assert holidays[date(2026, 5, 14)] == "Hemelvaartsdag"
    assert holidays[date(2026, 5, 25)] == "Tweede Pinksterdag"
    assert dutch_holidays(2025)[date(2025, 4, 26)] == "Koningsdag"  # 27 April was a Sunday
    # fortnightly
    assert occurrence_dates(
        frequency="fortnightly", first_date=date(2026, 1, 5), last_date=date(2026, 2, 2)
    ) == [date(2026, 1, 5), date(2026, 1, 19), date(2026, 2, 2)]
    # monthly on the 2nd Tuesday; the 5th Friday only in months that have one
    assert occurrence_dates(
        frequency="monthly", first_date=date(2026, 1, 13), last_date=date(2026, 4, 30)
    ) == [date(2026, 1, 13), date(2026, 2, 10), date(2026, 3, 10), date(2026, 4, 14)]
    assert occurrence_dates(
        frequency="monthly", first_date=date(2026, 1, 30), last_date=date(2026, 6, 30)
    ) == [date(2026, 1, 30), date(2026, 5, 29)]
    # a local time that does not exist reads as the hour before the change
    assert to_utc(date(2026, 3, 29), time(2, 30)) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
