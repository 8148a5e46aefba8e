"""The register of member shares (ledencertificaten) of a cooperative.

A cooperative's members may put money into it by taking shares: each share has a
nominal value (say € 50), and the money is member capital, owed back to the member
when the share is redeemed. The register says who holds how many shares and how that
came about: every issue, transfer and redemption is a `ShareMovement` row that is
never changed (the database refuses it); a mistake is undone by a correction row.

Money moves only on issue and redemption, and reaches the books through the ledger's
posting service: an issue is bank (or cash) against member capital (account 0750,
RGS BLasOlsOsl), a redemption the other way round; a correction reverses the entry
of the line it corrects. A transfer between members changes no money of the
cooperative, so it is not booked.

One nominal value holds for the whole register: the value of the first issue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, ngettext_lazy

from wijk.accounts.models import User
from wijk.core.models import audit_record
from wijk.expenses.services import payment_accounts, payment_journal
from wijk.ledger import services as ledger
from wijk.ledger.language import books_text
from wijk.ledger.models import Account, AccountType, JournalEntry
from wijk.ledger.money import format_cents
from wijk.organisations.models import Organisation

from .models import Person, ShareMovement

# The member capital account of the chart template: number, then RGS code.
MEMBER_CAPITAL = ("0750", "BLasOlsOsl")


@dataclass(frozen=True)
class Holding:
    person: Person
    count: int
    value_cents: int


def nominal_value_cents(*, organisation: Organisation) -> int | None:
    first = (
        ShareMovement.objects.for_organisation(organisation)
        .filter(kind=ShareMovement.Kind.ISSUE)
        .order_by("date", "pk")
        .first()
    )
    return first.nominal_value_cents if first else None


def shares_held(*, person: Person) -> int:
    """Shares moved to the person minus shares moved away from them, summed in SQL."""
    rows = ShareMovement.objects.filter(organisation_id=person.organisation_id)
    received = rows.filter(to_person=person).aggregate(n=Sum("count"))["n"] or 0
    given = rows.filter(from_person=person).aggregate(n=Sum("count"))["n"] or 0
    return int(received) - int(given)


def share_holdings(*, organisation: Organisation) -> list[Holding]:
    """Who holds how many shares now, largest first; two grouped queries."""
    rows = ShareMovement.objects.for_organisation(organisation)
    balance: dict[int, int] = {}
    for person_id, count in (
        rows.exclude(to_person=None).values_list("to_person").annotate(n=Sum("count"))
    ):
        balance[person_id] = balance.get(person_id, 0) + int(count)
    for person_id, count in (
        rows.exclude(from_person=None).values_list("from_person").annotate(n=Sum("count"))
    ):
        balance[person_id] = balance.get(person_id, 0) - int(count)
    nominal = nominal_value_cents(organisation=organisation) or 0
    persons = Person.objects.in_bulk([pk for pk, count in balance.items() if count])
    holdings = [
        Holding(persons[pk], count, count * nominal)
        for pk, count in balance.items()
        if count and pk in persons
    ]
    return sorted(holdings, key=lambda h: (-h.count, h.person.name, h.person.pk))


def share_history(
    *, organisation: Organisation, person: Person | None = None
) -> list[ShareMovement]:
    rows = ShareMovement.objects.for_organisation(organisation).select_related(
        "from_person", "to_person", "corrects", "entry", "correction"
    )
    if person is not None:
        rows = rows.filter(Q(from_person=person) | Q(to_person=person))
    return list(rows.order_by("-date", "-pk"))


def member_capital_account(*, organisation: Organisation) -> Account:
    number, rgs = MEMBER_CAPITAL
    accounts = Account.objects.filter(
        organisation=organisation, type=AccountType.LIABILITY, is_active=True
    )
    account = accounts.filter(number=number).first() or accounts.filter(rgs_code=rgs).first()
    if account is None:
        raise ValidationError(
            _("The books have no account for member capital (number 0750). Set up the books first.")
        )
    return account


def _check_person(
    organisation: Organisation, person: Person, field: str
) -> dict[str, list[ValidationError]]:
    if person.organisation_id != organisation.pk or person.anonymised_at is not None:
        return {field: [ValidationError(_("Unknown person."))]}
    return {}


def _check_common(
    organisation: Organisation, *, count: int, day: date, bank_account: Account | None
) -> dict[str, list[ValidationError]]:
    errors: dict[str, list[ValidationError]] = {}
    if count <= 0:
        errors["count"] = [ValidationError(_("Give a number of shares above zero."))]
    if day > timezone.localdate():
        errors["date"] = [ValidationError(_("The date cannot be in the future."))]
    if bank_account is not None and bank_account not in payment_accounts(organisation=organisation):
        errors["bank_account"] = [
            ValidationError(_("Choose one of the listed bank or cash accounts."))
        ]
    return errors


def _book(
    organisation: Organisation,
    *,
    bank_account: Account,
    amount_cents: int,
    day: date,
    description: str,
    counterparty: str,
    incoming: bool,
    actor: User | None,
) -> JournalEntry:
    capital = member_capital_account(organisation=organisation)
    if incoming:
        lines = [
            ledger.LineInput(bank_account, debit_cents=amount_cents),
            ledger.LineInput(capital, credit_cents=amount_cents, description=description),
        ]
    else:
        lines = [
            ledger.LineInput(capital, debit_cents=amount_cents, description=description),
            ledger.LineInput(bank_account, credit_cents=amount_cents),
        ]
    entry = ledger.journal_entry_create(
        organisation=organisation,
        journal=payment_journal(organisation=organisation, account=bank_account),
        date=day,
        description=description[:255],
        counterparty=counterparty[:120],
        lines=lines,
        actor=actor,
    )
    return ledger.journal_entry_post(entry=entry, actor=actor)


def _describe(template: Any, count: int) -> str:
    """`template` is an ngettext_lazy text, so it is found by makemessages and takes
    its plural form from the count, in the books' language."""
    return books_text(lambda: template % {"count": count})


