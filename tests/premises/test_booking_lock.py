"""Two bookings for one room at the same moment queue behind each other.

Without a lock, two PostgreSQL transactions that insert overlapping bookings each wait
for the other's row while checking the exclusion constraint, and PostgreSQL may end
one of them with "deadlock detected" (a server error on the page: CI saw it once in
the fifty-thread test). The booking service locks the room row first, so the second
booker waits for the first to commit and then meets the ordinary "already booked"
check. On SQLite the BEGIN IMMEDIATE transactions queue every writer the same way.

The test holds the first booking's transaction open and watches the second booker
wait and then be refused by that check. It needs two connections that see each
other's commits, so, like the other concurrency tests, it runs as a script against a
database of its own (the suite's engine).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from tests.ledger.test_concurrency import database_url, run_script  # noqa: F401 - fixture

SCRIPT = textwrap.dedent(
    """
    import json, os, threading, time
    from datetime import date, time as clock

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijk.settings")
    import django

    django.setup()
    from django.core.exceptions import ValidationError
    from django.core.management import call_command
    from django.db import connection, connections, transaction
    from django.utils import translation

    call_command("migrate", verbosity=0, interactive=False)
    from wijk.organisations.services import organisation_create
    from wijk.premises import services
    from wijk.premises.models import Booking
    from wijk.premises.timeutil import to_utc

    translation.activate("en")
    organisation = organisation_create(name="Buurthuis", slug="buurthuis", actor=None)
    building = services.building_create(
        organisation=organisation, data=services.BuildingData(name="Buurthuis"), actor=None
    )
    space = services.space_create(
        building=building, data=services.SpaceData(name="Grote zaal"), actor=None
    )
    connections.close_all()
    day = date(2026, 3, 2)

    def book(title):
        return services.booking_create(
            space=space,
            starts_at=to_utc(day, clock(19)),
            ends_at=to_utc(day, clock(21)),
            details=services.BookingDetails(title=title, customer=services.Customer(name=title)),
            actor=None,
        )

    first_inside, let_first_commit, second_done = (threading.Event() for _ in range(3))
    outcome = {}

    def first():
        try:
            with transaction.atomic():
                book("Koor")
                first_inside.set()
                let_first_commit.wait(timeout=30)
        finally:
            connections.close_all()

    def second():
        translation.activate("en")
        try:
            first_inside.wait(timeout=30)
            book("Feest")
        except ValidationError as exc:
            outcome["refusal"] = exc.message_dict["starts_at"][0]
        except Exception as exc:
            outcome["other"] = f"{type(exc).__name__}: {exc}"
        finally:
            second_done.set()
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    inside = first_inside.wait(timeout=30)
    waited = not second_done.wait(timeout=1.5)
    let_first_commit.set()
    for thread in threads:
        thread.join(timeout=30)
    print(json.dumps({
        "vendor": connection.vendor,
        "inside": inside,
        "waited": waited,
        "outcome": outcome,
        "titles": list(Booking.objects.values_list("title", flat=True)),
    }))
    connections.close_all()
    """
)


def test_a_second_booker_waits_for_the_first_and_gets_the_plain_refusal(
    tmp_path: Path,
    database_url: str | None,  # noqa: F811
) -> None:
    summary = run_script(tmp_path, SCRIPT, database_url=database_url, timeout=120)
    assert summary["vendor"] == ("postgresql" if database_url else "sqlite")
    assert summary["inside"]
    # the second booker is held while the first transaction is open
    assert summary["waited"]
    assert "other" not in summary["outcome"], summary["outcome"]
    assert summary["outcome"]["refusal"].startswith(
        "Grote zaal is already booked from 2 March 2026 19:00"
    )
    assert summary["titles"] == ["Koor"]
