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
