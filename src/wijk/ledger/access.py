"""Secure fetches of ledger rows: another organisation's row answers 404, like a missing one."""

from __future__ import annotations

from django.http import Http404

from wijk.organisations.access import OrganisationAccess

from .models import Account, FiscalYear, JournalEntry


def access_entry(*, access: OrganisationAccess, entry_id: int) -> JournalEntry:
    try:
        return (
            JournalEntry.objects.for_organisation(access.organisation)
            .select_related("journal", "fiscal_year", "reversal_of", "posted_by", "created_by")
            .get(pk=entry_id)
        )
    except JournalEntry.DoesNotExist as exc:
        raise Http404 from exc


def access_fiscal_year(*, access: OrganisationAccess, fiscal_year_id: int) -> FiscalYear:
    try:
        return FiscalYear.objects.for_organisation(access.organisation).get(pk=fiscal_year_id)
    except FiscalYear.DoesNotExist as exc:
        raise Http404 from exc


def access_account(*, access: OrganisationAccess, account_id: int) -> Account:
    try:
        return Account.objects.for_organisation(access.organisation).get(pk=account_id)
    except Account.DoesNotExist as exc:
        raise Http404 from exc
