from __future__ import annotations

import pytest

from tests.factories import make_user
from wijk.ledger import services as ledger


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def books(org_a):  # type: ignore[no-untyped-def]
    ledger.ledger_setup(organisation=org_a, actor=None)
    return ledger.fiscal_year_create(organisation=org_a, year=2026, actor=None)


@pytest.fixture
def treasurer_a(org_a):  # type: ignore[no-untyped-def]
    return make_user("penningmeester@alfa.example", org_a, "treasurer", "board", two_factor=True)


@pytest.fixture
def second_board_a(org_a):  # type: ignore[no-untyped-def]
    return make_user("voorzitter@alfa.example", org_a, "board", two_factor=True)
