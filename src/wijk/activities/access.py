"""Secure fetch of an activity: another organisation's activity answers 404."""

from __future__ import annotations

from django.http import Http404

from wijk.organisations.access import OrganisationAccess

from .models import Activity


def access_activity(*, access: OrganisationAccess, activity_id: int) -> Activity:
    try:
        return Activity.objects.for_organisation(access.organisation).get(pk=activity_id)
    except Activity.DoesNotExist as exc:
        raise Http404 from exc
