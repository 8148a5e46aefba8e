"""Bookings become sales invoices, posted in the books with the building as dimension.

A confirmed booking is charged at the price agreed when it was booked: the price
lines stored on the booking (room hire, then each extra, each with its own VAT), not
the tariff of today. There are two ways to invoice:

- **per booking**: one invoice for every booking (a party, a one-off meeting);
- **per customer**: one invoice a month for each customer, with a line per booking
  (date, time, room) and a line per extra (a weekly group, a sports club).

The invoice goes through the sales services (`invoice_create_draft`,
`invoice_send`), so it gets the next number, an RF payment reference and a journal
entry in the sales journal; every income line carries the building of the booked
room, so the result per building shows the hire income. The bank import then
recognises the payment by the reference.

Rules (decided here, documented in the user guide):

- Only confirmed bookings with a price above zero are invoiced, and never bookings
  of the class "internal" (the organisation does not invoice itself). Requested,
  declined and cancelled bookings are not invoiced.
- A booking is on at most one invoice: `BookingInvoice` links them, with a unique
  index in the database, so two people (or two runs of the command) invoicing the
  same month at the same moment cannot charge a booking twice; the second run is
  refused and writes nothing.
- A credit note frees the bookings of the invoice it cancels: the next invoicing
  run releases their links and charges them again, unless they are cancelled by
  then. Cancelling a booking that is already invoiced leaves the invoice alone: make
  a credit note when the customer should not pay.
- Customers are found by e-mail address, then by name, within the organisation;
  otherwise a new sales customer is made (its address can be added later).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import formats, translation
from django.utils.translation import gettext as _

from wijk.accounts.models import User
from wijk.core.models import audit_record
from wijk.ledger.models import Account, AccountType
from wijk.organisations.models import Organisation
from wijk.sales import services as sales
from wijk.sales.models import Customer, Invoice

from . import pricing
from .models import (
    AddOnKind,
    Booking,
    BookingInvoice,
    BookingStatus,
    Building,
    CustomerClass,
    Tariff,
)
from .timeutil import local, to_utc

PER_BOOKING = "booking"
PER_CUSTOMER = "customer"
PER_CHOICES = (PER_BOOKING, PER_CUSTOMER)

# Income accounts of the chart template: (number, RGS code as fallback).
ROOM_HIRE_EXEMPT = ("8000", "WOvbHuoHuo")
ROOM_HIRE_TAXED = ("8010", "WOmzNodOdh")
CATERING = ("8120", "WOmzNopOlv")


def parse_month(text: str) -> date:
    """ "2026-03" -> date(2026, 3, 1); a located error otherwise."""
    try:
        year, month = (int(part) for part in text.strip().split("-"))
        first = date(year, month, 1)
    except ValueError as exc:
        raise ValidationError(
            {"month": [ValidationError(_("Give the month as year-month, for example 2026-03."))]}
        ) from exc
    if not 2000 <= first.year <= 2100:
        raise ValidationError({"month": [ValidationError(_("Choose a year from 2000 to 2100."))]})
    return first


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """[first local midnight of the month, first of the next) in UTC."""
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return to_utc(month.replace(day=1), time(0)), to_utc(following, time(0))


def _charging_link() -> Exists:
    """A link of the booking to an invoice that still charges it (not credited)."""
    return Exists(
        BookingInvoice.objects.filter(
            booking=OuterRef("pk"), released=False, invoice__credit_note__isnull=True
        )
    )


def _invoiceable(bookings: QuerySet[Booking]) -> QuerySet[Booking]:
    return (
        bookings.filter(status=BookingStatus.CONFIRMED)
        .exclude(customer_class=CustomerClass.INTERNAL)
        .filter(Q(price_net_cents__gt=0) | Q(price_vat_cents__gt=0))
        .filter(~_charging_link())
    )


def bookings_to_invoice(
    *, organisation: Organisation, month: date, building: Building | None = None
) -> QuerySet[Booking]:
    """Confirmed bookings starting in the month that no invoice charges yet."""
    starts, ends = month_bounds(month)
    bookings = Booking.objects.for_organisation(organisation).filter(
        starts_at__gte=starts, starts_at__lt=ends
    )
    if building is not None:
        bookings = bookings.filter(space__building=building)
    return (
        _invoiceable(bookings)
        .select_related("space", "space__building")
        .order_by("customer_name", "starts_at", "pk")
    )


def booking_invoice_of(*, booking: Booking) -> Invoice | None:
    """The invoice that charges this booking now, if any."""
    link = (
        BookingInvoice.objects.filter(
            booking=booking, released=False, invoice__credit_note__isnull=True
        )
        .select_related("invoice")
        .first()
    )
    return link.invoice if link else None


# --- the plan: which invoices, with which lines -------------------------------------


@dataclass(frozen=True)
class PlannedLine:
    booking: Booking
    kind: str  # "room" or an AddOnKind
    description: str
    quantity: int
    unit_price_cents: int
    net_cents: int
    vat_rate: str
    vat_cents: int


@dataclass
class PlannedInvoice:
    customer_name: str
    customer_email: str
    customer: Customer | None  # None: a new customer is made
    bookings: list[Booking] = field(default_factory=list)
    lines: list[PlannedLine] = field(default_factory=list)

    @property
    def net_cents(self) -> int:
        return sum(line.net_cents for line in self.lines)

    @property
    def vat_cents(self) -> int:
        return sum(line.vat_cents for line in self.lines)

    @property
    def total_cents(self) -> int:
        return self.net_cents + self.vat_cents


def _requoted_lines(booking: Booking) -> list[dict[str, Any]]:
    """Price lines for a booking made before they were stored: the tariff quoted again.

    Only used when the quote still adds up to the stored price; otherwise the tariff
    changed since, and the invoice would charge something else than was agreed.
    """
    tariff = Tariff.objects.filter(
        space=booking.space, customer_class=booking.customer_class
    ).first()
    add_ons = list(booking.add_ons.order_by("pk"))
    quote = pricing.quote(
        minutes=booking.minutes,
        tariff=pricing.TariffTerms(
            tariff.hour_cents, tariff.daypart_cents, tariff.day_cents, tariff.vat_rate
        )
        if tariff
        else None,
        room_description=booking.space.name,
        add_ons=[pricing.AddOnTerms(a.name, a.unit, a.price_cents, a.vat_rate) for a in add_ons],
        people=booking.people or 0,
    )
    if (quote.net_cents, quote.vat_cents) != (booking.price_net_cents, booking.price_vat_cents):
        raise ValidationError(
            _(
                "Booking %(title)s on %(date)s was made before prices were kept per line, and the tariff has changed since. Make its invoice by hand under Invoices."
            )
            % {
                "title": booking.title,
                "date": formats.date_format(local(booking.starts_at), "j F Y"),
            }
        )
    kinds = ["room"] * (len(quote.lines) - len(add_ons)) + [a.kind for a in add_ons]
    return [
        {
            "description": line.description,
            "unit": line.unit,
            "quantity": line.quantity,
            "unit_price_cents": line.unit_price_cents,
            "net_cents": line.net_cents,
            "vat_rate": line.vat_rate,
            "vat_cents": line.vat_cents,
            "kind": kind,
        }
        for line, kind in zip(quote.lines, kinds, strict=True)
    ]


UNIT_LABELS = {"daypart": "dagdeel", "day": "dag"}


def _lines_of(booking: Booking) -> list[PlannedLine]:
    """The invoice lines of one booking, in Dutch as the invoice is.

    A line charged per hour is shown as one amount (quantity 1): the pro-rata minutes
    do not fit the invoice's three decimals without a rounding difference.
    """
    stored = booking.price_lines if booking.price_lines is not None else _requoted_lines(booking)
    start, end = local(booking.starts_at), local(booking.ends_at)
    with translation.override("nl"):
        when = f"{formats.date_format(start, 'D j F Y')} {start:%H:%M}–{end:%H:%M}"
    result = []
    for row in stored:
        if row["kind"] == "room":
            unit = UNIT_LABELS.get(row["unit"])
            description = f"{when}, {booking.space.name}: {booking.title}"
            if unit:
                description += f" ({row['quantity']} × {unit})"
        else:
            description = f"{row['description']} ({when}, {booking.space.name})"
        counted = row["unit"] in ("daypart", "day", "person", "booking")
        quantity = int(row["quantity"]) if counted else 1
        unit_price = int(row["unit_price_cents"]) if counted else int(row["net_cents"])
        result.append(
            PlannedLine(
                booking=booking,
                kind=row["kind"],
                description=description[:200],
                quantity=quantity,
                unit_price_cents=unit_price,
                net_cents=int(row["net_cents"]),
                vat_rate=row["vat_rate"],
                vat_cents=int(row["vat_cents"]),
            )
        )
    return [line for line in result if line.net_cents or line.vat_cents]


class _Customers:
    """Finds the sales customer of a booking the way `customer_find_or_create` will.

    Used for the preview (nothing is written) and to group bookings: by e-mail first,
    then by name, among the existing customers and those the run is about to make.
    """

    def __init__(self, organisation: Organisation) -> None:
        self.existing = list(Customer.objects.filter(organisation=organisation).order_by("pk"))
        self.new: list[tuple[str, str]] = []  # (name, email) of customers to make

    def key(self, name: str, email: str) -> tuple[str, int]:
        name, email = name.strip(), email.strip().lower()
        if email:
            for customer in self.existing:
                if customer.email.lower() == email:
                    return ("existing", customer.pk)
            for index, (_name, new_email) in enumerate(self.new):
                if new_email.lower() == email:
                    return ("new", index)
        for customer in self.existing:
            if customer.name.lower() == name.lower():
                return ("existing", customer.pk)
        for index, (new_name, _email) in enumerate(self.new):
            if new_name.lower() == name.lower():
                return ("new", index)
        self.new.append((name, email))
        return ("new", len(self.new) - 1)

    def customer(self, key: tuple[str, int]) -> Customer | None:
        if key[0] == "existing":
            return next(c for c in self.existing if c.pk == key[1])
        return None


def invoice_plan(
    *, organisation: Organisation, bookings: Iterable[Booking], per: str
) -> list[PlannedInvoice]:
    """The invoices a run would make, in customer order; at most MAX_LINES lines each."""
    if per not in PER_CHOICES:
        raise ValidationError({"per": [ValidationError(_("Choose per booking or per customer."))]})
    customers = _Customers(organisation)
    groups: dict[tuple[str, int], list[Booking]] = {}
    for booking in bookings:
        key = customers.key(booking.customer_name, booking.customer_email)
        groups.setdefault(key, []).append(booking)
    plans: list[PlannedInvoice] = []
    for key, grouped in groups.items():
        first = grouped[0]
        current: PlannedInvoice | None = None
        for booking in sorted(grouped, key=lambda b: (b.starts_at, b.pk)):
            lines = _lines_of(booking)
            if not lines:
                continue
            if (
                current is None
                or per == PER_BOOKING
                or len(current.lines) + len(lines) > sales.MAX_LINES
            ):
                current = PlannedInvoice(
                    customer_name=first.customer_name,
                    customer_email=first.customer_email,
                    customer=customers.customer(key),
                )
                plans.append(current)
            current.bookings.append(booking)
            current.lines.extend(lines)
    return plans


# --- the service ---------------------------------------------------------------------


def _account(organisation: Organisation, number: str, rgs: str) -> Account:
    accounts = Account.objects.filter(
        organisation=organisation, type=AccountType.INCOME, is_active=True
    )
    account = accounts.filter(number=number).first() or accounts.filter(rgs_code=rgs).first()
    if account is None:
        raise ValidationError(
            _(
                "The books have no income account %(number)s for room hire or catering. Set up the books first, or add the account."
            )
            % {"number": number}
        )
    return account


def _income_account(organisation: Organisation, line: PlannedLine) -> Account:
    if line.kind == AddOnKind.CATERING:
        return _account(organisation, *CATERING)
    if line.vat_rate == "exempt":
        return _account(organisation, *ROOM_HIRE_EXEMPT)
    return _account(organisation, *ROOM_HIRE_TAXED)


def _note(plan: PlannedInvoice, per: str, month: date | None) -> str:
    buildings = sorted({b.space.building.name for b in plan.bookings})
    with translation.override("nl"):
        if per == PER_CUSTOMER and month is not None:
            return f"Zaalhuur {', '.join(buildings)}, {formats.date_format(month, 'F Y')}"
        return f"Zaalhuur {', '.join(buildings)}"


def _make_invoices(
    *,
    organisation: Organisation,
    bookings: Sequence[Booking],
    per: str,
    month: date | None,
    actor: User | None,
    issue_date: date,
) -> list[Invoice]:
    # Links to credited invoices no longer hold their bookings.
    BookingInvoice.objects.filter(
        organisation=organisation, released=False, invoice__credit_note__isnull=False
    ).update(released=True)
    invoices = []
    for plan in invoice_plan(organisation=organisation, bookings=bookings, per=per):
        customer = plan.customer or sales.customer_find_or_create(
            organisation=organisation,
            name=plan.customer_name,
            email=plan.customer_email,
            actor=actor,
        )
        draft = sales.invoice_create_draft(
            organisation=organisation,
            customer=customer,
            actor=actor,
            note=_note(plan, per, month),
            lines=[
                sales.LineData(
                    description=line.description,
                    quantity=Decimal(line.quantity),
                    unit_price_cents=line.unit_price_cents,
                    account=_income_account(organisation, line),
                    vat_rate=line.vat_rate,
                    building=line.booking.space.building,
                )
                for line in plan.lines
            ],
        )
        try:
            with transaction.atomic():
                BookingInvoice.objects.bulk_create(
                    BookingInvoice(organisation=organisation, booking=booking, invoice=draft)
                    for booking in plan.bookings
                )
        except IntegrityError as exc:
            raise ValidationError(
                _(
                    "Some of these bookings were invoiced a moment ago by someone else. Nothing was invoiced; look at the list again."
                )
            ) from exc
        invoices.append(sales.invoice_send(invoice=draft, actor=actor, issue_date=issue_date))
    return invoices


@transaction.atomic
def bookings_invoice(
    *,
    organisation: Organisation,
    month: date,
    per: str,
    actor: User | None,
    issue_date: date,
    building: Building | None = None,
) -> list[Invoice]:
    """Invoice every confirmed booking of the month not yet invoiced: all or nothing."""
    if per not in PER_CHOICES:
        raise ValidationError({"per": [ValidationError(_("Choose per booking or per customer."))]})
    candidates = bookings_to_invoice(organisation=organisation, month=month, building=building)
    # Lock the bookings (PostgreSQL) so one cannot be cancelled while it is invoiced.
    bookings = list(candidates.select_for_update(of=("self",)))
    invoices = _make_invoices(
        organisation=organisation,
        bookings=bookings,
        per=per,
        month=month,
        actor=actor,
        issue_date=issue_date,
    )
    if invoices:
        audit_record(
            action="bookings.invoice",
            actor=actor,
            organisation=organisation,
            obj=invoices[0],
            data={
                "count": len(invoices),
                "month": month.strftime("%Y-%m"),
                "bookings": len(bookings),
            },
        )
    return invoices


@transaction.atomic
def booking_invoice(*, booking: Booking, actor: User | None, issue_date: date) -> Invoice:
    """Invoice one booking on an invoice of its own."""
    organisation = booking.organisation
    locked = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("space", "space__building")
        .get(pk=booking.pk)
    )
    if locked.status != BookingStatus.CONFIRMED:
        raise ValidationError(
            _("Only a confirmed booking is invoiced; this one is %(status)s.")
            % {"status": locked.get_status_display().lower()}
        )
    if locked.customer_class == CustomerClass.INTERNAL:
        raise ValidationError(_("An internal booking is not invoiced."))
    if booking_invoice_of(booking=locked) is not None:
        raise ValidationError(_("This booking is already on an invoice."))
    if not (locked.price_net_cents or locked.price_vat_cents):
        raise ValidationError(_("This booking costs nothing, so there is nothing to invoice."))
    invoices = _make_invoices(
        organisation=organisation,
        bookings=[locked],
        per=PER_BOOKING,
        month=None,
        actor=actor,
        issue_date=issue_date,
    )
    return invoices[0]
