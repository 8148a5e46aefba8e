"""Reads of expense claims."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import ngettext

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


@dataclass(frozen=True)
class ClaimsSummary:
    waiting_for_me: int
    to_pay: int
    mine_open: int


def claims_summary(*, organisation: Organisation, user: User, can_approve: bool) -> ClaimsSummary:
    """For the dashboard: what waits for this person's decision or payment, and their own."""
    claims = ExpenseClaim.objects.for_organisation(organisation)
    open_states = [ExpenseClaim.Status.SUBMITTED, ExpenseClaim.Status.PARTLY_APPROVED]
    counts = claims.aggregate(
        waiting=Count(
            "pk",
            filter=Q(status__in=open_states) & ~Q(submitted_by=user) & ~Q(approvals__approver=user),
            distinct=True,
        ),
        to_pay=Count("pk", filter=Q(status=ExpenseClaim.Status.POSTED), distinct=True),
        mine=Count(
            "pk",
            filter=Q(submitted_by=user, status__in=[*open_states, ExpenseClaim.Status.POSTED]),
            distinct=True,
        ),
    )
    return ClaimsSummary(
        waiting_for_me=counts["waiting"] if can_approve else 0,
        to_pay=counts["to_pay"] if can_approve else 0,
        mine_open=counts["mine"],
    )


def person_open_claims_reason(person: Any) -> str | None:
    """Anonymisation blocker: an expense claim of the person's login is not settled.

    Claims belong to a login (`submitted_by`); a person with a linked login whose
    claim is still to be decided, or approved and not yet paid, is owed money.
    """
    if person.user_id is None:
        return None
    count = ExpenseClaim.objects.filter(
        organisation_id=person.organisation_id,
        submitted_by_id=person.user_id,
        status__in=[
            ExpenseClaim.Status.SUBMITTED,
            ExpenseClaim.Status.PARTLY_APPROVED,
            ExpenseClaim.Status.POSTED,
        ],
    ).count()
    if not count:
        return None
    return str(
        ngettext(
            "%(count)s expense claim of this person is not decided or not paid yet.",
            "%(count)s expense claims of this person are not decided or not paid yet.",
            count,
        )
        % {"count": count}
    )
