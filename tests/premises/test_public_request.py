"""The public booking request: free times, bad and hostile input, bots, e-mail, feeds."""

from __future__ import annotations

import time as clock
from datetime import time, timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from tests.factories import make_user
from wijk.premises import antibot, services
from wijk.premises.ical import feed_token
from wijk.premises.models import Booking
from wijk.premises.timeutil import to_utc

pytestmark = pytest.mark.django_db

NEXT_MONDAY = timezone.localdate() + timedelta(days=7 - timezone.localdate().weekday())


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def building(org_a):
    return services.building_create(
        organisation=org_a,
        data=services.BuildingData(name="Buurthuis De Wilg", accepts_requests=True),
        actor=None,
    )


@pytest.fixture
def space(building):
    return services.space_create(
        building=building,
        data=services.SpaceData(
            name="Grote zaal", capacity=60, opens_at=time(9), closes_at=time(23)
        ),
        actor=None,
    )


@pytest.fixture(autouse=True)
def coffee(org_a):
    return services.add_on_create(
        organisation=org_a,
        data=services.AddOnData(
            name="Koffie", kind="catering", unit="person", price_cents=150, vat_rate="9"
        ),
        actor=None,
    )


def url(building):
    return reverse("public_request", kwargs={"slug": building.organisation.slug, "pk": building.pk})


def fresh_stamp():
    return antibot.form_stamp(clock.time() - 10)


def request_data(room, **changes):
    data = {
        "space": str(room.pk),
        "date": NEXT_MONDAY.isoformat(),
        "start_time": "19:00",
        "end_time": "22:00",
        "title": "Verjaardag",
        "customer_kind": "person",
        "customer_name": "Fatima El Amrani",
        "customer_email": "fatima@example.org",
        "customer_class": "resident_initiative",
        "people": "30",
        "stamp": fresh_stamp(),
        "website": "",
    }
    data.update(changes)
    return data


def test_free_times_show_without_login_and_hide_who_booked(client, space, building):
    services.booking_create(
        space=space,
        starts_at=to_utc(NEXT_MONDAY, time(19)),
        ends_at=to_utc(NEXT_MONDAY, time(21)),
        details=services.BookingDetails(
            title="Geheim overleg", customer=services.Customer(name="Wethouder")
        ),
        actor=None,
    )
    page = client.get(url(building), {"datum": NEXT_MONDAY.isoformat()})
    assert page.status_code == 200
    html = page.content.decode()
    assert "09:00–19:00, 21:00–23:00" in html
    assert "Geheim overleg" not in html and "Wethouder" not in html
    assert 'name="website"' in html and 'name="stamp"' in html


def test_a_building_that_does_not_accept_requests_is_not_found(client, space, building, org_a):
    services.building_update(
        building=building, data=services.BuildingData(name=building.name), actor=None
    )
    assert client.get(url(building)).status_code == 404
    wrong_org = reverse("public_request", kwargs={"slug": "andere", "pk": building.pk})
    assert client.get(wrong_org).status_code == 404


def test_a_request_holds_the_slot_and_mails_the_customer(client, space, building, mailoutbox):
    response = client.post(url(building), request_data(space))
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert (booking.status, booking.customer_email, booking.people) == (
        "requested",
        "fatima@example.org",
        30,
    )
    assert mailoutbox[-1].to == ["fatima@example.org"]
    assert mailoutbox[-1].subject.startswith("Request received: Grote zaal")
    thanks = client.get(response["Location"]).content.decode()
    assert "Thank you. We have sent your request" in thanks
    # a second request for the same evening is told it is taken, on the time field
    again = client.post(
        url(building), request_data(space, start_time="20:00", customer_name="Ander")
    )
    assert again.status_code == 400
    assert 'id="id_start_time_errors"' in again.content.decode()
    assert Booking.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"space": "999999"}, "space"),
        ({"date": "morgen"}, "date"),
        ({"start_time": "25:00"}, "start_time"),
        ({"end_time": "18:00"}, "end_time"),
        ({"start_time": "07:00"}, "start_time"),  # before opening
        ({"customer_email": ""}, "customer_email"),
        ({"customer_email": "<script>@x"}, "customer_email"),
        ({"customer_class": "internal"}, "customer_class"),
        ({"people": "61"}, "people"),
        ({"people": "-1"}, "people"),
        ({"title": "x" * 161}, "title"),
        ({"customer_name": ""}, "customer_name"),
        ({"add_ons": ["999999"]}, "add_ons"),
    ],
)
def test_bad_and_hostile_input_is_located_and_nothing_is_booked(
    client, space, building, changes, field, mailoutbox
):
    response = client.post(url(building), request_data(space, **changes))
    assert response.status_code == 400
    assert f'id="id_{field}_errors"' in response.content.decode()
    assert not Booking.objects.exists() and not mailoutbox


def test_a_date_in_the_past_is_refused(client, space, building):
    last_monday = NEXT_MONDAY - timedelta(days=14)
    response = client.post(url(building), request_data(space, date=last_monday.isoformat()))
    assert response.status_code == 400
    assert "Choose a time in the future." in response.content.decode()


