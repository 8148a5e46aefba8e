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

What a matcher leaves, the treasurer matches by hand on the reconciliation page. For
that an app registers a `MatchSource` with `register_match_source`: `options` lists,
for a batch of open lines, what each line could pay (an open invoice, an approved
claim), and `book` books one line as the payment of the chosen one through the app's
own payment service and returns the posted entry.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wijk.accounts.models import User
from wijk.organisations.models import Organisation

from .models import BankLine

if TYPE_CHECKING:
    from wijk.ledger.models import JournalEntry

Matcher = Callable[[Organisation, Sequence[BankLine], "User | None"], int]

MATCHERS: list[Matcher] = []


def register_matcher(matcher: Matcher) -> Matcher:
    """Add a matcher once (usable as a decorator)."""
    if matcher not in MATCHERS:
        MATCHERS.append(matcher)
    return matcher


def run_matchers(
    *,
    organisation: Organisation,
    lines: Sequence[BankLine],
    actor: User | None,
    rules: bool = True,
) -> int:
    """Run every registered matcher over the unmatched lines; return how many got booked.

    `rules=False` leaves out the booking rules, for lines they have already been
    applied to (the import applies them before it stores the lines).
    """
    matched = 0
    for matcher in MATCHERS:
        if not rules and matcher is _booking_rules:
            continue
        pending = [line for line in lines if line.status == BankLine.Status.UNMATCHED]
        if not pending:
            break
        matched += matcher(organisation, pending, actor)
    return matched


@dataclass(frozen=True)
class MatchOption:
    """Something a bank line could pay: `value` is "<source>:<id>", `label` says what."""

    value: str
    label: str


@dataclass(frozen=True)
class MatchSource:
    """Open items of another app that bank lines can be matched to by hand.

    `options(organisation, lines)` gives, per line id, the items that fit the line (best
    first); `book(line, item_id, actor)` books the line as the payment of that item
    through the app's own service, inside the caller's transaction, and returns the
    posted entry; it raises `ValidationError` when the item does not fit the line.
    """

    name: str
    options: Callable[[Organisation, Sequence[BankLine]], dict[int, list[MatchOption]]]
    book: Callable[[BankLine, int, User | None], JournalEntry]


MATCH_SOURCES: dict[str, MatchSource] = {}


def register_match_source(source: MatchSource) -> MatchSource:
    MATCH_SOURCES[source.name] = source
    return source


def match_options(
    *, organisation: Organisation, lines: Sequence[BankLine]
) -> dict[int, list[MatchOption]]:
    """Per open line, everything registered sources say it could pay, in source order."""
    result: dict[int, list[MatchOption]] = {}
    open_lines = [line for line in lines if line.status == BankLine.Status.UNMATCHED]
    if not open_lines:
        return result
    for source in MATCH_SOURCES.values():
        for line_id, options in source.options(organisation, open_lines).items():
            result.setdefault(line_id, []).extend(options)
    return result


def _booking_rules(
    organisation: Organisation, lines: Sequence[BankLine], actor: User | None
) -> int:
    from .services import bank_lines_book_by_rules

    return bank_lines_book_by_rules(organisation=organisation, lines=lines, actor=actor)


# The banking app's own matcher: the treasurer's booking rules. Others register after it.
register_matcher(_booking_rules)
