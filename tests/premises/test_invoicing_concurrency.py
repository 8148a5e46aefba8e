"""Four people invoice the same month at the same moment: every booking is charged once.

As in test_booking_concurrency.py, a script of its own runs against a fresh database
(a SQLite file in WAL mode with BEGIN IMMEDIATE transactions, or a throwaway
PostgreSQL database), with one connection per thread. Each round is a month with
bookings of several customers; the threads start `bookings_invoice` together. A run
either makes the month's invoices or is refused with a clear message (or finds
nothing left); never a server error, and never a booking on two invoices.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from tests.ledger.test_concurrency import database_url, run_script  # noqa: F401 - fixture

THREADS = 4
ROUNDS = 6
TIMEOUT = 600

INVOICER = textwrap.dedent(
    """
    import json, os, sys, threading, time, traceback
    from datetime import date, time as clock

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijk.settings")
    import django

    django.setup()
    from django.core.exceptions import ValidationError
    from django.core.management import call_command
    from django.db import connection, connections
    from django.db.models import Count, Sum

    threads, rounds = int(sys.argv[1]), int(sys.argv[2])
    call_command("migrate", verbosity=0, interactive=False)

    from wijk.ledger import services as ledger
    from wijk.organisations.services import organisation_create
    from wijk.premises import invoicing, services
    from wijk.premises.models import Booking, BookingInvoice
    from wijk.premises.timeutil import to_utc
    from wijk.sales.models import Invoice, SalesSettings

    organisation = organisation_create(name="Buurthuis Druk", slug="druk", actor=None)
    ledger.ledger_setup(organisation=organisation, actor=None)
    ledger.fiscal_year_create(organisation=organisation, year=2026, actor=None)
    SalesSettings.objects.create(organisation=organisation, iban="NL91ABNA0417164300")
    building = services.building_create(
        organisation=organisation, data=services.BuildingData(name="Buurthuis"), actor=None
    )
    space = services.space_create(
        building=building, data=services.SpaceData(name="Grote zaal"), actor=None
    )
    services.space_tariffs_set(
        space=space,
        rows=[services.TariffRow("resident_initiative", 2_000, None, None, "exempt")],
        actor=None,
    )
    for r in range(rounds):
        for day in range(1, 16):
            services.booking_create(
                space=space,
                starts_at=to_utc(date(2026, r + 1, day), clock(19)),
                ends_at=to_utc(date(2026, r + 1, day), clock(21)),
                details=services.BookingDetails(
                    title="Avond",
                    customer=services.Customer(
                        name=f"Groep {day % 5}", customer_class="resident_initiative"
                    ),
                ),
                actor=None,
            )
    connections.close_all()

    barrier = threading.Barrier(threads)
    lock = threading.Lock()
    errors, outcomes = [], {}

    def work(t):
        try:
            for r in range(rounds):
                barrier.wait(timeout=120)
                try:
                    made = invoicing.bookings_invoice(
                        organisation=organisation, month=date(2026, r + 1, 1),
                        per="customer", actor=None, issue_date=date(2026, 7, 1),
                    )
                    outcome = ["made", len(made)]
                except ValidationError as exc:
                    outcome = ["refused", " ".join(exc.messages)]
                with lock:
                    outcomes.setdefault(r, []).append(outcome)
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
    links = BookingInvoice.objects.filter(released=False)
    print(json.dumps({
        "vendor": connection.vendor,
        "seconds": time.monotonic() - started,
        "alive": sum(worker.is_alive() for worker in workers),
        "errors": errors,
        "outcomes": outcomes,
        "bookings": Booking.objects.count(),
        "linked": links.count(),
        "most_links_per_booking": max(
            row["n"] for row in links.values("booking").annotate(n=Count("pk"))
        ),
        "invoices": Invoice.objects.count(),
        "invoiced_cents": Invoice.objects.aggregate(s=Sum("total_cents"))["s"],
        "booked_cents": Booking.objects.aggregate(s=Sum("price_net_cents"))["s"],
        "numbers": sorted(Invoice.objects.values_list("sequence", flat=True)),
    }))
    connections.close_all()
    """
)


def test_simultaneous_runs_invoice_every_booking_exactly_once(
    tmp_path: Path,
    database_url: str | None,  # noqa: F811
) -> None:
    summary = run_script(
        tmp_path, INVOICER, THREADS, ROUNDS, database_url=database_url, timeout=TIMEOUT
    )

    assert summary["errors"] == [], "\n".join(summary["errors"])
    assert summary["alive"] == 0
    assert summary["vendor"] == ("postgresql" if database_url else "sqlite")
    assert summary["bookings"] == 15 * ROUNDS
    assert summary["linked"] == summary["bookings"]
    assert summary["most_links_per_booking"] == 1
    # five customers a month, one invoice each, numbered without gaps
    assert summary["invoices"] == 5 * ROUNDS
    assert summary["numbers"] == list(range(1, 5 * ROUNDS + 1))
    assert summary["invoiced_cents"] == summary["booked_cents"]
    for month, outcomes in summary["outcomes"].items():
        made = [o for o in outcomes if o[0] == "made" and o[1]]
        assert len(made) == 1 and made[0][1] == 5, (month, outcomes)
        for kind, detail in outcomes:
            # the script runs in the default language, Dutch: "... net gefactureerd ..."
            assert (kind == "made") or "net gefactureerd" in detail, (month, outcomes)
    refused = sum(kind == "refused" for o in summary["outcomes"].values() for kind, _d in o)
    print(
        f"{summary['vendor']}: {THREADS} runs × {ROUNDS} months in {summary['seconds']:.1f} s, "
        f"{refused} refused by the database guard"
    )
