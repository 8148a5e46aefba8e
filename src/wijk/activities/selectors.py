"""Reads of activities."""

from __future__ import annotations

from django.db.models import QuerySet

from wijk.organisations.models import Organisation

from .models import Activity


def activity_list(*, organisation: Organisation, active_only: bool = False) -> QuerySet[Activity]:
    activities = Activity.objects.for_organisation(organisation).select_related("building")
    if active_only:
        activities = activities.filter(is_active=True)
    return activities.order_by("name")
