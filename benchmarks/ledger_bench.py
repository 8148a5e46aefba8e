"""Benchmark of the books: reports beside bare SQL, hledger and ledger-cli; posting speed.

Books of N transactions (2-4 lines each, about 200 accounts, Y years) are written
straight into the tables as posted entries: entries, lines and the balances per
account and month, with the hash chain computed by the service's own functions
(`entry_payload`, `chain_hash`) and the rollups added with the service's own upsert,
so `wijk verify-ledger` accepts the books. Generation is not what is measured; it
uses COPY on PostgreSQL and executemany on SQLite, with the triggers lifted for the
while. Then, in one run:

- trial balance, one year's statement of income and expenditure and a balance sheet
  at a date within a month, through the project's selectors and reports, beside
  bare SQL GROUP BY queries over the lines table that compute the same figures;
- hledger and ledger-cli on the journal exported with `journal_to_hledger` (the
  code behind `wijk export-journal`). Each tool is first run on one year; when its
  time or memory, scaled to the full books, would pass --peer-timeout or
  --peer-max-rss-gb, it runs on the most recent years that fit instead, our
  selectors are timed over the same years, and the results say so;
- the trial-balance page of that organisation, logged in, through Django's test
  client (the whole request: middleware, view, template);
- posting P entries through the service: drafts made with `journal_entries_create`
  and posted with `journal_entries_post` in batches, and a few hundred one by one;
- `verify_organisation` over the whole books afterwards (hash chain, numbering,
  rollups against the lines).

Figures go to standard output and to benchmarks/results/ledger-<database>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CHUNK = 50_000  # entries per generation transaction


def timed(fn: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def run_peer(command: list[str], *, max_rss_mb: float, timeout: float) -> dict[str, Any]:
    """Run a peer tool; its wall time and peak memory. Killed past the limits."""
    start = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603 - fixed tools, our own file
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    peak = 0.0
    killed = ""
    status = Path(f"/proc/{process.pid}/status")
    while process.poll() is None:
        try:
            for line in status.read_text().splitlines():
                if line.startswith("VmRSS:"):
                    peak = max(peak, int(line.split()[1]) / 1024)
        except OSError:
            pass
        if peak > max_rss_mb:
            killed = f"stopped above {max_rss_mb:.0f} MB of memory"
        elif time.perf_counter() - start > timeout:
            killed = f"stopped after {timeout:.0f} s"
        if killed:
            process.kill()
            process.wait()
            break
        time.sleep(0.05)
    seconds = time.perf_counter() - start
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    result: dict[str, Any] = {"seconds": round(seconds, 3), "peak_rss_mb": round(peak)}
    if killed:
        result["failed"] = killed
    elif process.returncode != 0:
        result["failed"] = f"exit {process.returncode}: {stderr.strip()[:300]}"
    return result


def main() -> None:  # noqa: PLR0915 - one benchmark run, top to bottom
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--accounts", type=int, default=200, help="about this many accounts")
    parser.add_argument(
        "--post", type=int, default=10_000, help="entries posted through the service"
    )
    parser.add_argument("--post-batch", type=int, default=1000)
    parser.add_argument("--post-single", type=int, default=500, help="entries posted one by one")
    parser.add_argument("--peer-max-rss-gb", type=float, default=6.0)
    parser.add_argument("--peer-timeout", type=float, default=900.0)
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument("--no-verify", action="store_true")
    parser.add_argument("--out", type=Path, help="results file (default: results/ledger-<db>.json)")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijk.settings")
    os.environ.setdefault("WIJK_DATA_DIR", tempfile.mkdtemp(prefix="wijk-bench-"))
    os.environ["WIJK_REQUIRE_2FA"] = "0"  # the page is fetched with a forced login
    os.environ.setdefault("WIJK_PLAIN_STATIC", "1")  # as the tests: no collectstatic needed
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from wijk.accounts.models import User
    from wijk.ledger import reports, rollups, selectors, services
    from wijk.ledger.exchange import journal_to_hledger
    from wijk.ledger.hashing import GENESIS, chain_hash, entry_payload
    from wijk.ledger.models import Account, Journal, JournalSequence, LedgerChain
    from wijk.ledger.triggers import all_statements
    from wijk.ledger.verification import verify_organisation
    from wijk.organisations import services as org_services

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    vendor = connection.vendor
    slug = f"bench-{int(time.time())}"
    org = org_services.organisation_create(name="Benchmark", slug=slug, actor=None)
    services.ledger_setup(organisation=org, actor=None)
    last_year = 2026
    first_year = last_year - args.years + 1
    years = [
        services.fiscal_year_create(organisation=org, year=y, actor=None)
        for y in range(first_year, last_year + 1)
    ]
    # About --accounts accounts: the template (113) plus numbered sub-accounts.
    kinds = [
        ("income", "trading", 8800),
        ("expense", "premises", 4700),
        ("expense", "staff", 4600),
        ("asset", "current_assets", 1500),
    ]
    template = Account.objects.filter(organisation=org).count()
    for i in range(max(args.accounts - template, 0)):
        kind, category, base = kinds[i % 4]
        services.account_create(
            organisation=org,
            number=str(base + i),
            name_nl=f"Sub {i}",
            name_en=f"Sub {i}",
            type=kind,
            category=category,
            actor=None,
        )
    accounts = list(Account.objects.filter(organisation=org).order_by("number"))
    journals = list(Journal.objects.filter(organisation=org).order_by("code"))
    rng = random.Random(1)  # noqa: S311 - benchmark data, fixed seed

    # --- generation (not measured) ----------------------------------------------------
    print(f"{vendor}: generating {args.entries:,} transactions over {args.years} years ...")
    start_generate = time.perf_counter()
    first_day = years[0].start_date
    span = (years[-1].end_date - first_day).days
    days = sorted(rng.randrange(span + 1) for _ in range(args.entries))
    year_of = {y.start_date.year: y for y in years}
    counters: dict[tuple[int, int], int] = {}
    totals: dict[tuple[int, date], list[int]] = {}
    chain = {"length": 0, "head": GENESIS}
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM ledger_journalentry")
        next_id = cursor.fetchone()[0] + 1
    adapt_dt = connection.ops.adapt_datetimefield_value

    def entries_and_lines(
        offsets: list[int],
    ) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        nonlocal next_id
        entry_rows, line_rows = [], []
        for offset in offsets:
            day = first_day + timedelta(days=offset)
            journal = journals[rng.randrange(len(journals))]
            year = year_of[day.year]
            key = (journal.pk, year.pk)
            counters[key] = number = counters.get(key, 0) + 1
            chain_index = chain["length"] + 1
            k = rng.randint(2, 4)
            amounts = [rng.randint(100, 500_000) for _ in range(k - 1)]
            debit_first = rng.random() < 0.5
            picked = [accounts[rng.randrange(len(accounts))] for _ in range(k)]
            lines = [
                (a, amount if debit_first else 0, 0 if debit_first else amount)
                for a, amount in zip(picked, amounts, strict=False)
            ]
            total = sum(amounts)
            lines.append((picked[-1], 0 if debit_first else total, total if debit_first else 0))
            posted_at = datetime.combine(day, clock(18), tzinfo=UTC)
            description = f"Bench {chain_index}"
            entry_hash = chain_hash(
                previous_hash=chain["head"],
                payload=entry_payload(
                    organisation_id=org.pk,
                    chain_index=chain_index,
                    journal_code=journal.code,
                    fiscal_year_start=year.start_date,
                    number=number,
                    entry_date=day,
                    description=description,
                    reference="",
                    posted_at=posted_at,
                    reversal_of_id=None,
                    is_closing=False,
                    lines=[(a.number, d, c, None, "") for a, d, c in lines],
                ),
            )
            entry_rows.append(
                (
                    next_id,
                    org.pk,
                    journal.pk,
                    year.pk,
                    day,
                    description,
                    "",
                    "posted",
                    number,
                    posted_at,
                    posted_at,
                    False,
                    "",
                    chain_index,
                    chain["head"],
                    entry_hash,
                    "",  # counterparty
                )
            )
            month = day.replace(day=1)
            for a, d, c in lines:
                line_rows.append((org.pk, next_id, a.pk, d, c, ""))
                row = totals.setdefault((a.pk, month), [0, 0, 0, 0])
                row[0] += d
                row[1] += c
            chain["length"], chain["head"] = chain_index, entry_hash
            next_id += 1
        return entry_rows, line_rows

    entry_columns = (
        "id, organisation_id, journal_id, fiscal_year_id, date, description, reference, "
        "status, number, created_at, posted_at, is_closing, override_reason, chain_index, "
        "previous_hash, entry_hash, counterparty"
    )
    line_columns = "organisation_id, entry_id, account_id, debit_cents, credit_cents, description"
    with connection.cursor() as cursor:
        for sql in all_statements(vendor, create=False):
            cursor.execute(sql)  # generation only; put back below
    try:
        for index in range(0, args.entries, CHUNK):
            entry_rows, line_rows = entries_and_lines(days[index : index + CHUNK])
            with transaction.atomic():
                raw = connection.connection
                if vendor == "postgresql":
                    with raw.cursor() as cursor:
                        with cursor.copy(
                            f"COPY ledger_journalentry ({entry_columns}) FROM STDIN"
                        ) as copy:
                            for row in entry_rows:
                                copy.write_row(row)
                        with cursor.copy(
                            f"COPY ledger_journalline ({line_columns}) FROM STDIN"
                        ) as copy:
                            for row in line_rows:
                                copy.write_row(row)
                else:
                    raw.executemany(
                        f"INSERT INTO ledger_journalentry ({entry_columns}) "  # noqa: S608
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [
                            (
                                *r[:4],
                                r[4].isoformat(),
                                *r[5:9],
                                adapt_dt(r[9]),
                                adapt_dt(r[10]),
                                *r[11:],
                            )
                            for r in entry_rows
                        ],
                    )
                    raw.executemany(
                        f"INSERT INTO ledger_journalline ({line_columns}) "  # noqa: S608
                        "VALUES (?, ?, ?, ?, ?, ?)",
                        line_rows,
                    )
            print(f"  {min(index + CHUNK, args.entries):,} entries", flush=True)
    finally:
        with connection.cursor() as cursor:
            for sql in all_statements(vendor, create=True):
                cursor.execute(sql)
    with transaction.atomic():
        LedgerChain.objects.filter(organisation=org).update(
            length=chain["length"], head_hash=chain["head"]
        )
        JournalSequence.objects.bulk_create(
            [
                JournalSequence(journal_id=j, fiscal_year_id=y, last_number=n)
                for (j, y), n in counters.items()
            ]
        )
        # The rollups through the posting service's own upsert (triggers in place).
        rollups.upsert_month_totals(
            organisation_id=org.pk,
            totals={key: (d, c, e, f) for key, (d, c, e, f) in totals.items()},
        )
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('ledger_journalentry', 'id'), "
                "(SELECT MAX(id) FROM ledger_journalentry))"
            )
        cursor.execute("ANALYZE")
    generate_seconds = time.perf_counter() - start_generate
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM ledger_journalline WHERE organisation_id = %s", [org.pk]
        )
        line_count = cursor.fetchone()[0]
    print(f"  generated {line_count:,} lines in {generate_seconds:.0f} s")

    # --- reports: ours beside bare SQL ------------------------------------------------
    last = years[-1]
    previous = years[-2] if len(years) > 1 else None
    at = date(last_year, 6, 15)  # a balance sheet within a month

    def bare(sql: str, params: list[Any]) -> Callable[[], None]:
        def run() -> None:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                cursor.fetchall()

        return run

    tb_sql = (
        "SELECT l.account_id, SUM(l.debit_cents), SUM(l.credit_cents) "
        "FROM ledger_journalline l JOIN ledger_journalentry e ON e.id = l.entry_id "
        "WHERE l.organisation_id = %s AND e.status = 'posted' AND e.date >= %s AND e.date <= %s "
        "GROUP BY l.account_id"
    )
    # The statement: this year and the previous year per category, closing entries left
    # out, in one pass (ours also reads the budget).
    prev_start = previous.start_date if previous else last.start_date
    prev_end = previous.end_date if previous else last.start_date
    income_sql = (
        "SELECT a.category, "
        "SUM(CASE WHEN e.date >= %s THEN l.debit_cents ELSE 0 END), "
        "SUM(CASE WHEN e.date >= %s THEN l.credit_cents ELSE 0 END), "
        "SUM(CASE WHEN e.date <= %s THEN l.debit_cents ELSE 0 END), "
        "SUM(CASE WHEN e.date <= %s THEN l.credit_cents ELSE 0 END) "
        "FROM ledger_journalline l JOIN ledger_journalentry e ON e.id = l.entry_id "
        "JOIN ledger_account a ON a.id = l.account_id "
        "WHERE l.organisation_id = %s AND e.status = 'posted' AND e.is_closing = %s "
        "AND e.date >= %s AND e.date <= %s AND a.type IN ('income', 'expense') "
        "GROUP BY a.category"
    )
    income_params = [
        last.start_date,
        last.start_date,
        prev_end,
        prev_end,
        org.pk,
        False,
        prev_start,
        last.end_date,
    ]
    # The balance sheet: cumulative sums per category at the date and at the end of the
    # previous year, in one pass.
    sheet_sql = (
        "SELECT a.type, a.category, SUM(l.debit_cents), SUM(l.credit_cents), "
        "SUM(CASE WHEN e.date <= %s THEN l.debit_cents ELSE 0 END), "
        "SUM(CASE WHEN e.date <= %s THEN l.credit_cents ELSE 0 END) "
        "FROM ledger_journalline l JOIN ledger_journalentry e ON e.id = l.entry_id "
        "JOIN ledger_account a ON a.id = l.account_id "
        "WHERE l.organisation_id = %s AND e.status = 'posted' AND e.date <= %s "
        "GROUP BY a.type, a.category"
    )
    sheet_params = [prev_end, prev_end, org.pk, at]

    measured = {
        "trial_balance": (
            lambda: selectors.trial_balance(organisation=org, end=last.end_date),
            bare(tb_sql, [org.pk, first_day, last.end_date]),
            f"all accounts, all {args.years} years, to {last.end_date}",
        ),
        "income_statement": (
            lambda: reports.income_statement(organisation=org, fiscal_year=last),
            bare(income_sql, income_params),
            f"{last}, with the previous year beside it (ours also reads the budget)",
        ),
        "balance_sheet": (
            lambda: reports.balance_sheet(organisation=org, fiscal_year=last, at=at),
            bare(sheet_sql, sheet_params),
            f"at {at} (within a month), with the end of the previous year beside it",
        ),
    }
    results: dict[str, Any] = {
        "database": vendor,
        "entries": args.entries,
        "lines": line_count,
        "accounts": len(accounts),
        "years": args.years,
        "generate_seconds": round(generate_seconds, 1),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg()[0],
    }
    for name, (ours, bare_fn, what) in measured.items():
        ours_s, bare_s = timed(ours), timed(bare_fn)
        results[name] = {
            "what": what,
            "ours_s": round(ours_s, 4),
            "bare_sql_s": round(bare_s, 4),
            "ours_over_bare_sql": round(ours_s / bare_s, 3),
        }
        print(
            f"{name:18} ours {ours_s:8.4f} s   bare SQL {bare_s:8.3f} s   "
            f"ours/bare {ours_s / bare_s:6.3f}"
        )

    # --- the trial-balance page ---------------------------------------------------------
    setup_test_environment()  # lets the test client's host in
    user = User.objects.create_user(f"{slug}@example.org", "bench-password-1234", full_name="Bench")
    org_services.membership_add(organisation=org, user=user, role="board", actor=None)
    client = Client()
    client.force_login(user)
    url = reverse("trial_balance", kwargs={"organisation": slug}) + f"?jaar={last.pk}"

    def page() -> None:
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        assert b"trial-balance" in response.content

    page()  # warm: templates, translations
    page_s = timed(page)
    results["trial_balance_page"] = {"url": url, "seconds": round(page_s, 4), "target_s": 0.5}
    print(f"trial-balance page {page_s:8.4f} s (target 0.5 s)")

    # --- peers: hledger and ledger-cli on the exported journal -------------------------
    workdir = Path(tempfile.mkdtemp(prefix="wijk-bench-journal-"))

    def export(first: int) -> tuple[Path, float]:
        path = workdir / f"from-{first}.journal"
        begin = time.perf_counter()
        with path.open("w", encoding="utf-8") as handle:
            for text in journal_to_hledger(
                organisation=org, start=years[-first].start_date if first < args.years else None
            ):
                handle.write(text + "\n")
        return path, time.perf_counter() - begin

    def peer_commands(tool: str, path: Path) -> dict[str, list[str]]:
        """The same three reports; both tools read this journal and these options."""
        day_after = (at + timedelta(days=1)).isoformat()
        year_begin = last.start_date.isoformat()
        year_after = (last.end_date + timedelta(days=1)).isoformat()
        base = [shutil.which(tool) or tool, "-f", str(path), "balance", "--flat"]
        return {
            "trial_balance": base,
            "income_statement": [*base, "-b", year_begin, "-e", year_after, "^income", "^expense"],
            "balance_sheet": [*base, "-e", day_after],
        }

    peers: dict[str, Any] = {}
    results["peers"] = peers
    tools = [] if args.no_peers else [t for t in ("ledger", "hledger") if shutil.which(t)]
    if not tools:
        peers["note"] = "not run: --no-peers, or neither ledger nor hledger is installed"
    exports: dict[int, tuple[Path, float]] = {}
    max_rss_mb = args.peer_max_rss_gb * 1024
    for tool in tools:
        if 1 not in exports:
            exports[1] = export(1)
        probe = run_peer(
            peer_commands(tool, exports[1][0])["trial_balance"],
            max_rss_mb=max_rss_mb,
            timeout=args.peer_timeout,
        )
        size = args.years
        if "failed" in probe:
            peers[tool] = {"failed_on_one_year": probe}
            print(f"{tool}: failed on one year: {probe['failed']}")
            continue
        # Time and memory grow with the journal: scale the one-year probe up.
        fit_memory = max_rss_mb / max(probe["peak_rss_mb"], 1)
        fit_time = args.peer_timeout / max(probe["seconds"], 0.01) / 2  # with a margin
        size = max(1, min(args.years, int(min(fit_memory * 0.8, fit_time))))
        if size not in exports:
            exports[size] = export(size)
        path = exports[size][0]
        span_start = years[-size].start_date
        entry = {
            "years": size,
            "full_size": size == args.years,
            "journal_mb": round(path.stat().st_size / 1e6, 1),
            "one_year_probe": probe,
        }
        if size < args.years:
            entry["note"] = (
                f"the full {args.years} years would pass the limits "
                f"({args.peer_max_rss_gb} GB, {args.peer_timeout:.0f} s) by the one-year probe; "
                f"measured on the last {size} years, ours over the same years"
            )
        ours_for_span = {
            "trial_balance": lambda s=span_start: selectors.trial_balance(
                organisation=org, start=s, end=last.end_date
            ),
            "income_statement": measured["income_statement"][0],
            "balance_sheet": measured["balance_sheet"][0],
        }
        for name, command in peer_commands(tool, path).items():
            run = run_peer(command, max_rss_mb=max_rss_mb, timeout=args.peer_timeout)
            ours_s = timed(ours_for_span[name])
            run["ours_s"] = round(ours_s, 4)
            if "failed" not in run:
                run["peer_over_ours"] = round(run["seconds"] / ours_s, 1)
            entry[name] = run
            print(
                f"{tool:8} {name:18} {size:2} years: {run['seconds']:8.2f} s, "
                f"{run['peak_rss_mb']} MB; ours {ours_s:.4f} s; "
                + (
                    f"{run['seconds'] / ours_s:,.0f}x ours"
                    if "failed" not in run
                    else run["failed"]
                )
            )
        peers[tool] = entry
    if exports:
        full = exports.get(args.years)
        results["export"] = {
            f"{size}_years": {"seconds": round(s, 1), "mb": round(p.stat().st_size / 1e6, 1)}
            for size, (p, s) in sorted(exports.items())
        }
        if full:
            print(f"export of the whole journal: {full[1]:.1f} s")
    shutil.rmtree(workdir, ignore_errors=True)

    # --- posting through the service ----------------------------------------------------
    if args.post:
        bank = Account.objects.get(organisation=org, number="1100")
        income = Account.objects.get(organisation=org, number="8000")
        costs = Account.objects.get(organisation=org, number=accounts[-1].number)
        journal = Journal.objects.get(organisation=org, code="BNK")

        def items(n: int, offset: int) -> list[Any]:
            return [
                services.EntryInput(
                    journal=journal,
                    date=date(last_year, 1 + (i % 12), 1 + (i % 28)),
                    description=f"Bench post {offset + i}",
                    lines=[
                        services.LineInput(bank, debit_cents=1000 + i),
                        services.LineInput(income, credit_cents=700 + i),
                        services.LineInput(costs, credit_cents=300),
                    ],
                )
                for i in range(n)
            ]

        load_before = os.getloadavg()[0]
        start, cpu = time.perf_counter(), time.process_time()
        for index in range(0, args.post, args.post_batch):
            with transaction.atomic():
                drafts = services.journal_entries_create(
                    organisation=org,
                    entries=items(min(args.post_batch, args.post - index), index),
                    actor=None,
                )
                services.journal_entries_post(entries=drafts, actor=None)
        both_s, both_cpu = time.perf_counter() - start, time.process_time() - cpu
        drafts = []
        for index in range(0, args.post, args.post_batch):
            drafts += services.journal_entries_create(
                organisation=org,
                entries=items(min(args.post_batch, args.post - index), args.post + index),
                actor=None,
            )
        start, cpu = time.perf_counter(), time.process_time()
        for index in range(0, args.post, args.post_batch):
            services.journal_entries_post(
                entries=drafts[index : index + args.post_batch], actor=None
            )
        post_s, post_cpu = time.perf_counter() - start, time.process_time() - cpu
        single = items(args.post_single, 2 * args.post)
        start = time.perf_counter()
        for item in single:
            services.journal_entry_post(
                entry=services.journal_entry_create(
                    organisation=org,
                    journal=item.journal,
                    date=item.date,
                    description=item.description,
                    lines=item.lines,
                    actor=None,
                ),
                actor=None,
            )
        single_s = time.perf_counter() - start
        results["post"] = {
            "entries": args.post,
            "batch_size": args.post_batch,
            "create_and_post_s": round(both_s, 2),
            "create_and_post_per_s": round(args.post / both_s),
            "post_drafts_s": round(post_s, 2),
            "post_drafts_per_s": round(args.post / post_s),
            # Python's own CPU time (on SQLite that includes the database's work); the
            # machine is shared, so wall time depends on the load average beside it.
            "create_and_post_cpu_s": round(both_cpu, 2),
            "post_drafts_cpu_s": round(post_cpu, 2),
            "load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)],
            "target_s": 10,
            "one_by_one": {
                "entries": args.post_single,
                "seconds": round(single_s, 2),
                "per_s": round(args.post_single / single_s) if single_s else None,
            },
        }
        print(
            f"posting {args.post:,} entries in batches of {args.post_batch}: "
            f"made and posted {both_s:.2f} s ({args.post / both_s:,.0f}/s); "
            f"drafts posted {post_s:.2f} s ({args.post / post_s:,.0f}/s)"
        )
        print(
            f"posting {args.post_single} entries one by one (create + post each): {single_s:.2f} s"
        )

    # --- verification of the whole books ---------------------------------------------
    if not args.no_verify:
        start = time.perf_counter()
        findings = verify_organisation(organisation=org)
        verify_s = time.perf_counter() - start
        results["verify"] = {
            "seconds": round(verify_s, 1),
            "findings": [str(f) for f in findings[:5]],
            "entries": LedgerChain.objects.get(organisation=org).length,
        }
        print(f"verify-ledger over the whole books: {verify_s:.1f} s, {len(findings)} findings")
        if findings:
            raise SystemExit("the generated books do not verify")

    out = args.out or ROOT / "benchmarks" / "results" / f"ledger-{vendor}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written to {out}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    main()