def _record(
    organisation: Organisation,
    *,
    action: str,
    audit: dict[str, object],
    note: str,
    actor: User | None,
    **fields: Any,
) -> ShareMovement:
    """Write one line of the register and its activity-log event."""
    movement = ShareMovement.objects.create(
        organisation=organisation, note=note.strip()[:200], created_by=actor, **fields
    )
    audit_record(action=action, actor=actor, organisation=organisation, obj=movement, data=audit)
    return movement


@transaction.atomic
def shares_issue(
    *,
    organisation: Organisation,
    person: Person,
    count: int,
    nominal_value_cents: int,
    date: date,
    bank_account: Account,
    actor: User | None,
    note: str = "",
) -> ShareMovement:
    """Issue shares to a member who paid for them: booked bank against member capital."""
    errors = _check_person(organisation, person, "person")
    errors.update(_check_common(organisation, count=count, day=date, bank_account=bank_account))
    current = nominal_value_cents_locked(organisation)
    if nominal_value_cents <= 0:
        errors["nominal_value"] = [ValidationError(_("Give the nominal value of one share."))]
    elif current is not None and nominal_value_cents != current:
        errors["nominal_value"] = [
            ValidationError(
                _("The shares of this cooperative have a nominal value of %(value)s.")
                % {"value": format_cents(current)}
            )
        ]
    if errors:
        raise ValidationError(errors)
    entry = _book(
        organisation,
        bank_account=bank_account,
        amount_cents=count * nominal_value_cents,
        day=date,
        description=_describe(
            ngettext_lazy(
                "Issue of %(count)s member share", "Issue of %(count)s member shares", "count"
            ),
            count,
        ),
        counterparty=person.name,
        incoming=True,
        actor=actor,
    )
    movement = _record(
        organisation,
        action="shares.issue",
        audit={"id": person.pk, "count": count},
        note=note,
        actor=actor,
        kind=ShareMovement.Kind.ISSUE,
        date=date,
        to_person=person,
        count=count,
        nominal_value_cents=nominal_value_cents,
        entry=entry,
    )
    return movement


def nominal_value_cents_locked(organisation: Organisation) -> int | None:
    """The register's nominal value, with the organisation row locked.

    Locking the organisation serialises every change to its register, so two
    transfers at the same moment cannot both spend the same shares.
    """
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    return nominal_value_cents(organisation=organisation)


def _not_more_than_held(person: Person, count: int, field: str) -> dict[str, list[ValidationError]]:
    held = shares_held(person=person)
    if count > held:
        return {
            field: [
                ValidationError(
                    _("%(name)s holds %(held)s shares; give at most that number.")
                    % {"name": person.name, "held": held}
                )
            ]
        }
    return {}


