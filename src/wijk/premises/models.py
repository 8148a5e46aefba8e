"""Buildings the enterprise runs.

A `Building` is a community centre, village hall, shop or other place the enterprise
owns, rents, holds in leasehold or manages for someone else. Ledger lines may carry a
building as a dimension, so the books show what each building earns and costs (the
"exploitatie" per building). Rooms, tariffs, bookings and the maintenance plan build
on this model.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wijk.organisations.models import Organisation, OrganisationOwnedQuerySet


class Ownership(models.TextChoices):
    OWNED = "owned", _("Owned")
    RENTED = "rented", _("Rented")
    LEASEHOLD = "leasehold", _("Leasehold (erfpacht)")
    MANAGED_MUNICIPALITY = "managed_municipality", _("Managed for the municipality")
    MANAGED_HOUSING = "managed_housing", _("Managed for a housing corporation")


class BuildingQuerySet(OrganisationOwnedQuerySet["Building"]):
    pass


class Building(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="buildings"
    )
    name = models.CharField(_("name"), max_length=120)
    street = models.CharField(_("street and number"), max_length=120, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    city = models.CharField(_("town or city"), max_length=80, blank=True)
    ownership = models.CharField(
        _("ownership"), max_length=24, choices=Ownership.choices, default=Ownership.RENTED
    )
    lease_end = models.DateField(
        _("end of lease or management contract"),
        null=True,
        blank=True,
        help_text=_("Leave empty when you own the building or the contract has no end date."),
    )
    floor_area_m2 = models.PositiveIntegerField(_("floor area (m²)"), null=True, blank=True)
    purchase_value_cents = models.BigIntegerField(
        _("purchase value (cents)"), null=True, blank=True
    )
    woz_value_cents = models.BigIntegerField(_("WOZ value (cents)"), null=True, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    maintenance_fund = models.ForeignKey(
        "ledger.Fund",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="maintained_buildings",
        verbose_name=_("maintenance reserve in the books"),
    )
    maintenance_inflation_bp = models.PositiveIntegerField(
        _("yearly price rise for maintenance (basis points)"), default=250
    )
    maintenance_contribution_cents = models.BigIntegerField(
        _("yearly addition to the maintenance reserve (cents)"), default=0
    )
    accepts_requests = models.BooleanField(
        _("accepts booking requests from the public"),
        default=False,
        help_text=_("Anyone can then see the free times of its rooms and ask to book one."),
    )

    objects = BuildingQuerySet.as_manager()

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="building_name_unique"),
            models.CheckConstraint(
                condition=Q(floor_area_m2__isnull=True) | Q(floor_area_m2__gt=0),
                name="building_floor_area_positive",
            ),
            models.CheckConstraint(
                condition=Q(ownership__in=[choice.value for choice in Ownership]),
                name="building_ownership_valid",
            ),
            models.CheckConstraint(
                condition=(Q(purchase_value_cents__isnull=True) | Q(purchase_value_cents__gte=0))
                & (Q(woz_value_cents__isnull=True) | Q(woz_value_cents__gte=0)),
                name="building_values_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name


WEEKDAYS = "0123456"  # Monday = 0, as datetime.date.weekday()


class SpaceQuerySet(OrganisationOwnedQuerySet["Space"]):
    pass


class Space(models.Model):
    """A room or hall in a building that can be booked.

    Opening hours are the same on every open day: `opens_at` to `closes_at` local time
    on the weekdays in `open_days` (digits, Monday = 0). They are the "available hours"
    that occupancy divides by.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="spaces")
    building = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="spaces")
    name = models.CharField(_("name"), max_length=120)
    capacity = models.PositiveIntegerField(_("capacity (people)"), null=True, blank=True)
    area_m2 = models.PositiveIntegerField(_("area (m²)"), null=True, blank=True)
    facilities = models.TextField(_("facilities"), blank=True)
    wheelchair_accessible = models.BooleanField(_("wheelchair accessible"), default=False)
    accessibility = models.TextField(_("accessibility"), blank=True)
    opens_at = models.TimeField(_("opens at"), default=time(8, 0))
    closes_at = models.TimeField(_("closes at"), default=time(23, 0))
    open_days = models.CharField(_("open days"), max_length=7, default=WEEKDAYS)
    is_active = models.BooleanField(_("in use"), default=True)

    objects = SpaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["building__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["building", "name"], name="space_name_unique"),
            models.CheckConstraint(
                condition=(Q(capacity__isnull=True) | Q(capacity__gt=0))
                & (Q(area_m2__isnull=True) | Q(area_m2__gt=0)),
                name="space_sizes_positive",
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="space_opening_hours_order"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def open_weekdays(self) -> list[int]:
        return [int(day) for day in self.open_days]

    @property
    def open_minutes_per_day(self) -> int:
        return (self.closes_at.hour * 60 + self.closes_at.minute) - (
            self.opens_at.hour * 60 + self.opens_at.minute
        )


class CustomerClass(models.TextChoices):
    RESIDENT_INITIATIVE = "resident_initiative", _("Resident initiative")
    NON_PROFIT = "non_profit", _("Non-profit")
    COMMERCIAL = "commercial", _("Commercial")
    INTERNAL = "internal", _("Internal")


class VatRate(models.TextChoices):
    """VAT on a price line. Room hire is exempt unless the organisation opts to tax it."""

    EXEMPT = "exempt", _("Exempt from VAT")
    ZERO = "0", _("0% VAT")
    LOW = "9", _("9% VAT")
    HIGH = "21", _("21% VAT")


def vat_percent(rate: str) -> int:
    return 0 if rate == VatRate.EXEMPT else int(rate)


class Tariff(models.Model):
    """What a customer class pays for a room: per hour, per day-part (4 hours) or per day.

    Any of the three prices may be left empty; a booking pays the cheapest that applies.
    Prices are in cents without VAT.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="tariffs")
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="tariffs")
    customer_class = models.CharField(
        _("customer class"), max_length=24, choices=CustomerClass.choices
    )
    hour_cents = models.PositiveIntegerField(_("price per hour (cents)"), null=True, blank=True)
    daypart_cents = models.PositiveIntegerField(
        _("price per day-part (cents)"), null=True, blank=True
    )
    day_cents = models.PositiveIntegerField(_("price per day (cents)"), null=True, blank=True)
    vat_rate = models.CharField(
        _("VAT"), max_length=8, choices=VatRate.choices, default=VatRate.EXEMPT
    )

    objects = OrganisationOwnedQuerySet["Tariff"].as_manager()

    class Meta:
        verbose_name = _("tariff")
        verbose_name_plural = _("tariffs")
        constraints = [
            models.UniqueConstraint(
                fields=["space", "customer_class"], name="tariff_one_per_class"
            ),
            models.CheckConstraint(
                condition=Q(customer_class__in=CustomerClass.values),
                name="tariff_customer_class_valid",
            ),
            models.CheckConstraint(
                condition=Q(vat_rate__in=VatRate.values), name="tariff_vat_rate_valid"
            ),
            models.CheckConstraint(
                condition=Q(hour_cents__isnull=False)
                | Q(daypart_cents__isnull=False)
                | Q(day_cents__isnull=False),
                name="tariff_has_a_price",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.space} – {self.get_customer_class_display()}"


class AddOnKind(models.TextChoices):
    CATERING = "catering", _("Catering")
    CLEANING = "cleaning", _("Cleaning")
    EQUIPMENT = "equipment", _("Equipment")


class AddOnUnit(models.TextChoices):
    PER_BOOKING = "booking", _("per booking")
    PER_PERSON = "person", _("per person")
    PER_HOUR = "hour", _("per hour")


class AddOn(models.Model):
    """Something extra a booking can order: coffee and tea, cleaning, a projector."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="booking_add_ons"
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=AddOnKind.choices)
    unit = models.CharField(_("charged"), max_length=16, choices=AddOnUnit.choices)
    price_cents = models.PositiveIntegerField(_("price (cents)"))
    vat_rate = models.CharField(_("VAT"), max_length=8, choices=VatRate.choices)
    is_active = models.BooleanField(_("in use"), default=True)

    objects = OrganisationOwnedQuerySet["AddOn"].as_manager()

    class Meta:
        verbose_name = _("extra")
        verbose_name_plural = _("extras")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="add_on_name_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=AddOnKind.values), name="add_on_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(unit__in=AddOnUnit.values), name="add_on_unit_valid"
            ),
            models.CheckConstraint(
                condition=Q(vat_rate__in=VatRate.values), name="add_on_vat_rate_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Every week")
    FORTNIGHTLY = "fortnightly", _("Every two weeks")
    MONTHLY = "monthly", _("Every month (same weekday)")


class BookingStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


MAX_BOOKING_DAYS = 7

# A request holds its slot until the coordinator declines it; so does a confirmed booking.
HOLDS_SLOT = (BookingStatus.REQUESTED.value, BookingStatus.CONFIRMED.value)


class CustomerKind(models.TextChoices):
    ORGANISATION = "organisation", _("An organisation or group")
    PERSON = "person", _("A person")


class BookingSeries(models.Model):
    """A recurring booking: the same room at the same local time, week after week.

    The series keeps the rule; every occurrence is a `Booking` of its own, so one
    evening can be cancelled (an exception) without touching the others.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="booking_series"
    )
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="series")
    frequency = models.CharField(_("repeats"), max_length=16, choices=Frequency.choices)
    first_date = models.DateField(_("first date"))
    last_date = models.DateField(_("last date"))
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))
    skip_holidays = models.BooleanField(_("skip public holidays"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganisationOwnedQuerySet["BookingSeries"].as_manager()

    class Meta:
        verbose_name = _("recurring booking")
        verbose_name_plural = _("recurring bookings")
        constraints = [
            models.CheckConstraint(
                condition=Q(frequency__in=Frequency.values), name="series_frequency_valid"
            ),
            models.CheckConstraint(
                condition=Q(last_date__gte=models.F("first_date")), name="series_dates_order"
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")), name="series_times_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.space} ({self.get_frequency_display()})"


class BookingQuerySet(OrganisationOwnedQuerySet["Booking"]):
    def holding_slot(self) -> BookingQuerySet:
        return self.filter(status__in=HOLDS_SLOT)

    def overlapping(self, starts_at: datetime, ends_at: datetime) -> BookingQuerySet:
        """Half-open intervals [starts_at, ends_at): touching bookings do not overlap.

        No booking lasts longer than `MAX_BOOKING_DAYS` (the services refuse it), so
        the search can start that long before `starts_at`: the index on (space,
        starts_at) then reads only a few rows, however many years of bookings exist.
        """
        return self.filter(
            starts_at__lt=ends_at,
            starts_at__gte=starts_at - timedelta(days=MAX_BOOKING_DAYS),
            ends_at__gt=starts_at,
        )


class Booking(models.Model):
    """One use of a room from `starts_at` up to (not including) `ends_at`.

    Times are stored as aware UTC datetimes in whole minutes and shown in local time
    (Europe/Amsterdam). The database refuses two bookings that hold the same room at
    overlapping times: an exclusion constraint on PostgreSQL, a trigger on SQLite
    (see `overlap.py`).
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="bookings"
    )
    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="bookings")
    series = models.ForeignKey(
        BookingSeries, on_delete=models.CASCADE, null=True, blank=True, related_name="bookings"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(
        _("status"), max_length=16, choices=BookingStatus.choices, default=BookingStatus.CONFIRMED
    )
    title = models.CharField(_("what for"), max_length=160)
    customer_kind = models.CharField(
        _("booked by"), max_length=16, choices=CustomerKind.choices, default=CustomerKind.PERSON
    )
    customer_name = models.CharField(_("name of the customer"), max_length=160)
    customer_email = models.EmailField(_("e-mail of the customer"), blank=True)
    customer_class = models.CharField(
        _("customer class"), max_length=24, choices=CustomerClass.choices
    )
    people = models.PositiveIntegerField(_("number of people"), null=True, blank=True)
    add_ons = models.ManyToManyField(AddOn, blank=True, verbose_name=_("extras"))
    notes = models.TextField(_("notes"), blank=True)
    price_net_cents = models.BigIntegerField(_("price without VAT (cents)"), default=0)
    price_vat_cents = models.BigIntegerField(_("VAT (cents)"), default=0)
    # The price lines as quoted when booked (room hire, then each extra), so the invoice
    # charges what was agreed even after a tariff changes. See `invoicing.py`.
    price_lines = models.JSONField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["space", "starts_at"], name="booking_space_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="booking_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(status__in=BookingStatus.values), name="booking_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(customer_class__in=CustomerClass.values),
                name="booking_customer_class_valid",
            ),
            models.CheckConstraint(
                condition=Q(customer_kind__in=CustomerKind.values),
                name="booking_customer_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.space})"

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class BookingInvoiceQuerySet(OrganisationOwnedQuerySet["BookingInvoice"]):
    def holding(self) -> BookingInvoiceQuerySet:
        """Links that still count: not released after their invoice was credited."""
        return self.filter(released=False)


class BookingInvoice(models.Model):
    """Which sales invoice charges a booking.

    The database keeps a booking on at most one invoice: a partial unique index on
    `booking` over the links that are not released. When the invoice is credited
    (a credit note cancels it), invoicing releases the link, so the booking can be
    charged again, for instance after a correction. Deleting a draft invoice removes
    its links.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="invoice_links")
    invoice = models.ForeignKey(
        "sales.Invoice", on_delete=models.CASCADE, related_name="booking_links"
    )
    released = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BookingInvoiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("invoiced booking")
        verbose_name_plural = _("invoiced bookings")
        constraints = [
            models.UniqueConstraint(
                fields=["booking"],
                condition=Q(released=False),
                name="booking_invoiced_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.booking_id} -> {self.invoice_id}"


class MaintenanceComponent(models.Model):
    """A part of a building in the maintenance plan (MJOP): roof, boiler, paintwork.

    The cost is at the price level of `price_year`; the plan raises it by the
    building's yearly price rise. With an interval the work comes back every so many
    years after `planned_year`.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="maintenance_components"
    )
    building = models.ForeignKey(
        Building, on_delete=models.CASCADE, related_name="maintenance_components"
    )
    name = models.CharField(_("component"), max_length=120)
    planned_year = models.PositiveIntegerField(_("planned year"))
    interval_years = models.PositiveIntegerField(_("every so many years"), null=True, blank=True)
    cost_cents = models.BigIntegerField(_("cost (cents)"))
    price_year = models.PositiveIntegerField(_("price level of year"))
    notes = models.TextField(_("notes"), blank=True)

    objects = OrganisationOwnedQuerySet["MaintenanceComponent"].as_manager()

    class Meta:
        verbose_name = _("maintenance component")
        verbose_name_plural = _("maintenance components")
        ordering = ["planned_year", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cost_cents__gte=0), name="maintenance_cost_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(interval_years__isnull=True) | Q(interval_years__gt=0),
                name="maintenance_interval_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name
