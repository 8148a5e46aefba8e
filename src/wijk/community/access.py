"""Secure fetch of a person: another organisation's person answers 404."""

from __future__ import annotations

from django.http import Http404

from wijk.organisations.access import OrganisationAccess

from .models import (
    Contract,
    ContractDeadline,
    Partner,
    Person,
    ShareMovement,
    Shift,
    VolunteerHours,
)


def access_person(*, access: OrganisationAccess, person_id: int) -> Person:
    try:
        return Person.objects.for_organisation(access.organisation).get(pk=person_id)
    except Person.DoesNotExist as exc:
        raise Http404 from exc


def access_own_hours(*, access: OrganisationAccess, entry_id: int) -> VolunteerHours:
    """An hours entry of the logged-in user's own person record; anyone else's is a 404."""
    try:
        return VolunteerHours.objects.for_organisation(access.organisation).get(
            pk=entry_id, person__user=access.user, person__anonymised_at__isnull=True
        )
    except VolunteerHours.DoesNotExist as exc:
        raise Http404 from exc


def access_partner(*, access: OrganisationAccess, partner_id: int) -> Partner:
    try:
        return Partner.objects.for_organisation(access.organisation).get(pk=partner_id)
    except Partner.DoesNotExist as exc:
        raise Http404 from exc


def access_contract(*, access: OrganisationAccess, contract_id: int) -> Contract:
    try:
        return (
            Contract.objects.for_organisation(access.organisation)
            .select_related("partner")
            .get(pk=contract_id)
        )
    except Contract.DoesNotExist as exc:
        raise Http404 from exc


def access_deadline(
    *, access: OrganisationAccess, contract: Contract, deadline_id: int
) -> ContractDeadline:
    try:
        return ContractDeadline.objects.select_related("contract").get(
            pk=deadline_id, contract=contract, organisation=access.organisation
        )
    except ContractDeadline.DoesNotExist as exc:
        raise Http404 from exc


def access_share_movement(*, access: OrganisationAccess, movement_id: int) -> ShareMovement:
    try:
        return ShareMovement.objects.for_organisation(access.organisation).get(pk=movement_id)
    except ShareMovement.DoesNotExist as exc:
        raise Http404 from exc


def access_shift(*, access: OrganisationAccess, shift_id: int) -> Shift:
    try:
        return Shift.objects.for_organisation(access.organisation).get(pk=shift_id)
    except Shift.DoesNotExist as exc:
        raise Http404 from exc
