from __future__ import annotations

import pytest

from tests.factories import make_user
from tests.sales.helpers import settings_with_iban
from wijk.ledger import services as ledger


@pytest.fixture
def books(org_a, settings, tmp_path):  # type: ignore[no-untyped-def]
    """Books of 2026 set up for organisation A, with an IBAN for its invoices."""
    settings.MEDIA_ROOT = tmp_path / "media"
    ledger.ledger_setup(organisation=org_a, actor=None)
    settings_with_iban(org_a)
    return ledger.fiscal_year_create(organisation=org_a, year=2026, actor=None)


@pytest.fixture
def treasurer_a(org_a):  # type: ignore[no-untyped-def]
    return make_user("penningmeester@alfa.example", org_a, "treasurer", two_factor=True)


@pytest.fixture
def audit_a(org_a):  # type: ignore[no-untyped-def]
    return make_user("kascommissie@alfa.example", org_a, "audit_committee")
