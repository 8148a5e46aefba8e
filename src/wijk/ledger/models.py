"""The books: double-entry bookkeeping for a community enterprise.

Every euro is a `JournalLine` on a `JournalEntry`. An entry's lines balance: the sum
of debits equals the sum of credits. An entry starts as a draft (editable), and is
posted by one service (`services.journal_entry_post`). A posted entry never changes
again: database triggers refuse every UPDATE and DELETE of a posted entry and of its
lines, whatever path the change takes (ORM, bulk operations, raw SQL). Mistakes are
corrected by a reversal: a new entry with debit and credit swapped.

Posted entries are numbered without gaps per journal and fiscal year, and chained per
organisation by a SHA-256 hash of their content and the previous entry's hash, so a
change behind the application's back shows up in `wijk verify-ledger`.

Each `Account` comes from a template derived from the Dutch reference chart of
accounts (RGS) and carries a reporting category (trading, public grants, staff, …),
which makes figures such as financial independence comparable between enterprises.
Amounts are integer cents.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wijk.organisations.models import Organisation, OrganisationOwnedQuerySet


class AccountType(models.TextChoices):
    ASSET = "asset", _("Asset")
    LIABILITY = "liability", _("Liability")
    EQUITY = "equity", _("Reserves and funds")
    INCOME = "income", _("Income")
    EXPENSE = "expense", _("Expense")


class ReportingCategory(models.TextChoices):
    # Income
    TRADING = "trading", _("Trading (room hire, sales, catering)")
    SERVICE_CONTRACTS = "service_contracts", _("Service contracts")
    PUBLIC_GRANTS = "public_grants", _("Public grants")
    PRIVATE_GRANTS = "private_grants", _("Private grants and charitable funds")
    DONATIONS = "donations", _("Donations and gifts")
    MEMBERSHIP_FEES = "membership_fees", _("Membership fees")
    OTHER_INCOME = "other_income", _("Other income")
    # Expenses
    STAFF = "staff", _("Staff")
    PREMISES = "premises", _("Premises")
    ACTIVITIES = "activities", _("Activities")
    MATERIALS = "materials", _("Materials")
    OVERHEAD = "overhead", _("Overhead")
    DEPRECIATION = "depreciation", _("Depreciation")
    FINANCIAL = "financial", _("Financial costs")
    # Balance sheet
    FIXED_ASSETS = "fixed_assets", _("Fixed assets")
    CURRENT_ASSETS = "current_assets", _("Receivables and other current assets")
    CASH = "cash", _("Cash and bank")
    GENERAL_RESERVE = "general_reserve", _("General reserve")
    DESIGNATED_RESERVES = "designated_reserves", _("Designated reserves")
    RESTRICTED_FUNDS = "restricted_funds", _("Restricted funds")
    PROVISIONS = "provisions", _("Provisions")
    LONG_TERM_LIABILITIES = "long_term_liabilities", _("Long-term liabilities")
    CURRENT_LIABILITIES = "current_liabilities", _("Current liabilities")


C = ReportingCategory
CATEGORIES_BY_TYPE: dict[str, frozenset[str]] = {
    AccountType.INCOME: frozenset(
        {
            C.TRADING,
            C.SERVICE_CONTRACTS,
            C.PUBLIC_GRANTS,
            C.PRIVATE_GRANTS,
            C.DONATIONS,
            C.MEMBERSHIP_FEES,
            C.OTHER_INCOME,
        }
    ),
    AccountType.EXPENSE: frozenset(
        {C.STAFF, C.PREMISES, C.ACTIVITIES, C.MATERIALS, C.OVERHEAD, C.DEPRECIATION, C.FINANCIAL}
    ),
    AccountType.ASSET: frozenset({C.FIXED_ASSETS, C.CURRENT_ASSETS, C.CASH}),
    AccountType.LIABILITY: frozenset(
        {C.PROVISIONS, C.LONG_TERM_LIABILITIES, C.CURRENT_LIABILITIES}
    ),
    AccountType.EQUITY: frozenset({C.GENERAL_RESERVE, C.DESIGNATED_RESERVES, C.RESTRICTED_FUNDS}),
}
# Income the enterprise earns itself; the base of financial independence.
EARNED_INCOME: frozenset[str] = frozenset({C.TRADING, C.SERVICE_CONTRACTS})


class AccountQuerySet(OrganisationOwnedQuerySet["Account"]):
    pass


class Account(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="accounts"
    )
    number = models.CharField(_("number"), max_length=10)
    rgs_code = models.CharField(_("RGS code"), max_length=30, blank=True)
    rgs_reference = models.CharField(_("RGS reference number"), max_length=20, blank=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    type = models.CharField(_("type"), max_length=12, choices=AccountType.choices)
    category = models.CharField(
        _("reporting category"), max_length=30, choices=ReportingCategory.choices
    )
    is_active = models.BooleanField(_("in use"), default=True)

    objects = AccountQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger account")
        verbose_name_plural = _("ledger accounts")
        ordering = ["organisation", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"], name="account_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(type__in=[t.value for t in AccountType]), name="account_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(category__in=[c.value for c in ReportingCategory]),
                name="account_category_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "nl").startswith("en") else self.name_nl

    @property
    def is_balance_sheet(self) -> bool:
        return self.type in {AccountType.ASSET, AccountType.LIABILITY, AccountType.EQUITY}


class Fund(models.Model):
    """Money bound to a purpose: by a funder (restricted fund) or by the board (designated reserve)."""

    class Kind(models.TextChoices):
        RESTRICTED_FUND = "restricted_fund", _("Restricted fund (bestemmingsfonds)")
        DESIGNATED_RESERVE = "designated_reserve", _("Designated reserve (bestemmingsreserve)")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="funds")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    account = models.ForeignKey(
        Account,
        on_delete=models.PROTECT,
        related_name="funds",
        verbose_name=_("equity account"),
    )
    purpose = models.TextField(_("purpose"), blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    objects = OrganisationOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="fund_name_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=["restricted_fund", "designated_reserve"]),
                name="fund_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class FiscalYear(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="fiscal_years"
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = OrganisationOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("fiscal year")
        verbose_name_plural = _("fiscal years")
        ordering = ["organisation", "start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "start_date"], name="fiscal_year_unique"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date")), name="fiscal_year_order"
            ),
        ]

    def __str__(self) -> str:
        if self.start_date.month == 1:
            return str(self.start_date.year)
        return f"{self.start_date.year}/{self.end_date.year}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def contains(self, day: date) -> bool:
        return self.start_date <= day <= self.end_date


class PeriodLock(models.Model):
    """A closed month (soft lock): postings need the treasurer's logged override."""

    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.PROTECT, related_name="period_locks"
    )
    month_start = models.DateField(_("month"))
    closed_at = models.DateTimeField(default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("closed period")
        verbose_name_plural = _("closed periods")
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "month_start"], name="period_lock_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.month_start.strftime("%m-%Y")


