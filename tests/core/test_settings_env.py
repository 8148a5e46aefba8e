import os
from pathlib import Path

from django.conf import settings

PROJECT = Path(__file__).resolve().parents[2]


def test_tests_use_a_temporary_data_folder():
    """The tests write where WIJK_DATA_DIR says, never into the demo's data/ folder.

    pyproject.toml sets WIJK_DATA_DIR=/tmp/wijk-test-data unless the caller set one
    ("D:" keeps it), so the folder is whatever the environment names.
    """
    chosen = os.environ.get("WIJK_DATA_DIR")
    assert chosen, "pytest-env sets WIJK_DATA_DIR for every test run"
    assert Path(chosen).resolve() == settings.DATA_DIR
    assert (PROJECT / "data").resolve() != settings.DATA_DIR


def test_debug_is_off_unless_turned_on():
    assert settings.DEBUG is False


def test_production_hashes_passwords_with_argon2():
    from wijk import settings as production

    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    lengths = [
        v.get("OPTIONS", {}).get("min_length")
        for v in production.AUTH_PASSWORD_VALIDATORS
        if v["NAME"].endswith("MinimumLengthValidator")
    ]
    assert lengths == [12]


def test_login_throttling_is_five_per_account_and_address_in_thirty_minutes():
    assert settings.ACCOUNT_RATE_LIMITS["login_failed"] == "5/30m/ip,5/30m/key"
