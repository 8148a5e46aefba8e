"""Bank accounts, imported bank statements and their lines.

A `BankAccount` is an account the enterprise holds at a bank, known by its IBAN. Each
one is linked to a ledger account of category "cash and bank": money that moves on the
bank account moves on that ledger account.

The treasurer downloads a statement from the bank (CAMT.053, MT940 or CSV) and imports
it. Every line of the statement becomes a `BankLine`, once: a line carries a key made
from what the bank says about it (dates, amount, counterparty, references,
description) and an ordinal that tells genuinely identical lines apart, so importing
the same statement twice adds nothing and overlapping statements add their union.
`Statement` records the balances the bank reported, so gaps between statements show.

A bank line is then *booked*: it becomes a posted entry in the bank journal (bank
ledger account against one or more other accounts), by a rule or by hand.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wijk.organisations.models import Organisation, OrganisationOwnedQuerySet


class BankAccountQuerySet(OrganisationOwnedQuerySet["BankAccount"]):
    pass


class BankAccount(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="bank_accounts"
    )
    iban = models.CharField(_("IBAN"), max_length=34)
    name = models.CharField(_("name"), max_length=80)
    ledger_account = models.ForeignKey(
        "ledger.Account",
        on_delete=models.PROTECT,
        related_name="bank_accounts",
        verbose_name=_("ledger account"),
    )
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BankAccountQuerySet.as_manager()

    class Meta:
        verbose_name = _("bank account")
        verbose_name_plural = _("bank accounts")
        ordering = ["name", "iban"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "iban"], name="bank_account_iban_unique"
            ),
            models.UniqueConstraint(
                fields=["ledger_account"], name="bank_account_ledger_account_unique"
            ),
            models.CheckConstraint(
                condition=Q(iban__regex=r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$"),
                name="bank_account_iban_format",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.iban_display})"

    @property
    def iban_display(self) -> str:
        return " ".join(self.iban[i : i + 4] for i in range(0, len(self.iban), 4))
