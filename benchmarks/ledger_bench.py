"""Benchmark of the books: posting speed and report speed beside a bare SQL GROUP BY.

Books of N entries (2-4 lines each, about 200 accounts, several years) are generated
straight into the tables as posted entries (their hash chain is not computed: this
measures reads, not integrity), then timed:

- trial balance, one year's statement of income and expenditure and a balance sheet
  through the project's selectors and reports;
- the same sums as one bare SQL GROUP BY over the same lines;
- hledger on the exported journal, when hledger is installed (skipped above
  --hledger-max entries, and said so);
- posting P fresh entries one by one through `journal_entry_post` (the real service,
  with numbering and hash chain).

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
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(fn, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--post", type=int, default=10_000)
    parser.add_argument("--hledger-max", type=int, default=200_000)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijk.settings")
    os.environ.setdefault("WIJK_DATA_DIR", tempfile.mkdtemp(prefix="wijk-bench-"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from wijk.ledger import reports, selectors, services
    from wijk.ledger.exchange import journal_to_hledger
    from wijk.ledger.models import (
        Account,
        Journal,
        JournalEntry,
        JournalLine,
        JournalSequence,
        LedgerChain,
    )
    from wijk.organisations import services as org_services

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    vendor = connection.vendor
    slug = f"bench-{int(time.time())}"
    org = org_services.organisation_create(name="Benchmark", slug=slug, actor=None)
    services.ledger_setup(organisation=org, actor=None)
    first_year = 2026 - args.years + 1
    years = [
        services.fiscal_year_create(organisation=org, year=y, actor=None)
        for y in range(first_year, 2027)
    ]
    # About 200 accounts: the template (113) plus numbered sub-accounts.
    kinds = [
        ("income", "trading"),
        ("expense", "premises"),
        ("expense", "staff"),
        ("asset", "current_assets"),
    ]
    for i in range(90):
        kind, category = kinds[i % 4]
        base = {"income": 8800, "expense": 5000, "asset": 2000}[kind]
        services.account_create(
            organisation=org,
            number=str(base + i),
            name_nl=f"Sub {i}",
            name_en=f"Sub {i}",
            type=kind,
            category=category,
            actor=None,
        )
    accounts = list(Account.objects.filter(organisation=org))
    journals = list(Journal.objects.filter(organisation=org))
    rng = random.Random(1)  # noqa: S311 - benchmark data, fixed seed

    # Generate N posted entries straight into the tables, in chunks.
    start_generate = time.perf_counter()
    first_day = date(first_year, 1, 1)
    span = (date(2026, 12, 31) - first_day).days
    counters: dict[tuple[int, int], int] = {}
    year_by_start = {y.start_date.year: y for y in years}
    chunk = 5000
    made = 0
    with connection.cursor() as cursor:
        from wijk.ledger.triggers import statements

        for sql in statements(vendor, create=False):
            cursor.execute(sql)  # generation only; put back below
    try:
        while made < args.entries:
            n = min(chunk, args.entries - made)
            with transaction.atomic():
                entries = []
                for _ in range(n):
                    day = first_day + timedelta(days=rng.randrange(span + 1))
                    journal = rng.choice(journals)
                    year = year_by_start[day.year]
                    key = (journal.pk, year.pk)
                    counters[key] = counters.get(key, 0) + 1
                    made += 1
                    entries.append(
                        JournalEntry(
                            organisation=org,
                            journal=journal,
                            fiscal_year=year,
                            date=day,
                            description="Bench",
                            status="posted",
                            number=counters[key],
                            chain_index=made,
                            posted_at=django.utils.timezone.now(),
                            entry_hash="0" * 64,
                        )
                    )
                JournalEntry.objects.bulk_create(entries, batch_size=1000)
                lines = []
                for entry in entries:
                    k = rng.randint(2, 4)
                    amounts = [rng.randint(100, 500_000) for _ in range(k - 1)]
                    debit_side = rng.random() < 0.5
                    for amount in amounts:
                        lines.append(
                            JournalLine(
                                organisation=org,
                                entry=entry,
                                account=rng.choice(accounts),
                                debit_cents=amount if debit_side else 0,
                                credit_cents=0 if debit_side else amount,
                            )
                        )
                    total = sum(amounts)
                    lines.append(
                        JournalLine(
                            organisation=org,
                            entry=entry,
                            account=rng.choice(accounts),
                            debit_cents=0 if debit_side else total,
                            credit_cents=total if debit_side else 0,
                        )
                    )
                JournalLine.objects.bulk_create(lines, batch_size=2000)
    finally:
        with connection.cursor() as cursor:
            for sql in statements(vendor, create=True):
                cursor.execute(sql)
    # Move the chain head past the generated entries so real posts continue after them.
    LedgerChain.objects.filter(organisation=org).update(length=made, head_hash="0" * 64)
    for (journal_id, year_id), last_number in counters.items():
        JournalSequence.objects.update_or_create(
            journal_id=journal_id, fiscal_year_id=year_id, defaults={"last_number": last_number}
        )
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    generate_seconds = time.perf_counter() - start_generate
    line_count = JournalLine.objects.filter(organisation=org).count()
    last = years[-1]

    def ours_trial_balance() -> None:
        selectors.trial_balance(organisation=org, end=last.end_date)

    def bare_trial_balance() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT l.account_id, SUM(l.debit_cents), SUM(l.credit_cents) FROM ledger_journalline l "
                "JOIN ledger_journalentry e ON e.id = l.entry_id "
                "WHERE l.organisation_id = %s AND e.status = 'posted' AND e.date <= %s GROUP BY l.account_id",
                [org.pk, last.end_date],
            )
            cursor.fetchall()

    def ours_income_statement() -> None:
        reports.income_statement(organisation=org, fiscal_year=last)

    def bare_income_statement() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT a.category, SUM(l.debit_cents), SUM(l.credit_cents) FROM ledger_journalline l "
                "JOIN ledger_journalentry e ON e.id = l.entry_id JOIN ledger_account a ON a.id = l.account_id "
                "WHERE l.organisation_id = %s AND e.status = 'posted' AND e.date BETWEEN %s AND %s "
                "AND e.is_closing = %s GROUP BY a.category",
                [org.pk, last.start_date, last.end_date, False],
            )
            cursor.fetchall()

    def ours_balance_sheet() -> None:
        reports.balance_sheet(organisation=org, fiscal_year=last)

    results: dict[str, object] = {
        "database": vendor,
        "entries": args.entries,
        "lines": line_count,
        "accounts": len(accounts),
        "years": args.years,
        "generate_seconds": round(generate_seconds, 2),
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    for name, ours, bare in (
        ("trial_balance", ours_trial_balance, bare_trial_balance),
        ("income_statement", ours_income_statement, bare_income_statement),
        ("balance_sheet", ours_balance_sheet, bare_trial_balance),
    ):
        ours_s, bare_s = timed(ours), timed(bare)
        results[name] = {
            "ours_s": round(ours_s, 4),
            "bare_sql_s": round(bare_s, 4),
            "ratio": round(ours_s / bare_s, 2),
        }
        print(
            f"{name:18} ours {ours_s:8.3f} s   bare SQL {bare_s:8.3f} s   ratio {ours_s / bare_s:5.2f}"
        )

    hledger = shutil.which("hledger")
    if hledger and args.entries <= args.hledger_max:
        with tempfile.NamedTemporaryFile(
            "w", suffix=".journal", delete=False, encoding="utf-8"
        ) as handle:
            for text in journal_to_hledger(organisation=org):
                handle.write(text + "\n")
        start = time.perf_counter()
        subprocess.run(
            [hledger, "-f", handle.name, "balance", "--flat", "-O", "csv"],  # noqa: S603
            check=True,
            capture_output=True,
        )
        hledger_s = time.perf_counter() - start
        tb = results["trial_balance"]
        assert isinstance(tb, dict)
        results["hledger_trial_balance_s"] = round(hledger_s, 3)
        results["hledger_over_ours"] = round(hledger_s / tb["ours_s"], 1)
        print(f"hledger balance    {hledger_s:8.3f} s   ({hledger_s / tb['ours_s']:.0f}x ours)")
        os.unlink(handle.name)
    else:
        results["hledger"] = "not run: hledger missing or more entries than --hledger-max"
        print("hledger: not run (missing, or more entries than --hledger-max)")
    # ledger-cli is not measured yet: say so rather than leave it out silently.
    results["ledger_cli"] = "not measured in this version of the benchmark"

    # Posting through the service: the real path, numbering and hash chain included.
    if args.post:
        bank = Account.objects.get(organisation=org, number="1100")
        income = Account.objects.get(organisation=org, number="8000")
        journal = Journal.objects.get(organisation=org, code="MEM")
        drafts = [
            services.journal_entry_create(
                organisation=org,
                journal=journal,
                date=date(2026, 6, 1),
                description="Bench post",
                lines=[
                    services.LineInput(bank, debit_cents=100 + i),
                    services.LineInput(income, credit_cents=100 + i),
                ],
                actor=None,
            )
            for i in range(args.post)
        ]
        start = time.perf_counter()
        for draft in drafts:
            services.journal_entry_post(entry=draft, actor=None)
        post_s = time.perf_counter() - start
        results["post"] = {
            "entries": args.post,
            "seconds": round(post_s, 2),
            "per_second": round(args.post / post_s),
        }
        print(
            f"posting {args.post} entries one by one: {post_s:.2f} s ({args.post / post_s:.0f}/s)"
        )
        batch = [
            services.journal_entry_create(
                organisation=org,
                journal=journal,
                date=date(2026, 6, 2),
                description="Bench batch",
                lines=[
                    services.LineInput(bank, debit_cents=100 + i),
                    services.LineInput(income, credit_cents=100 + i),
                ],
                actor=None,
            )
            for i in range(args.post)
        ]
        start = time.perf_counter()
        for index in range(0, len(batch), 500):
            services.journal_entries_post(entries=batch[index : index + 500], actor=None)
        batch_s = time.perf_counter() - start
        results["post_batch"] = {
            "entries": args.post,
            "batch_size": 500,
            "seconds": round(batch_s, 2),
            "per_second": round(args.post / batch_s),
        }
        print(
            f"posting {args.post} entries in batches of 500: {batch_s:.2f} s ({args.post / batch_s:.0f}/s)"
        )

    out = ROOT / "benchmarks" / "results" / f"ledger-{vendor}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    main()
