"""Shared fixtures. Data is deterministic: named factories, no randomness."""

from __future__ import annotations

import pytest

from tests.factories import make_organisation, make_user


@pytest.fixture(autouse=True)
def _english_by_default(settings):  # type: ignore[no-untyped-def]
    """Tests read English text unless they ask for Dutch; the app default stays Dutch."""
    settings.LANGUAGE_CODE = "en"
    settings.PASSWORD_HASHERS = ["tests.hashers.FastArgon2PasswordHasher"]


@pytest.fixture
def dutch_default(_english_by_default):  # type: ignore[no-untyped-def]
    """The app as deployed: Dutch unprefixed, English under /en/.

    `_english_by_default` makes English the default so most tests can read English
    text; with that, /en/ does not exist. Tests about language prefixes use this. The
    URL resolver caches its reverse map per language, so it is cleared around it.
    """
    from django.test import override_settings
    from django.urls import clear_url_caches

    with override_settings(LANGUAGE_CODE="nl"):
        clear_url_caches()
        yield
    clear_url_caches()


@pytest.fixture
def year_over(monkeypatch):  # type: ignore[no-untyped-def]
    """Today is 15 January 2027, so the years up to 2026 are over and may be closed.

    Only today's date moves (django.utils.timezone.localdate, which the services ask);
    the clock of the database and of timestamps does not.
    """
    from datetime import date

    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(2027, 1, 15))


@pytest.fixture
def posted_entries_cleanup(transactional_db):  # type: ignore[no-untyped-def]
    """Let tests with committed data post entries: remove them again at the end.

    pytest-django empties tables after such a test; on SQLite with DELETE, which the
    ledger triggers refuse for posted entries. So the ledger rows are removed here
    with the triggers briefly off, and the triggers are always put back.
    """
    from django.db import connection

    from wijk.community import triggers as community_triggers
    from wijk.expenses import triggers as expense_triggers
    from wijk.ledger.triggers import all_statements
    from wijk.sales import triggers as sales_triggers

    yield
    vendor = connection.vendor
    with connection.cursor() as cursor:
        for sql in (
            all_statements(vendor, create=False)
            + sales_triggers.statements(vendor, create=False)
            + expense_triggers.statements(vendor, create=False)
            + community_triggers.statements(vendor, create=False)
        ):
            cursor.execute(sql)
        try:
            for table in (
                # Rows that point at posted entries go first.
                "premises_bookinginvoice",
                "community_sharemovement",
                "community_membershipfeeinvoice",
                "sales_payment",
                "sales_invoiceline",
                "sales_invoice",
                "expenses_expenseapproval",
                "expenses_expenseclaim",
                "ledger_importedtransaction",
                "ledger_ledgerimport",
                "ledger_accountmonthbalance",
                "ledger_journalline",
                "ledger_journalentry",
                "ledger_journalsequence",
                "ledger_periodlock",
                "ledger_budgetline",
                "ledger_fiscalyear",
            ):
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
        finally:
            for sql in (
                all_statements(vendor, create=True)
                + sales_triggers.statements(vendor, create=True)
                + expense_triggers.statements(vendor, create=True)
                + community_triggers.statements(vendor, create=True)
            ):
                cursor.execute(sql)


@pytest.fixture
def org_a(db):  # type: ignore[no-untyped-def]
    return make_organisation("Bewonersbedrijf Alfa", "alfa")


@pytest.fixture
def org_b(db):  # type: ignore[no-untyped-def]
    return make_organisation("Buurtbedrijf Beta", "beta")


@pytest.fixture
def board_a(org_a):  # type: ignore[no-untyped-def]
    return make_user("bestuur@alfa.example", org_a, "board", two_factor=True)


@pytest.fixture
def volunteer_a(org_a):  # type: ignore[no-untyped-def]
    return make_user("vrijwilliger@alfa.example", org_a, "volunteer")


@pytest.fixture
def board_b(org_b):  # type: ignore[no-untyped-def]
    return make_user("bestuur@beta.example", org_b, "board", two_factor=True)
