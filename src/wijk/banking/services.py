"""Every write to bank accounts, statements, lines and rules: validated, atomic, logged."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wijk.accounts.models import User
from wijk.activities.models import Activity
from wijk.core.bulk import update_rows
from wijk.core.models import audit_record
from wijk.ledger.models import (
    Account,
    FiscalYear,
    Fund,
    Journal,
    JournalEntry,
    PeriodLock,
    ReportingCategory,
)
from wijk.ledger.money import format_cents
from wijk.ledger.services import (
    EntryInput,
    LineInput,
    journal_entries_create_posted,
    journal_entry_create,
    journal_entry_post,
)
from wijk.organisations.models import Organisation
from wijk.premises.models import Building

from .iban import normalise_iban
from .models import BankAccount, BankLine, BookingRule

# --- bank accounts -------------------------------------------------------------------


@transaction.atomic
def bank_account_create(
    *,
    organisation: Organisation,
    iban: str,
    name: str,
    ledger_account: Account,
    actor: User | None,
) -> BankAccount:
    """Register a bank account of the organisation, linked to a cash ledger account."""
    try:
        compact = normalise_iban(iban)
    except ValidationError as exc:
        raise ValidationError({"iban": exc.error_list}) from exc
    name = name.strip() or compact
    if len(name) > 80:
        raise ValidationError({"name": [ValidationError(_("Use at most 80 characters."))]})
    if BankAccount.objects.for_organisation(organisation).filter(iban=compact).exists():
        raise ValidationError(
            {"iban": [ValidationError(_("%(iban)s is already registered.") % {"iban": compact})]}
        )
    if (
        ledger_account.organisation_id != organisation.pk
        or ledger_account.category != ReportingCategory.CASH
        or not ledger_account.is_active
    ):
        raise ValidationError(
            {
                "ledger_account": [
                    ValidationError(_("Choose a ledger account of the category cash and bank."))
                ]
            }
        )
    if BankAccount.objects.filter(ledger_account=ledger_account).exists():
        raise ValidationError(
            {
                "ledger_account": [
                    ValidationError(
                        _("Ledger account %(number)s is already linked to another bank account.")
                        % {"number": ledger_account.number}
                    )
                ]
            }
        )
    account = BankAccount.objects.create(
        organisation=organisation, iban=compact, name=name, ledger_account=ledger_account
    )
    audit_record(
        action="bank_account.create",
        actor=actor,
        organisation=organisation,
        obj=account,
        data={"iban": compact, "account": ledger_account.number},
    )
    return account


# --- booking bank lines ----------------------------------------------------------------


@dataclass(frozen=True)
class Split:
    """One part of a bank line, booked to one account. The amount is positive cents."""

    account: Account
    amount_cents: int
    description: str = ""
    building: Building | None = None
    activity: Activity | None = None
    fund: Fund | None = None


def _bank_journal(organisation: Organisation) -> Journal:
    journal = (
        Journal.objects.for_organisation(organisation)
        .filter(kind=Journal.Kind.BANK)
        .order_by("code")
        .first()
    )
    if journal is None:
        raise ValidationError(_("The books have no bank journal. Set up the books first."))
    return journal


def _validate_splits(organisation: Organisation, line: BankLine, splits: list[Split]) -> None:
    if not splits:
        raise ValidationError({"account": [ValidationError(_("Choose an account."))]})
    for index, split in enumerate(splits, start=1):
        where = {"line": index}
        if split.account.organisation_id != organisation.pk or not split.account.is_active:
            raise ValidationError(
                {
                    "account": [
                        ValidationError(_("Part %(line)s: choose an account in use.") % where)
                    ]
                }
            )
        if split.account.pk == line.bank_account.ledger_account_id:
            raise ValidationError(
                {
                    "account": [
                        ValidationError(
                            _("Part %(line)s: choose another account than the bank account itself.")
                            % where
                        )
                    ]
                }
            )
        if split.amount_cents <= 0:
            raise ValidationError(
                {"amount": [ValidationError(_("Part %(line)s: enter an amount above 0.") % where)]}
            )
    total = sum(split.amount_cents for split in splits)
    if total != abs(line.amount_cents):
        raise ValidationError(
            {
                "amount": [
                    ValidationError(
                        _(
                            "The parts add up to %(total)s, but the bank line is %(amount)s. "
                            "Make the parts add up to the bank line."
                        )
                        % {
                            "total": format_cents(total),
                            "amount": format_cents(abs(line.amount_cents)),
                        }
                    )
                ]
            }
        )


def _entry_input(journal: Journal, line: BankLine, splits: list[Split]) -> EntryInput:
    """The draft entry of a booked bank line: its bank account against the splits."""
    money_in = line.amount_cents > 0
    amount = abs(line.amount_cents)
    description = (line.description or line.counterparty_name or _("Bank line"))[:255]
    lines = [
        LineInput(
            line.bank_account.ledger_account,
            debit_cents=amount if money_in else 0,
            credit_cents=0 if money_in else amount,
            description=line.counterparty_name[:255],
        )
    ]
    lines += [
        LineInput(
            split.account,
            debit_cents=0 if money_in else split.amount_cents,
            credit_cents=split.amount_cents if money_in else 0,
            description=(split.description or description)[:255],
            fund=split.fund,
            building=split.building,
            activity=split.activity,
        )
        for split in splits
    ]
    return EntryInput(
        journal=journal,
        date=line.booking_date,
        description=description,
        lines=lines,
        reference=line.end_to_end_reference[:80],
        counterparty=line.counterparty_name[:140],
    )


def _draft_for(
    organisation: Organisation,
    journal: Journal,
    line: BankLine,
    splits: list[Split],
    actor: User | None,
) -> JournalEntry:
    item = _entry_input(journal, line, splits)
    return journal_entry_create(
        organisation=organisation,
        journal=item.journal,
        date=item.date,
        description=item.description,
        lines=item.lines,
        actor=actor,
        reference=item.reference,
        counterparty=item.counterparty,
    )


def _mark_booked(rows: list[tuple[BankLine, int, BookingRule | None, str]]) -> None:
    """Mark many lines booked (line, its posted entry's id, rule, how) in one statement.

    One round trip, no per-row ORM work.
    """
    updated = update_rows(
        BankLine,
        ["id", "status", "journal_entry_id", "rule_id", "matched_by"],
        [
            (line.pk, BankLine.Status.BOOKED.value, entry_id, rule.pk if rule else None, how)
            for line, entry_id, rule, how in rows
        ],
        only={"status": BankLine.Status.UNMATCHED.value},
    )
    if updated != len(rows):
        raise ValidationError(_("One of the chosen lines is already booked."))
    for line, entry_id, rule, matched_by in rows:
        line.status = BankLine.Status.BOOKED
        line.journal_entry_id = entry_id
        line.rule = rule
        line.matched_by = matched_by


def _mark_unsaved_booked(rows: list[tuple[BankLine, int, BookingRule | None, str]]) -> None:
    for line, entry_id, rule, matched_by in rows:
        line.status = BankLine.Status.BOOKED
        line.journal_entry_id = entry_id
        line.rule = rule
        line.matched_by = matched_by


@transaction.atomic
def bank_line_book(
    *, line: BankLine, splits: list[Split], actor: User | None, remember: bool = False
) -> BankLine:
    """Book a bank line: a posted entry in the bank journal, bank account against the splits.

    With `remember`, a rule is made from the line (its counterparty's IBAN, or name) so
    that later lines of that counterparty are booked the same way, and the rule is
    applied to the lines still open.
    """
    line = (
        BankLine.objects.select_for_update(of=("self",))
        .select_related("bank_account__ledger_account", "organisation")
        .get(pk=line.pk)
    )
    organisation = line.organisation
    if line.status != BankLine.Status.UNMATCHED:
        raise ValidationError(_("This bank line is already booked."))
    _validate_splits(organisation, line, splits)
    entry = _draft_for(organisation, _bank_journal(organisation), line, splits, actor)
    journal_entry_post(entry=entry, actor=actor)
    line.status = BankLine.Status.BOOKED
    line.journal_entry = entry
    line.matched_by = "manual"
    line.save(update_fields=["status", "journal_entry", "matched_by"])
    audit_record(
        action="bank_line.book",
        actor=actor,
        organisation=organisation,
        obj=line,
        data={"amount": format_cents(line.amount_cents), "counterparty": line.counterparty_name},
    )
    if remember:
        if len(splits) != 1:
            raise ValidationError(_("A rule can only be made from a line booked to one account."))
        split = splits[0]
        booking_rule_create(
            organisation=organisation,
            counterparty_iban=line.counterparty_iban,
            counterparty_name="" if line.counterparty_iban else line.counterparty_name,
            description_contains=""
            if line.counterparty_iban or line.counterparty_name
            else line.description[:140],
            account=split.account,
            building=split.building,
            activity=split.activity,
            fund=split.fund,
            actor=actor,
        )
        open_lines = list(
            BankLine.objects.for_organisation(organisation)
            .filter(status=BankLine.Status.UNMATCHED)
            .select_related("bank_account__ledger_account")
        )
        bank_lines_book_by_rules(organisation=organisation, lines=open_lines, actor=actor)
    return line


@transaction.atomic
def booking_rule_create(
    *,
    organisation: Organisation,
    account: Account,
    actor: User | None,
    counterparty_iban: str = "",
    counterparty_name: str = "",
    description_contains: str = "",
    building: Building | None = None,
    activity: Activity | None = None,
    fund: Fund | None = None,
) -> BookingRule:
    iban = "".join(counterparty_iban.split()).upper()
    name = counterparty_name.strip()
    words = description_contains.strip()
    if not (iban or name or words):
        raise ValidationError(
            _("A rule needs a counterparty IBAN, a counterparty name or words in the description.")
        )
    if account.organisation_id != organisation.pk or not account.is_active:
        raise ValidationError({"account": [ValidationError(_("Choose an account in use."))]})
    for field, value in (("building", building), ("activity", activity), ("fund", fund)):
        if value is not None and value.organisation_id != organisation.pk:
            raise ValidationError({field: [ValidationError(_("Unknown choice."))]})
    rule = BookingRule.objects.create(
        organisation=organisation,
        counterparty_iban=iban,
        counterparty_name=name[:140],
        description_contains=words[:140],
        account=account,
        building=building,
        activity=activity,
        fund=fund,
    )
    audit_record(
        action="booking_rule.create",
        actor=actor,
        organisation=organisation,
        obj=rule,
        data={"rule": str(rule), "account": account.number},
    )
    return rule


def _postable_days(organisation: Organisation) -> Callable[[date], bool]:
    years = [y for y in FiscalYear.objects.filter(organisation=organisation) if not y.is_closed]
    locked = {
        (lock.fiscal_year_id, lock.month_start)
        for lock in PeriodLock.objects.filter(fiscal_year__organisation=organisation)
    }
    known: dict[date, bool] = {}  # a statement has a few hundred days, and many lines each

    def postable(day: date) -> bool:
        answer = known.get(day)
        if answer is None:
            year = next((y for y in years if y.contains(day)), None)
            answer = known[day] = year is not None and (year.pk, day.replace(day=1)) not in locked
        return answer

    return postable


def rule_finder(rules: Sequence[BookingRule]) -> Callable[[BankLine], BookingRule | None]:
    """A function that gives the rule that books a line: the first (by id) that fits it.

    The same answer as trying `BookingRule.fits` on every rule in id order, but fast
    for a statement of 100,000 lines: rules on an IBAN are looked up by it, and which
    rules fit a counterparty's IBAN and name is worked out once per counterparty. Only
    rules with description words are then tried on each line's description.
    """
    ordered = sorted(rules, key=lambda rule: rule.pk)
    by_iban: dict[str, list[BookingRule]] = {}
    without_iban: list[BookingRule] = []
    for rule in ordered:
        if rule.counterparty_iban:
            by_iban.setdefault(rule.counterparty_iban, []).append(rule)
        else:
            without_iban.append(rule)
    names = {rule.pk: rule.counterparty_name.lower() for rule in ordered}
    words = {rule.pk: rule.description_contains.lower() for rule in ordered}
    per_party: dict[tuple[str, str], list[BookingRule]] = {}

    def candidates(iban: str, name: str) -> list[BookingRule]:
        """The rules whose IBAN and name fit, in id order, up to the first without words."""
        found: list[BookingRule] = []
        for rule in sorted((*by_iban.get(iban, ()), *without_iban), key=lambda r: r.pk):
            if names[rule.pk] and names[rule.pk] not in name:
                continue
            found.append(rule)
            if not words[rule.pk]:
                break  # fits every line of this counterparty: later rules never win
        return found

    def find(line: BankLine) -> BookingRule | None:
        party = (line.counterparty_iban.upper(), line.counterparty_name.lower())
        found = per_party.get(party)
        if found is None:
            found = per_party[party] = candidates(*party)
        if not found:
            return None
        if not words[found[0].pk]:
            return found[0]
        description = line.description.lower()
        return next(
            (rule for rule in found if not words[rule.pk] or words[rule.pk] in description), None
        )

    return find


def bank_lines_book_by_rules(
    *, organisation: Organisation, lines: Sequence[BankLine], actor: User | None
) -> int:
    """Book the lines that fit an active rule, all posted in one batch; return how many.

    The lines may be stored ones (marked booked in the database) or ones not stored
    yet (marked booked on the objects, for the caller to store as they are: the
    import). Lines outside an open fiscal year or in a closed month stay open for
    the treasurer.
    Runs inside the caller's transaction; when posting the batch fails, nothing of it
    stays and every line stays open.
    """
    rules = list(
        BookingRule.objects.for_organisation(organisation)
        .filter(is_active=True)
        .select_related("account", "building", "activity", "fund")
    )
    if not rules or not lines:
        return 0
    postable = _postable_days(organisation)
    find = rule_finder(rules)
    chosen: list[tuple[BankLine, BookingRule]] = []
    for line in lines:
        if line.status != BankLine.Status.UNMATCHED or not postable(line.booking_date):
            continue
        fitting = find(line)
        if fitting is not None and fitting.account_id != line.bank_account.ledger_account_id:
            chosen.append((line, fitting))
    if not chosen:
        return 0
    journal = _bank_journal(organisation)
    try:
        with transaction.atomic():
            entry_ids = journal_entries_create_posted(
                organisation=organisation,
                entries=[
                    _entry_input(
                        journal,
                        line,
                        [
                            Split(
                                rule.account,
                                abs(line.amount_cents),
                                building=rule.building,
                                activity=rule.activity,
                                fund=rule.fund,
                            )
                        ],
                    )
                    for line, rule in chosen
                ],
                actor=actor,
            )
            booked = [
                (line, entry_id, rule, "rule")
                for (line, rule), entry_id in zip(chosen, entry_ids, strict=True)
            ]
            # Lines not stored yet (the import books before it stores) go in booked.
            _mark_booked([row for row in booked if row[0].pk is not None])
            _mark_unsaved_booked([row for row in booked if row[0].pk is None])
    except ValidationError:
        for line, _rule in chosen:
            line.status = BankLine.Status.UNMATCHED
            line.journal_entry = None
            line.rule = None
            line.matched_by = ""
        return 0
    audit_record(
        action="bank_line.book_by_rules",
        actor=actor,
        organisation=organisation,
        data={"count": len(chosen)},
    )
    return len(chosen)


@transaction.atomic
def bank_lines_book_bulk(
    *,
    organisation: Organisation,
    line_ids: Sequence[int],
    account: Account,
    actor: User | None,
) -> int:
    """Book several open bank lines to one account, posted as one batch; all or nothing."""
    lines = list(
        BankLine.objects.for_organisation(organisation)
        .select_for_update(of=("self",))
        .filter(pk__in=list(line_ids))
        .select_related("bank_account__ledger_account")
        .order_by("booking_date", "pk")
    )
    if not lines or len(lines) != len(set(line_ids)):
        raise ValidationError({"lines": [ValidationError(_("Choose one or more bank lines."))]})
    if any(line.status != BankLine.Status.UNMATCHED for line in lines):
        raise ValidationError(
            {"lines": [ValidationError(_("One of the chosen lines is already booked."))]}
        )
    for line in lines:
        _validate_splits(organisation, line, [Split(account, abs(line.amount_cents))])
    journal = _bank_journal(organisation)
    entry_ids = journal_entries_create_posted(
        organisation=organisation,
        entries=[
            _entry_input(journal, line, [Split(account, abs(line.amount_cents))]) for line in lines
        ],
        actor=actor,
    )
    _mark_booked(
        [(line, entry_id, None, "manual") for line, entry_id in zip(lines, entry_ids, strict=True)]
    )
    audit_record(
        action="bank_line.book_bulk",
        actor=actor,
        organisation=organisation,
        data={"count": len(lines), "account": account.number},
    )
    return len(lines)


@transaction.atomic
def bank_line_match(*, line: BankLine, match: str, actor: User | None) -> BankLine:
    """Book a bank line as the payment of an open item of another app, chosen by hand.

    `match` is a `MatchOption.value` ("invoice:12", "claim:5"); the item's own payment
    service posts the entry, so the invoice or claim and the books follow together.
    """
    from .matching import MATCH_SOURCES

    line = (
        BankLine.objects.select_for_update(of=("self",))
        .select_related("bank_account__ledger_account", "organisation")
        .get(pk=line.pk)
    )
    if line.status != BankLine.Status.UNMATCHED:
        raise ValidationError(_("This bank line is already booked."))
    name, _sep, item = match.partition(":")
    source = MATCH_SOURCES.get(name)
    if source is None or not item.isdigit():
        raise ValidationError({"match": [ValidationError(_("Choose what this line pays."))]})
    entry = source.book(line, int(item), actor)
    line.status = BankLine.Status.BOOKED
    line.journal_entry = entry
    line.matched_by = name
    line.save(update_fields=["status", "journal_entry", "matched_by"])
    audit_record(
        action="bank_line.match",
        actor=actor,
        organisation=line.organisation,
        obj=line,
        data={"amount": format_cents(line.amount_cents), "match": match},
    )
    return line
