"""Every write to buildings, rooms, tariffs and bookings: validated, in a transaction, logged."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wijk.accounts.models import User
from wijk.core.models import audit_record
from wijk.organisations.models import Organisation

from .models import (
    WEEKDAYS,
    AddOn,
    AddOnKind,
    AddOnUnit,
    Building,
    CustomerClass,
    Ownership,
    Space,
    Tariff,
    VatRate,
)


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
