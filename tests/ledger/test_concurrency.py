"""Posting under concurrency: many writers, one organisation, no gaps and no broken chain.

`journal_entry_post` locks the organisation's chain head before it numbers an entry,
so simultaneous posts queue up: every number of a journal and fiscal year is used
exactly once and the hash chain runs in posting order. On SQLite the app opens every
transaction with BEGIN IMMEDIATE and waits up to 20 s for the write lock (see
`SQLITE_OPTIONS` in wijk/settings.py), so writers wait rather than fail with
"database is locked".

Why a subprocess. A real test needs several connections that see each other's
committed rows. pytest-django's `db` fixture keeps everything in one uncommitted
transaction, and `transactional_db` on SQLite uses a shared-cache in-memory database,
where a second connection gets "database table is locked" (SQLITE_LOCKED, which no
busy timeout waits for) instead of the file locking production uses. It would also
flush the tables with DELETE afterwards, which the ledger triggers refuse for posted
entries. So the test runs a small script with the venv's Python against its own
database, the way production runs: a fresh SQLite file in WAL mode in a temporary
data folder, or a throwaway PostgreSQL database, both migrated from scratch; the
engine is the one the suite runs on (`SUITE_ENGINE`), so CI tests each once. The
environment is cleaned of the test run's settings, so the script never touches the
test database, and the test database keeps its triggers (the last test checks).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import dj_database_url
import psycopg
import pytest
from django.db import connection
from psycopg import sql

from tests.engine import SUITE_ENGINE

THREADS = 8
PER_THREAD = 10
TIMEOUT = 120  # seconds for the whole subprocess: migrate, set up, post, verify

POSTER = textwrap.dedent(
    """
    import json, os, sys, threading, time, traceback
    from datetime import date

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijk.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections

    threads, per_thread = int(sys.argv[1]), int(sys.argv[2])
    call_command("migrate", verbosity=0, interactive=False)

    from wijk.ledger import services
    from wijk.ledger.models import Journal, JournalEntry, JournalSequence, LedgerChain
    from wijk.ledger.services import LineInput
    from wijk.ledger.verification import verify_organisation
    from wijk.organisations.services import organisation_create

    organisation = organisation_create(
        name="Buurtbedrijf Gelijktijdig", slug="gelijktijdig", actor=None
    )
    services.ledger_setup_journals(organisation=organisation)
    bank, hire = (
        services.account_create(
            organisation=organisation, number=number, name_nl=name, name_en=name,
            type=kind, category=category, actor=None,
        )
        for number, name, kind, category in [
            ("1100", "Bank", "asset", "cash"),
            ("8000", "Zaalverhuur", "income", "trading"),
        ]
    )
    services.fiscal_year_create(organisation=organisation, year=2026, actor=None)
    journal = Journal.objects.get(organisation=organisation, code="BNK")
    connections.close_all()  # each thread opens its own connection

    barrier = threading.Barrier(threads)
    lock = threading.Lock()
    in_flight = max_in_flight = 0
    errors, returned = [], []

    def create(t, i):
        cents = 100 * (t + 1) + i
        return services.journal_entry_create(
            organisation=organisation,
            journal=journal,
            date=date(2026, 1 + (t + i) % 12, 1 + i % 28),
            description=f"thread {t} entry {i}",
            lines=[LineInput(bank, debit_cents=cents), LineInput(hire, credit_cents=cents)],
            actor=None,
        )

    def post(t, entry):
        global in_flight, max_in_flight
        with lock:
            in_flight += 1
            max_in_flight = max(max_in_flight, in_flight)
        try:
            posted = services.journal_entry_post(entry=entry, actor=None)
        finally:
            with lock:
                in_flight -= 1
        returned.append([t, posted.description, posted.pk, posted.number, posted.chain_index])

    def work(t):
        try:
            # Half of the entries are drafts made beforehand, half are made in the rush.
            drafts = [create(t, i) for i in range(per_thread // 2)]
            barrier.wait(timeout=60)
            for entry in drafts:
                post(t, entry)
            for i in range(per_thread // 2, per_thread):
                post(t, create(t, i))
        except BaseException as exc:
            errors.append(f"thread {t}: {type(exc).__name__}: {exc}\\n{traceback.format_exc()}")
            barrier.abort()
        finally:
            connections.close_all()

    started = time.monotonic()
    workers = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=90)
    seconds = time.monotonic() - started
    alive = sum(worker.is_alive() for worker in workers)

    entries = list(
        JournalEntry.objects.filter(organisation=organisation)
        .order_by("id")
        .values_list("description", "status", "journal__code", "number", "chain_index")
    )
    sequence = JournalSequence.objects.filter(journal=journal).values_list("last_number", flat=True)
    journal_mode = None
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            journal_mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
    print(json.dumps({
        "vendor": connection.vendor,
        "journal_mode": journal_mode,
        "seconds": seconds,
        "alive": alive,
        "errors": errors,
        "max_in_flight": max_in_flight,
        "returned": returned,
        "entries": entries,
        "sequence": list(sequence),
        "chain_length": LedgerChain.objects.get(organisation=organisation).length,
        "findings": [str(f) for f in verify_organisation(organisation=organisation)],
    }))
    connections.close_all()
    """
)


def clean_env(data_dir: Path, database_url: str | None) -> dict[str, str]:
    """The caller's environment without the test run's settings, plus this instance's."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("WIJK_", "DJANGO_", "PYTEST_"))
        and key not in {"DATABASE_URL", "SECRET_KEY"}
    }
    env["WIJK_DATA_DIR"] = str(data_dir)
    env["WIJK_DEBUG"] = "0"
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def postgres_admin_url() -> str:
    """The server DATABASE_URL points at, else a local one; skip when none answers."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://", "pgsql://")):
        config = dj_database_url.parse(url)
        host = str(config.get("HOST") or "")
        port = int(config.get("PORT") or 5432)
        user = str(config.get("USER") or "postgres")
        password = str(config.get("PASSWORD") or "")
    else:
        host, port, user, password = "127.0.0.1", 5432, "postgres", ""
    auth = quote(user, safe="") + (f":{quote(password, safe='')}" if password else "")
    server = f"postgres://{auth}@{quote(host, safe='')}:{port}"
    try:
        psycopg.connect(f"{server}/postgres", connect_timeout=3).close()
    except psycopg.Error as exc:
        pytest.skip(f"no PostgreSQL reachable at {host}:{port}: {exc}")
    return server


@pytest.fixture(params=[SUITE_ENGINE])
def database_url(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """None for a fresh SQLite file in the data folder, or a throwaway PostgreSQL database."""
    if request.param == "sqlite":
        yield None
        return
    server = postgres_admin_url()
    name = f"wijk_concurrency_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def run_script(
    tmp_path: Path,
    source: str,
    *args: object,
    database_url: str | None,
    timeout: float = TIMEOUT,
    env: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Run a Django script with the venv's Python in a fresh data folder; give the JSON
    object it prints last. Used by every process-level concurrency test."""
    script = tmp_path / "script.py"
    script.write_text(source, encoding="utf-8")
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    result = subprocess.run(
        [sys.executable, str(script), *map(str, args)],
        env={**clean_env(data_dir, database_url), **(env or {})},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, f"script failed:\n{result.stdout}\n{result.stderr[-5000:]}"
    summary: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return summary


def test_simultaneous_posts_are_numbered_and_chained_without_gaps(
    tmp_path: Path, database_url: str | None
) -> None:
    summary = run_script(tmp_path, POSTER, THREADS, PER_THREAD, database_url=database_url)
    total = THREADS * PER_THREAD

    assert summary["errors"] == [], "\n".join(summary["errors"])  # "database is locked" too
    assert summary["alive"] == 0, "a thread did not finish"
    assert summary["vendor"] == ("postgresql" if database_url else "sqlite")
    if summary["vendor"] == "sqlite":
        assert summary["journal_mode"] == "wal"  # a real file, as in production
    assert summary["max_in_flight"] > 1, "the posts never overlapped: nothing was tested"

    # every entry posted exactly once, and nothing else in the books
    expected = {f"thread {t} entry {i}" for t in range(THREADS) for i in range(PER_THREAD)}
    entries = summary["entries"]
    assert len(entries) == total
    assert {description for description, *_ in entries} == expected
    assert {status for _, status, *_ in entries} == {"posted"}
    assert sorted(row[1] for row in summary["returned"]) == sorted(expected)

    # numbers 1..n in the journal, chain positions 1..n, and both in the same order
    by_chain = sorted(entries, key=lambda row: row[4])
    assert [row[4] for row in by_chain] == list(range(1, total + 1))
    assert [row[3] for row in by_chain] == list(range(1, total + 1))
    assert {row[2] for row in entries} == {"BNK"}
    assert summary["sequence"] == [total]
    assert summary["chain_length"] == total
    # what each thread was told matches what the books hold
    told = {pk: (number, chain_index) for _, _, pk, number, chain_index in summary["returned"]}
    assert sorted(told.values()) == [(n, n) for n in range(1, total + 1)]

    assert summary["findings"] == []
    assert summary["seconds"] < 60


@pytest.mark.django_db
def test_the_test_database_keeps_its_ledger_triggers() -> None:
    """The posting runs elsewhere; this run's database still refuses changes to the books."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'ledger_%'"
            )
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE 'ledger_%'"
            )
        names = {row[0] for row in cursor.fetchall()}
    expected = (
        {"ledger_entry_refuse_update", "ledger_entry_refuse_delete", "ledger_line_refuse_delete"}
        if connection.vendor == "sqlite"
        else {"ledger_entry_guard", "ledger_line_guard"}
    )
    assert expected <= names, names
