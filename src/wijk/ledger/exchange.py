"""Exports of the books for other tools.

`journal_to_hledger` writes posted entries as a plain-text hledger journal, so anyone
can check our figures with an independent tool (hledger or, mostly, ledger-cli).
Written by hand: the format is a few lines of text per entry, and no maintained
Python library writes it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from wijk.organisations.models import Organisation

from .models import JournalEntry, JournalLine

COMMODITY = "EUR"


def hledger_account_name(*, type: str, number: str, name: str) -> str:
    """`expense:4110 Energie en water` — no double spaces or tabs, which end a name in hledger."""
    clean = " ".join(f"{number} {name}".replace(";", ",").split())
    return f"{type}:{clean}"


def _amount(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    return f"{COMMODITY} {sign}{euros}.{rest:02d}"


def journal_to_hledger(
    *, organisation: Organisation, start: date | None = None, end: date | None = None
) -> Iterator[str]:
    """Yield the journal text line by line, posted entries only, in date order."""
    entries = JournalEntry.objects.filter(
        organisation=organisation, status=JournalEntry.Status.POSTED
    ).select_related("journal", "fiscal_year")
    if start is not None:
        entries = entries.filter(date__gte=start)
    if end is not None:
        entries = entries.filter(date__lte=end)
    yield f"; Wijkonderneming: books of {organisation.name} ({organisation.slug})"
    yield "; posted entries only; amounts in euro"
    yield f"commodity {COMMODITY} 1000.00"
    yield ""
    lines = (
        JournalLine.objects.filter(entry__in=entries)
        .select_related("account")
        .order_by("entry_id", "id")
    )
    by_entry: dict[int, list[JournalLine]] = {}
    for line in lines.iterator(5000):
        by_entry.setdefault(line.entry_id, []).append(line)
    for entry in entries.order_by("date", "chain_index").iterator(2000):
        code = f"{entry.journal.code} {entry.fiscal_year} #{entry.number}"
        description = " ".join(entry.description.replace(";", ",").split())
        yield f"{entry.date.isoformat()} * ({code}) {description}"
        for line in by_entry.get(entry.pk, []):
            account = hledger_account_name(
                type=line.account.type, number=line.account.number, name=line.account.name_nl
            )
            yield f"    {account}  {_amount(line.debit_cents - line.credit_cents)}"
        yield ""