class Journal(models.Model):
    class Kind(models.TextChoices):
        BANK = "bank", _("Bank")
        CASH = "cash", _("Cash")
        SALES = "sales", _("Sales")
        PURCHASES = "purchases", _("Purchases")
        GENERAL = "general", _("General")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="journals"
    )
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)

    objects = OrganisationOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("journal")
        verbose_name_plural = _("journals")
        ordering = ["organisation", "code"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="journal_code_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=["bank", "cash", "sales", "purchases", "general"]),
                name="journal_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class JournalSequence(models.Model):
    """The last number used per journal and fiscal year; locked while posting."""

    journal = models.ForeignKey(Journal, on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="+")
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["journal", "fiscal_year"], name="journal_sequence_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.journal_id}/{self.fiscal_year_id}: {self.last_number}"


class LedgerChain(models.Model):
    """The head of an organisation's hash chain; locked while posting so posts queue up."""

    organisation = models.OneToOneField(Organisation, on_delete=models.PROTECT, related_name="+")
    length = models.PositiveBigIntegerField(default=0)
    head_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.length}"


class JournalEntryQuerySet(OrganisationOwnedQuerySet["JournalEntry"]):
    def posted(self) -> JournalEntryQuerySet:
        return self.filter(status=JournalEntry.Status.POSTED)


