"""The `wijk` command line: demo, check, create-organisation."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from wijk.accounts.models import User
from wijk.core.models import AuditEvent
from wijk.demo.generator import DEMO_LOGINS, DEMO_PASSWORD
from wijk.organisations.models import Membership, NeighbourhoodLink, Organisation
from wijk.organisations.roles import Role

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def counts() -> tuple[int, ...]:
    return (
        Organisation.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        NeighbourhoodLink.objects.count(),
        AuditEvent.objects.count(),
    )


def test_demo_builds_one_enterprise_with_every_role_and_is_idempotent():
    output = run("demo", "--no-migrate")
    demo = Organisation.objects.get(slug="demo")
    roles = set(Membership.objects.filter(organisation=demo).values_list("role", flat=True))
    assert roles == set(Role.values)
    assert User.objects.get(email="analist@netwerk.example").is_network_analyst
    for login in DEMO_LOGINS:
        assert login.email in output
        assert User.objects.get(email=login.email).check_password(DEMO_PASSWORD)
    assert DEMO_PASSWORD in output
    before = counts()
    run("demo", "--no-migrate")
    assert counts() == before


def test_demo_is_deterministic():
    run("demo", "--no-migrate")
    demo = Organisation.objects.get(slug="demo")
    assert (demo.name, demo.kvk_number, demo.rsin) == (
        "Stichting Bewonersbedrijf De Wilg",
        "41234567",
        "815372905",
    )
    assert list(
        NeighbourhoodLink.objects.filter(organisation=demo).values_list("code", flat=True)
    ) == [
        "BU03637700",
        "GM0363",
        "WK036376",
    ]


def test_check_reports_a_healthy_installation():
    output = run("check")
    assert "Migrations: all applied." in output
    assert "Everything is in order." in output


def test_create_organisation_invites_the_first_board_member():
    output = run(
        "create-organisation",
        "--name",
        "Buurtbedrijf Noord",
        "--slug",
        "noord",
        "--board-email",
        "voorzitter@noord.example",
    )
    assert "Created Buurtbedrijf Noord" in output
    assert Organisation.objects.filter(slug="noord").exists()
    assert mail.outbox[0].to == ["voorzitter@noord.example"]


def test_create_organisation_bad_input_names_the_option_and_writes_nothing():
    run("create-organisation", "--name", "Een", "--slug", "een", "--board-email", "a@een.example")
    before = counts()
    with pytest.raises(CommandError, match="--slug"):
        run(
            "create-organisation",
            "--name",
            "Twee",
            "--slug",
            "een",
            "--board-email",
            "b@een.example",
        )
    assert counts() == before


@pytest.mark.django_db(transaction=False)
def test_wijk_entry_point_lists_its_commands(tmp_path: Path):
    wijk = Path(sys.executable).with_name("wijk")
    result = subprocess.run(
        [str(wijk), "help"],
        capture_output=True,
        text=True,
        env={"WIJK_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for command in ("demo", "serve", "check", "backup", "restore", "create-organisation"):
        assert command in result.stdout


def test_create_organisation_with_a_bad_email_writes_nothing():
    before = counts()
    with pytest.raises(CommandError, match="--board-email"):
        run(
            "create-organisation", "--name", "Drie", "--slug", "drie", "--board-email", "geen-adres"
        )
    assert counts() == before


def test_create_organisation_when_mail_fails_writes_nothing(settings):
    settings.EMAIL_BACKEND = "tests.organisations.failing_mail.Backend"
    before = counts()
    with pytest.raises(CommandError, match="could not be sent"):
        run(
            "create-organisation",
            "--name",
            "Vier",
            "--slug",
            "vier",
            "--board-email",
            "a@vier.example",
        )
    assert counts() == before


def test_network_analyst_role_is_granted_and_removed():
    output = run("network-analyst", "Onderzoeker@Netwerk.example", "--name", "Onderzoeker")
    user = User.objects.get(email="onderzoeker@netwerk.example")
    assert user.is_network_analyst and not user.has_usable_password()
    assert "Forgot password" in output
    run("network-analyst", "onderzoeker@netwerk.example", "--remove")
    user.refresh_from_db()
    assert not user.is_network_analyst
    with pytest.raises(CommandError, match="not a network analyst"):
        run("network-analyst", "onderzoeker@netwerk.example", "--remove")
    with pytest.raises(CommandError, match="not a valid e-mail"):
        run("network-analyst", "geen-adres")


def test_serve_explains_a_busy_port(tmp_path: Path):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        wijk = Path(sys.executable).with_name("wijk")
        result = subprocess.run(
            [str(wijk), "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            env={"WIJK_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
            timeout=60,
            check=False,
        )
    assert result.returncode != 0
    assert "choose another with --port" in result.stderr
    assert "Traceback" not in result.stderr


def test_demo_books_are_balanced_and_verified():
    from datetime import date

    from wijk.ledger.selectors import trial_balance

    run("demo", "--no-migrate")
    demo = Organisation.objects.get(slug="demo")
    report = trial_balance(organisation=demo, end=date(2026, 12, 31))
    assert report.balanced and report.debit_cents > 0
    assert "no findings" in run("verify-ledger", "--organisation", "demo")
    # The centre's bookings up to November are invoiced, with the building, mostly paid.
    from wijk.premises.models import Booking, BookingInvoice
    from wijk.sales.matching import open_invoices
    from wijk.sales.models import Invoice

    booked = Invoice.objects.filter(organisation=demo, booking_links__isnull=False).distinct()
    assert booked.count() > 100
    assert not BookingInvoice.objects.filter(
        organisation=demo, booking__starts_at__date__gte=date(2026, 12, 1)
    ).exists()
    assert (
        not Booking.objects.filter(
            organisation=demo,
            status="confirmed",
            starts_at__date__lt=date(2026, 11, 30),
            price_net_cents__gt=0,
            invoice_links__isnull=True,
        )
        .exclude(customer_class="internal")
        .exists()
    )
    still_open = [i for i in open_invoices(organisation=demo) if i in set(booked)]
    assert 0 < len(still_open) <= 5
    assert not booked.filter(lines__building__isnull=True).exists()
