"""Fifty people book the same slot at the same moment, twenty times: one booking each time.

The requests go through the real booking page (Django's test client in 50 threads, each
with its own database connection) against a fresh database of its own, migrated from
scratch, the way tests/ledger/test_concurrency.py does it and for the same reasons: a
real SQLite file in WAL mode with BEGIN IMMEDIATE transactions, or a throwaway
PostgreSQL database with the exclusion constraint. Every attempt must answer 302 (the
one that got the room) or 400 (the room is taken, said on the form), never a server
error, and the database must hold exactly one booking per slot.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from tests.ledger.test_concurrency import database_url, run_script  # noqa: F401 - fixture

THREADS = 50
ROUNDS = 20
TIMEOUT = 600

BOOKER = textwrap.dedent(
    """
    import json, os, sys, threading, time, traceback
    from datetime import date, timedelta

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijk.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections
    from django.test import Client
    from django.urls import reverse

    threads, rounds = int(sys.argv[1]), int(sys.argv[2])
    call_command("migrate", verbosity=0, interactive=False)

    from wijk.accounts.models import User
    from wijk.organisations.services import membership_add, organisation_create
    from wijk.premises import services
    from wijk.premises.models import Booking

    organisation = organisation_create(name="Buurthuis Druk", slug="druk", actor=None)
    user = User.objects.create_user("coordinator@druk.example", "x" * 20, full_name="Co")
    membership_add(organisation=organisation, user=user, role="coordinator", actor=None)
    building = services.building_create(
        organisation=organisation, data=services.BuildingData(name="Buurthuis"), actor=None
    )
    space = services.space_create(
        building=building, data=services.SpaceData(name="Grote zaal"), actor=None
    )
    url = reverse("booking_create", kwargs={"organisation": "druk", "pk": space.pk})
    clients = []
    for _ in range(threads):
        client = Client()
        client.force_login(user)
        clients.append(client)
    connections.close_all()

    barrier = threading.Barrier(threads)
    lock = threading.Lock()
    in_flight = max_in_flight = 0
    errors, statuses = [], {}

    def attempt(t, r):
        global in_flight, max_in_flight
        day = date(2026, 3, 2) + timedelta(days=r)
        data = {
            "date": day.isoformat(), "start_time": "19:00", "end_time": "21:00",
            "title": f"round {r} thread {t}", "customer_kind": "person",
            "customer_name": f"Bewoner {t}", "customer_class": "resident_initiative",
        }
        with lock:
            in_flight += 1
            max_in_flight = max(max_in_flight, in_flight)
        try:
            response = clients[t].post(url, data)
        finally:
            with lock:
                in_flight -= 1
        body = response.content.decode() if response.status_code == 400 else ""
        # the pages speak Dutch, as deployed: "al geboekt" (seen by the service's own
        # check) or "net door iemand anders geboekt" (refused by the database guard)
        taken = "net door iemand anders" in body and "database" or "al geboekt" in body and "check"
        with lock:
            statuses.setdefault(r, []).append([response.status_code, taken])

    def work(t):
        try:
            for r in range(rounds):
                barrier.wait(timeout=120)
                attempt(t, r)
        except BaseException as exc:
            errors.append(f"thread {t}: {type(exc).__name__}: {exc}\\n{traceback.format_exc()}")
            barrier.abort()
        finally:
            connections.close_all()

    started = time.monotonic()
    workers = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=500)
    seconds = time.monotonic() - started
    per_round = []
    for r in range(rounds):
        day = date(2026, 3, 2) + timedelta(days=r)
        per_round.append(
            Booking.objects.filter(space=space, starts_at__date=day).count()
        )
    print(json.dumps({
        "vendor": connection.vendor,
        "seconds": seconds,
        "alive": sum(worker.is_alive() for worker in workers),
        "errors": errors,
        "max_in_flight": max_in_flight,
        "statuses": statuses,
        "per_round": per_round,
        "total": Booking.objects.count(),
    }))
    connections.close_all()
    """
)


def test_fifty_simultaneous_requests_for_one_slot_make_one_booking(
    tmp_path: Path,
    database_url: str | None,  # noqa: F811
) -> None:
    summary = run_script(
        tmp_path,
        BOOKER,
        THREADS,
        ROUNDS,
        database_url=database_url,
        timeout=TIMEOUT,
        # the pages render without collectstatic
        env={"ALLOWED_HOSTS": "testserver", "WIJK_PLAIN_STATIC": "1"},
    )

    assert summary["errors"] == [], "\n".join(summary["errors"])
    assert summary["alive"] == 0
    assert summary["vendor"] == ("postgresql" if database_url else "sqlite")
    assert summary["max_in_flight"] > 1, "the requests never overlapped: nothing was tested"
    assert summary["per_round"] == [1] * ROUNDS
    assert summary["total"] == ROUNDS
    for round_number, outcomes in summary["statuses"].items():
        codes = sorted(code for code, _taken in outcomes)
        assert codes == [302] + [400] * (THREADS - 1), (round_number, codes)
        # every refusal says why, on the form
        assert all(taken for code, taken in outcomes if code == 400), round_number
    print(
        "refused by",
        sorted({taken for o in summary["statuses"].values() for _c, taken in o if taken}),
    )
    print(f"{summary['vendor']}: {THREADS * ROUNDS} attempts in {summary['seconds']:.1f} s")
