"""Reads of bank accounts, statements, lines and rules."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from wijk.ledger.models import Account, JournalLine, ReportingCategory
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


def unmatched_line_list(*, organisation: Organisation, limit: int = 100) -> list[BankLine]:
    return list(
        BankLine.objects.for_organisation(organisation)
        .filter(status=BankLine.Status.UNMATCHED)
        .select_related("bank_account")
        .order_by("booking_date", "pk")[:limit]
    )


def unmatched_line_ids(*, organisation: Organisation) -> list[int]:
    return list(
        BankLine.objects.for_organisation(organisation)
        .filter(status=BankLine.Status.UNMATCHED)
        .values_list("pk", flat=True)
    )


def suggested_accounts(*, organisation: Organisation, lines: list[BankLine]) -> dict[int, int]:
    """For each line, the account its counterparty was booked to most recently (line id → id).

    Learned from earlier bookings: the entry's other line than the bank's, of the latest
    booked bank line with the same counterparty IBAN, or else the same name.
    """
    ibans = {line.counterparty_iban for line in lines if line.counterparty_iban}
    names = {line.counterparty_name for line in lines if line.counterparty_name}
    if not ibans and not names:
        return {}
    booked = (
        BankLine.objects.for_organisation(organisation)
        .filter(status=BankLine.Status.BOOKED)
        .filter(Q(counterparty_iban__in=ibans) | Q(counterparty_name__in=names))
        .order_by("booking_date", "pk")
        .values_list(
            "counterparty_iban",
            "counterparty_name",
            "journal_entry_id",
            "bank_account__ledger_account_id",
        )
    )
    rows = list(booked)
    bank_ledger = {row[2]: row[3] for row in rows}
    other_account: dict[int, int] = {}
    for entry_id, account_id in (
        JournalLine.objects.filter(entry_id__in=list(bank_ledger))
        .order_by("pk")
        .values_list("entry_id", "account_id")
    ):
        if account_id != bank_ledger[entry_id]:
            other_account.setdefault(entry_id, account_id)
    by_iban: dict[str, int] = {}
    by_name: dict[str, int] = {}
    for iban, name, entry_id, _bank in rows:  # oldest first: the latest booking wins
        if entry_id not in other_account:
            continue
        if iban:
            by_iban[iban] = other_account[entry_id]
        if name:
            by_name[name] = other_account[entry_id]
    result: dict[int, int] = {}
    for line in lines:
        account = by_iban.get(line.counterparty_iban) or by_name.get(line.counterparty_name)
        if account:
            result[line.pk] = account
    return result