@transaction.atomic
def shares_transfer(
    *,
    organisation: Organisation,
    from_person: Person,
    to_person: Person,
    count: int,
    date: date,
    actor: User | None,
    note: str = "",
) -> ShareMovement:
    """Shares pass from one member to another; no money of the cooperative moves."""
    nominal = nominal_value_cents_locked(organisation)
    errors = _check_person(organisation, from_person, "from_person")
    errors.update(_check_person(organisation, to_person, "to_person"))
    errors.update(_check_common(organisation, count=count, day=date, bank_account=None))
    if from_person.pk == to_person.pk:
        errors["to_person"] = [ValidationError(_("Choose another member to receive the shares."))]
    if not errors:
        errors.update(_not_more_than_held(from_person, count, "count"))
    if errors:
        raise ValidationError(errors)
    if nominal is None:  # nobody holds shares before the first issue
        raise ValidationError({"count": [ValidationError(_("No shares have been issued yet."))]})
    movement = _record(
        organisation,
        action="shares.transfer",
        audit={"id": to_person.pk, "from": from_person.pk, "count": count},
        note=note,
        actor=actor,
        kind=ShareMovement.Kind.TRANSFER,
        date=date,
        from_person=from_person,
        to_person=to_person,
        count=count,
        nominal_value_cents=nominal,
    )
    return movement


@transaction.atomic
def shares_redeem(
    *,
    organisation: Organisation,
    person: Person,
    count: int,
    date: date,
    bank_account: Account,
    actor: User | None,
    note: str = "",
) -> ShareMovement:
    """Pay shares back to a member: booked member capital against bank."""
    nominal = nominal_value_cents_locked(organisation)
    errors = _check_person(organisation, person, "person")
    errors.update(_check_common(organisation, count=count, day=date, bank_account=bank_account))
    if not errors:
        errors.update(_not_more_than_held(person, count, "count"))
    if errors:
        raise ValidationError(errors)
    if nominal is None:  # nobody holds shares before the first issue
        raise ValidationError({"count": [ValidationError(_("No shares have been issued yet."))]})
    entry = _book(
        organisation,
        bank_account=bank_account,
        amount_cents=count * nominal,
        day=date,
        description=_describe(
            ngettext_lazy(
                "Redemption of %(count)s member share",
                "Redemption of %(count)s member shares",
                "count",
            ),
            count,
        ),
        counterparty=person.name,
        incoming=False,
        actor=actor,
    )
    movement = _record(
        organisation,
        action="shares.redeem",
        audit={"id": person.pk, "count": count},
        note=note,
        actor=actor,
        kind=ShareMovement.Kind.REDEMPTION,
        date=date,
        from_person=person,
        count=count,
        nominal_value_cents=nominal,
        entry=entry,
    )
    return movement


@transaction.atomic
def share_movement_correct(
    *, movement: ShareMovement, date: date, actor: User | None, note: str = ""
) -> ShareMovement:
    """Undo a line of the register by a new line that moves the shares back.

    When the line was booked, its journal entry is reversed on `date`. Refused when
    the shares have moved on since (correct the later line first).
    """
    organisation = movement.organisation
    nominal_value_cents_locked(organisation)
    movement = ShareMovement.objects.select_related("from_person", "to_person").get(pk=movement.pk)
    errors: dict[str, list[ValidationError]] = {}
    if movement.kind == ShareMovement.Kind.CORRECTION:
        raise ValidationError(_("A correction cannot be corrected; record the right line anew."))
    if ShareMovement.objects.filter(corrects=movement).exists():
        raise ValidationError(_("This line has already been corrected."))
    if date > timezone.localdate():
        errors["date"] = [ValidationError(_("The date cannot be in the future."))]
    if date < movement.date:
        errors["date"] = [ValidationError(_("A correction cannot be dated before the line."))]
    if movement.to_person is not None and not errors:
        errors.update(_not_more_than_held(movement.to_person, movement.count, "date"))
    if errors:
        raise ValidationError(errors)
    reversal = None
    if movement.entry is not None:
        reversal = ledger.journal_entry_reverse(entry=movement.entry, actor=actor, date=date)
    correction = _record(
        organisation,
        action="shares.correct",
        audit={"line": movement.pk},
        note=note,
        actor=actor,
        kind=ShareMovement.Kind.CORRECTION,
        date=date,
        from_person=movement.to_person,
        to_person=movement.from_person,
        count=movement.count,
        nominal_value_cents=movement.nominal_value_cents,
        corrects=movement,
        entry=reversal,
    )
    return correction


def person_shares_reason(person: Person) -> str | None:
    """Anonymisation blocker: the cooperative owes the person the value of their shares.

    Shares are member capital; they are redeemed or transferred before the person can
    be anonymised, so that the register never holds shares of an unknown member.
    """
    held = shares_held(person=person)
    if held <= 0:
        return None
    return str(
        ngettext(
            "This person holds %(count)s member share; redeem or transfer it first.",
            "This person holds %(count)s member shares; redeem or transfer them first.",
            held,
        )
        % {"count": held}
    )
