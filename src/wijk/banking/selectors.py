"""Reads of bank accounts, statements, lines and rules."""

from __future__ import annotations

from django.db.models import QuerySet

from wijk.ledger.models import Account, ReportingCategory
from wijk.organisations.models import Organisation

from .models import BankAccount, BankLine, Statement


def bank_account_list(*, organisation: Organisation) -> QuerySet[BankAccount]:
    return (
        BankAccount.objects.for_organisation(organisation)
        .select_related("ledger_account")
        .order_by("name", "iban")
    )


def free_cash_accounts(*, organisation: Organisation) -> QuerySet[Account]:
    """Active ledger accounts of category cash and bank not yet linked to a bank account."""
    return (
        Account.objects.for_organisation(organisation)
        .filter(category=ReportingCategory.CASH, is_active=True, bank_accounts__isnull=True)
        .order_by("number")
    )


def statement_list(*, organisation: Organisation, limit: int = 20) -> QuerySet[Statement]:
    return (
        Statement.objects.for_organisation(organisation)
        .select_related("bank_account")
        .order_by("-imported_at", "-pk")[:limit]
    )


def unmatched_line_count(*, organisation: Organisation) -> int:
    return (
        BankLine.objects.for_organisation(organisation)
        .filter(status=BankLine.Status.UNMATCHED)
        .count()
    )
