"""A killed import leaves none or all of its lines, and the books balanced.

The import runs in a child process on a database of its own (a file-backed SQLite, or
a scratch PostgreSQL database when the suite runs on PostgreSQL) and is killed with
SIGKILL, twenty times. `killed_import_driver.py` forks each child from one process
that has set Django up, and the child reports its progress: before each of the eight
statements of its file, just before the commit, and after it. Each run picks one of
those moments, lets the child stop itself there, and kills it either right there or
a random fraction of the time between two moments later, that time measured on this
machine in the runs before (so a busier machine spreads the kills as well as a quiet
one). Each run imports a statement of its own (distinct lines), some of them booked
by a rule during the import. After each kill: the run's lines are all there or none
are (none when killed at a moment before the commit, all after it), every booked
line has its posted entry, and the books balance.
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
from typing import IO, Any

import pytest
from django.db import connection

from . import fixtures

RUNS = 20
STATEMENTS = 8
PER_STATEMENT = 100
LINES = STATEMENTS * PER_STATEMENT
WIJK = str(Path(sys.executable).parent / "wijk")
DRIVER = str(Path(__file__).with_name("killed_import_driver.py"))
# Moments a child reports: before each statement (0..7), just before the commit (8),
# after the commit (9).
BEFORE_COMMIT = STATEMENTS
COMMITTED = STATEMENTS + 1

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
    """Eight statements of 100 lines, each opening where the one before closed."""
    start = date(2026, 1, 1)
    lines = [
        fixtures.Line(
            start + timedelta(days=i * 360 // LINES),
            (i % 97 + 1) * (1 if i % 3 else -1) * 100,
            "",
            "Koffiebar" if i % 10 == 0 else f"Klant {i % 50}",
            f"run{run:02d} regel {i}",
        )
        for i in range(LINES)
    ]
    parts, opening = [], fixtures.OPENING
    for first in range(0, LINES, PER_STATEMENT):
        part = tuple(lines[first : first + PER_STATEMENT])
        parts.append(fixtures.mt940(part, opening=opening))
        opening = fixtures.closing(part, opening)
    return b"".join(parts)


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


class _Driver:
    """The driver process, and the lines it reports."""

    def __init__(self, env: dict[str, str]):
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, DRIVER, "alfa"],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._read() == ["ready"]

    def _read(self) -> list[str]:
        out: IO[str] | None = self.process.stdout
        assert out is not None
        line = out.readline()
        assert line, "the driver stopped"
        return line.split()

    def run(
        self, path: Path, stop: int, rng: random.Random, gap: float
    ) -> tuple[int, float, list[float]]:
        """Import `path` and kill the child at moment `stop` or a little after: the
        signal that ended it, how long after the moment, and the moments' times."""
        stdin: IO[str] | None = self.process.stdin
        assert stdin is not None
        stdin.write(f"{path} {stop}\n")
        stdin.flush()
        times: list[float] = []
        pid, delay = 0, 0.0
        while True:
            words = self._read()
            kind = words[0]
            assert kind != "failed", " ".join(words)
            if kind in ("progress", "committed"):
                pid = int(words[1])
                times.append(float(words[3]))
            elif kind == "stopped":
                delay = 0.0 if rng.random() < 0.5 else rng.uniform(0, gap)
                if delay:
                    os.kill(pid, signal.SIGCONT)
                    time.sleep(delay)
                os.kill(pid, signal.SIGKILL)
            elif kind == "ended":
                return int(words[2]), delay, times

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=30)


def test_a_killed_import_leaves_none_or_all_of_its_lines(scratch_db, tmp_path):
    env = scratch_db.env
    subprocess.run([WIJK, "migrate", "-v0"], env=env, check=True)  # noqa: S603
    subprocess.run([WIJK, "shell", "-c", SETUP], env=env, check=True)  # noqa: S603
    driver = _Driver(env)
    rng = random.Random(4)
    gap = 0.05  # seconds between two moments; measured again in every run
    # Every moment is chosen at least once, then at random.
    stops = list(range(COMMITTED + 1)) + [rng.randrange(COMMITTED + 1) for _ in range(RUNS)]
    outcomes = []
    try:
        for run, stop in enumerate(stops[:RUNS]):
            path = tmp_path / f"run{run}.sta"
            path.write_bytes(_statement(run))
            killed_by, delay, times = driver.run(path, stop, rng, gap)
            assert killed_by == signal.SIGKILL, f"run {run}: the child was not killed"
            if len(times) > 1:
                gap = (times[-1] - times[0]) / (len(times) - 1)
            (count,) = scratch_db.query(
                f"SELECT COUNT(*) FROM banking_bankline WHERE description LIKE 'run{run:02d} %'"  # noqa: S608
            )
            assert count in (0, LINES), f"run {run}: {count} of {LINES} lines"
            if stop == COMMITTED:
                assert count == LINES, f"run {run}: killed after the commit, lines missing"
            elif not delay:
                assert count == 0, f"run {run}: killed before the commit, lines stayed"
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
    finally:
        driver.close()
    # The kills landed both before and after the commit.
    assert any(outcomes) and not all(outcomes), outcomes
