"""Fetching one claim: 404 for another organisation's claim, and for someone else's
claim when the reader may only see their own."""

from __future__ import annotations

from django.http import Http404

from wijk.organisations.access import OrganisationAccess
from wijk.organisations.roles import APPROVE_EXPENSE_CLAIMS, VIEW_EXPENSE_CLAIMS

from .models import ExpenseClaim


def may_see_all_claims(access: OrganisationAccess) -> bool:
    return access.has(VIEW_EXPENSE_CLAIMS | APPROVE_EXPENSE_CLAIMS)


def access_claim(*, access: OrganisationAccess, claim_id: int) -> ExpenseClaim:
    try:
        claim = (
            ExpenseClaim.objects.for_organisation(access.organisation)
            .select_related("submitted_by", "account", "fund", "entry", "payment_entry")
            .get(pk=claim_id)
        )
    except ExpenseClaim.DoesNotExist as exc:
        raise Http404 from exc
    if claim.submitted_by_id != access.user.pk and not may_see_all_claims(access):
        raise Http404
    return claim
