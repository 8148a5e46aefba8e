"""Books with the standard chart and a registered bank account, for banking tests."""

from __future__ import annotations

import pytest

from wijk.banking import services
from wijk.banking.models import BankAccount
from wijk.ledger import services as ledger
from wijk.ledger.models import Account

IBAN_A = "NL91ABNA0417164300"


@pytest.fixture
def books_a(org_a):  # type: ignore[no-untyped-def]
    ledger.ledger_setup(organisation=org_a, actor=None)
    ledger.fiscal_year_create(organisation=org_a, year=2026, actor=None)
    return org_a


@pytest.fixture
def bank_a(books_a) -> BankAccount:  # type: ignore[no-untyped-def]
    return services.bank_account_create(
        organisation=books_a,
        iban=IBAN_A,
        name="Betaalrekening",
        ledger_account=Account.objects.get(organisation=books_a, number="1100"),
        actor=None,
    )
