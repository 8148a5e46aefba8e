"""Secure fetch of a person: another organisation's person answers 404."""

from __future__ import annotations

from django.http import Http404

from wijk.organisations.access import OrganisationAccess

from .models import Person


def access_person(*, access: OrganisationAccess, person_id: int) -> Person:
    try:
        return Person.objects.for_organisation(access.organisation).get(pk=person_id)
    except Person.DoesNotExist as exc:
        raise Http404 from exc