class JournalEntry(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        POSTED = "posted", _("Posted")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="journal_entries"
    )
    journal = models.ForeignKey(Journal, on_delete=models.PROTECT, related_name="entries")
    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    date = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=255)
    reference = models.CharField(_("reference"), max_length=80, blank=True)
    counterparty = models.CharField(
        _("counterparty"),
        max_length=140,
        blank=True,
        help_text=_("Who paid or was paid: a funder, customer or supplier."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    reversal_of = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by"
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    posted_at = models.DateTimeField(null=True, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_closing = models.BooleanField(
        _("closing entry"),
        default=False,
        help_text=_(
            "Moves the year's result to reserves and funds; left out of the year's income statement."
        ),
    )
    override_reason = models.CharField(
        _("reason for posting into a closed period"), max_length=255, blank=True
    )
    chain_index = models.PositiveBigIntegerField(null=True, blank=True)
    previous_hash = models.CharField(max_length=64, blank=True)
    entry_hash = models.CharField(max_length=64, blank=True)

    objects = JournalEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        ordering = ["organisation", "date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["journal", "fiscal_year", "number"],
                condition=Q(number__isnull=False),
                name="entry_number_unique",
            ),
            models.UniqueConstraint(
                fields=["organisation", "chain_index"],
                condition=Q(chain_index__isnull=False),
                name="entry_chain_unique",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "posted"]), name="entry_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | (
                    Q(number__isnull=False)
                    & Q(fiscal_year__isnull=False)
                    & Q(chain_index__isnull=False)
                    & Q(posted_at__isnull=False)
                    & ~Q(entry_hash="")
                ),
                name="entry_posted_complete",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "status", "date"])]

    def __str__(self) -> str:
        if self.number is not None:
            return f"{self.journal.code} {self.fiscal_year} #{self.number}"
        return _("%(journal)s draft %(id)s") % {"journal": self.journal.code, "id": self.pk}

    @property
    def is_posted(self) -> bool:
        return self.status == self.Status.POSTED


class JournalLine(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    entry = models.ForeignKey(JournalEntry, on_delete=models.CASCADE, related_name="lines")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="lines")
    debit_cents = models.BigIntegerField(_("debit (cents)"), default=0)
    credit_cents = models.BigIntegerField(_("credit (cents)"), default=0)
    description = models.CharField(_("description"), max_length=255, blank=True)
    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, null=True, blank=True, related_name="lines"
    )
    # Dimensions: what the line is for. Reports group income and costs by them.
    building = models.ForeignKey(
        "premises.Building",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_lines",
        verbose_name=_("building"),
    )
    activity = models.ForeignKey(
        "activities.Activity",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_lines",
        verbose_name=_("activity"),
    )

    objects = OrganisationOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("journal line")
        verbose_name_plural = _("journal lines")
        ordering = ["entry", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(debit_cents__gt=0) & Q(credit_cents=0))
                | (Q(debit_cents=0) & Q(credit_cents__gt=0)),
                name="line_one_side_positive",
            ),
        ]
        indexes = [models.Index(fields=["account", "entry"])]

    def __str__(self) -> str:
        return f"{self.account} D{self.debit_cents} C{self.credit_cents}"


