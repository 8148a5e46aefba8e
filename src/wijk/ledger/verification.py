"""Checks that the books are what posting made them: `wijk verify-ledger`.

It walks an organisation's posted entries in posting order and recomputes every hash,
checks that each entry balances, that numbers run without gaps per journal and fiscal
year, and that the chain head and journal counters agree with the entries. The first
broken link of the chain is reported: everything after it is suspect. Finally it sums
the posted lines per account and month again and compares them with the balances
rolled up at posting (`AccountMonthBalance`), which the reports read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

from django.db.models import Count, F, Max, Min, QuerySet, Sum

from wijk.organisations.models import Organisation

from .hashing import GENESIS, chain_hash, entry_payload
from .models import Account, JournalEntry, JournalLine, JournalSequence, LedgerChain
from .money import format_cents
from .rollups import month_sums_from_lines, month_sums_stored

# Entries whose hashes are checked per read of their lines.
VERIFY_CHUNK = 2000
# Rolled-up months reported one by one; beyond that, a count.
ROLLUP_FINDINGS_SHOWN = 20


@dataclass(frozen=True)
class Finding:
    organisation: str
    where: str
    problem: str

    def __str__(self) -> str:
        return f"{self.organisation}: {self.where}: {self.problem}"


def verify_organisation(*, organisation: Organisation) -> list[Finding]:
    findings: list[Finding] = []

    def add(where: str, problem: str) -> None:
        findings.append(Finding(organisation.slug, where, problem))

    posted = JournalEntry.objects.filter(
        organisation=organisation, status=JournalEntry.Status.POSTED
    )

    # 1. Every posted entry balances and has at least two lines (one query).
    unbalanced = (
        JournalLine.objects.filter(entry__in=posted)
        .values("entry", "entry__journal__code", "entry__number")
        .annotate(debit=Sum("debit_cents"), credit=Sum("credit_cents"), n=Count("id"))
        .exclude(debit=F("credit"), n__gte=2)
        .order_by("entry")
    )
    for row in unbalanced:
        add(
            f"entry {row['entry__journal__code']} #{row['entry__number']}",
            f"does not balance (debit {row['debit']}, credit {row['credit']}, {row['n']} lines)",
        )

    # 2. Numbers run 1..n without gaps per journal and fiscal year.
    groups = (
        posted.values("journal", "journal__code", "fiscal_year")
        .annotate(n=Count("id"), low=Min("number"), high=Max("number"))
        .order_by("journal__code", "fiscal_year")
    )
    for group in groups:
        if group["low"] != 1 or group["high"] != group["n"]:
            add(
                f"journal {group['journal__code']}",
                f"numbers are not 1..{group['n']} without gaps (lowest {group['low']}, highest {group['high']})",
            )
        sequence = JournalSequence.objects.filter(
            journal_id=group["journal"], fiscal_year_id=group["fiscal_year"]
        ).first()
        if sequence is None or sequence.last_number != group["high"]:
            add(
                f"journal {group['journal__code']}",
                "the journal's counter does not match its entries",
            )

    # 3. The hash chain, entry by entry in posting order.
    previous = GENESIS
    expected_index = 1
    # Entries in chunks, each with its own lines: memory stays flat for any size of books.
    ordered = posted.select_related("journal", "fiscal_year").order_by("chain_index")
    for entry, lines in _with_lines(ordered):
        where = f"entry {entry.journal.code} #{entry.number} (chain position {entry.chain_index})"
        if entry.chain_index != expected_index:
            add(
                where, f"chain position should be {expected_index}: an entry is missing or inserted"
            )
            break
        if entry.previous_hash != previous:
            add(where, "does not point to the previous entry's hash: the chain is broken here")
            break
        if entry.fiscal_year is None or entry.number is None or entry.posted_at is None:
            add(where, "is posted without a number, fiscal year or posting time")
            break
        payload = entry_payload(
            organisation_id=organisation.pk,
            chain_index=entry.chain_index,
            journal_code=entry.journal.code,
            fiscal_year_start=entry.fiscal_year.start_date,
            number=entry.number,
            entry_date=entry.date,
            description=entry.description,
            reference=entry.reference,
            posted_at=entry.posted_at,
            reversal_of_id=entry.reversal_of_id,
            is_closing=entry.is_closing,
            counterparty=entry.counterparty,
            lines=lines,
        )
        if chain_hash(previous_hash=previous, payload=payload) != entry.entry_hash:
            add(where, "its content no longer matches its hash: it was changed after posting")
            break
        previous = entry.entry_hash
        expected_index += 1
    else:
        chain = LedgerChain.objects.filter(organisation=organisation).first()
        length = expected_index - 1
        if chain is not None and (chain.length != length or chain.head_hash != previous):
            add("chain head", f"records {chain.length} entries but the books hold {length}")
        elif chain is None and length:
            add("chain head", "is missing")

    # 4. The balances rolled up per account and month equal the lines' sums.
    expected = month_sums_from_lines(organisation=organisation)
    stored = month_sums_stored(organisation=organisation)
    zero = (0, 0, 0, 0)
    wrong = sorted(
        key
        for key in expected.keys() | stored.keys()
        if expected.get(key, zero) != stored.get(key, zero)
    )
    numbers = dict(Account.objects.filter(organisation=organisation).values_list("pk", "number"))
    for account_id, month in wrong[:ROLLUP_FINDINGS_SHOWN]:
        debit, credit, *_closing = stored.get((account_id, month), zero)
        line_debit, line_credit, *_line_closing = expected.get((account_id, month), zero)
        add(
            f"account {numbers.get(account_id, account_id)}, {month:%Y-%m}",
            f"rolled-up balance (debit {format_cents(debit)}, credit {format_cents(credit)}) "
            f"differs from its lines (debit {format_cents(line_debit)}, "
            f"credit {format_cents(line_credit)}); the reports read the rolled-up figure",
        )
    if len(wrong) > ROLLUP_FINDINGS_SHOWN:
        add(
            "rolled-up balances",
            f"{len(wrong) - ROLLUP_FINDINGS_SHOWN} more months differ from their lines",
        )
    return findings


# A line as the hash covers it: account number, debit, credit, fund, description,
# building, activity.
Line = tuple[str, int, int, int | None, str, int | None, int | None]


def _with_lines(entries: QuerySet[JournalEntry]) -> Iterator[tuple[JournalEntry, list[Line]]]:
    """Each entry with its lines as the hash covers them, read VERIFY_CHUNK entries at a time."""
    iterator = entries.iterator(VERIFY_CHUNK)
    while chunk := list(islice(iterator, VERIFY_CHUNK)):
        by_entry: dict[int, list[Line]] = {}
        for entry_id, *line in (
            JournalLine.objects.filter(entry_id__in=[entry.pk for entry in chunk])
            .order_by("entry_id", "id")
            .values_list(
                "entry_id",
                "account__number",
                "debit_cents",
                "credit_cents",
                "fund_id",
                "description",
                "building_id",
                "activity_id",
            )
        ):
            by_entry.setdefault(entry_id, []).append(tuple(line))  # type: ignore[arg-type]
        for entry in chunk:
            yield entry, by_entry.get(entry.pk, [])


def verify_all(*, organisations: list[Organisation]) -> list[Finding]:
    findings: list[Finding] = []
    for organisation in organisations:
        findings.extend(verify_organisation(organisation=organisation))
    return findings
