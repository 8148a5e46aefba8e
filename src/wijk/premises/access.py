"""Secure fetch of a building: another organisation's building answers 404."""

from __future__ import annotations

from django.http import Http404

from wijk.organisations.access import OrganisationAccess

from .models import AddOn, Booking, Building, MaintenanceComponent, Space


def access_building(*, access: OrganisationAccess, building_id: int) -> Building:
    try:
        return Building.objects.for_organisation(access.organisation).get(pk=building_id)
    except Building.DoesNotExist as exc:
        raise Http404 from exc


def access_space(*, access: OrganisationAccess, space_id: int) -> Space:
    try:
        return (
            Space.objects.for_organisation(access.organisation)
            .select_related("building")
            .get(pk=space_id)
        )
    except Space.DoesNotExist as exc:
        raise Http404 from exc


def access_add_on(*, access: OrganisationAccess, add_on_id: int) -> AddOn:
    try:
        return AddOn.objects.for_organisation(access.organisation).get(pk=add_on_id)
    except AddOn.DoesNotExist as exc:
        raise Http404 from exc


def access_booking(*, access: OrganisationAccess, booking_id: int) -> Booking:
    try:
        return (
            Booking.objects.for_organisation(access.organisation)
            .select_related("space", "space__building", "series")
            .get(pk=booking_id)
        )
    except Booking.DoesNotExist as exc:
        raise Http404 from exc


def access_component(*, access: OrganisationAccess, component_id: int) -> MaintenanceComponent:
    try:
        return (
            MaintenanceComponent.objects.for_organisation(access.organisation)
            .select_related("building")
            .get(pk=component_id)
        )
    except MaintenanceComponent.DoesNotExist as exc:
        raise Http404 from exc
