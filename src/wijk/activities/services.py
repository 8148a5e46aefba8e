"""Every write to activities: validated, in a transaction, logged."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wijk.accounts.models import User
from wijk.core.models import audit_record
from wijk.organisations.models import Organisation
from wijk.premises.models import Building

from .models import Activity, Category


@dataclass(frozen=True)
class ActivityData:
    name: str
    category: str = Category.OTHER
    description: str = ""
    building: Building | None = None
    is_active: bool = True


def _validate(organisation: Organisation, data: ActivityData, current: Activity | None) -> None:
    name = data.name.strip()
    if not name:
        raise ValidationError({"name": [ValidationError(_("Give the activity a name."))]})
    clash = Activity.objects.for_organisation(organisation).filter(name__iexact=name)
    if current is not None:
        clash = clash.exclude(pk=current.pk)
    if clash.exists():
        raise ValidationError(
            {"name": [ValidationError(_("%(name)s already exists.") % {"name": name})]}
        )
    if data.category not in Category.values:
        raise ValidationError({"category": [ValidationError(_("Choose a category."))]})
    if data.building is not None and data.building.organisation_id != organisation.pk:
        raise ValidationError({"building": [ValidationError(_("Unknown building."))]})


@transaction.atomic
def activity_create(
    *, organisation: Organisation, data: ActivityData, actor: User | None
) -> Activity:
    _validate(organisation, data, None)
    activity = Activity.objects.create(
        organisation=organisation,
        name=data.name.strip(),
        category=data.category,
        description=data.description.strip(),
        building=data.building,
        is_active=data.is_active,
    )
    audit_record(
        action="activity.create",
        actor=actor,
        organisation=organisation,
        obj=activity,
        data={"name": activity.name},
    )
    return activity


@transaction.atomic
def activity_update(*, activity: Activity, data: ActivityData, actor: User | None) -> Activity:
    _validate(activity.organisation, data, activity)
    activity.name = data.name.strip()
    activity.category = data.category
    activity.description = data.description.strip()
    activity.building = data.building
    activity.is_active = data.is_active
    activity.save()
    audit_record(
        action="activity.update",
        actor=actor,
        organisation=activity.organisation,
        obj=activity,
        data={"name": activity.name},
    )
    return activity