def test_markup_is_shown_as_text_not_run(client, space, building, board_a, org_a):
    client.post(url(building), request_data(space, title="<script>alert(1)</script>"))
    booking = Booking.objects.get()
    client.force_login(board_a)
    html = client.get(
        reverse("booking_detail", kwargs={"organisation": org_a.slug, "pk": booking.pk})
    ).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize(
    "changes",
    [
        {"website": "http://spam.example"},  # the honeypot is filled in
        {"stamp": ""},  # no stamp
        {"stamp": "1700000000:forged"},  # a forged stamp
        {"stamp": 0},  # sent at once: too fast for a person
        {"stamp": 3 * 60 * 60},  # expired
    ],
)
def test_robots_are_refused(client, space, building, changes, mailoutbox):
    if isinstance(changes.get("stamp"), int):
        changes = {"stamp": antibot.form_stamp(clock.time() - changes["stamp"])}
    response = client.post(url(building), request_data(space, **changes))
    assert response.status_code == 400
    assert "Your request could not be checked" in response.content.decode()
    assert not Booking.objects.exists() and not mailoutbox


def test_too_many_requests_from_one_address_are_refused(client, space, building):
    for _ in range(antibot.MAX_PER_HOUR):
        client.post(url(building), request_data(space, website="bot"))
    response = client.post(url(building), request_data(space))
    assert response.status_code == 429
    assert "Too many requests from your address" in response.content.decode()
    assert not Booking.objects.exists()


def test_stamps_by_hand():
    now = 1_800_000_000.0
    stamp = antibot.form_stamp(now)
    assert antibot.stamp_problem(stamp, now + 1) == "too fast"
    assert antibot.stamp_problem(stamp, now + antibot.MIN_SECONDS) is None
    assert antibot.stamp_problem(stamp, now + antibot.MAX_AGE_SECONDS + 1) == "expired"
    assert (
        antibot.stamp_problem(stamp[:-1] + ("A" if stamp[-1] != "A" else "B"), now + 5) == "forged"
    )


def test_confirming_mails_an_icalendar_file_and_declining_says_so(
    client, space, building, org_a, mailoutbox
):
    client.post(url(building), request_data(space))
    client.post(
        url(building), request_data(space, date=(NEXT_MONDAY + timedelta(days=1)).isoformat())
    )
    first, second = Booking.objects.order_by("starts_at")
    coordinator = make_user("coordinator@alfa.example", org_a, "coordinator")
    client.force_login(coordinator)
    for booking, status in ((first, "confirmed"), (second, "declined")):
        client.post(
            reverse("booking_status", kwargs={"organisation": org_a.slug, "pk": booking.pk}),
            {"status": status},
        )
    confirmed, declined = mailoutbox[-2], mailoutbox[-1]
    assert confirmed.subject.startswith("Booking confirmed: Grote zaal")
    name, content, mimetype = confirmed.attachments[0]
    assert name == "boeking.ics" and mimetype.startswith("text/calendar")
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == to_utc(NEXT_MONDAY, time(19))
    assert event.decoded("dtend") == to_utc(NEXT_MONDAY, time(22))
    assert str(event["summary"]) == "Verjaardag"
    assert str(event["status"]) == "CONFIRMED"
    assert declined.subject.startswith("Booking request declined") and not declined.attachments


def test_the_room_feed_needs_its_token_and_shows_no_customers(client, space):
    services.booking_create(
        space=space,
        starts_at=to_utc(NEXT_MONDAY, time(19)),
        ends_at=to_utc(NEXT_MONDAY, time(21)),
        details=services.BookingDetails(
            title="Koor", customer=services.Customer(name="Koor De Lijster")
        ),
        actor=None,
    )
    wrong = reverse("space_feed", kwargs={"pk": space.pk, "token": "0" * 32})
    assert client.get(wrong).status_code == 404
    right = reverse("space_feed", kwargs={"pk": space.pk, "token": feed_token(space)})
    response = client.get(right)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["Koor"]
    assert events[0].decoded("dtstart") == to_utc(NEXT_MONDAY, time(19))
    assert b"Koor De Lijster" not in response.content


def test_times_that_have_passed_today_are_not_offered(space):
    from datetime import UTC, date, datetime

    from wijk.premises import selectors
    from wijk.premises.timeutil import local

    day = date(2026, 3, 2)  # a Monday in winter: 14:36 local is 13:36 UTC
    now = datetime(2026, 3, 2, 13, 36, tzinfo=UTC)
    rooms = selectors.free_slots_by_room(spaces=[space], first=day, days=2, not_before=now)
    (_room, per_day) = rooms[0]
    today, tomorrow = per_day[0][1], per_day[1][1]
    assert [(f"{local(a):%H:%M}", f"{local(b):%H:%M}") for a, b in today] == [("14:45", "23:00")]
    assert f"{local(tomorrow[0][0]):%H:%M}" == "09:00"  # tomorrow whole
    after_closing = datetime(2026, 3, 2, 22, 30, tzinfo=UTC)
    rooms = selectors.free_slots_by_room(
        spaces=[space], first=day, days=1, not_before=after_closing
    )
    assert rooms[0][1][0][1] == []


def test_the_coordinators_dashboard_counts_the_waiting_requests(
    client, space, building, org_a, volunteer_a
):
    dashboard = reverse("dashboard", kwargs={"organisation": org_a.slug})
    coordinator = make_user("coordinator@alfa.example", org_a, "coordinator")
    client.force_login(coordinator)
    assert 'id="booking-requests-summary"' not in client.get(dashboard).content.decode()
    client.logout()
    assert client.post(url(building), request_data(space)).status_code == 302
    client.force_login(coordinator)
    page = client.get(dashboard).content.decode()
    assert 'id="booking-requests-summary"' in page
    assert "1</span> request is waiting for an answer." in page
    client.force_login(volunteer_a)  # who cannot answer them does not see them
    assert 'id="booking-requests-summary"' not in client.get(dashboard).content.decode()
