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

from django.conf import settings
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


class StatementQuerySet(OrganisationOwnedQuerySet["Statement"]):
    pass


class Statement(models.Model):
    """One statement as the bank reported it: its balances and the file it came in."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="bank_statements"
    )
    bank_account = models.ForeignKey(
        BankAccount, on_delete=models.PROTECT, related_name="statements"
    )
    format = models.CharField(_("format"), max_length=20)
    file_name = models.CharField(_("file"), max_length=255)
    statement_id = models.CharField(_("statement number"), max_length=80, blank=True)
    opening_balance_cents = models.BigIntegerField(_("opening balance (cents)"), null=True)
    opening_date = models.DateField(_("opening date"), null=True)
    closing_balance_cents = models.BigIntegerField(_("closing balance (cents)"), null=True)
    closing_date = models.DateField(_("closing date"), null=True)
    lines_in_file = models.PositiveIntegerField(default=0)
    lines_added = models.PositiveIntegerField(default=0)
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = StatementQuerySet.as_manager()

    class Meta:
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")
        ordering = ["-closing_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lines_added__lte=models.F("lines_in_file")),
                name="statement_added_not_more_than_in_file",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bank_account.iban} {self.opening_date}–{self.closing_date}"


class BankLineQuerySet(OrganisationOwnedQuerySet["BankLine"]):
    pass


class BankLine(models.Model):
    """One movement on the bank account, stored once however often it is imported."""

    class Status(models.TextChoices):
        UNMATCHED = "unmatched", _("To reconcile")
        BOOKED = "booked", _("Booked")

    # No index of their own: (organisation, status) and the unique (bank_account, key,
    # ordinal) start with them, and every extra index costs each of a statement's
    # many thousand inserted lines.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="bank_lines", db_index=False
    )
    bank_account = models.ForeignKey(
        BankAccount, on_delete=models.PROTECT, related_name="lines", db_index=False
    )
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="lines")
    booking_date = models.DateField(_("booking date"))
    value_date = models.DateField(_("value date"), null=True, blank=True)
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    counterparty_iban = models.CharField(_("counterparty IBAN"), max_length=40, blank=True)
    counterparty_name = models.CharField(_("counterparty"), max_length=140, blank=True)
    description = models.TextField(_("description"), blank=True)
    end_to_end_reference = models.CharField(_("end-to-end reference"), max_length=140, blank=True)
    bank_reference = models.CharField(_("bank reference"), max_length=140, blank=True)
    # What the bank said about the line, hashed; with `ordinal` unique per account.
    key = models.CharField(max_length=64)
    ordinal = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.UNMATCHED
    )
    journal_entry = models.ForeignKey(
        "ledger.JournalEntry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bank_lines",
    )
    matched_by = models.CharField(max_length=40, blank=True)
    rule = models.ForeignKey(
        "BookingRule", on_delete=models.SET_NULL, null=True, blank=True, related_name="lines"
    )

    objects = BankLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("bank line")
        verbose_name_plural = _("bank lines")
        ordering = ["booking_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["bank_account", "key", "ordinal"], name="bank_line_key_unique"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["unmatched", "booked"]), name="bank_line_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="unmatched", journal_entry__isnull=True)
                | Q(status="booked", journal_entry__isnull=False),
                name="bank_line_booked_has_entry",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "status"], name="bank_line_status_idx")]

    def __str__(self) -> str:
        return f"{self.booking_date} {self.amount_cents} {self.counterparty_name}"


class BookingRuleQuerySet(OrganisationOwnedQuerySet["BookingRule"]):
    pass


class BookingRule(models.Model):
    """Book every bank line that fits this rule to one account, with its dimensions.

    A rule fits a line when each criterion it has fits: the counterparty's IBAN (exact),
    its name, and words in the description (both: contained, regardless of case). The
    treasurer makes a rule from a line in one click; the import applies rules to new
    lines.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="booking_rules"
    )
    counterparty_iban = models.CharField(_("counterparty IBAN"), max_length=40, blank=True)
    counterparty_name = models.CharField(
        _("counterparty name contains"), max_length=140, blank=True
    )
    description_contains = models.CharField(_("description contains"), max_length=140, blank=True)
    account = models.ForeignKey(
        "ledger.Account", on_delete=models.PROTECT, related_name="+", verbose_name=_("account")
    )
    building = models.ForeignKey(
        "premises.Building", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    activity = models.ForeignKey(
        "activities.Activity", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    fund = models.ForeignKey(
        "ledger.Fund", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BookingRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("booking rule")
        verbose_name_plural = _("booking rules")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(counterparty_iban="", counterparty_name="", description_contains=""),
                name="booking_rule_has_a_criterion",
            ),
        ]

    def __str__(self) -> str:
        return " · ".join(
            part
            for part in (self.counterparty_iban, self.counterparty_name, self.description_contains)
            if part
        )

    def fits(self, line: BankLine) -> bool:
        if self.counterparty_iban and self.counterparty_iban != line.counterparty_iban.upper():
            return False
        if (
            self.counterparty_name
            and self.counterparty_name.lower() not in line.counterparty_name.lower()
        ):
            return False
        return not (
            self.description_contains
            and self.description_contains.lower() not in line.description.lower()
        )
