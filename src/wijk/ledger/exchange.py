"""Exports of the books for other tools.

`journal_to_hledger` writes posted entries as a plain-text hledger journal, so anyone
can check our figures with an independent tool (hledger or, mostly, ledger-cli).
Written by hand: the format is a few lines of text per entry, and no maintained
Python library writes it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from itertools import islice

from wijk.organisations.models import Organisation

from .models import Account, JournalEntry, JournalLine

COMMODITY = "EUR"
# Entries read at a time by the journal export.
EXPORT_CHUNK = 2000


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
    accounts = {
        account.pk: hledger_account_name(
            type=account.type, number=account.number, name=account.name_nl
        )
        for account in Account.objects.filter(organisation=organisation)
    }
    # Entries in chunks, each with its own lines: memory stays flat for any size of books.
    ordered = entries.order_by("date", "chain_index").iterator(EXPORT_CHUNK)
    while chunk := list(islice(ordered, EXPORT_CHUNK)):
        by_entry: dict[int, list[tuple[int, int, int]]] = {}
        for entry_id, account_id, debit, credit in (
            JournalLine.objects.filter(entry_id__in=[entry.pk for entry in chunk])
            .order_by("entry_id", "id")
            .values_list("entry_id", "account_id", "debit_cents", "credit_cents")
        ):
            by_entry.setdefault(entry_id, []).append((account_id, debit, credit))
        for entry in chunk:
            code = f"{entry.journal.code} {entry.fiscal_year} #{entry.number}"
            description = " ".join(entry.description.replace(";", ",").split())
            yield f"{entry.date.isoformat()} * ({code}) {description}"
            for account_id, debit, credit in by_entry.get(entry.pk, []):
                yield f"    {accounts[account_id]}  {_amount(debit - credit)}"
            yield ""
