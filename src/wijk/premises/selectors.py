"""Reads of buildings."""

from __future__ import annotations

from django.db.models import QuerySet

from wijk.organisations.models import Organisation

from .models import Building


def building_list(*, organisation: Organisation, active_only: bool = False) -> QuerySet[Building]:
    buildings = Building.objects.for_organisation(organisation)
    if active_only:
        buildings = buildings.filter(is_active=True)
    return buildings.order_by("name")
