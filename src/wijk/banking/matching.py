"""Matching freshly imported bank lines: the seam for every way a line gets booked.

`MATCHERS` is a list of functions that each receive the organisation and the lines
still unmatched, book the ones they recognise (through the ledger's posting service),
and return how many they booked. The import runs them in order, after storing the
lines, inside the import's transaction; a later matcher sees only what earlier ones
left.

Booking rules (counterparty IBAN, name or description → account) and matching of
open sales invoices and expense claims by payment reference and amount plug in here:
an app registers its function with `register_matcher`, for example in its
`AppConfig.ready()`. The banking app itself depends on none of them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from wijk.organisations.models import Organisation

from .models import BankLine

Matcher = Callable[[Organisation, Sequence[BankLine]], int]

MATCHERS: list[Matcher] = []


def register_matcher(matcher: Matcher) -> Matcher:
    """Add a matcher once (usable as a decorator)."""
    if matcher not in MATCHERS:
        MATCHERS.append(matcher)
    return matcher


def run_matchers(*, organisation: Organisation, lines: Sequence[BankLine]) -> int:
    """Run every registered matcher over the unmatched lines; return how many got booked."""
    matched = 0
    for matcher in MATCHERS:
        pending = [line for line in lines if line.status == BankLine.Status.UNMATCHED]
        if not pending:
            break
        matched += matcher(organisation, pending)
    return matched
