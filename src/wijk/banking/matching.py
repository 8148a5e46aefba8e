"""Matching freshly imported bank lines: the seam for every way a line gets booked.

`MATCHERS` is a list of functions that each receive the organisation and the lines
still unmatched, book the ones they recognise (through the ledger's posting service),
and return how many they booked. The import runs them in order, after storing the
lines, inside the import's transaction; a later matcher sees only what earlier ones
left.

The booking rules (counterparty IBAN, name or description → account and dimensions)
are the first matcher, registered below. Matching of open sales invoices and expense
claims by payment reference and amount plugs in the same way: the `sales` or
`expenses` app registers its function with `register_matcher`, for example in its
`AppConfig.ready()`. The banking app depends on none of them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from wijk.accounts.models import User
from wijk.organisations.models import Organisation

from .models import BankLine

Matcher = Callable[[Organisation, Sequence[BankLine], "User | None"], int]

MATCHERS: list[Matcher] = []


def register_matcher(matcher: Matcher) -> Matcher:
    """Add a matcher once (usable as a decorator)."""
    if matcher not in MATCHERS:
        MATCHERS.append(matcher)
    return matcher


def run_matchers(
    *, organisation: Organisation, lines: Sequence[BankLine], actor: User | None
) -> int:
    """Run every registered matcher over the unmatched lines; return how many got booked."""
    matched = 0
    for matcher in MATCHERS:
        pending = [line for line in lines if line.status == BankLine.Status.UNMATCHED]
        if not pending:
            break
        matched += matcher(organisation, pending, actor)
    return matched


def _booking_rules(
    organisation: Organisation, lines: Sequence[BankLine], actor: User | None
) -> int:
    from .services import bank_lines_book_by_rules

    return bank_lines_book_by_rules(organisation=organisation, lines=lines, actor=actor)


# The banking app's own matcher: the treasurer's booking rules. Others register after it.
register_matcher(_booking_rules)
