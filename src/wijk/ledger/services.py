"""Every change to the books goes through these services.

Writes are keyword-only, atomic and audited. Posting is the one way an entry enters
the books: it checks the entry, gives it the next number of its journal and fiscal
year, links it into the organisation's hash chain and marks it posted, all in one
transaction. The database triggers (see `triggers.py`) refuse any later change.
"""

from __future__ import annotations

import calendar
import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from wijk.accounts.models import User
from wijk.activities.models import Activity
from wijk.core.bulk import insert_rows, update_rows
from wijk.core.models import AuditEvent, audit_record
from wijk.organisations.models import Organisation
from wijk.premises.models import Building

from .hashing import chain_hash, entry_payload
from .models import (
    CATEGORIES_BY_TYPE,
    Account,
    BudgetLine,
    FiscalYear,
    Fund,
    Journal,
    JournalEntry,
    JournalLine,
    JournalSequence,
    LedgerChain,
    PeriodLock,
    ReportingCategory,
)
from .money import format_cents
from .rollups import PostedLine, add_to_month_balances

# Rows per INSERT when many drafts are created at once.
CREATE_BATCH = 1000

CHART_TEMPLATE = Path(__file__).resolve().parent / "data" / "chart_of_accounts.csv"

DEFAULT_JOURNALS = (
    ("BNK", Journal.Kind.BANK),
    ("KAS", Journal.Kind.CASH),
    ("VRK", Journal.Kind.SALES),
    ("INK", Journal.Kind.PURCHASES),
    ("MEM", Journal.Kind.GENERAL),
)


@dataclass(frozen=True)
class LineInput:
    """One line of an entry as a service receives it. Amounts in cents."""

    account: Account
    debit_cents: int = 0
    credit_cents: int = 0
    description: str = ""
    fund: Fund | None = None
    building: Building | None = None
    activity: Activity | None = None


# --- chart of accounts and journals ------------------------------------------------


def _template_rows() -> list[dict[str, str]]:
    with CHART_TEMPLATE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@transaction.atomic
def ledger_setup(*, organisation: Organisation, actor: User | None) -> None:
    """Install the chart-of-accounts template and the five journals (idempotent)."""
    existing = set(
        Account.objects.filter(organisation=organisation).values_list("number", flat=True)
    )
    new = [
        Account(
            organisation=organisation,
            number=row["number"],
            rgs_code=row["rgs_code"],
            rgs_reference=row["rgs_reference"],
            name_nl=row["name_nl"],
            name_en=row["name_en"],
            type=row["type"],
            category=row["category"],
        )
        for row in _template_rows()
        if row["number"] not in existing
    ]
    Account.objects.bulk_create(new)
    ledger_setup_journals(organisation=organisation)
    if new:
        audit_record(
            action="ledger.setup",
            actor=actor,
            organisation=organisation,
            data={"accounts": len(new)},
        )


@transaction.atomic
def ledger_setup_journals(*, organisation: Organisation) -> None:
    """The five standard journals and the empty hash chain (idempotent)."""
    names = dict(Journal.Kind.choices)
    for code, kind in DEFAULT_JOURNALS:
        Journal.objects.get_or_create(
            organisation=organisation, code=code, defaults={"kind": kind, "name": str(names[kind])}
        )
    LedgerChain.objects.get_or_create(organisation=organisation)


@transaction.atomic
def account_create(
    *,
    organisation: Organisation,
    number: str,
    name_nl: str,
    name_en: str,
    type: str,
    category: str,
    rgs_code: str = "",
    rgs_reference: str = "",
    actor: User | None,
) -> Account:
    """Add an account within the template's structure: a valid type and matching category."""
    errors: dict[str, list[ValidationError]] = {}
    number = number.strip()
    if not number.isdigit() or not 3 <= len(number) <= 6:
        errors["number"] = [ValidationError(_("An account number has 3 to 6 digits."))]
    elif Account.objects.filter(organisation=organisation, number=number).exists():
        errors["number"] = [
            ValidationError(_("Account %(number)s already exists.") % {"number": number})
        ]
    if type not in CATEGORIES_BY_TYPE:
        errors["type"] = [ValidationError(_("Choose one of the listed types."))]
    elif category not in CATEGORIES_BY_TYPE[type]:
        errors["category"] = [
            ValidationError(_("This reporting category does not fit the account type."))
        ]
    if not name_nl.strip():
        errors["name_nl"] = [ValidationError(_("Give the account a name."))]
    if errors:
        raise ValidationError(errors)
    account = Account.objects.create(
        organisation=organisation,
        number=number,
        name_nl=name_nl.strip(),
        name_en=name_en.strip() or name_nl.strip(),
        type=type,
        category=category,
        rgs_code=rgs_code,
        rgs_reference=rgs_reference,
    )
    audit_record(
        action="account.create",
        actor=actor,
        organisation=organisation,
        obj=account,
        data={"number": number},
    )
    return account


