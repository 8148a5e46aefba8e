"""Every write to buildings, rooms, tariffs and bookings: validated, in a transaction, logged."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from wijk.accounts.models import User
from wijk.core.models import audit_record
from wijk.ledger.models import Fund
from wijk.organisations.models import Organisation

from . import ical, pricing
from .models import (
    HOLDS_SLOT,
    MAX_BOOKING_DAYS,
    WEEKDAYS,
    AddOn,
    AddOnKind,
    AddOnUnit,
    Booking,
    BookingSeries,
    BookingStatus,
    Building,
    CustomerClass,
    CustomerKind,
    Frequency,
    MaintenanceComponent,
    Ownership,
    Space,
    Tariff,
    VatRate,
)
from .overlap import is_overlap_error
from .timeutil import local, occurrence_dates, to_utc


@dataclass(frozen=True)
class BuildingData:
    name: str
    street: str = ""
    postcode: str = ""
    city: str = ""
    ownership: str = Ownership.RENTED
    lease_end: date | None = None
    floor_area_m2: int | None = None
    purchase_value_cents: int | None = None
    woz_value_cents: int | None = None
    is_active: bool = True
    accepts_requests: bool = False
    maintenance_fund: Fund | None = None
    maintenance_inflation_bp: int = 250
    maintenance_contribution_cents: int = 0


def _validate(organisation: Organisation, data: BuildingData, current: Building | None) -> None:
    name = data.name.strip()
    if not name:
        raise ValidationError({"name": [ValidationError(_("Give the building a name."))]})
    clash = Building.objects.for_organisation(organisation).filter(name__iexact=name)
    if current is not None:
        clash = clash.exclude(pk=current.pk)
    if clash.exists():
        raise ValidationError(
            {"name": [ValidationError(_("%(name)s already exists.") % {"name": name})]}
        )
    if data.ownership not in Ownership.values:
        raise ValidationError({"ownership": [ValidationError(_("Choose a kind of ownership."))]})
    if data.floor_area_m2 is not None and data.floor_area_m2 <= 0:
        raise ValidationError(
            {"floor_area_m2": [ValidationError(_("The floor area must be more than 0 m²."))]}
        )
    for field in ("purchase_value_cents", "woz_value_cents"):
        value = getattr(data, field)
        if value is not None and value < 0:
            raise ValidationError({field: [ValidationError(_("A value cannot be negative."))]})
    if (
        data.maintenance_fund is not None
        and data.maintenance_fund.organisation_id != organisation.pk
    ):
        raise ValidationError({"maintenance_fund": [ValidationError(_("Choose from the list."))]})
    if not 0 <= data.maintenance_inflation_bp <= 2_000:
        raise ValidationError(
            {
                "maintenance_inflation_bp": [
                    ValidationError(_("Enter a yearly price rise from 0 to 20 percent."))
                ]
            }
        )
    if data.maintenance_contribution_cents < 0:
        raise ValidationError(
            {"maintenance_contribution_cents": [ValidationError(_("A value cannot be negative."))]}
        )


@transaction.atomic
def building_create(
    *, organisation: Organisation, data: BuildingData, actor: User | None
) -> Building:
    _validate(organisation, data, None)
    values = asdict(data)
    values["name"] = data.name.strip()
    building = Building.objects.create(organisation=organisation, **values)
    audit_record(
        action="building.create",
        actor=actor,
        organisation=organisation,
        obj=building,
        data={"name": building.name},
    )
    return building


@transaction.atomic
def building_update(*, building: Building, data: BuildingData, actor: User | None) -> Building:
    _validate(building.organisation, data, building)
    values = asdict(data)
    values["name"] = data.name.strip()
    for field, value in values.items():
        setattr(building, field, value)
    building.save()
    audit_record(
        action="building.update",
        actor=actor,
        organisation=building.organisation,
        obj=building,
        data={"name": building.name},
    )
    return building


@dataclass(frozen=True)
class SpaceData:
    name: str
    capacity: int | None = None
    area_m2: int | None = None
    facilities: str = ""
    wheelchair_accessible: bool = False
    accessibility: str = ""
    opens_at: time = time(8, 0)
    closes_at: time = time(23, 0)
    open_days: str = WEEKDAYS
    is_active: bool = True


def _validate_space(building: Building, data: SpaceData, current: Space | None) -> None:
    name = data.name.strip()
    if not name:
        raise ValidationError({"name": [ValidationError(_("Give the room a name."))]})
    clash = Space.objects.filter(building=building, name__iexact=name)
    if current is not None:
        clash = clash.exclude(pk=current.pk)
    if clash.exists():
        raise ValidationError(
            {"name": [ValidationError(_("%(name)s already exists.") % {"name": name})]}
        )
    for field in ("capacity", "area_m2"):
        value = getattr(data, field)
        if value is not None and value <= 0:
            raise ValidationError({field: [ValidationError(_("Enter a number above 0."))]})
    if data.closes_at <= data.opens_at:
        raise ValidationError(
            {"closes_at": [ValidationError(_("The room must close after it opens."))]}
        )
    if (
        not data.open_days
        or any(day not in WEEKDAYS for day in data.open_days)
        or len(set(data.open_days)) != len(data.open_days)
    ):
        raise ValidationError(
            {"open_days": [ValidationError(_("Choose at least one day the room is open."))]}
        )


def _space_values(data: SpaceData) -> dict[str, object]:
    values = asdict(data)
    values["name"] = data.name.strip()
    values["open_days"] = "".join(sorted(data.open_days))
    values["facilities"] = data.facilities.strip()
    values["accessibility"] = data.accessibility.strip()
    return values


@transaction.atomic
def space_create(*, building: Building, data: SpaceData, actor: User | None) -> Space:
    _validate_space(building, data, None)
    space = Space.objects.create(
        organisation=building.organisation, building=building, **_space_values(data)
    )
    audit_record(
        action="space.create",
        actor=actor,
        organisation=building.organisation,
        obj=space,
        data={"name": space.name, "building": building.name},
    )
    return space


@transaction.atomic
def space_update(*, space: Space, data: SpaceData, actor: User | None) -> Space:
    _validate_space(space.building, data, space)
    for field, value in _space_values(data).items():
        setattr(space, field, value)
    space.save()
    audit_record(
        action="space.update",
        actor=actor,
        organisation=space.organisation,
        obj=space,
        data={"name": space.name, "building": space.building.name},
    )
    return space


@transaction.atomic
def tariff_set(
    *,
    space: Space,
    customer_class: str,
    hour_cents: int | None,
    daypart_cents: int | None,
    day_cents: int | None,
    vat_rate: str,
    actor: User | None,
) -> Tariff | None:
    """Set what a customer class pays for a room; no price at all removes the tariff."""
    if customer_class not in CustomerClass.values:
        raise ValidationError({"customer_class": [ValidationError(_("Choose a customer class."))]})
    if vat_rate not in VatRate.values:
        raise ValidationError({"vat_rate": [ValidationError(_("Choose a VAT rate."))]})
    for field, value in (
        ("hour_cents", hour_cents),
        ("daypart_cents", daypart_cents),
        ("day_cents", day_cents),
    ):
        if value is not None and value < 0:
            raise ValidationError({field: [ValidationError(_("A price cannot be negative."))]})
    existing = Tariff.objects.filter(space=space, customer_class=customer_class).first()
    data = {
        "space": space.name,
        "customer_class": customer_class,
        "hour_cents": hour_cents,
        "daypart_cents": daypart_cents,
        "day_cents": day_cents,
        "vat_rate": vat_rate,
    }
    if hour_cents is None and daypart_cents is None and day_cents is None:
        if existing is not None:
            existing.delete()
            audit_record(
                action="tariff.remove", actor=actor, organisation=space.organisation, data=data
            )
        return None
    values = {
        "hour_cents": hour_cents,
        "daypart_cents": daypart_cents,
        "day_cents": day_cents,
        "vat_rate": vat_rate,
    }
    if existing is not None and all(getattr(existing, k) == v for k, v in values.items()):
        return existing
    tariff, _created = Tariff.objects.update_or_create(
        space=space,
        customer_class=customer_class,
        defaults={"organisation": space.organisation, **values},
    )
    audit_record(
        action="tariff.set", actor=actor, organisation=space.organisation, obj=tariff, data=data
    )
    return tariff


@dataclass(frozen=True)
class AddOnData:
    name: str
    kind: str
    unit: str
    price_cents: int
    vat_rate: str
    is_active: bool = True


def _validate_add_on(organisation: Organisation, data: AddOnData, current: AddOn | None) -> None:
    name = data.name.strip()
    if not name:
        raise ValidationError({"name": [ValidationError(_("Give the extra a name."))]})
    clash = AddOn.objects.for_organisation(organisation).filter(name__iexact=name)
    if current is not None:
        clash = clash.exclude(pk=current.pk)
    if clash.exists():
        raise ValidationError(
            {"name": [ValidationError(_("%(name)s already exists.") % {"name": name})]}
        )
    if data.kind not in AddOnKind.values:
        raise ValidationError({"kind": [ValidationError(_("Choose a kind of extra."))]})
    if data.unit not in AddOnUnit.values:
        raise ValidationError({"unit": [ValidationError(_("Choose how the extra is charged."))]})
    if data.price_cents < 0:
        raise ValidationError({"price_cents": [ValidationError(_("A price cannot be negative."))]})
    if data.vat_rate not in VatRate.values:
        raise ValidationError({"vat_rate": [ValidationError(_("Choose a VAT rate."))]})


@transaction.atomic
def add_on_create(*, organisation: Organisation, data: AddOnData, actor: User | None) -> AddOn:
    _validate_add_on(organisation, data, None)
    values = asdict(data)
    values["name"] = data.name.strip()
    add_on = AddOn.objects.create(organisation=organisation, **values)
    audit_record(
        action="add_on.create",
        actor=actor,
        organisation=organisation,
        obj=add_on,
        data={"name": add_on.name},
    )
    return add_on


@transaction.atomic
def add_on_update(*, add_on: AddOn, data: AddOnData, actor: User | None) -> AddOn:
    _validate_add_on(add_on.organisation, data, add_on)
    values = asdict(data)
    values["name"] = data.name.strip()
    for field, value in values.items():
        setattr(add_on, field, value)
    add_on.save()
    audit_record(
        action="add_on.update",
        actor=actor,
        organisation=add_on.organisation,
        obj=add_on,
        data={"name": add_on.name},
    )
    return add_on


@dataclass(frozen=True)
class TariffRow:
    customer_class: str
    hour_cents: int | None
    daypart_cents: int | None
    day_cents: int | None
    vat_rate: str


@transaction.atomic
def space_tariffs_set(*, space: Space, rows: list[TariffRow], actor: User | None) -> None:
    """Set the tariffs of several customer classes at once: all of them, or none."""
    for row in rows:
        tariff_set(space=space, actor=actor, **asdict(row))


# --- Bookings ---------------------------------------------------------------------

MAX_BOOKING_MINUTES = MAX_BOOKING_DAYS * 24 * 60
MAX_SERIES_OCCURRENCES = 260


@dataclass(frozen=True)
class Customer:
    """Who books: for now a name and an e-mail address, an organisation or a person."""

    name: str
    email: str = ""
    kind: str = CustomerKind.PERSON
    customer_class: str = CustomerClass.RESIDENT_INITIATIVE


@dataclass(frozen=True)
class BookingDetails:
    title: str
    customer: Customer
    people: int | None = None
    add_ons: tuple[AddOn, ...] = ()
    notes: str = ""


def _when(moment: datetime) -> str:
    return formats.date_format(local(moment), "j F Y H:i")


def _validate_details(space: Space, details: BookingDetails) -> None:
    if not space.is_active:
        raise ValidationError(
            _("%(name)s is not in use and cannot be booked.") % {"name": space.name}
        )
    if not details.title.strip():
        raise ValidationError({"title": [ValidationError(_("Say what the room is booked for."))]})
    customer = details.customer
    if not customer.name.strip():
        raise ValidationError(
            {"customer_name": [ValidationError(_("Give the name of who books the room."))]}
        )
    if customer.email:
        try:
            validate_email(customer.email)
        except ValidationError as exc:
            raise ValidationError(
                {"customer_email": [ValidationError(_("Enter a valid e-mail address."))]}
            ) from exc
    if customer.kind not in CustomerKind.values:
        raise ValidationError({"customer_kind": [ValidationError(_("Choose who books."))]})
    if customer.customer_class not in CustomerClass.values:
        raise ValidationError({"customer_class": [ValidationError(_("Choose a customer class."))]})
    if details.people is not None and details.people <= 0:
        raise ValidationError({"people": [ValidationError(_("Enter a number above 0."))]})
    if space.capacity and details.people and details.people > space.capacity:
        raise ValidationError(
            {
                "people": [
                    ValidationError(
                        _("%(name)s holds at most %(capacity)s people.")
                        % {"name": space.name, "capacity": space.capacity}
                    )
                ]
            }
        )
    for add_on in details.add_ons:
        if add_on.organisation_id != space.organisation_id or not add_on.is_active:
            raise ValidationError({"add_ons": [ValidationError(_("Choose from the list."))]})


def _validate_times(starts_at: datetime, ends_at: datetime) -> None:
    for field, moment in (("starts_at", starts_at), ("ends_at", ends_at)):
        if timezone.is_naive(moment):
            raise ValueError("booking times must be aware datetimes")
        if moment.second or moment.microsecond:
            raise ValidationError({field: [ValidationError(_("Book in whole minutes."))]})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": [ValidationError(_("The end must be after the start."))]})
    if (ends_at - starts_at).total_seconds() > MAX_BOOKING_MINUTES * 60:
        raise ValidationError({"ends_at": [ValidationError(_("A booking lasts at most 7 days."))]})


def within_opening_hours(space: Space, starts_at: datetime, ends_at: datetime) -> bool:
    """Whether [starts_at, ends_at) falls on one open day between opening and closing."""
    start, end = local(starts_at), local(ends_at)
    return (
        start.date() == end.date()
        and start.weekday() in space.open_weekdays
        and space.opens_at <= start.time()
        and end.time() <= space.closes_at
    )


def _clash_message(clash: Booking) -> ValidationError:
    return ValidationError(
        {
            "starts_at": [
                ValidationError(
                    _(
                        "%(room)s is already booked from %(start)s to %(end)s. Choose another time or room."
                    )
                    % {
                        "room": clash.space.name,
                        "start": _when(clash.starts_at),
                        "end": _when(clash.ends_at),
                    }
                )
            ]
        }
    )


def _taken(space: Space) -> ValidationError:
    return ValidationError(
        {
            "starts_at": [
                ValidationError(
                    _(
                        "%(room)s was just booked by someone else at this time. Choose another time or room."
                    )
                    % {"room": space.name}
                )
            ]
        }
    )


def _price(space: Space, minutes: int, details: BookingDetails) -> pricing.Quote:
    tariff = Tariff.objects.filter(
        space=space, customer_class=details.customer.customer_class
    ).first()
    terms = (
        pricing.TariffTerms(
            tariff.hour_cents, tariff.daypart_cents, tariff.day_cents, tariff.vat_rate
        )
        if tariff
        else None
    )
    return pricing.quote(
        minutes=minutes,
        tariff=terms,
        room_description=space.name,
        add_ons=[
            pricing.AddOnTerms(add_on.name, add_on.unit, add_on.price_cents, add_on.vat_rate)
            for add_on in details.add_ons
        ],
        people=details.people or 0,
    )


def _booking_values(
    space: Space, starts_at: datetime, ends_at: datetime, details: BookingDetails, status: str
) -> dict[str, Any]:
    quote = _price(space, int((ends_at - starts_at).total_seconds() // 60), details)
    customer = details.customer
    kinds = ["room"] * (len(quote.lines) - len(details.add_ons))
    kinds += [add_on.kind for add_on in details.add_ons]
    return {
        "organisation": space.organisation,
        "space": space,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "status": status,
        "title": details.title.strip(),
        "customer_kind": customer.kind,
        "customer_name": customer.name.strip(),
        "customer_email": customer.email.strip(),
        "customer_class": customer.customer_class,
        "people": details.people,
        "notes": details.notes.strip(),
        "price_net_cents": quote.net_cents,
        "price_vat_cents": quote.vat_cents,
        "price_lines": [
            {**asdict(line), "kind": kind} for line, kind in zip(quote.lines, kinds, strict=True)
        ],
    }


def _lock_room(space: Space) -> None:
    """Queue the bookings of one room behind each other, inside the caller's transaction.

    The exclusion constraint alone keeps double bookings out, but two PostgreSQL
    transactions that insert overlapping rows at the same moment each wait for the
    other's row and one of them dies with "deadlock detected" instead of a clean
    refusal. Locking the room row first (FOR NO KEY UPDATE, so inserts that merely refer
    to the room are not held up) makes the second booker wait for the first to commit;
    its own check then sees the booking and names it. SQLite ignores the lock: its
    BEGIN IMMEDIATE transactions already queue every writer.
    """
    list(Space.objects.select_for_update(no_key=True).filter(pk=space.pk).values_list("pk"))


@transaction.atomic
def booking_create(
    *,
    space: Space,
    starts_at: datetime,
    ends_at: datetime,
    details: BookingDetails,
    status: str = BookingStatus.CONFIRMED,
    actor: User | None,
    opening_hours_only: bool = False,
) -> Booking:
    """Book a room once. The database refuses an overlap even when two arrive together."""
    _validate_times(starts_at, ends_at)
    _validate_details(space, details)
    if status not in HOLDS_SLOT:
        raise ValueError("a new booking is requested or confirmed")
    if opening_hours_only and not within_opening_hours(space, starts_at, ends_at):
        raise ValidationError(
            {
                "starts_at": [
                    ValidationError(
                        _(
                            "%(room)s is open %(days)s from %(opens)s to %(closes)s. Choose a time within those hours."
                        )
                        % {
                            "room": space.name,
                            "days": weekday_names(space.open_weekdays),
                            "opens": space.opens_at.strftime("%H:%M"),
                            "closes": space.closes_at.strftime("%H:%M"),
                        }
                    )
                ]
            }
        )
    _lock_room(space)
    clash = (
        Booking.objects.filter(space=space)
        .holding_slot()
        .overlapping(starts_at, ends_at)
        .select_related("space")
        .first()
    )
    if clash is not None:
        raise _clash_message(clash)
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                **_booking_values(space, starts_at, ends_at, details, status)
            )
    except IntegrityError as exc:
        if is_overlap_error(exc):
            raise _taken(space) from exc
        raise
    if details.add_ons:
        booking.add_ons.set(details.add_ons)
    audit_record(
        action="booking.create",
        actor=actor,
        organisation=space.organisation,
        obj=booking,
        data={"title": booking.title, "space": space.name, "start": _when(starts_at)},
    )
    return booking


def weekday_names(days: list[int]) -> str:
    names = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]
    return " ".join(names[day] for day in days)


@dataclass(frozen=True)
class SeriesRule:
    frequency: str
    first_date: date
    last_date: date
    start_time: time
    end_time: time
    skip_dates: tuple[date, ...] = ()
    skip_holidays: bool = True


@transaction.atomic
def booking_series_create(
    *, space: Space, rule: SeriesRule, details: BookingDetails, actor: User | None
) -> BookingSeries:
    """Book a room again and again at the same local time; all dates or none."""
    _validate_details(space, details)
    if rule.frequency not in Frequency.values:
        raise ValidationError({"frequency": [ValidationError(_("Choose how often it repeats."))]})
    if rule.end_time <= rule.start_time:
        raise ValidationError(
            {"end_time": [ValidationError(_("The end must be after the start."))]}
        )
    if rule.last_date < rule.first_date:
        raise ValidationError(
            {"last_date": [ValidationError(_("The last date cannot be before the first."))]}
        )
    dates = occurrence_dates(
        frequency=rule.frequency,
        first_date=rule.first_date,
        last_date=rule.last_date,
        skip=rule.skip_dates,
        skip_holidays=rule.skip_holidays,
    )
    if not dates:
        raise ValidationError(
            {"last_date": [ValidationError(_("These settings leave no dates to book."))]}
        )
    if len(dates) > MAX_SERIES_OCCURRENCES:
        raise ValidationError(
            {
                "last_date": [
                    ValidationError(
                        _("A series has at most %(count)s dates; choose an earlier last date.")
                        % {"count": MAX_SERIES_OCCURRENCES}
                    )
                ]
            }
        )
    intervals = [(to_utc(day, rule.start_time), to_utc(day, rule.end_time)) for day in dates]
    _lock_room(space)
    taken = (
        Booking.objects.filter(space=space)
        .holding_slot()
        .overlapping(intervals[0][0], intervals[-1][1])
    )
    busy = list(taken.values_list("starts_at", "ends_at"))
    clashes = [
        day
        for day, (start, end) in zip(dates, intervals, strict=True)
        if any(other_start < end and start < other_end for other_start, other_end in busy)
    ]
    if clashes:
        listed = ", ".join(formats.date_format(day, "j F Y") for day in clashes[:10])
        raise ValidationError(
            {
                "skip_dates": [
                    ValidationError(
                        _(
                            "%(room)s is already booked on %(dates)s. Add these dates to the dates to skip, or choose another time."
                        )
                        % {"room": space.name, "dates": listed}
                    )
                ]
            }
        )
    series = BookingSeries.objects.create(
        organisation=space.organisation,
        space=space,
        frequency=rule.frequency,
        first_date=rule.first_date,
        last_date=rule.last_date,
        start_time=rule.start_time,
        end_time=rule.end_time,
        skip_holidays=rule.skip_holidays,
    )
    try:
        with transaction.atomic():
            bookings = Booking.objects.bulk_create(
                Booking(
                    series=series,
                    **_booking_values(space, start, end, details, BookingStatus.CONFIRMED),
                )
                for start, end in intervals
            )
    except IntegrityError as exc:
        if is_overlap_error(exc):
            raise _taken(space) from exc
        raise
    if details.add_ons:
        through = Booking.add_ons.through
        through.objects.bulk_create(
            through(booking_id=booking.pk, addon_id=add_on.pk)
            for booking in bookings
            for add_on in details.add_ons
        )
    audit_record(
        action="booking_series.create",
        actor=actor,
        organisation=space.organisation,
        obj=series,
        data={"title": details.title.strip(), "space": space.name, "count": len(bookings)},
    )
    return series


_TRANSITIONS = {
    BookingStatus.CONFIRMED: {BookingStatus.REQUESTED},
    BookingStatus.DECLINED: {BookingStatus.REQUESTED},
    BookingStatus.CANCELLED: {BookingStatus.REQUESTED, BookingStatus.CONFIRMED},
}


@transaction.atomic
def booking_set_status(*, booking: Booking, status: str, actor: User | None) -> Booking:
    """Confirm or decline a request, or cancel a booking (one date of a series too)."""
    booking = Booking.objects.select_for_update().select_related("space").get(pk=booking.pk)
    allowed = (
        _TRANSITIONS.get(BookingStatus(status), set()) if status in BookingStatus.values else set()
    )
    if booking.status not in allowed:
        raise ValidationError(
            _("This booking is %(status)s and cannot be changed that way.")
            % {"status": booking.get_status_display().lower()}
        )
    booking.status = status
    booking.save(update_fields=["status"])
    send_status_mail(booking)
    audit_record(
        action=f"booking.{status}",
        actor=actor,
        organisation=booking.organisation,
        obj=booking,
        data={
            "title": booking.title,
            "space": booking.space.name,
            "start": _when(booking.starts_at),
        },
    )
    return booking


def _send_booking_mail(booking: Booking, template: str, subject: str, *, attach: bool) -> None:
    if not booking.customer_email:
        return
    body = render_to_string(f"premises/email/{template}.txt", {"booking": booking})
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [booking.customer_email])
    if attach:
        message.attach(
            "boeking.ics",
            ical.calendar_bytes([booking], name=booking.space.name, with_customer=False),
            "text/calendar; charset=utf-8; method=PUBLISH",
        )
    message.send()


def send_status_mail(booking: Booking) -> None:
    """Tell the customer about a confirmation (with the .ics file) or a decline."""
    names = {
        "space": booking.space.name,
        "date": formats.date_format(local(booking.starts_at), "j F Y"),
    }
    if booking.status == BookingStatus.CONFIRMED:
        _send_booking_mail(
            booking, "confirmed", _("Booking confirmed: %(space)s on %(date)s") % names, attach=True
        )
    elif booking.status == BookingStatus.DECLINED:
        _send_booking_mail(
            booking,
            "declined",
            _("Booking request declined: %(space)s on %(date)s") % names,
            attach=False,
        )


@transaction.atomic
def booking_request_create(
    *, space: Space, starts_at: datetime, ends_at: datetime, details: BookingDetails
) -> Booking:
    """A request from the public booking page: within opening hours, held until answered."""
    if not space.building.accepts_requests or not space.is_active:
        raise ValidationError(
            {"space": [ValidationError(_("This room cannot be requested here."))]}
        )
    if not details.customer.email:
        raise ValidationError(
            {"customer_email": [ValidationError(_("Give an e-mail address for the answer."))]}
        )
    if details.customer.customer_class == CustomerClass.INTERNAL:
        raise ValidationError({"customer_class": [ValidationError(_("Choose a customer class."))]})
    if starts_at < timezone.now():
        raise ValidationError({"starts_at": [ValidationError(_("Choose a time in the future."))]})
    booking = booking_create(
        space=space,
        starts_at=starts_at,
        ends_at=ends_at,
        details=details,
        status=BookingStatus.REQUESTED,
        actor=None,
        opening_hours_only=True,
    )
    _send_booking_mail(
        booking,
        "request_received",
        _("Request received: %(space)s on %(date)s")
        % {"space": space.name, "date": formats.date_format(local(starts_at), "j F Y")},
        attach=False,
    )
    return booking


@dataclass(frozen=True)
class ComponentData:
    name: str
    planned_year: int
    cost_cents: int
    price_year: int
    interval_years: int | None = None
    notes: str = ""


def _validate_component(data: ComponentData) -> None:
    if not data.name.strip():
        raise ValidationError({"name": [ValidationError(_("Give the component a name."))]})
    for field in ("planned_year", "price_year"):
        if not 1900 <= getattr(data, field) <= 2200:
            raise ValidationError({field: [ValidationError(_("Enter a year such as 2031."))]})
    if data.interval_years is not None and not 1 <= data.interval_years <= 100:
        raise ValidationError(
            {"interval_years": [ValidationError(_("Enter a number of years from 1 to 100."))]}
        )
    if data.cost_cents < 0:
        raise ValidationError({"cost_cents": [ValidationError(_("A value cannot be negative."))]})


@transaction.atomic
def maintenance_component_create(
    *, building: Building, data: ComponentData, actor: User | None
) -> MaintenanceComponent:
    _validate_component(data)
    values = asdict(data)
    values["name"] = data.name.strip()
    component = MaintenanceComponent.objects.create(
        organisation=building.organisation, building=building, **values
    )
    audit_record(
        action="maintenance.create",
        actor=actor,
        organisation=building.organisation,
        obj=component,
        data={"name": component.name, "building": building.name},
    )
    return component


@transaction.atomic
def maintenance_component_update(
    *, component: MaintenanceComponent, data: ComponentData, actor: User | None
) -> MaintenanceComponent:
    _validate_component(data)
    values = asdict(data)
    values["name"] = data.name.strip()
    for field, value in values.items():
        setattr(component, field, value)
    component.save()
    audit_record(
        action="maintenance.update",
        actor=actor,
        organisation=component.organisation,
        obj=component,
        data={"name": component.name, "building": component.building.name},
    )
    return component
