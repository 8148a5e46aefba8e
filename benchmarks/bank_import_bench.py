"""Benchmark of the bank import: a generated statement of N lines as CAMT.053 and MT940.

For each format: parse, deduplicate, store and apply the booking rules through
`statement_import` (the real service, in one transaction), then import the same file
again (everything already present), and check the books with `verify_organisation`.
Beside it, in the same run and on the same files, the `mt-940` package's bare parse of
the MT940 text.

Each import runs in a fresh process of its own (this script with `--child`), which
reads the file from disk and reports its own peak resident memory: Django, the file,
the parse and the import, and nothing of the generator or of the other format.

Lines go to 400 counterparties. Booking rules by IBAN exist for a share of them
(`--rule-share`, 20% by default) and rules by name for a few more (`--name-rules`, 20
by default, 5% of the counterparties), so about a quarter of the lines is booked as
posted entries during the import, as in a real enterprise's books.

The load average of the machine is recorded before and after each import.
Figures go to standard output and to benchmarks/results/bank-import-<database>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
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


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux


def peak_mb() -> float:
    """This process's peak resident memory.

    VmHWM, not `getrusage`'s ru_maxrss: Linux carries ru_maxrss over from the parent
    across fork and exec, so a child of this script (which holds both generated
    files) would report the parent's peak rather than its own.
    """
    return _status_mb("VmHWM")


def rss_mb() -> float:
    return _status_mb("VmRSS")


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def child(kind: str, path: Path, rule_share: float, name_rules: int) -> None:
    """One import in this fresh process; prints its figures as one JSON line."""
    import django

    django.setup()
    from django.conf import settings

    from wijk.banking import services as banking
    from wijk.banking.importing import statement_import
    from wijk.banking.models import BankLine
    from wijk.ledger import services as ledger
    from wijk.ledger.models import Account
    from wijk.ledger.verification import verify_organisation
    from wijk.organisations import services as org_services

    settings.BANK_STATEMENT_MAX_BYTES = 500 * 1024 * 1024
    parties = counterparties(400)
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
    costs = list(Account.objects.filter(organisation=org, type="expense").order_by("number")[:8])
    by_iban = int(len(parties) * rule_share)
    for index, (iban, _name) in enumerate(parties[:by_iban]):
        banking.booking_rule_create(
            organisation=org, counterparty_iban=iban, account=costs[index % 8], actor=None
        )
    for index, (_iban, name) in enumerate(parties[by_iban : by_iban + name_rules]):
        banking.booking_rule_create(
            organisation=org, counterparty_name=name, account=costs[index % 8], actor=None
        )
    rss_before = rss_mb()  # Django, the books and the rules, before the file is read
    data = path.read_bytes()
    load_before = loadavg()
    start = time.perf_counter()
    summary = statement_import(organisation=org, data=data, file_name=path.name, actor=None)
    first_s = time.perf_counter() - start
    peak_first = peak_mb()
    start = time.perf_counter()
    again = statement_import(organisation=org, data=data, file_name=path.name, actor=None)
    again_s = time.perf_counter() - start
    load_after = loadavg()
    lines = BankLine.objects.filter(organisation=org).count()
    assert summary.imported == lines, (summary.imported, lines)
    assert again.imported == 0 and again.already_present == lines
    problems = verify_organisation(organisation=org)
    print(
        json.dumps(
            {
                "import_s": round(first_s, 2),
                "lines_per_s": round(lines / first_s),
                "booked_by_rules": summary.matched,
                "booked_share": round(summary.matched / lines, 3),
                "rules": by_iban + name_rules,
                "reimport_s": round(again_s, 2),
                "reimport_lines_per_s": round(lines / again_s),
                "rss_before_import_mb": round(rss_before),
                "peak_rss_mb": round(peak_first),
                "peak_rss_mb_with_reimport": round(peak_mb()),
                "verify_ledger_problems": len(problems),
                "loadavg_before": load_before,
                "loadavg_after": load_after,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--rule-share", type=float, default=0.20)
    parser.add_argument("--name-rules", type=int, default=20)
    parser.add_argument("--out", type=Path, help="where to write the JSON (default: results/)")
    parser.add_argument("--child", choices=["camt053", "mt940"], help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijk.settings")
    os.environ.setdefault("WIJK_DATA_DIR", tempfile.mkdtemp(prefix="wijk-bench-"))
    if args.child:
        child(args.child, args.file, args.rule_share, args.name_rules)
        return
    import django

    django.setup()
    import mt940 as mt940_package
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    vendor = connection.vendor
    connection.close()
    folder = Path(tempfile.mkdtemp(prefix="wijk-bank-bench-"))
    lines = generate(args.lines, counterparties(400))
    paths = {"camt053": folder / "bench.xml", "mt940": folder / "bench.sta"}
    paths["camt053"].write_bytes(camt(lines, 1_000_000))
    paths["mt940"].write_bytes(mt940(lines, 1_000_000))
    del lines
    results: dict[str, object] = {
        "lines": args.lines,
        "rule_share": args.rule_share,
        "name_rules": args.name_rules,
        "database": vendor,
        "python": sys.version.split()[0],
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "file_mb": {k: round(p.stat().st_size / 1e6, 1) for k, p in paths.items()},
    }
    text = paths["mt940"].read_text()
    load_before = loadavg()
    start = time.perf_counter()
    bare = mt940_package.models.Transactions()
    bare.parse(text)
    bare_s = time.perf_counter() - start
    results["mt940_package_bare_parse"] = {
        "seconds": round(bare_s, 2),
        "lines_per_s": round(args.lines / bare_s),
        "transactions": len(bare),
        "loadavg_before": load_before,
        "loadavg_after": loadavg(),
    }
    del bare, text
    print(f"mt-940 bare parse: {args.lines / bare_s:,.0f} lines/s")
    for kind, path in paths.items():
        command = [
            sys.executable,
            __file__,
            "--child",
            kind,
            "--file",
            str(path),
            "--rule-share",
            str(args.rule_share),
            "--name-rules",
            str(args.name_rules),
        ]
        done = subprocess.run(command, check=True, capture_output=True, text=True)  # noqa: S603
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        figures["share_of_bare_parse_rate"] = round(figures["lines_per_s"] * bare_s / args.lines, 2)
        results[kind] = figures
        print(kind, json.dumps(figures))
    for path in paths.values():
        path.unlink()
    folder.rmdir()
    out = args.out or ROOT / "benchmarks" / "results" / f"bank-import-{vendor}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written to {out}")


if __name__ == "__main__":
    main()
