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

from .models import WEEKDAYS, Building, Ownership, Space


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
