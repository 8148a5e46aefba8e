"""Importing a statement file: parse, check, deduplicate, store, match — all or nothing.

The dedup key of a bank line is a hash of everything the bank says about it. Lines
with the same key in one statement are genuinely identical (two coffees of € 2,50
on one day); they get ordinals 0, 1, 2, … A statement with *n* lines of key K on an
account that already holds *m* of them adds *n − m*: importing the same statement
again adds nothing, and overlapping statements add exactly their union.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import operator
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from wijk.accounts.models import User
from wijk.core.bulk import insert_rows, instances, max_parameters
from wijk.core.models import audit_record
from wijk.ledger.models import Account, ReportingCategory
from wijk.ledger.money import format_cents
from wijk.organisations.models import Organisation

from .iban import is_iban, normalise_iban
from .matching import run_matchers
from .models import BankAccount, BankLine, Statement
from .parsers import ParsedLine, ParsedStatement, StatementParseError, parse_statement_file
from .parsers.base import place
from .services import bank_lines_book_by_rules

# Keys looked up per query: as many as the database takes parameters, up to this.
KEY_BATCH = 5000
# Lines stored, matched and let go at a time (and the most rule entries posted at once).
STORE_CHUNK = 5000


@dataclass
class ImportSummary:
    imported: int = 0
    already_present: int = 0
    matched: int = 0
    unmatched: int = 0
    statements: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "imported": self.imported,
            "already_present": self.already_present,
            "matched": self.matched,
            "unmatched": self.unmatched,
            "statements": self.statements,
            "notes": self.notes,
        }


# The code of the refusal of a statement for an account the organisation has not
# registered: the upload page then offers to add the account and import in one click.
UNKNOWN_ACCOUNT = "unknown_account"


def refuse(message: str, code: str | None = None) -> ValidationError:
    return ValidationError({"file": [ValidationError(message, code=code)]})


def line_key(line: ParsedLine) -> str:
    parts = [
        line.booking_date.isoformat(),
        line.value_date.isoformat() if line.value_date else "",
        str(line.amount_cents),
        line.counterparty_iban.upper(),
        line.counterparty_name.lower(),
        line.description.lower(),
        line.end_to_end_reference,
        line.bank_reference,
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def _free_bank_ledger_account(organisation: Organisation) -> Account | None:
    free = (
        Account.objects.for_organisation(organisation)
        .filter(category=ReportingCategory.CASH, is_active=True, bank_accounts__isnull=True)
        .order_by("number")
    )
    return free.filter(number__startswith="11").first() or free.first()


def _bank_account(
    organisation: Organisation,
    parsed: ParsedStatement,
    file_name: str,
    add_account: bool,
    actor: User | None,
) -> BankAccount:
    where = f"{file_name}, {place(parsed.location)}"
    if not is_iban(parsed.account):
        raise refuse(
            _(
                "%(where)s: account: %(account)s is not a valid IBAN. Download the statement "
                "again in a format that names the account by its IBAN."
            )
            % {"where": where, "account": parsed.account}
        )
    iban = normalise_iban(parsed.account)
    account = BankAccount.objects.for_organisation(organisation).filter(iban=iban).first()
    if account is not None:
        return account
    if not add_account:
        raise refuse(
            _(
                "%(where)s: account: %(iban)s is not a bank account of %(organisation)s. "
                "Register it first, or import with the option to add the account."
            )
            % {"where": where, "iban": iban, "organisation": organisation.name},
            code=UNKNOWN_ACCOUNT,
        )
    ledger_account = _free_bank_ledger_account(organisation)
    if ledger_account is None:
        raise refuse(
            _(
                "%(where)s: account: to add %(iban)s, a ledger account of category cash "
                "and bank is needed that no other bank account uses. Add one to the chart "
                "of accounts."
            )
            % {"where": where, "iban": iban}
        )
    from .services import bank_account_create

    return bank_account_create(
        organisation=organisation,
        iban=iban,
        name=iban,
        ledger_account=ledger_account,
        actor=actor,
    )


def _check_balance(parsed: ParsedStatement, file_name: str) -> None:
    if parsed.opening_balance_cents is None or parsed.closing_balance_cents is None:
        return
    total = sum(line.amount_cents for line in parsed.lines)
    if parsed.opening_balance_cents + total != parsed.closing_balance_cents:
        raise refuse(
            _(
                "%(file)s, %(where)s: closing balance: the statement does not add up. "
                "Opening balance %(opening)s plus the lines %(total)s makes %(expected)s, "
                "but the bank gives %(closing)s as closing balance. Download the statement "
                "again; nothing was imported."
            )
            % {
                "file": file_name,
                "where": place(parsed.location),
                "opening": format_cents(parsed.opening_balance_cents),
                "total": format_cents(total),
                "expected": format_cents(parsed.opening_balance_cents + total),
                "closing": format_cents(parsed.closing_balance_cents),
            }
        )


def _gap_note(account: BankAccount, parsed: ParsedStatement) -> str:
    if parsed.opening_date is None or parsed.opening_balance_cents is None:
        return ""
    previous = (
        Statement.objects.filter(
            bank_account=account,
            closing_date__lte=parsed.opening_date,
            closing_balance_cents__isnull=False,
        )
        .order_by("-closing_date", "-pk")
        .first()
    )
    if previous is None or previous.closing_balance_cents == parsed.opening_balance_cents:
        return ""
    return _(
        "Gap on %(iban)s: the previous statement closed at %(previous)s on %(previous_date)s, "
        "this one opens at %(opening)s on %(opening_date)s. A statement in between is missing."
    ) % {
        "iban": account.iban,
        "previous": format_cents(previous.closing_balance_cents or 0),
        "previous_date": previous.closing_date,
        "opening": format_cents(parsed.opening_balance_cents),
        "opening_date": parsed.opening_date,
    }


# Every column of a bank line but its id, in the model's order.
_ATTNAMES = [f.attname for f in BankLine._meta.concrete_fields if not f.primary_key]
_BANK_ACCOUNT = BankLine._meta.get_field("bank_account")


def _new_lines(
    organisation: Organisation,
    account: BankAccount,
    statement: Statement,
    chunk: list[tuple[str, int, ParsedLine]],
) -> list[BankLine]:
    """The chunk's lines as model objects, not saved yet, with their bank account set.

    Made by `instances` rather than one by one: for a 100,000-line statement the
    ORM's per-field work took longer than the database (see benchmarks/).
    """
    unmatched = BankLine.Status.UNMATCHED.value
    lines = instances(
        BankLine,
        ["id", *_ATTNAMES],
        (
            (
                None,
                organisation.pk,
                account.pk,
                statement.pk,
                line.booking_date,
                line.value_date,
                line.amount_cents,
                line.counterparty_iban[:40],
                line.counterparty_name[:140],
                line.description,
                line.end_to_end_reference[:140],
                line.bank_reference[:140],
                key,
                ordinal,
                unmatched,
                None,
                "",
                None,
            )
            for key, ordinal, line in chunk
        ),
        saved=False,
    )
    for line in lines:
        _BANK_ACCOUNT.set_cached_value(line, account)
    return lines


def _insert_lines(lines: list[BankLine]) -> None:
    """Insert new lines as they are (booked by a rule or not) in few statements.

    Through `insert_rows` rather than `bulk_create`, which compiles every value
    through the field machinery.
    """
    values = operator.attrgetter(*_ATTNAMES)
    ids = insert_rows(BankLine, _ATTNAMES, (values(line) for line in lines))
    alias = connection.alias
    for line, pk in zip(lines, ids, strict=True):
        line.id = pk
        line._state.adding = False
        line._state.db = alias


def _store(
    organisation: Organisation,
    account: BankAccount,
    parsed: ParsedStatement,
    file_name: str,
    actor: User | None,
    summary: ImportSummary,
) -> int:
    """Store the statement's new lines and match them, a chunk at a time; return how many.

    The lines go in chunks of `STORE_CHUNK`: the booking rules book what they
    recognise in a chunk (the entries posted as one batch), the chunk is inserted,
    then the other matchers book what they recognise, and the chunk's model objects
    are dropped before the next, so memory stays flat however long the statement. It
    all stays inside the import's one transaction.
    """
    keys = [line_key(line) for line in parsed.lines]
    wanted = Counter(keys)
    present: dict[str, int] = {}
    distinct = list(wanted)
    step = max(1, min(KEY_BATCH, max_parameters() - 1))  # SQLite caps them per query
    for start in range(0, len(distinct), step):
        present.update(
            BankLine.objects.filter(bank_account=account, key__in=distinct[start : start + step])
            .values_list("key")
            .annotate(n=Count("pk"))
            .values_list("key", "n")
        )
    del distinct, wanted
    seen: Counter[str] = Counter()
    new: list[tuple[str, int, ParsedLine]] = []
    for key, line in zip(keys, parsed.lines, strict=True):
        ordinal = seen[key]
        seen[key] += 1
        if ordinal >= present.get(key, 0):
            new.append((key, ordinal, line))
    del keys, seen, present
    in_file = len(parsed.lines)
    summary.already_present += in_file - len(new)
    same = Statement.objects.filter(
        bank_account=account,
        opening_date=parsed.opening_date,
        closing_date=parsed.closing_date,
        opening_balance_cents=parsed.opening_balance_cents,
        closing_balance_cents=parsed.closing_balance_cents,
    ).first()
    if not new and same is not None:
        return 0
    statement = Statement.objects.create(
        organisation=organisation,
        bank_account=account,
        format=parsed.format,
        file_name=file_name[:255],
        statement_id=parsed.statement_id[:80],
        opening_balance_cents=parsed.opening_balance_cents,
        opening_date=parsed.opening_date,
        closing_balance_cents=parsed.closing_balance_cents,
        closing_date=parsed.closing_date,
        lines_in_file=in_file,
        lines_added=len(new),
        imported_by=actor,
    )
    added = len(new)
    new.reverse()  # taken from the end, so each chunk's parsed lines can be let go
    while new:
        chunk = [new.pop() for _ in range(min(STORE_CHUNK, len(new)))]
        lines = _new_lines(organisation, account, statement, chunk)
        del chunk
        # The rules book their lines before the lines are stored, so a booked line
        # goes in booked, not written twice; the other matchers then see the rest.
        summary.matched += bank_lines_book_by_rules(
            organisation=organisation, lines=lines, actor=actor
        )
        _insert_lines(lines)
        summary.matched += run_matchers(
            organisation=organisation, lines=lines, actor=actor, rules=False
        )
        del lines
    return added


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Hold Python's cycle collector back while a statement is read and stored.

    An import makes hundreds of thousands of objects that live until it ends (parsed
    lines, rows, keys); each time enough of them have piled up, the collector walks
    all of them again, looking for cycles they do not form. That was a sixth of the
    import's time for 100,000 lines (benchmarks/README.md). Reference counting still
    frees everything as usual; the collector runs again when the import is done.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def statement_import(
    *,
    organisation: Organisation,
    data: bytes,
    file_name: str,
    actor: User | None,
    add_account: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportSummary:
    """Import every statement in one file, or nothing when anything is wrong with it.

    `progress(done, total)` is called before each statement and once more at the end,
    inside the import's transaction (the command's progress bar).
    """
    with _no_cycle_collection(), transaction.atomic():
        return _import(organisation, data, file_name, actor, add_account, progress)


def _import(
    organisation: Organisation,
    data: bytes,
    file_name: str,
    actor: User | None,
    add_account: bool,
    progress: Callable[[int, int], None] | None,
) -> ImportSummary:
    limit = settings.BANK_STATEMENT_MAX_BYTES
    if len(data) > limit:
        raise refuse(
            _("%(file)s: the file is larger than %(limit)s MB. Import a shorter period.")
            % {"file": file_name, "limit": limit // (1024 * 1024)}
        )
    try:
        parsed_statements = parse_statement_file(data, file=file_name)
    except StatementParseError as exc:
        raise refuse(str(exc)) from exc
    total_lines = sum(len(parsed.lines) for parsed in parsed_statements)
    if total_lines > settings.BANK_STATEMENT_MAX_LINES:
        raise refuse(
            _(
                "%(file)s: the file has %(count)s lines, more than %(limit)s. Import a shorter period."
            )
            % {"file": file_name, "count": total_lines, "limit": settings.BANK_STATEMENT_MAX_LINES}
        )
    summary = ImportSummary()
    for parsed in parsed_statements:  # every check before anything is written
        if parsed.currency != "EUR":
            raise refuse(
                _(
                    "%(file)s, %(where)s: currency: only statements in euro can be imported, not %(currency)s."
                )
                % {"file": file_name, "where": place(parsed.location), "currency": parsed.currency}
            )
        _check_balance(parsed, file_name)
    no_balances = any(parsed.opening_balance_cents is None for parsed in parsed_statements)
    count = len(parsed_statements)
    for done, parsed in enumerate(parsed_statements, start=1):
        if progress is not None:
            progress(done - 1, count)
        account = _bank_account(organisation, parsed, file_name, add_account, actor)
        note = _gap_note(account, parsed)
        if note:
            summary.notes.append(note)
        imported = _store(organisation, account, parsed, file_name, actor, summary)
        summary.imported += imported
        summary.statements.append(
            {
                "iban": account.iban,
                "format": parsed.format,
                "opening_date": parsed.opening_date.isoformat() if parsed.opening_date else None,
                "closing_date": parsed.closing_date.isoformat() if parsed.closing_date else None,
                "opening_balance_cents": parsed.opening_balance_cents,
                "closing_balance_cents": parsed.closing_balance_cents,
                "lines": len(parsed.lines),
                "imported": imported,
            }
        )
        parsed.lines = []  # stored: let the parsed lines go
    if no_balances:
        summary.notes.append(
            _("This export holds no balances, so the statement's balance could not be checked.")
        )
    if progress is not None:
        progress(count, count)
    summary.unmatched = summary.imported - summary.matched
    audit_record(
        action="statement.import",
        actor=actor,
        organisation=organisation,
        data={
            "file": file_name,
            "imported": summary.imported,
            "already_present": summary.already_present,
        },
    )
    return summary
