"""Benchmark of the bank import: a generated statement of N lines as CAMT.053 and MT940.

For each format: parse, deduplicate, store and apply the booking rules through
`statement_import` (the real service, in one transaction), then import the same file
again (everything already present). Beside it, in the same run and on the same MT940
text, the `mt-940` package's bare parse. Peak memory is the process's maximum resident
size after each import (it includes Django and the parsed file).

Lines go to 400 counterparties; booking rules exist for a share of them (`--rule-share`),
so that share of lines is booked as posted entries on import.

Figures go to standard output and to benchmarks/results/bank-import-<database>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ACCOUNT = "NL91ABNA0417164300"


def counterparties(n: int) -> list[tuple[str, str]]:
    from schwifty import IBAN

    banks = ["RABO", "INGB", "ABNA", "TRIO", "ASNB", "BUNQ", "KNAB", "SNSB"]
    return [
        (
            str(
                IBAN.generate(
                    "NL", bank_code=banks[i % len(banks)], account_code=f"{i + 1:010d}"
                ).compact
            ),
            f"Tegenpartij {i:03d}",
        )
        for i in range(n)
    ]


def generate(n: int, parties: list[tuple[str, str]]) -> list[tuple[date, int, str, str, str, str]]:
    rng = random.Random(20260101)
    start = date(2026, 1, 1)
    lines = []
    for i in range(n):
        iban, name = parties[rng.randrange(len(parties))]
        cents = rng.randint(100, 250_000) * (1 if rng.random() < 0.45 else -1)
        day = start + timedelta(days=i * 364 // n)
        lines.append((day, cents, iban, name, f"Factuur {i:07d}", f"E2E{i:09d}"))
    return lines


def camt(lines, opening: int) -> bytes:  # type: ignore[no-untyped-def]
    def amt(c: int) -> str:
        return f"{abs(c) // 100}.{abs(c) % 100:02d}"

    closing = opening + sum(line[1] for line in lines)
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>'
        "<GrpHdr><MsgId>BENCH</MsgId><CreDtTm>2027-01-01T00:00:00</CreDtTm></GrpHdr>"
        "<Stmt><Id>BENCH-1</Id><CreDtTm>2027-01-01T00:00:00</CreDtTm>"
        f"<Acct><Id><IBAN>{ACCOUNT}</IBAN></Id><Ccy>EUR</Ccy></Acct>"
    ]
    for code, cents, day in (("OPBD", opening, lines[0][0]), ("CLBD", closing, lines[-1][0])):
        parts.append(
            f'<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">{amt(cents)}</Amt>'
            f"<CdtDbtInd>{'DBIT' if cents < 0 else 'CRDT'}</CdtDbtInd><Dt><Dt>{day}</Dt></Dt></Bal>"
        )
    for day, cents, iban, name, text, eref in lines:
        role = "Dbtr" if cents > 0 else "Cdtr"
        parts.append(
            f'<Ntry><Amt Ccy="EUR">{amt(cents)}</Amt><CdtDbtInd>{"DBIT" if cents < 0 else "CRDT"}'
            f"</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>{day}</Dt></BookgDt><ValDt><Dt>{day}</Dt>"
            "</ValDt><BkTxCd><Prtry><Cd>100</Cd><Issr>ABNA</Issr></Prtry></BkTxCd><NtryDtls>"
            f"<TxDtls><Refs><EndToEndId>{eref}</EndToEndId></Refs><RltdPties><{role}><Nm>{name}"
            f"</Nm></{role}><{role}Acct><Id><IBAN>{iban}</IBAN></Id></{role}Acct></RltdPties>"
            f"<RmtInf><Ustrd>{text}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"
        )
    parts.append("</Stmt></BkToCstmrStmt></Document>")
    return "".join(parts).encode()


def mt940(lines, opening: int) -> bytes:  # type: ignore[no-untyped-def]
    def amt(c: int) -> str:
        return f"{abs(c) // 100},{abs(c) % 100:02d}"

    closing = opening + sum(line[1] for line in lines)
    out = [f":20:BENCH\n:25:{ACCOUNT}\n:28C:1\n"]
    out.append(f":60F:{'D' if opening < 0 else 'C'}{lines[0][0]:%y%m%d}EUR{amt(opening)}\n")
    for day, cents, iban, name, text, eref in lines:
        out.append(
            f":61:{day:%y%m%d}{day:%m%d}{'D' if cents < 0 else 'C'}{amt(cents)}NTRFNONREF\n"
            f":86:/EREF/{eref}/IBAN/{iban}/BIC//NAME/{name}/REMI/USTD//{text}/\n"
        )
    out.append(f":62F:{'D' if closing < 0 else 'C'}{lines[-1][0]:%y%m%d}EUR{amt(closing)}\n-\n")
    return "".join(out).encode()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--rule-share", type=float, default=0.05)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijk.settings")
    os.environ.setdefault("WIJK_DATA_DIR", tempfile.mkdtemp(prefix="wijk-bench-"))
    import django

    django.setup()
    import mt940 as mt940_package
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from wijk.banking import services as banking
    from wijk.banking.importing import statement_import
    from wijk.banking.models import BankLine
    from wijk.ledger import services as ledger
    from wijk.ledger.models import Account
    from wijk.organisations import services as org_services

    call_command("migrate", verbosity=0)
    settings.BANK_STATEMENT_MAX_BYTES = 500 * 1024 * 1024
    vendor = connection.vendor
    parties = counterparties(400)
    lines = generate(args.lines, parties)
    files = {"camt053": camt(lines, 1_000_000), "mt940": mt940(lines, 1_000_000)}
    results: dict[str, object] = {
        "lines": args.lines,
        "rule_share": args.rule_share,
        "database": vendor,
        "python": sys.version.split()[0],
        "machine": platform.machine(),
        "file_mb": {k: round(len(v) / 1e6, 1) for k, v in files.items()},
    }
    text = files["mt940"].decode()
    start = time.perf_counter()
    bare = mt940_package.models.Transactions()
    bare.parse(text)
    bare_s = time.perf_counter() - start
    results["mt940_package_bare_parse"] = {
        "seconds": round(bare_s, 2),
        "lines_per_s": round(args.lines / bare_s),
        "transactions": len(bare),
    }
    print(f"mt-940 bare parse: {args.lines / bare_s:,.0f} lines/s")
    for kind, data in files.items():
        slug = f"bench-{kind}-{int(time.time())}"
        org = org_services.organisation_create(name=f"Benchmark {kind}", slug=slug, actor=None)
        ledger.ledger_setup(organisation=org, actor=None)
        ledger.fiscal_year_create(organisation=org, year=2026, actor=None)
        banking.bank_account_create(
            organisation=org,
            iban=ACCOUNT,
            name="Bank",
            ledger_account=Account.objects.get(organisation=org, number="1100"),
            actor=None,
        )
        cost = Account.objects.filter(organisation=org, type="expense").order_by("number").first()
        assert cost is not None
        for iban, _name in parties[: int(len(parties) * args.rule_share)]:
            banking.booking_rule_create(
                organisation=org, counterparty_iban=iban, account=cost, actor=None
            )
        start = time.perf_counter()
        summary = statement_import(
            organisation=org, data=data, file_name=f"bench.{kind}", actor=None
        )
        first_s = time.perf_counter() - start
        start = time.perf_counter()
        again = statement_import(organisation=org, data=data, file_name=f"bench.{kind}", actor=None)
        again_s = time.perf_counter() - start
        assert summary.imported == args.lines == BankLine.objects.filter(organisation=org).count()
        assert again.imported == 0 and again.already_present == args.lines
        results[kind] = {
            "import_s": round(first_s, 2),
            "lines_per_s": round(args.lines / first_s),
            "booked_by_rules": summary.matched,
            "reimport_s": round(again_s, 2),
            "reimport_lines_per_s": round(args.lines / again_s),
            "peak_rss_mb": round(peak_mb()),
        }
        if kind == "mt940":
            results[kind]["share_of_bare_parse_rate"] = round(
                (args.lines / first_s) / (args.lines / bare_s), 2
            )  # type: ignore[index]
        print(kind, json.dumps(results[kind]))
    out = ROOT / "benchmarks" / "results" / f"bank-import-{vendor}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written to {out}")


if __name__ == "__main__":
    main()