# --- fiscal years and periods ----------------------------------------------------------


def _add_year(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


FUND_CATEGORY: dict[str, str] = {
    Fund.Kind.RESTRICTED_FUND: "restricted_funds",
    Fund.Kind.DESIGNATED_RESERVE: "designated_reserves",
}


@transaction.atomic
def fund_create(
    *,
    organisation: Organisation,
    name: str,
    kind: str,
    account: Account,
    purpose: str = "",
    actor: User | None,
) -> Fund:
    """A restricted fund (bound by a funder) or a designated reserve (set aside by the board)."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": [ValidationError(_("Give the fund a name."))]})
    if len(name) > 120:
        raise ValidationError({"name": [ValidationError(_("Use at most 120 characters."))]})
    if Fund.objects.filter(organisation=organisation, name__iexact=name).exists():
        raise ValidationError(
            {"name": [ValidationError(_("%(name)s already exists.") % {"name": name})]}
        )
    if kind not in FUND_CATEGORY:
        raise ValidationError({"kind": [ValidationError(_("Choose the kind of fund."))]})
    if account.organisation_id != organisation.pk or account.category != FUND_CATEGORY[kind]:
        raise ValidationError(
            {
                "account": [
                    ValidationError(
                        _(
                            "Choose a reserves account of the category %(category)s for this "
                            "kind of fund."
                        )
                        % {"category": ReportingCategory(FUND_CATEGORY[kind]).label}
                    )
                ]
            }
        )
    fund = Fund.objects.create(
        organisation=organisation, name=name, kind=kind, account=account, purpose=purpose.strip()
    )
    audit_record(
        action="fund.create", actor=actor, organisation=organisation, obj=fund, data={"name": name}
    )
    return fund


@transaction.atomic
def fiscal_year_create(*, organisation: Organisation, year: int, actor: User | None) -> FiscalYear:
    """Open the fiscal year that starts in `year` in the organisation's first month."""
    start = date(year, organisation.fiscal_year_start_month, 1)
    end = _add_year(start) - timedelta(days=1)
    if FiscalYear.objects.filter(organisation=organisation, start_date=start).exists():
        raise ValidationError(_("The fiscal year %(year)s already exists.") % {"year": year})
    overlap = FiscalYear.objects.filter(
        organisation=organisation, start_date__lte=end, end_date__gte=start
    ).exists()
    if overlap:
        raise ValidationError(_("This fiscal year would overlap with an existing one."))
    fiscal_year = FiscalYear.objects.create(
        organisation=organisation, start_date=start, end_date=end
    )
    audit_record(
        action="fiscal_year.create",
        actor=actor,
        organisation=organisation,
        obj=fiscal_year,
        data={"year": str(fiscal_year)},
    )
    return fiscal_year


def fiscal_year_for(*, organisation: Organisation, day: date) -> FiscalYear | None:
    result: FiscalYear | None = FiscalYear.objects.filter(
        organisation=organisation, start_date__lte=day, end_date__gte=day
    ).first()
    return result


@transaction.atomic
def period_close(*, fiscal_year: FiscalYear, month_start: date, actor: User) -> PeriodLock:
    """Close one month (soft lock). Postings into it then need a logged reason."""
    month_start = month_start.replace(day=1)
    if not fiscal_year.contains(month_start):
        raise ValidationError(_("This month is not in the fiscal year."))
    lock, created = PeriodLock.objects.get_or_create(
        fiscal_year=fiscal_year, month_start=month_start, defaults={"closed_by": actor}
    )
    if created:
        audit_record(
            action="period.close",
            actor=actor,
            organisation=fiscal_year.organisation,
            obj=lock,
            data={"month": month_start.strftime("%Y-%m")},
        )
    return lock


# --- entries ---------------------------------------------------------------------------


def _validate_lines(organisation: Organisation, lines: list[LineInput]) -> None:
    errors: list[ValidationError] = []
    if len(lines) < 2:
        errors.append(ValidationError(_("An entry needs at least two lines.")))
    for index, line in enumerate(lines, start=1):
        where = {"line": index}
        if line.account.organisation_id != organisation.pk:
            errors.append(ValidationError(_("Line %(line)s: unknown account.") % where))
        elif not line.account.is_active:
            errors.append(
                ValidationError(_("Line %(line)s: this account is no longer in use.") % where)
            )
        if line.fund is not None and line.fund.organisation_id != organisation.pk:
            errors.append(ValidationError(_("Line %(line)s: unknown fund.") % where))
        if line.building is not None and line.building.organisation_id != organisation.pk:
            errors.append(ValidationError(_("Line %(line)s: unknown building.") % where))
        if line.activity is not None and line.activity.organisation_id != organisation.pk:
            errors.append(ValidationError(_("Line %(line)s: unknown activity.") % where))
        if line.debit_cents < 0 or line.credit_cents < 0:
            errors.append(ValidationError(_("Line %(line)s: amounts cannot be negative.") % where))
        elif (line.debit_cents > 0) == (line.credit_cents > 0):
            errors.append(
                ValidationError(
                    _("Line %(line)s: fill in either a debit or a credit amount.") % where
                )
            )
    debit = sum(line.debit_cents for line in lines)
    credit = sum(line.credit_cents for line in lines)
    if debit != credit:
        errors.append(
            ValidationError(
                _(
                    "The entry does not balance: debit %(debit)s, credit %(credit)s, "
                    "difference %(difference)s. Correct the amounts so both sides are equal."
                )
                % {
                    "debit": format_cents(debit),
                    "credit": format_cents(credit),
                    "difference": format_cents(debit - credit),
                }
            )
        )
    if errors:
        raise ValidationError(errors)


def _validate_entry(
    organisation: Organisation,
    journal: Journal,
    description: str,
    reference: str,
    lines: list[LineInput],
    counterparty: str = "",
) -> None:
    if journal.organisation_id != organisation.pk:
        raise ValidationError({"journal": [ValidationError(_("Unknown journal."))]})
    if not description.strip():
        raise ValidationError({"description": [ValidationError(_("Describe the entry."))]})
    for field, value, limit in (
        ("description", description, 255),
        ("reference", reference, 80),
        ("counterparty", counterparty, 140),
    ):
        if len(value.strip()) > limit:
            raise ValidationError(
                {
                    field: [
                        ValidationError(_("Use at most %(limit)s characters.") % {"limit": limit})
                    ]
                }
            )
    _validate_lines(organisation, lines)


def _new_lines(
    organisation: Organisation, entry: JournalEntry, lines: list[LineInput]
) -> list[JournalLine]:
    return [
        JournalLine(
            organisation=organisation,
            entry=entry,
            account=line.account,
            debit_cents=line.debit_cents,
            credit_cents=line.credit_cents,
            description=line.description,
            fund=line.fund,
            building=line.building,
            activity=line.activity,
        )
        for line in lines
    ]


@transaction.atomic
def journal_entry_create(
    *,
    organisation: Organisation,
    journal: Journal,
    date: date,
    description: str,
    lines: list[LineInput],
    actor: User | None,
    reference: str = "",
    reversal_of: JournalEntry | None = None,
    is_closing: bool = False,
    counterparty: str = "",
) -> JournalEntry:
    """Create a draft entry. Drafts may be unbalanced only in the lines' totals check at posting."""
    _validate_entry(organisation, journal, description, reference, lines, counterparty)
    entry = JournalEntry.objects.create(
        organisation=organisation,
        journal=journal,
        date=date,
        description=description.strip(),
        reference=reference.strip(),
        counterparty=counterparty.strip(),
        created_by=actor,
        reversal_of=reversal_of,
        is_closing=is_closing,
    )
    JournalLine.objects.bulk_create(_new_lines(organisation, entry, lines))
    audit_record(action="entry.create", actor=actor, organisation=organisation, obj=entry)
    return entry


@dataclass(frozen=True)
class EntryInput:
    """One draft entry as `journal_entries_create` receives it."""

    journal: Journal
    date: date
    description: str
    lines: list[LineInput]
    reference: str = ""
    counterparty: str = ""


def _insert_drafts(
    organisation: Organisation,
    entries: list[EntryInput],
    actor: User | None,
    *,
    audit: bool = True,
) -> tuple[list[int], list[tuple[Any, ...]], list[str]]:
    """Check and write many drafts with their lines and audit events; ids, rows, columns.

    The same checks as `journal_entry_create`; every error (up to 20) names the entry
    by its place in the list, date and description, and then nothing is written.
    """
    errors: list[ValidationError] = []
    for index, item in enumerate(entries, start=1):
        try:
            _validate_entry(
                organisation,
                item.journal,
                item.description,
                item.reference,
                item.lines,
                item.counterparty,
            )
        except ValidationError as exc:
            where = _("Entry %(index)s (%(date)s, %(description)s)") % {
                "index": index,
                "date": item.date.strftime("%d-%m-%Y"),
                "description": item.description.strip()[:60],
            }
            errors.extend(ValidationError(f"{where}: {message}") for message in exc.messages)
            if len(errors) >= 20:  # enough to fix a file by; the rest follows next time
                break
    if errors:
        raise ValidationError(errors)
    # Written as rows (`insert_rows`), not model objects through `bulk_create`: a bank
    # statement's rules create tens of thousands of drafts at once, and the ORM's
    # per-object and per-value work took longer than the database.
    template = JournalEntry(organisation=organisation, created_by=actor)  # the defaults
    names = [f.attname for f in JournalEntry._meta.concrete_fields if not f.primary_key]
    base = [getattr(template, name) for name in names]
    at = {name: index for index, name in enumerate(names)}
    places = [at[name] for name in ("journal_id", "date", "description", "reference")]
    counterparty_at = at["counterparty"]
    rows = []
    for item in entries:
        row = base.copy()
        for place, value in zip(
            places,
            (item.journal.pk, item.date, item.description.strip(), item.reference.strip()),
            strict=True,
        ):
            row[place] = value
        row[counterparty_at] = item.counterparty.strip()
        rows.append(tuple(row))
    ids = insert_rows(JournalEntry, names, rows)
    insert_rows(
        JournalLine,
        [
            "organisation_id",
            "entry_id",
            "account_id",
            "debit_cents",
            "credit_cents",
            "description",
            "fund_id",
            "building_id",
            "activity_id",
        ],
        (
            (
                organisation.pk,
                pk,
                line.account.pk,
                line.debit_cents,
                line.credit_cents,
                line.description,
                line.fund.pk if line.fund is not None else None,
                line.building.pk if line.building is not None else None,
                line.activity.pk if line.activity is not None else None,
            )
            for pk, item in zip(ids, entries, strict=True)
            for line in item.lines
        ),
    )
    if audit:
        _audit_entries(
            organisation, actor, "entry.create", ((pk, {}) for pk in ids), timezone.now()
        )
    return ids, rows, names


def _audit_entries(
    organisation: Organisation,
    actor: User | None,
    action: str,
    events: Iterable[tuple[int, dict[str, Any]]],
    when: datetime,
) -> None:
    """One audit event per entry (id, data), written as rows in a few statements."""
    audit_actor = actor if getattr(actor, "is_authenticated", False) else None
    actor_id = audit_actor.pk if audit_actor is not None else None
    label = JournalEntry._meta.label_lower
    insert_rows(
        AuditEvent,
        ["organisation_id", "actor_id", "action", "object_type", "object_id", "data", "created_at"],
        ((organisation.pk, actor_id, action, label, str(pk), data, when) for pk, data in events),
    )


@transaction.atomic
def journal_entries_create(
    *, organisation: Organisation, entries: list[EntryInput], actor: User | None
) -> list[JournalEntry]:
    """Create many drafts at once (an import), all or nothing.

    The same checks as `journal_entry_create`; every error (up to 20) names the entry by
    its place in the list, date and description, and then nothing is written. The entries,
    their lines and their audit events are each written in one go.
    """
    ids, rows, names = _insert_drafts(organisation, entries, actor)
    return [
        JournalEntry.from_db(connection.alias, ["id", *names], (pk, *row))
        for pk, row in zip(ids, rows, strict=True)
    ]


@transaction.atomic
def journal_entries_create_posted(
    *, organisation: Organisation, entries: list[EntryInput], actor: User | None
) -> list[int]:
    """Enter and post many new entries in one go (a bank statement's rules); their ids.

    Exactly `journal_entries_create` followed by `journal_entries_post` on its drafts
    (the same checks, numbers, hash chain, rollups and audit events, all or nothing),
    without reading back what was just written: the drafts exist only inside this
    transaction, so their content is known, and no one else can have changed them.
    The database triggers still check every entry as it becomes posted.
    """
    if not entries:
        return []
    # One audit event per entry, "entry.post" marked `entered`: entering and posting
    # are one act here, by one actor at one moment (a bank statement's 25,000 rule
    # bookings would otherwise write 50,000 events).
    ids, _rows, _names = _insert_drafts(organisation, entries, actor, audit=False)
    _post_in_order(
        organisation=organisation,
        postings=[
            _Posting(
                pk=pk,
                journal_id=item.journal.pk,
                journal_code=item.journal.code,
                date=item.date,
                description=item.description.strip(),
                reference=item.reference.strip(),
                counterparty=item.counterparty.strip(),
                reversal_of_id=None,
                is_closing=False,
                lines=item.lines,
            )
            for pk, item in zip(ids, entries, strict=True)
        ],
        actor=actor,
        override_reason="",
        entered=True,
    )
    return ids


@transaction.atomic
def journal_entry_delete_draft(*, entry: JournalEntry, actor: User) -> None:
    entry = JournalEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.is_posted:
        raise ValidationError(_("A posted entry cannot be deleted. Reverse it instead."))
    audit_record(
        action="entry.delete_draft", actor=actor, organisation=entry.organisation, obj=entry
    )
    entry.delete()


@transaction.atomic
def journal_entry_post(
    *, entry: JournalEntry, actor: User | None, override_reason: str = ""
) -> JournalEntry:
    """Post a draft: check, number, chain and lock it. The one way into the books."""
    return journal_entries_post(entries=[entry], actor=actor, override_reason=override_reason)[0]


def _date_error(message: str) -> ValidationError:
    return ValidationError({"date": [ValidationError(message)]})


@dataclass(slots=True)
class _Posting:
    """An entry on its way into the books: what the checks and the hash read, and the
    numbers that posting gives it."""

    pk: int
    journal_id: int
    journal_code: str
    date: date
    description: str
    reference: str
    counterparty: str
    reversal_of_id: int | None
    is_closing: bool
    lines: list[LineInput]
    already_posted: bool = False
    fiscal_year: FiscalYear | None = None
    number: int = 0
    chain_index: int = 0
    previous_hash: str = ""
    entry_hash: str = ""


@transaction.atomic
def journal_entries_post(
    *, entries: list[JournalEntry], actor: User | None, override_reason: str = ""
) -> list[JournalEntry]:
    """Post several drafts of one organisation in order, all or nothing.

    The same checks, numbering and hash chain as posting one by one, with the locks
    and look-ups done once for the whole batch (a bank statement posts hundreds).
    """
    if not entries:
        return []
    # Lock the entries' rows only: with select_related, a plain select_for_update()
    # would also lock the journal and organisation rows FOR UPDATE, which on
    # PostgreSQL conflicts with the key-share locks that every insert referencing them
    # takes (drafts, lines, audit events) and deadlocks posting against entering drafts.
    wanted = [e.pk for e in entries]
    locked = {
        e.pk: e
        for e in JournalEntry.objects.select_for_update(of=("self",))
        .select_related("journal", "organisation")
        .filter(pk__in=wanted)
    }
    ordered = [locked[pk] for pk in wanted if pk in locked]
    if len(ordered) != len(set(wanted)):
        raise ValidationError(_("An entry to post no longer exists."))
    organisation = ordered[0].organisation
    if any(e.organisation_id != organisation.pk for e in ordered):
        raise ValidationError(_("Entries of different organisations cannot be posted together."))
    # The lines as plain rows, with their accounts and funds read once for the batch.
    rows = list(
        JournalLine.objects.filter(entry_id__in=wanted)
        .order_by("id")
        .values_list(
            "entry_id",
            "account_id",
            "debit_cents",
            "credit_cents",
            "description",
            "fund_id",
            "building_id",
            "activity_id",
        )
    )
    accounts = {a.pk: a for a in Account.objects.filter(pk__in={row[1] for row in rows})}
    funds = {f.pk: f for f in Fund.objects.filter(pk__in={row[5] for row in rows} - {None})}
    buildings = {b.pk: b for b in Building.objects.filter(pk__in={row[6] for row in rows} - {None})}
    activities = {
        a.pk: a for a in Activity.objects.filter(pk__in={row[7] for row in rows} - {None})
    }
    lines_by_entry: dict[int, list[LineInput]] = {}
    for entry_id, account_id, debit, credit, text, fund_id, building_id, activity_id in rows:
        lines_by_entry.setdefault(entry_id, []).append(
            LineInput(
                accounts[account_id],
                debit,
                credit,
                text,
                funds.get(fund_id),
                buildings.get(building_id),
                activities.get(activity_id),
            )
        )
    override_reason = override_reason.strip()
    postings = [
        _Posting(
            pk=entry.pk,
            journal_id=entry.journal_id,
            journal_code=entry.journal.code,
            date=entry.date,
            description=entry.description,
            reference=entry.reference,
            counterparty=entry.counterparty,
            reversal_of_id=entry.reversal_of_id,
            is_closing=entry.is_closing,
            lines=lines_by_entry.get(entry.pk, []),
            already_posted=entry.is_posted,
        )
        for entry in ordered
    ]
    posted_at = _post_in_order(
        organisation=organisation, postings=postings, actor=actor, override_reason=override_reason
    )
    for entry, posting in zip(ordered, postings, strict=True):
        entry.status = JournalEntry.Status.POSTED
        entry.fiscal_year = posting.fiscal_year
        entry.number = posting.number
        entry.chain_index = posting.chain_index
        entry.previous_hash = posting.previous_hash
        entry.entry_hash = posting.entry_hash
        entry.posted_at = posted_at
        entry.posted_by = actor
        entry.override_reason = override_reason
    return ordered


def _post_in_order(
    *,
    organisation: Organisation,
    postings: list[_Posting],
    actor: User | None,
    override_reason: str,
    entered: bool = False,
) -> datetime:
    """Check, number, chain and post drafts of one organisation, in order; the posting time.

    The one place where entries become posted: `journal_entries_post` gives it drafts
    read (and locked) from the database, `journal_entries_create_posted` the drafts it
    has just written. Call inside a transaction.
    """
    years = list(FiscalYear.objects.filter(organisation=organisation))
    locked_months = {
        (lock.fiscal_year_id, lock.month_start)
        for lock in PeriodLock.objects.filter(fiscal_year__organisation=organisation)
    }
    # Most batches have a few hundred distinct days: each day's year and lock once.
    by_day: dict[date, FiscalYear | ValidationError] = {}

    def year_of(day: date) -> FiscalYear:
        found = by_day.get(day)
        if found is None:
            found = by_day[day] = _year_or_error(day, years, locked_months, override_reason)
        if isinstance(found, ValidationError):
            raise found
        return found

    def check(posting: _Posting) -> FiscalYear:
        if posting.already_posted:
            raise ValidationError(_("This entry is already posted."))
        _validate_lines(organisation, posting.lines)
        return year_of(posting.date)

    years_in_order: list[FiscalYear] = []
    for posting in postings:
        try:
            posting.fiscal_year = year = check(posting)
            years_in_order.append(year)
        except ValidationError as exc:
            if len(postings) == 1:
                raise
            where = f"{posting.description} ({posting.date.strftime('%d-%m-%Y')})"
            raise ValidationError(
                [ValidationError(f"{where}: {message}") for message in exc.messages]
            ) from exc
    # Lock the chain head: posts of one organisation queue up here, so the numbering
    # and the hash chain stay gap-free under concurrency.
    LedgerChain.objects.get_or_create(organisation=organisation)
    chain = LedgerChain.objects.select_for_update().get(organisation=organisation)
    sequences: dict[tuple[int, int], JournalSequence] = {}
    for posting, year in zip(postings, years_in_order, strict=True):
        key = (posting.journal_id, year.pk)
        if key not in sequences:
            JournalSequence.objects.get_or_create(journal_id=key[0], fiscal_year_id=key[1])
            sequences[key] = JournalSequence.objects.select_for_update().get(
                journal_id=key[0], fiscal_year_id=key[1]
            )
    posted_at = timezone.now()
    head_hash, length = chain.head_hash, chain.length
    numbers = {key: sequence.last_number for key, sequence in sequences.items()}
    for posting, year in zip(postings, years_in_order, strict=True):
        key = (posting.journal_id, year.pk)
        numbers[key] += 1
        length += 1
        payload = entry_payload(
            organisation_id=organisation.pk,
            chain_index=length,
            journal_code=posting.journal_code,
            fiscal_year_start=year.start_date,
            number=numbers[key],
            entry_date=posting.date,
            description=posting.description,
            reference=posting.reference,
            posted_at=posted_at,
            reversal_of_id=posting.reversal_of_id,
            is_closing=posting.is_closing,
            counterparty=posting.counterparty,
            lines=[
                (
                    ln.account.number,
                    ln.debit_cents,
                    ln.credit_cents,
                    ln.fund.pk if ln.fund is not None else None,
                    ln.description,
                    ln.building.pk if ln.building is not None else None,
                    ln.activity.pk if ln.activity is not None else None,
                )
                for ln in posting.lines
            ],
        )
        posting.number = numbers[key]
        posting.chain_index = length
        posting.previous_hash = head_hash
        head_hash = posting.entry_hash = chain_hash(previous_hash=head_hash, payload=payload)
    # Many rows in few statements (`update_rows`), without the ORM's per-query work.
    # The rows are drafts (locked and checked by
    # `journal_entries_post`, or just written); the WHERE clause and the database
    # triggers refuse an entry that is already posted, and the triggers refuse one
    # whose lines do not balance.
    actor_id = actor.pk if actor is not None else None
    updated = update_rows(
        JournalEntry,
        [
            "id",
            "status",
            "fiscal_year_id",
            "number",
            "chain_index",
            "previous_hash",
            "entry_hash",
            "posted_at",
            "posted_by_id",
            "override_reason",
        ],
        [
            (
                posting.pk,
                JournalEntry.Status.POSTED.value,
                year.pk,
                posting.number,
                posting.chain_index,
                posting.previous_hash,
                posting.entry_hash,
                posted_at,
                actor_id,
                override_reason,
            )
            for posting, year in zip(postings, years_in_order, strict=True)
        ],
        only={"status": JournalEntry.Status.DRAFT.value},
    )
    if updated != len(postings):
        raise ValidationError(_("An entry to post no longer exists."))
    for key, sequence in sequences.items():
        sequence.last_number = numbers[key]
        sequence.save(update_fields=["last_number"])
    chain.length, chain.head_hash = length, head_hash
    chain.save(update_fields=["length", "head_hash"])
    add_to_month_balances(
        organisation_id=organisation.pk,
        lines=(
            PostedLine(
                ln.account.pk, posting.date, ln.debit_cents, ln.credit_cents, posting.is_closing
            )
            for posting in postings
            for ln in posting.lines
        ),
    )

    def event(posting: _Posting) -> dict[str, Any]:
        data: dict[str, Any] = {
            "number": f"{posting.journal_code} {posting.fiscal_year} #{posting.number}"
        }
        if override_reason:
            data["override_reason"] = override_reason
        if entered:
            data["entered"] = True
        return data

    _audit_entries(
        organisation,
        actor,
        "entry.post",
        ((posting.pk, event(posting)) for posting in postings),
        posted_at,
    )
    return posted_at


def _year_or_error(
    day: date,
    years: list[FiscalYear],
    locked_months: set[tuple[int, date]],
    override_reason: str,
) -> FiscalYear | ValidationError:
    """The open fiscal year a posting on `day` goes into, or why it cannot be posted."""
    fiscal_year = next((y for y in years if y.contains(day)), None)
    if fiscal_year is None:
        return _date_error(
            _(
                "%(date)s is outside every fiscal year. Open the fiscal year first, or correct the date."
            )
            % {"date": day.strftime("%d-%m-%Y")}
        )
    if fiscal_year.is_closed:
        return _date_error(
            _("The fiscal year %(year)s is closed; nothing can be posted in it any more.")
            % {"year": fiscal_year}
        )
    if (fiscal_year.pk, day.replace(day=1)) in locked_months and not override_reason:
        return _date_error(
            _(
                "The month %(month)s is closed. Give a reason to post in it anyway; "
                "the reason is kept in the activity log."
            )
            % {"month": day.strftime("%m-%Y")}
        )
    return fiscal_year


@transaction.atomic
def journal_entry_reverse(
    *, entry: JournalEntry, actor: User | None, date: date | None = None, override_reason: str = ""
) -> JournalEntry:
    """Correct a posted entry: post its mirror image (debit and credit swapped)."""
    entry = JournalEntry.objects.select_for_update().get(pk=entry.pk)
    if not entry.is_posted:
        raise ValidationError(
            _("Only a posted entry can be reversed; a draft can simply be changed.")
        )
    if JournalEntry.objects.filter(reversal_of=entry).exists():
        raise ValidationError(_("This entry has already been reversed."))
    if entry.reversal_of_id is not None:
        raise ValidationError(_("This entry is itself a reversal; post a new entry instead."))
    lines = [
        LineInput(
            ln.account,
            ln.credit_cents,
            ln.debit_cents,
            ln.description,
            ln.fund,
            ln.building,
            ln.activity,
        )
        for ln in entry.lines.select_related("account", "fund", "building", "activity").order_by(
            "id"
        )
    ]
    description = _("Reversal of %(entry)s: %(description)s") % {
        "entry": f"{entry.journal.code} #{entry.number}",
        "description": entry.description,
    }
    # The original may use the column's full length; the prefix must not push it over.
    limit = JournalEntry._meta.get_field("description").max_length or 255
    if len(description) > limit:
        description = description[: limit - 1] + "…"
    reversal = journal_entry_create(
        organisation=entry.organisation,
        journal=entry.journal,
        date=date or entry.date,
        description=description,
        lines=lines,
        actor=actor,
        reference=entry.reference,
        counterparty=entry.counterparty,
        reversal_of=entry,
    )
    return journal_entry_post(entry=reversal, actor=actor, override_reason=override_reason)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


@transaction.atomic
def fiscal_year_close(*, fiscal_year: FiscalYear, actor: User | None) -> JournalEntry | None:
    """Close a year for good: post the closing entry, then lock the year (never reopened).

    The closing entry empties every income and expense account of the year. The
    result of lines that carry a fund goes to that fund's equity account; the rest
    goes to the general reserve. Returns the closing entry (None when the year had
    no income or expenses).
    """
    fiscal_year = FiscalYear.objects.select_for_update().get(pk=fiscal_year.pk)
    organisation = fiscal_year.organisation
    if fiscal_year.is_closed:
        raise ValidationError(
            _("The fiscal year %(year)s is already closed.") % {"year": fiscal_year}
        )
    earlier_open = FiscalYear.objects.filter(
        organisation=organisation, start_date__lt=fiscal_year.start_date, closed_at__isnull=True
    ).first()
    if earlier_open is not None:
        raise ValidationError(
            _("Close the fiscal year %(year)s first; years are closed in order.")
            % {"year": earlier_open}
        )
    if fiscal_year.end_date >= timezone.localdate():
        # Closing is for good: a year still running would lock out its last payments.
        raise ValidationError(
            _(
                "The fiscal year %(year)s runs until %(end)s. Close it after that day, "
                "when its last bank statement is in."
            )
            % {"year": fiscal_year, "end": formats.date_format(fiscal_year.end_date, "j F Y")}
        )
    drafts = JournalEntry.objects.filter(
        organisation=organisation,
        status=JournalEntry.Status.DRAFT,
        date__gte=fiscal_year.start_date,
        date__lte=fiscal_year.end_date,
    ).count()
    if drafts:
        raise ValidationError(
            _("There are %(count)s draft entries in this year. Post or delete them first.")
            % {"count": drafts}
        )
    reserve = (
        Account.objects.filter(
            organisation=organisation, category="general_reserve", is_active=True
        )
        .order_by("number")
        .first()
    )
    if reserve is None:
        raise ValidationError(_("There is no general reserve account to receive the result."))
    rows = (
        JournalLine.objects.filter(
            organisation=organisation,
            entry__status=JournalEntry.Status.POSTED,
            entry__date__gte=fiscal_year.start_date,
            entry__date__lte=fiscal_year.end_date,
            account__type__in=["income", "expense"],
        )
        .values("account", "fund")
        .annotate(debit=Sum("debit_cents"), credit=Sum("credit_cents"))
        .order_by("account", "fund")
    )
    accounts = {a.pk: a for a in Account.objects.filter(organisation=organisation)}
    funds = {f.pk: f for f in Fund.objects.filter(organisation=organisation)}
    lines: list[LineInput] = []
    to_equity: dict[int | None, int] = {}
    for row in rows:
        balance = (row["debit"] or 0) - (row["credit"] or 0)
        if balance == 0:
            continue
        fund = funds.get(row["fund"]) if row["fund"] else None
        account = accounts[row["account"]]
        # Empty the account: the opposite side of its balance.
        lines.append(
            LineInput(
                account, debit_cents=max(-balance, 0), credit_cents=max(balance, 0), fund=fund
            )
        )
        to_equity[row["fund"]] = to_equity.get(row["fund"], 0) + balance
    closing: JournalEntry | None = None
    for fund_id, balance in to_equity.items():
        if balance == 0:
            continue
        target = funds[fund_id].account if fund_id else reserve
        fund = funds[fund_id] if fund_id else None
        # A positive balance here is a loss (debits exceeded credits): it lowers equity.
        lines.append(
            LineInput(target, debit_cents=max(balance, 0), credit_cents=max(-balance, 0), fund=fund)
        )
    if lines:
        general = (
            Journal.objects.filter(organisation=organisation, kind=Journal.Kind.GENERAL)
            .order_by("code")
            .first()
        )
        if general is None:
            raise ValidationError(_("There is no general journal for the closing entry."))
        closing = journal_entry_create(
            organisation=organisation,
            journal=general,
            date=fiscal_year.end_date,
            description=_("Closing entry %(year)s: result to reserves and funds")
            % {"year": fiscal_year},
            lines=lines,
            actor=actor,
            is_closing=True,
        )
        closing = journal_entry_post(
            entry=closing, actor=actor, override_reason=_("Closing the fiscal year")
        )
    fiscal_year.closed_at = timezone.now()
    fiscal_year.closed_by = actor
    fiscal_year.save(update_fields=["closed_at", "closed_by"])
    audit_record(
        action="fiscal_year.close",
        actor=actor,
        organisation=organisation,
        obj=fiscal_year,
        data={"year": str(fiscal_year)},
    )
    return closing


def fiscal_year_months(fiscal_year: FiscalYear) -> list[date]:
    """The first day of every month in the fiscal year."""
    months = []
    day = fiscal_year.start_date.replace(day=1)
    while day <= fiscal_year.end_date:
        months.append(day)
        day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return months


@transaction.atomic
def budget_set_year(
    *,
    fiscal_year: FiscalYear,
    account: Account,
    annual_cents: int,
    actor: User | None,
    building: Building | None = None,
    activity: Activity | None = None,
) -> None:
    """Budget an income or expense account for the year, spread evenly over its months.

    Cents that do not divide evenly go to the last month, so the months add up exactly.
    With a building or an activity it is that one's own budget (at most one of them).
    """
    organisation = fiscal_year.organisation
    if building is not None and activity is not None:
        raise ValidationError(_("A budget is for a building or for an activity, not both."))
    for dimension in (building, activity):
        if dimension is not None and dimension.organisation_id != organisation.pk:
            raise ValidationError(_("Unknown building or activity."))
    if account.organisation_id != organisation.pk:
        raise ValidationError({"account": [ValidationError(_("Unknown account."))]})
    if account.type not in ("income", "expense"):
        raise ValidationError(
            {"account": [ValidationError(_("Only income and expense accounts have a budget."))]}
        )
    if annual_cents < 0:
        raise ValidationError({"amount": [ValidationError(_("A budget cannot be negative."))]})
    if fiscal_year.is_closed:
        raise ValidationError(_("The fiscal year %(year)s is closed.") % {"year": fiscal_year})
    months = fiscal_year_months(fiscal_year)
    share, rest = divmod(annual_cents, len(months))
    BudgetLine.objects.filter(
        fiscal_year=fiscal_year, account=account, building=building, activity=activity
    ).delete()
    BudgetLine.objects.bulk_create(
        [
            BudgetLine(
                organisation=organisation,
                fiscal_year=fiscal_year,
                account=account,
                month_start=month,
                amount_cents=share + (rest if index == len(months) - 1 else 0),
                building=building,
                activity=activity,
            )
            for index, month in enumerate(months)
            if annual_cents
        ]
    )
    audit_record(
        action="budget.set_for" if building or activity else "budget.set",
        actor=actor,
        organisation=organisation,
        obj=account,
        data={
            "account": account.number,
            "year": str(fiscal_year),
            "amount": format_cents(annual_cents),
            **({"for": str(building or activity)} if building or activity else {}),
        },
    )
