"""Benchmark of room bookings: a building with 20 rooms and 50,000 bookings.

The bookings (non-overlapping, 1 to 4 hours, spread over about two and a half years)
are inserted through the ORM, so the database's double-booking guard checks every one;
the time that takes is reported too. Then, as server time (the view called through
Django's test client, template rendering included):

- the week calendar of the building (target: under 100 ms);
- a free-slot search: the free times of every room for one day, and the public
  request page that shows them for seven days;
- a year's occupancy report (target: under 300 ms);
- booking one more slot through the service (the overlap check on a full room).

Figures go to standard output and to benchmarks/results/premises-<database>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from datetime import date, timedelta
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(fn, repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rooms", type=int, default=20)
    parser.add_argument("--bookings", type=int, default=50_000)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijk.settings")
    os.environ.setdefault("WIJK_DATA_DIR", tempfile.mkdtemp(prefix="wijk-bench-"))
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("WIJK_PLAIN_STATIC", "1")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.urls import reverse

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    from wijk.accounts.models import User
    from wijk.organisations.services import membership_add, organisation_create
    from wijk.premises import selectors, services
    from wijk.premises.models import Booking
    from wijk.premises.occupancy import occupancy
    from wijk.premises.timeutil import to_utc

    slug = f"bench{int(time.time())}"
    organisation = organisation_create(name="Buurthuis Benchmark", slug=slug, actor=None)
    user = User.objects.create_user(f"co@{slug}.example", "x" * 20, full_name="Co")
    membership_add(organisation=organisation, user=user, role="coordinator", actor=None)
    building = services.building_create(
        organisation=organisation,
        data=services.BuildingData(name="Buurthuis", accepts_requests=True),
        actor=None,
    )
    rooms = [
        services.space_create(
            building=building,
            data=services.SpaceData(
                name=f"Zaal {n + 1:02d}", opens_at=clock(8), closes_at=clock(23)
            ),
            actor=None,
        )
        for n in range(args.rooms)
    ]
    # Per room and day up to four bookings at fixed hours; enough days for the total.
    slots = [(9, 11), (12, 14), (15, 18), (19, 23)]
    per_day = args.rooms * len(slots)
    days = -(-args.bookings // per_day)
    first_day = date(2025, 1, 6)
    made = 0
    started = time.perf_counter()
    batch = []
    for d in range(days):
        day = first_day + timedelta(days=d)
        for room in rooms:
            for start, end in slots:
                if made >= args.bookings:
                    break
                batch.append(
                    Booking(
                        organisation=organisation,
                        space=room,
                        title=f"Groep {made % 97}",
                        customer_name="Bench",
                        customer_class=(
                            "resident_initiative",
                            "non_profit",
                            "commercial",
                            "internal",
                        )[made % 4],
                        starts_at=to_utc(day, clock(start)),
                        ends_at=to_utc(day, clock(end)),
                    )
                )
                made += 1
        if len(batch) >= 2_000:
            with transaction.atomic():
                Booking.objects.bulk_create(batch)
            batch = []
    if batch:
        with transaction.atomic():
            Booking.objects.bulk_create(batch)
    insert_seconds = time.perf_counter() - started
    last_day = first_day + timedelta(days=days - 1)
    probe = first_day + timedelta(days=days // 2)
    probe_monday = probe - timedelta(days=probe.weekday())

    client = Client()
    client.force_login(user)
    week_url = reverse("building_week", kwargs={"organisation": slug, "pk": building.pk})
    public_url = reverse("public_request", kwargs={"slug": slug, "pk": building.pk})

    def week() -> None:
        response = client.get(week_url, {"datum": probe_monday.isoformat()})
        assert response.status_code == 200

    def free_slots() -> None:
        for room in rooms:
            selectors.free_slots(space=room, day=probe)

    def public_page() -> None:
        assert client.get(public_url, {"datum": probe.isoformat()}).status_code in (200,)

    def year_occupancy() -> None:
        occupancy(organisation=organisation, year=probe.year)

    next_free = [last_day + timedelta(days=1)]

    def book_one() -> None:
        day = next_free[0]
        next_free[0] = day + timedelta(days=1)
        services.booking_create(
            space=rooms[0],
            starts_at=to_utc(day, clock(9)),
            ends_at=to_utc(day, clock(10)),
            details=services.BookingDetails(title="Extra", customer=services.Customer(name="X")),
            actor=None,
        )

    def load() -> str:
        """The machine's load average (1, 5, 15 minutes): other work skews the timings."""
        path = Path("/proc/loadavg")
        return " ".join(path.read_text().split()[:3]) if path.exists() else "unknown"

    load_before = load()
    figures = {
        "database": connection.vendor,
        "rooms": args.rooms,
        "bookings": Booking.objects.filter(organisation=organisation).count(),
        "days": days,
        "insert_seconds_with_guard": round(insert_seconds, 2),
        "week_calendar_ms": round(timed(week) * 1000, 1),
        "free_slots_all_rooms_one_day_ms": round(timed(free_slots) * 1000, 1),
        "public_request_page_7_days_ms": round(timed(public_page) * 1000, 1),
        "occupancy_year_ms": round(timed(year_occupancy) * 1000, 1),
        "book_one_ms": round(timed(book_one) * 1000, 1),
        "loadavg_before": load_before,
        "loadavg_after": load(),
        "python": sys.version.split()[0],
        "machine": platform.machine(),
    }
    for key, value in figures.items():
        print(f"{key:36} {value}")
    results = ROOT / "benchmarks" / "results"
    results.mkdir(exist_ok=True)
    (results / f"premises-{connection.vendor}.json").write_text(
        json.dumps(figures, indent=2) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
