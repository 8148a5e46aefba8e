"""Membership fees (contributie) invoiced through the books.

A member's yearly fee is kept on the person (`Person.membership_fee_cents`). Once a
year the treasurer invoices the fees: every person who was a member at some time in
the year and has a fee gets one sales invoice, sent (numbered, posted and stored as
PDF) through the sales services, so the fee shows up as a receivable and as income on
the membership fees account (RGS WOvbSgbBvl, number 8700 in the chart template).
Membership fees are outside the scope of VAT for an association's own members, so the
line is VAT-exempt.

`MembershipFeeInvoice` ties each invoice to the member and the year, with a unique
constraint in the database: the same fee is never invoiced twice, whether the run is
repeated from the page, from the command line or at the same moment from both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from wijk.accounts.models import User
from wijk.core.models import audit_record
from wijk.ledger.models import Account, AccountType, ReportingCategory
from wijk.ledger.money import format_cents
from wijk.organisations.models import Organisation
from wijk.sales import services as sales
from wijk.sales.models import Invoice, VatRate

from .models import MembershipFeeInvoice, Person

# The membership fees account of the chart template: number, then RGS code.
FEES_ACCOUNT = ("8700", "WOvbSgbBvl")


@dataclass(frozen=True)
class FeeLine:
    person: Person
    amount_cents: int
    invoice: Invoice | None  # None: still to be invoiced


@dataclass(frozen=True)
class FeePlan:
    year: int
    due: list[FeeLine]
    invoiced: list[FeeLine]

    @property
    def due_total_cents(self) -> int:
        return sum(line.amount_cents for line in self.due)


@dataclass(frozen=True)
class FeeRun:
    plan: FeePlan  # as it was before the run
    invoices: list[Invoice]  # sent by this run


def fees_account(*, organisation: Organisation) -> Account | None:
    accounts = Account.objects.filter(
        organisation=organisation, type=AccountType.INCOME, is_active=True
    )
    number, rgs = FEES_ACCOUNT
    return (
        accounts.filter(number=number).first()
        or accounts.filter(rgs_code=rgs).order_by("number").first()
        or accounts.filter(category=ReportingCategory.MEMBERSHIP_FEES).order_by("number").first()
    )


def _check_year(year: int) -> None:
    if not 2000 <= year <= timezone.localdate().year + 1:
        raise ValidationError(
            {
                "year": [
                    ValidationError(
                        _("Give a year from 2000 to %(last)s.")
                        % {"last": timezone.localdate().year + 1}
                    )
                ]
            }
        )


def membership_fee_plan(*, organisation: Organisation, year: int) -> FeePlan:
    """Who owes a fee for `year`: members at some time in the year with a fee above zero."""
    _check_year(year)
    members = (
        Person.objects.for_organisation(organisation)
        .not_anonymised()
        .filter(
            Q(member_since__lte=date(year, 12, 31)),
            Q(member_until__isnull=True) | Q(member_until__gte=date(year, 1, 1)),
            membership_fee_cents__gt=0,
        )
        .order_by("name", "pk")
    )
    done = {
        row.person_id: row
        for row in MembershipFeeInvoice.objects.filter(
            organisation=organisation, year=year
        ).select_related("invoice", "person")
    }
    due = [
        FeeLine(person, int(person.membership_fee_cents or 0), None)
        for person in members
        if person.pk not in done
    ]
    invoiced = sorted(
        (FeeLine(row.person, row.amount_cents, row.invoice) for row in done.values()),
        key=lambda line: (line.person.name, line.person.pk),
    )
    return FeePlan(year=year, due=due, invoiced=invoiced)


@transaction.atomic
def membership_fees_invoice(
    *,
    organisation: Organisation,
    year: int,
    actor: User | None,
    issue_date: date | None = None,
    dry_run: bool = False,
) -> FeeRun:
    """Invoice the fee of every member who has no fee invoice for `year` yet.

    All or nothing: when one invoice cannot be sent (no IBAN in the invoice settings,
    no open fiscal year for the date, ...) nothing is written and the error says why.
    With `dry_run` nothing is written. E-mail the invoices afterwards with
    `membership_fees_email`, outside this transaction.
    """
    plan = membership_fee_plan(organisation=organisation, year=year)
    if dry_run or not plan.due:
        return FeeRun(plan, [])
    account = fees_account(organisation=organisation)
    if account is None:
        raise ValidationError(
            _(
                "The books have no income account for membership fees (number 8700). "
                "Set up the books first."
            )
        )
    issue_date = issue_date or timezone.localdate()
    with translation.override("nl"):
        description = _("Membership fee %(year)s") % {"year": year}
    invoices = []
    for line in plan.due:
        person = Person.objects.select_for_update().get(pk=line.person.pk)
        # Checked again under the lock: a run at the same moment may have invoiced them.
        if MembershipFeeInvoice.objects.filter(
            organisation=organisation, person=person, year=year
        ).exists():
            continue
        customer = sales.customer_for_person(organisation=organisation, person=person, actor=actor)
        draft = sales.invoice_create_draft(
            organisation=organisation,
            customer=customer,
            lines=[
                sales.LineData(
                    description=description,
                    quantity=Decimal(1),
                    unit_price_cents=line.amount_cents,
                    account=account,
                    vat_rate=VatRate.EXEMPT,
                )
            ],
            actor=actor,
        )
        invoice = sales.invoice_send(invoice=draft, actor=actor, issue_date=issue_date)
        try:
            with transaction.atomic():
                MembershipFeeInvoice.objects.create(
                    organisation=organisation,
                    person=person,
                    year=year,
                    invoice=invoice,
                    amount_cents=line.amount_cents,
                )
        except IntegrityError as exc:  # the database's guard against a second invoice
            raise ValidationError(
                _(
                    "The fees of %(year)s were invoiced at the same moment elsewhere. Reload and look again."
                )
                % {"year": year}
            ) from exc
        invoices.append(invoice)
    audit_record(
        action="membership_fees.invoice",
        actor=actor,
        organisation=organisation,
        obj=None,
        data={
            "year": year,
            "count": len(invoices),
            "amount": format_cents(sum(invoice.total_cents for invoice in invoices)),
        },
    )
    return FeeRun(plan, invoices)


def membership_fees_email(*, invoices: list[Invoice], actor: User | None) -> tuple[int, int]:
    """E-mail each sent fee invoice to the member; returns (e-mailed, not e-mailed).

    A member without an e-mail address is skipped (hand them the PDF); a failure is
    recorded on the invoice by the sales service and can be retried from its page.
    """
    sent = failed = 0
    for invoice in invoices:
        if invoice.customer.email and sales.invoice_email(invoice=invoice, actor=actor):
            sent += 1
        else:
            failed += 1
    return sent, failed
