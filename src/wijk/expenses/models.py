"""Expense claims (declaraties): money a volunteer spent for the enterprise.

Any member submits a claim with a receipt (PDF, JPEG or PNG, checked from its
content). The treasurer approves it; above the organisation's threshold
(`ExpensePolicy`, € 250 unless the board sets another amount) a second, different
board member approves too. Nobody approves their own claim. The last approval posts
the claim through the ledger's posting service (purchases journal: the expense
account against "expense claims payable"), and paying it posts the bank payment.

States, and the only ways between them (`services.py` enforces them, the database
constraints below back them up)::

    submitted ──approve──▶ partly_approved ──approve──▶ posted ──pay──▶ paid
        │ └──────────────approve (all approvals present)──▶ posted
        └──reject──▶ rejected ◀──reject── partly_approved

Receipts live in the media folder (`receipts/<organisation id>/<random name>`), are
never served from a public URL, and are streamed only to people who may see the claim.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijk.ledger.models import Account, Fund, JournalEntry
from wijk.organisations.models import Organisation, OrganisationOwnedQuerySet

DEFAULT_SECOND_APPROVAL_THRESHOLD_CENTS = 25000


class ExpensePolicy(models.Model):
    """An organisation's rules for claims; absent means the defaults."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="expense_policy"
    )
    second_approval_threshold_cents = models.BigIntegerField(
        _("second approval above (cents)"), default=DEFAULT_SECOND_APPROVAL_THRESHOLD_CENTS
    )

    objects = OrganisationOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("expense claim rules")
        verbose_name_plural = _("expense claim rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(second_approval_threshold_cents__gte=0),
                name="expense_policy_threshold_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class ExpenseClaimQuerySet(OrganisationOwnedQuerySet["ExpenseClaim"]):
    pass


class ExpenseClaim(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        PARTLY_APPROVED = "partly_approved", _("Partly approved")
        REJECTED = "rejected", _("Rejected")
        POSTED = "posted", _("Approved and posted")
        PAID = "paid", _("Paid")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="expense_claims"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="expense_claims"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    date = models.DateField(_("date of the expense"))
    description = models.CharField(_("description"), max_length=200)
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="+", verbose_name=_("expense account")
    )
    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    iban = models.CharField(_("IBAN to pay to"), max_length=34)
    account_holder = models.CharField(_("account holder"), max_length=120)
    receipt_path = models.CharField(max_length=200)
    receipt_content_type = models.CharField(max_length=40)
    receipt_size = models.PositiveIntegerField()
    receipt_original_name = models.CharField(max_length=200, blank=True)
    receipt_sha256 = models.CharField(max_length=64)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    rejected_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.CharField(_("reason"), max_length=500, blank=True)
    entry = models.OneToOneField(
        JournalEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    payment_entry = models.OneToOneField(
        JournalEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)

    objects = ExpenseClaimQuerySet.as_manager()

    class Meta:
        verbose_name = _("expense claim")
        verbose_name_plural = _("expense claims")
        ordering = ["organisation", "-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_cents__gt=0), name="expense_claim_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["submitted", "partly_approved", "rejected", "posted", "paid"]
                ),
                name="expense_claim_status_valid",
            ),
            # A rejection has a reason and a person; only a rejected claim has one.
            models.CheckConstraint(
                condition=(
                    Q(status="rejected")
                    & ~Q(rejection_reason="")
                    & Q(rejected_by__isnull=False)
                    & Q(entry__isnull=True)
                )
                | (~Q(status="rejected") & Q(rejection_reason="")),
                name="expense_claim_rejection_complete",
            ),
            # Posted and paid claims have their entry; earlier states have none.
            models.CheckConstraint(
                condition=(Q(status__in=["posted", "paid"]) & Q(entry__isnull=False))
                | (~Q(status__in=["posted", "paid"]) & Q(entry__isnull=True)),
                name="expense_claim_entry_when_posted",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="paid") & Q(payment_entry__isnull=False) & Q(paid_on__isnull=False)
                )
                | (~Q(status="paid") & Q(payment_entry__isnull=True) & Q(paid_on__isnull=True)),
                name="expense_claim_payment_when_paid",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.description}"

    @property
    def reference(self) -> str:
        return f"D{self.pk}"

    @property
    def is_open_for_approval(self) -> bool:
        return self.status in {self.Status.SUBMITTED, self.Status.PARTLY_APPROVED}


class ExpenseApproval(models.Model):
    """One approval of a claim, in the role it was given: treasurer or board member."""

    class As(models.TextChoices):
        TREASURER = "treasurer", _("treasurer")
        BOARD = "board", _("board member")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    claim = models.ForeignKey(ExpenseClaim, on_delete=models.PROTECT, related_name="approvals")
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_as = models.CharField(max_length=12, choices=As.choices)
    approved_at = models.DateTimeField(default=timezone.now)

    objects = OrganisationOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        ordering = ["approved_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "approver"], name="expense_approval_one_per_person"
            ),
            models.UniqueConstraint(
                fields=["claim", "approved_as"], name="expense_approval_one_per_role"
            ),
            models.CheckConstraint(
                condition=Q(approved_as__in=["treasurer", "board"]),
                name="expense_approval_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.claim_id}: {self.approver_id} ({self.approved_as})"
