"""Buildings the enterprise runs.

A `Building` is a community centre, village hall, shop or other place the enterprise
owns, rents, holds in leasehold or manages for someone else. Ledger lines may carry a
building as a dimension, so the books show what each building earns and costs (the
"exploitatie" per building). Rooms, tariffs, bookings and the maintenance plan build
on this model.
"""

from __future__ import annotations

from datetime import time

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
