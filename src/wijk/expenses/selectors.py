"""Reads of expense claims."""

from __future__ import annotations

from django.db.models import QuerySet

from wijk.accounts.models import User
from wijk.ledger.models import Account, AccountType, Fund
from wijk.organisations.models import Organisation

from .models import ExpenseClaim


def claim_list(
    *, organisation: Organisation, user: User, see_all: bool, status: str = ""
) -> QuerySet[ExpenseClaim]:
    """Claims newest first: everybody's for those who may see all, otherwise one's own."""
    claims = ExpenseClaim.objects.for_organisation(organisation).select_related(
        "submitted_by", "account"
    )
    if not see_all:
        claims = claims.filter(submitted_by=user)
    if status in ExpenseClaim.Status.values:
        claims = claims.filter(status=status)
    return claims.order_by("-submitted_at", "-id")


def expense_accounts(*, organisation: Organisation) -> QuerySet[Account]:
    return Account.objects.filter(
        organisation=organisation, type=AccountType.EXPENSE, is_active=True
    ).order_by("number")


def active_funds(*, organisation: Organisation) -> QuerySet[Fund]:
    return Fund.objects.filter(organisation=organisation, is_active=True).order_by("name")
