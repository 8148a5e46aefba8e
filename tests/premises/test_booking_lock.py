"""Two bookings for one room at the same moment queue behind each other on PostgreSQL.

Without a lock, two transactions that insert overlapping bookings each wait for the
other's row while checking the exclusion constraint, and PostgreSQL may end one of them
with "deadlock detected" (a server error on the page: CI saw it once in the fifty-thread
test). The booking service locks the room row first, so the second booker waits for the
first to commit and then meets the ordinary "already booked" check. This test holds the
first transaction open and watches the second one wait and then be refused by that check.
SQLite needs no such lock: its BEGIN IMMEDIATE transactions already queue every writer.
"""

from __future__ import annotations

import threading
from datetime import date, time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from wijk.premises import services
from wijk.premises.models import Booking
from wijk.premises.timeutil import to_utc

DAY = date(2026, 3, 2)


def _book(space: services.Space, title: str) -> Booking:
    return services.booking_create(
        space=space,
        starts_at=to_utc(DAY, time(19)),
        ends_at=to_utc(DAY, time(21)),
        details=services.BookingDetails(title=title, customer=services.Customer(name=title)),
        actor=None,
    )


@pytest.mark.django_db(transaction=True)
def test_a_second_booker_waits_for_the_first_and_gets_the_plain_refusal(org_a):
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL row lock; SQLite queues writers with BEGIN IMMEDIATE")
    building = services.building_create(
        organisation=org_a, data=services.BuildingData(name="Buurthuis"), actor=None
    )
    space = services.space_create(
        building=building, data=services.SpaceData(name="Grote zaal"), actor=None
    )
    first_inside = threading.Event()
    let_first_commit = threading.Event()
    second_done = threading.Event()
    outcome: dict[str, object] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                _book(space, "Koor")
                first_inside.set()
                let_first_commit.wait(timeout=30)
        finally:
            connections.close_all()

    def second() -> None:
        try:
            first_inside.wait(timeout=30)
            _book(space, "Feest")
        except ValidationError as exc:
            outcome["error"] = exc
        except Exception as exc:  # noqa: BLE001 - the deadlock this test guards against
            outcome["other"] = exc
        finally:
            second_done.set()
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    assert first_inside.wait(timeout=30)
    # the second booker is held at the room's lock while the first is open
    assert not second_done.wait(timeout=1.5)
    let_first_commit.set()
    for thread in threads:
        thread.join(timeout=30)
    assert "other" not in outcome, outcome.get("other")
    message = outcome["error"].message_dict["starts_at"][0]  # type: ignore[attr-defined]
    assert message.startswith("Grote zaal is already booked from 2 March 2026 19:00")
    assert list(Booking.objects.values_list("title", flat=True)) == ["Koor"]
