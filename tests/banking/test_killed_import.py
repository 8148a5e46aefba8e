"""A killed import leaves none or all of its lines, and the books balanced.

`wijk import-statement` runs in a subprocess on its own database (a file-backed SQLite,
or a scratch PostgreSQL database when the suite runs on PostgreSQL) and is killed with
SIGKILL at 20 moments spread over its run. Each run imports a statement of its own
(distinct lines), some of them booked by a rule during the import. After each kill:
the run's lines are all there or none are, every booked line has its posted entry,
and the books balance.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from . import fixtures

RUNS = 20
LINES = 800
WIJK = str(Path(sys.executable).parent / "wijk")

SETUP = """
from wijk.organisations import services as o
from wijk.ledger import services as l
from wijk.ledger.models import Account
from wijk.banking import services as b
org = o.organisation_create(name="Alfa", slug="alfa", actor=None)
l.ledger_setup(organisation=org, actor=None)
l.fiscal_year_create(organisation=org, year=2026, actor=None)
b.bank_account_create(organisation=org, iban="NL91ABNA0417164300", name="Bank",
    ledger_account=Account.objects.get(organisation=org, number="1100"), actor=None)
cost = Account.objects.filter(organisation=org, type="expense").order_by("number").first()
b.booking_rule_create(organisation=org, counterparty_name="Koffiebar", account=cost, actor=None)
"""


def _statement(run: int) -> bytes:
    start = date(2026, 1, 1)
    lines = tuple(
        fixtures.Line(
            start + timedelta(days=i * 360 // LINES),
            (i % 97 + 1) * (1 if i % 3 else -1) * 100,
            "",
            "Koffiebar" if i % 10 == 0 else f"Klant {i % 50}",
            f"run{run:02d} regel {i}",
        )
        for i in range(LINES)
    )
    return fixtures.mt940(lines)


class _Db:
    def __init__(self, env: dict[str, str], query: Any):
        self.env = env
        self.query = query


@pytest.fixture
def scratch_db(tmp_path: Path) -> Iterator[_Db]:
    env = {**os.environ, "WIJK_DATA_DIR": str(tmp_path), "WIJK_EMAIL_BACKEND": "console"}
    if connection.vendor == "postgresql":
        import psycopg

        settings = connection.settings_dict
        name = f"{settings['NAME']}_killed"
        admin = {
            "host": settings["HOST"] or "127.0.0.1",
            "port": settings["PORT"] or 5432,
            "user": settings["USER"],
            "password": settings["PASSWORD"] or None,
        }
        with psycopg.connect(dbname="postgres", autocommit=True, **admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        url = f"postgres://{admin['user']}@{admin['host']}:{admin['port']}/{name}"
        env["DATABASE_URL"] = url

        def query(sql: str) -> Any:
            with psycopg.connect(dbname=name, **admin) as conn:
                return conn.execute(sql).fetchone()

        yield _Db(env, query)
        with psycopg.connect(dbname="postgres", autocommit=True, **admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        env["DATABASE_URL"] = ""
        path = tmp_path / "wijk.sqlite3"

        def query(sql: str) -> Any:
            with sqlite3.connect(path) as conn:
                return conn.execute(sql).fetchone()

        yield _Db(env, query)


def test_a_killed_import_leaves_none_or_all_of_its_lines(scratch_db, tmp_path):
    env = scratch_db.env
    subprocess.run([WIJK, "migrate", "-v0"], env=env, check=True)  # noqa: S603
    subprocess.run([WIJK, "shell", "-c", SETUP], env=env, check=True)  # noqa: S603
    # One import left to finish tells how long an import takes on this machine now.
    path = tmp_path / "whole.sta"
    path.write_bytes(_statement(99))
    started = time.perf_counter()
    subprocess.run(  # noqa: S603
        [WIJK, "import-statement", str(path), "--organisation", "alfa"], env=env, check=True
    )
    duration = time.perf_counter() - started
    rng = random.Random(4)
    outcomes = []
    for run in range(RUNS):
        path = tmp_path / f"run{run}.sta"
        path.write_bytes(_statement(run))
        process = subprocess.Popen(  # noqa: S603
            [WIJK, "import-statement", str(path), "--organisation", "alfa"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.1, 1.3) * duration)
        process.send_signal(signal.SIGKILL)
        process.wait()
        (count,) = scratch_db.query(
            f"SELECT COUNT(*) FROM banking_bankline WHERE description LIKE 'run{run:02d} %'"  # noqa: S608
        )
        assert count in (0, LINES), f"run {run}: {count} of {LINES} lines"
        outcomes.append(count == LINES)
        debit, credit = scratch_db.query(
            "SELECT COALESCE(SUM(debit_cents), 0), COALESCE(SUM(credit_cents), 0) "
            "FROM ledger_journalline"
        )
        assert debit == credit
        (orphans,) = scratch_db.query(
            "SELECT COUNT(*) FROM banking_bankline b LEFT JOIN ledger_journalentry e "
            "ON e.id = b.journal_entry_id WHERE b.status = 'booked' "
            "AND (e.id IS NULL OR e.posted_at IS NULL)"
        )
        assert orphans == 0
        (drafts,) = scratch_db.query(
            "SELECT COUNT(*) FROM ledger_journalentry WHERE posted_at IS NULL"
        )
        assert drafts == 0
    # The kills landed both before and after the commit.
    assert any(outcomes) and not all(outcomes), outcomes
