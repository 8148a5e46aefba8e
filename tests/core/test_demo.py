"""The demo enterprise, built once for this module and read by every test in it.

`wijk demo` takes several seconds (a year of bookings, some 150 invoices with their
PDFs), and these tests only read what it built, or write inside their own savepoint.
So the module builds the demo once inside a transaction that stays open until the
last test here has run and is then rolled back: each test's own transaction
(pytest-django's `db`) is a savepoint inside it, rolled back after the test as usual.
Nothing of the demo outlives this module, and no test here may commit.
"""

from __future__ import annotations

import csv
import io
import subprocess
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction

from wijk.accounts.models import User
from wijk.demo.generator import DEMO_LOGINS, DEMO_PASSWORD
from wijk.ledger.exchange import hledger_account_name
from wijk.ledger.models import FiscalYear, JournalEntry
from wijk.ledger.selectors import trial_balance
from wijk.ledger.verification import verify_organisation
from wijk.ledger.xaf import xaf_export
from wijk.ledger.xaf_import import xaf_import, xaf_read
from wijk.organisations.models import Membership, NeighbourhoodLink, Organisation
from wijk.organisations.roles import Role
from wijk.premises.models import Booking, BookingInvoice
from wijk.sales.matching import open_invoices
from wijk.sales.models import Invoice

from ..factories import make_organisation
from ..ledger.test_hledger import hledger, to_cents  # noqa: F401 - fixture
from ..ledger.test_xaf import (
    NS,
    assert_references_hold,
    assert_totals_add_up,
    assert_valid,
    parse,
    posted_in_year,
    xaf_schema,  # noqa: F401 - fixture
)
from ..ledger.test_xaf_import import balances
from ..ledger.test_xaf_import import counts as ledger_counts
from .test_cli import counts, run

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_build(django_db_setup: Any, django_db_blocker: Any) -> Iterator[str]:
    """Build the demo once; give its command output. Rolled back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield run("demo", "--no-migrate")
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_build: str, db: None) -> Organisation:
    return Organisation.objects.get(slug="demo")


def test_demo_builds_one_enterprise_with_every_role_and_is_idempotent(demo_build, demo):
    roles = set(Membership.objects.filter(organisation=demo).values_list("role", flat=True))
    assert roles == set(Role.values)
    assert User.objects.get(email="analist@netwerk.example").is_network_analyst
    for login in DEMO_LOGINS:
        assert login.email in demo_build
        assert User.objects.get(email=login.email).check_password(DEMO_PASSWORD)
    assert DEMO_PASSWORD in demo_build
    before = counts()
    run("demo", "--no-migrate")
    assert counts() == before


def test_demo_is_deterministic(demo):
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


def test_demo_books_are_balanced_and_verified(demo):
    report = trial_balance(organisation=demo, end=date(2026, 12, 31))
    assert report.balanced and report.debit_cents > 0
    assert "no findings" in run("verify-ledger", "--organisation", "demo")
    # The centre's bookings up to November are invoiced, with the building, mostly paid.
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


def test_hledger_reports_the_same_trial_balance_as_we_do(demo, hledger, tmp_path):  # noqa: F811
    """An independent tool agrees: hledger reads `wijk export-journal` of the demo."""
    out = io.StringIO()
    call_command("export-journal", "--organisation", "demo", stdout=out)
    journal = tmp_path / "demo.journal"
    journal.write_text(out.getvalue(), encoding="utf-8")
    result = subprocess.run(
        [hledger, "-f", str(journal), "balance", "--flat", "--output-format", "csv", "--no-total"],
        capture_output=True,
        text=True,
        check=True,
    )
    theirs = {
        row["account"]: to_cents(row["balance"])
        for row in csv.DictReader(io.StringIO(result.stdout))
    }
    ours = {
        hledger_account_name(
            type=row.account.type, number=row.account.number, name=row.account.name_nl
        ): row.balance_cents
        for row in trial_balance(organisation=demo, end=date(2026, 12, 31)).rows
        if row.balance_cents != 0
    }
    assert len(ours) > 15
    assert theirs == ours


def test_demo_books_export_is_valid_and_matches_the_books(demo, xaf_schema):  # noqa: F811
    year = FiscalYear.objects.get(organisation=demo, start_date=date(2026, 1, 1))
    document = xaf_export(organisation=demo, fiscal_year=year)
    assert_valid(xaf_schema, document)
    root = parse(document)
    assert_references_hold(root)
    entries, lines, debit = posted_in_year(demo, year)
    assert entries > 100
    assert len(root.findall(".//x:transaction", NS)) == entries
    assert len(root.findall(".//x:trLine", NS)) == lines
    assert assert_totals_add_up(root) == (debit, debit)
    accounts = root.findall("x:company/x:generalLedger/x:ledgerAccount", NS)
    assert len(accounts) == demo.accounts.count()
    # The chart comes from RGS: every account carries its code and reference number.
    assert all(account.findtext("x:leadCode", namespaces=NS) for account in accounts)
    assert all(account.findtext("x:leadReference", namespaces=NS) for account in accounts)
    assert root.findtext("x:company/x:companyIdent", namespaces=NS) == demo.kvk_number
    assert root.findtext("x:company/x:taxRegIdent", namespaces=NS) == demo.rsin


def test_round_trip_of_the_demo_books_keeps_the_trial_balance(demo):
    target = make_organisation("Buurthuis Nieuw", "nieuw")
    year = FiscalYear.objects.get(organisation=demo, start_date=date(2026, 1, 1))
    document = xaf_read(
        file_name="demo-2026.xaf", data=xaf_export(organisation=demo, fiscal_year=year)
    )
    result = xaf_import(organisation=target, document=document, actor=None)
    posted = JournalEntry.objects.filter(organisation=demo, status="posted").count()
    assert result.entries == posted > 100
    assert result.accounts_created == []
    end = date(2026, 12, 31)
    ours, theirs = balances(demo, end), balances(target, end)
    assert len(ours) > 15
    assert theirs == ours
    assert verify_organisation(organisation=target) == []
    # and the second time nothing is added
    before = ledger_counts()
    with pytest.raises(ValidationError, match="already imported"):
        xaf_import(organisation=target, document=document, actor=None)
    assert ledger_counts() == before
