"""Secure fetches for banking: another organisation's object answers 404."""

from __future__ import annotations

from django.http import Http404

from wijk.organisations.access import OrganisationAccess

from .models import BankAccount, BankLine


def access_bank_account(*, access: OrganisationAccess, bank_account_id: int) -> BankAccount:
    try:
        return BankAccount.objects.for_organisation(access.organisation).get(pk=bank_account_id)
    except BankAccount.DoesNotExist as exc:
        raise Http404 from exc


def access_bank_line(*, access: OrganisationAccess, bank_line_id: int) -> BankLine:
    try:
        return (
            BankLine.objects.for_organisation(access.organisation)
            .select_related("bank_account__ledger_account", "journal_entry")
            .get(pk=bank_line_id)
        )
    except BankLine.DoesNotExist as exc:
        raise Http404 from exc
