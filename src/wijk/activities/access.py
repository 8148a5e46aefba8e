"""Secure fetch of an activity: another organisation's activity answers 404."""

from __future__ import annotations

from django.http import Http404

from wijk.organisations.access import OrganisationAccess

from .models import Activity, Registration, Session


def access_activity(*, access: OrganisationAccess, activity_id: int) -> Activity:
    try:
        return Activity.objects.for_organisation(access.organisation).get(pk=activity_id)
    except Activity.DoesNotExist as exc:
        raise Http404 from exc


def access_session(*, access: OrganisationAccess, session_id: int) -> Session:
    try:
        return (
            Session.objects.for_organisation(access.organisation)
            .select_related("activity", "building")
            .get(pk=session_id)
        )
    except Session.DoesNotExist as exc:
        raise Http404 from exc


def access_registration(
    *, access: OrganisationAccess, session: Session, registration_id: int
) -> Registration:
    try:
        return Registration.objects.select_related("session__activity").get(
            pk=registration_id, session=session, organisation=access.organisation
        )
    except Registration.DoesNotExist as exc:
        raise Http404 from exc
