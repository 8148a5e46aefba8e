"""Benchmark of `wijk import-xaf`: reading and importing an audit file of N transactions.

An XAF 3.2 document with N transactions (2-4 lines each, over 40 accounts, one year, five
journals) is generated in memory, then timed: `xaf_read` (size and type checks,
defusedxml parse with line numbers, the schema's rules, balances) and `xaf_import` into
a fresh organisation (accounts mapped or created, the year opened, every transaction
posted through the posting service in batches). Figures go to standard output and to
benchmarks/results/xaf-import-<database>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

ACCOUNTS = (
    [(f"{1000 + i}", f"Balans {i}", "B") for i in range(20)]
    + [(f"{4000 + i}", f"Kosten {i}", "P") for i in range(10)]
    + [(f"{8000 + i}", f"Opbrengst {i}", "P") for i in range(10)]
)


def document(transactions: int) -> bytes:
    rng = random.Random(1)  # noqa: S311 - benchmark data, fixed seed
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<auditfile xmlns="http://www.auditfiles.nl/XAF/3.2">\n'
        "<header><fiscalYear>2025</fiscalYear><startDate>2025-01-01</startDate>"
        "<endDate>2025-12-31</endDate><curCode>EUR</curCode>"
        "<dateCreated>2026-01-05</dateCreated><softwareDesc>Bench</softwareDesc></header>\n"
        "<company><companyIdent>99999999</companyIdent><companyName>Bench</companyName>"
        "<taxRegistrationCountry>NL</taxRegistrationCountry><taxRegIdent/>"
        "<streetAddress><country>NL</country></streetAddress><generalLedger>\n"
    ]
    for number, name, kind in ACCOUNTS:
        parts.append(
            f"<ledgerAccount><accID>{number}</accID><accDesc>{name}</accDesc>"
            f"<accTp>{kind}</accTp></ledgerAccount>\n"
        )
    parts.append("</generalLedger><transactions><linesCount>0</linesCount>")
    parts.append("<totalDebit>0.00</totalDebit><totalCredit>0.00</totalCredit>\n")
    per_journal = transactions // 5 + 1
    made = 0
    for index, kind in enumerate("BCSPM"):
        parts.append(
            f"<journal><jrnID>J{index}</jrnID><desc>Dagboek {kind}</desc><jrnTp>{kind}</jrnTp>\n"
        )
        for _ in range(per_journal):
            if made >= transactions:
                break
            made += 1
            day = date(2025, 1, 1) + timedelta(days=rng.randrange(365))
            amounts = [rng.randrange(100, 500_000) for _ in range(rng.randrange(1, 4))]
            lines = [(rng.choice(ACCOUNTS)[0], cents, "D") for cents in amounts]
            lines.append((rng.choice(ACCOUNTS)[0], sum(amounts), "C"))
            parts.append(
                f"<transaction><nr>{made}</nr><desc>Boeking {made}</desc>"
                f"<periodNumber>{day.month}</periodNumber><trDt>{day.isoformat()}</trDt>"
            )
            for nr, (account, cents, side) in enumerate(lines, start=1):
                parts.append(
                    f"<trLine><nr>{nr}</nr><accID>{account}</accID><docRef/>"
                    f"<effDate>{day.isoformat()}</effDate>"
                    f"<amnt>{cents // 100}.{cents % 100:02d}</amnt><amntTp>{side}</amntTp></trLine>"
                )
            parts.append("</transaction>\n")
        parts.append("</journal>\n")
    parts.append("</transactions></company></auditfile>\n")
    return "".join(parts).encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--transactions", type=int, default=10_000)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijk.settings")
    os.environ.setdefault("WIJK_DATA_DIR", tempfile.mkdtemp(prefix="wijk-bench-"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from wijk.ledger.models import JournalEntry, JournalLine
    from wijk.ledger.xaf_import import xaf_import, xaf_read
    from wijk.organisations import services as org_services

    call_command("migrate", verbosity=0)
    data = document(args.transactions)
    start = time.perf_counter()
    parsed = xaf_read(file_name="bench.xaf", data=data)
    read_seconds = time.perf_counter() - start
    org = org_services.organisation_create(
        name="XAF benchmark", slug=f"xaf-bench-{int(time.time())}", actor=None
    )
    start = time.perf_counter()
    result = xaf_import(organisation=org, document=parsed, actor=None)
    import_seconds = time.perf_counter() - start
    entries = JournalEntry.objects.filter(organisation=org, status="posted").count()
    lines = JournalLine.objects.filter(organisation=org).count()
    assert entries == result.entries == args.transactions, (entries, result.entries)
    figures = {
        "database": connection.vendor,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "file_megabytes": round(len(data) / 1024 / 1024, 2),
        "transactions": entries,
        "lines": lines,
        "accounts_created": len(result.accounts_created),
        "read_seconds": round(read_seconds, 2),
        "import_seconds": round(import_seconds, 2),
        "transactions_per_second": round(entries / import_seconds),
    }
    print(json.dumps(figures, indent=2))
    out = ROOT / "benchmarks" / "results" / f"xaf-import-{connection.vendor}.json"
    out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
