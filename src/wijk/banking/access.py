"""Secure fetches for banking: another organisation's object answers 404."""

from __future__ import annotations

from django.http import Http404

from wijk.organisations.access import OrganisationAccess

from .models import BankAccount


def access_bank_account(*, access: OrganisationAccess, bank_account_id: int) -> BankAccount:
    try:
        return BankAccount.objects.for_organisation(access.organisation).get(pk=bank_account_id)
    except BankAccount.DoesNotExist as exc:
        raise Http404 from exc
