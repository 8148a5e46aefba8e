"""An independent tool agrees with us: hledger reads `wijk export-journal` and finds the
same balance for every account, to the cent."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.core.management import call_command

from wijk.ledger.exchange import hledger_account_name
from wijk.ledger.selectors import trial_balance
from wijk.organisations.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def hledger() -> str:
    path = shutil.which("hledger")
    if path is None:
        message = "hledger is not installed: apt-get install hledger (make test does this as root)"
        if os.environ.get("WIJK_REQUIRE_SYSTEM_TOOLS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return path


def to_cents(amount: str) -> int:
    value = amount.replace("EUR", "").strip() or "0"
    return int(Decimal(value) * 100)


def test_hledger_reports_the_same_trial_balance_as_we_do(hledger, tmp_path):
    from datetime import date

    call_command("demo", "--no-migrate", stdout=io.StringIO())
    demo = Organisation.objects.get(slug="demo")
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


def test_export_refuses_unknown_organisation_and_year():
    from django.core.management import CommandError

    from wijk.ledger import services as ledger
    from wijk.organisations.services import organisation_create

    # Books with one year are enough here; the demo takes half a minute to build.
    organisation = organisation_create(name="Stichting Demo", slug="demo", actor=None)
    ledger.ledger_setup(organisation=organisation, actor=None)
    ledger.fiscal_year_create(organisation=organisation, year=2026, actor=None)
    with pytest.raises(CommandError, match="--organisation"):
        call_command("export-journal", "--organisation", "onbekend", stdout=io.StringIO())
    with pytest.raises(CommandError, match="--year"):
        call_command(
            "export-journal", "--organisation", "demo", "--year", "1999", stdout=io.StringIO()
        )


def test_account_names_are_safe_for_hledger():
    assert hledger_account_name(type="expense", number="4110", name="Gas,  water;  licht") == (
        "expense:4110 Gas, water, licht"
    )
