"""Bookings as iCalendar (RFC 5545): a file with a confirmation, a feed per room.

Times are written in UTC (the "Z" form), which every calendar program converts to its
own time zone, so a booking is at the same moment everywhere, across clock changes.
The feed of a room is reached through a secret token in its URL, derived from the
room and SECRET_KEY: whoever has the link sees the room's bookings (titles only, no
customer details), and changing SECRET_KEY changes every link.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from icalendar import Calendar, Event

from .models import Booking, BookingStatus, Space

PRODID = "-//Wijkonderneming//Bookings//NL"


def booking_uid(booking: Booking) -> str:
    host = (settings.ALLOWED_HOSTS or ["localhost"])[0].lstrip(".") or "localhost"
    return f"booking-{booking.pk}@{host}"


def _event(booking: Booking, *, with_customer: bool) -> Event:
    event = Event()
    event.add("uid", booking_uid(booking))
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("dtstart", booking.starts_at.astimezone(UTC))
    event.add("dtend", booking.ends_at.astimezone(UTC))
    event.add("summary", booking.title)
    event.add("location", f"{booking.space.name}, {booking.space.building.name}")
    event.add("status", "TENTATIVE" if booking.status == BookingStatus.REQUESTED else "CONFIRMED")
    if with_customer:
        event.add("description", booking.customer_name)
    return event


def calendar_bytes(bookings: Iterable[Booking], *, name: str, with_customer: bool) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for booking in bookings:
        calendar.add_component(_event(booking, with_customer=with_customer))
    return calendar.to_ical()


def feed_token(space: Space) -> str:
    return salted_hmac("wijk.premises.room-feed", str(space.pk)).hexdigest()[:32]


def feed_token_matches(space: Space, token: str) -> bool:
    return constant_time_compare(feed_token(space), token)