class BudgetLine(models.Model):
    """The budget for one account in one month of a fiscal year.

    Amounts in cents, in the account's own direction: expected income for an income
    account, expected costs for an expense account, both positive. A line without a
    building or activity belongs to the organisation's budget; a line with one of them
    is that building's or activity's own budget (the result per building compares
    with it), kept apart so nothing is counted twice.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.PROTECT, related_name="budget_lines"
    )
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="budget_lines")
    month_start = models.DateField(_("month"))
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    building = models.ForeignKey(
        "premises.Building",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_lines",
        verbose_name=_("building"),
    )
    activity = models.ForeignKey(
        "activities.Activity",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_lines",
        verbose_name=_("activity"),
    )

    objects = OrganisationOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(building__isnull=True) | Q(activity__isnull=True),
                name="budget_line_one_dimension",
            ),
            models.UniqueConstraint(
                fields=["fiscal_year", "account", "month_start"],
                condition=Q(building__isnull=True, activity__isnull=True),
                name="budget_line_unique",
            ),
            models.UniqueConstraint(
                fields=["fiscal_year", "account", "month_start", "building"],
                condition=Q(building__isnull=False),
                name="budget_line_building_unique",
            ),
            models.UniqueConstraint(
                fields=["fiscal_year", "account", "month_start", "activity"],
                condition=Q(activity__isnull=False),
                name="budget_line_activity_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.month_start:%Y-%m}: {self.amount_cents}"


class LedgerImport(models.Model):
    """One file read into the books: opening balances, or history from another package (XAF).

    The file's SHA-256 makes an import idempotent: the same file is refused the second
    time. An opening-balance import names its fiscal year (one per year, so a year never
    gets two opening entries); an XAF import records its source transactions in
    `ImportedTransaction`, so an overlapping file adds only what is new.
    """

    class Kind(models.TextChoices):
        OPENING_BALANCES = "opening_balances", _("Opening balances")
        XAF = "xaf", _("Audit file (XAF)")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="ledger_imports"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    file_name = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(max_length=64)
    opening_year = models.OneToOneField(
        FiscalYear,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opening_import",
        verbose_name=_("opening balance of"),
    )
    opening_entry = models.OneToOneField(
        JournalEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entries_count = models.PositiveIntegerField(_("entries"), default=0)
    summary = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = OrganisationOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["organisation", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "sha256"], name="ledger_import_file_once"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["opening_balances", "xaf"]), name="ledger_import_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name}"


class ImportedTransaction(models.Model):
    """A source transaction of an XAF import and the entry it became (imported once)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    ledger_import = models.ForeignKey(
        LedgerImport, on_delete=models.PROTECT, related_name="transactions"
    )
    source_key = models.CharField(max_length=255)
    entry = models.OneToOneField(JournalEntry, on_delete=models.PROTECT, related_name="+")

    objects = OrganisationOwnedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "source_key"], name="imported_transaction_once"
            ),
        ]

    def __str__(self) -> str:
        return self.source_key


class AccountMonthBalance(models.Model):
    """Posted debits and credits of one account in one month, rolled up while posting.

    `journal_entries_post` adds each posted entry's lines here in the same transaction,
    so reports read one row per account and month instead of every line. The amounts
    only grow (a reversal adds to the other side), and the figures of entries that
    close a year are also kept apart, so the statement of income and expenditure can
    leave them out. Database triggers refuse deleting a row, lowering an amount,
    changing what a row is about, and any change in a closed fiscal year;
    `wijk verify-ledger` checks every row against the lines.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="month_balances")
    month_start = models.DateField(_("month"))
    debit_cents = models.BigIntegerField(_("debit (cents)"), default=0)
    credit_cents = models.BigIntegerField(_("credit (cents)"), default=0)
    closing_debit_cents = models.BigIntegerField(default=0)
    closing_credit_cents = models.BigIntegerField(default=0)

    objects = OrganisationOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("balance per account and month")
        verbose_name_plural = _("balances per account and month")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "account", "month_start"],
                name="account_month_balance_unique",
            ),
            models.CheckConstraint(
                condition=Q(debit_cents__gte=0)
                & Q(credit_cents__gte=0)
                & Q(closing_debit_cents__gte=0)
                & Q(closing_credit_cents__gte=0)
                & Q(closing_debit_cents__lte=models.F("debit_cents"))
                & Q(closing_credit_cents__lte=models.F("credit_cents")),
                name="account_month_balance_amounts",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.account_id} {self.month_start:%Y-%m}: D{self.debit_cents} C{self.credit_cents}"
        )
