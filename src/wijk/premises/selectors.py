"""Reads of buildings."""

from __future__ import annotations

from django.db.models import QuerySet

from wijk.organisations.models import Organisation

from .models import AddOn, Building, Space, Tariff


def building_list(*, organisation: Organisation, active_only: bool = False) -> QuerySet[Building]:
    buildings = Building.objects.for_organisation(organisation)
    if active_only:
        buildings = buildings.filter(is_active=True)
    return buildings.order_by("name")


def space_list(*, building: Building) -> QuerySet[Space]:
    return Space.objects.filter(building=building).order_by("name")


def spaces_of_organisation(*, organisation: Organisation) -> QuerySet[Space]:
    return (
        Space.objects.for_organisation(organisation)
        .select_related("building")
        .order_by("building__name", "name")
    )


def tariffs_of_space(*, space: Space) -> dict[str, Tariff]:
    return {tariff.customer_class: tariff for tariff in Tariff.objects.filter(space=space)}


def add_on_list(*, organisation: Organisation, active_only: bool = False) -> QuerySet[AddOn]:
    add_ons = AddOn.objects.for_organisation(organisation)
    if active_only:
        add_ons = add_ons.filter(is_active=True)
    return add_ons.order_by("kind", "name")
