"""Sales invoices: customers, invoices with lines, numbering, payments, credit notes.

An invoice starts as a draft (editable, deletable). Sending it is one service
(`services.invoice_send`) that, in one transaction, gives it the next number of the
organisation and year (2026-0001, without gaps, taken only when sent), posts it
through the ledger's posting service (sales journal: receivables against income per
line and VAT payable per rate) and stores the PDF. The e-mail goes out after that
transaction; when it fails the invoice stays sent and posted, the failure is
recorded and it can be sent again. A sent invoice never changes: a mistake is
corrected by a credit note, a new invoice with the lines negated.

Amounts are integer cents, rounded per line: the net amount of a line is quantity ×
unit price, and its VAT is net × rate, each rounded half away from zero to the cent.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijk.ledger.models import Account, JournalEntry
from wijk.organisations.models import Organisation, OrganisationOwnedQuerySet


class VatRate(models.TextChoices):
    HIGH = "21", _("21% VAT")
    LOW = "9", _("9% VAT")
    ZERO = "0", _("0% VAT")
    EXEMPT = "exempt", _("Exempt from VAT")


VAT_PERCENT: dict[str, Decimal] = {
    VatRate.HIGH: Decimal(21),
    VatRate.LOW: Decimal(9),
    VatRate.ZERO: Decimal(0),
    VatRate.EXEMPT: Decimal(0),
}


class SalesSettings(models.Model):
    """What an organisation's invoices say: its IBAN, VAT number and payment term."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="sales_settings"
    )
    iban = models.CharField(_("IBAN for payments"), max_length=34, blank=True)
    vat_number = models.CharField(_("VAT number"), max_length=14, blank=True)
    payment_term_days = models.PositiveSmallIntegerField(_("payment term (days)"), default=30)
    footer = models.CharField(_("text at the bottom of the invoice"), max_length=300, blank=True)

    objects = OrganisationOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("invoice settings")
        verbose_name_plural = _("invoice settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(payment_term_days__gte=0, payment_term_days__lte=365),
                name="sales_settings_term_valid",
            ),
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class Customer(models.Model):
    class Language(models.TextChoices):
        """The language of the customer's invoices and their e-mails."""

        DUTCH = "nl", _("Dutch")
        ENGLISH = "en", _("English")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="customers"
    )
    name = models.CharField(_("name"), max_length=200)
    address = models.TextField(_("address"), max_length=500)
    email = models.EmailField(_("e-mail address for invoices"))
    kvk_number = models.CharField(_("KvK number"), max_length=8, blank=True)
    vat_number = models.CharField(_("VAT number"), max_length=14, blank=True)
    language = models.CharField(
        _("language of invoices"), max_length=2, choices=Language.choices, default=Language.DUTCH
    )
    # The person in the registry this customer is (a member paying a fee), if any.
    person = models.ForeignKey(
        "community.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sales_customers",
        verbose_name=_("person"),
    )

    objects = OrganisationOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="customer_name_unique"),
            models.UniqueConstraint(
                fields=["organisation", "person"],
                condition=Q(person__isnull=False),
                name="customer_one_per_person",
            ),
            models.CheckConstraint(
                condition=Q(kvk_number="") | Q(kvk_number__regex=r"^[0-9]{8}$"),
                name="customer_kvk_format",
            ),
            models.CheckConstraint(
                condition=Q(language__in=["nl", "en"]), name="customer_language_known"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class InvoiceSequence(models.Model):
    """The last invoice number used per organisation and calendar year; locked when sending."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="invoice_sequence_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year}: {self.last_number}"


class InvoiceQuerySet(OrganisationOwnedQuerySet["Invoice"]):
    pass


class Invoice(models.Model):
    class Kind(models.TextChoices):
        INVOICE = "invoice", _("Invoice")
        CREDIT_NOTE = "credit_note", _("Credit note")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")

    class EmailStatus(models.TextChoices):
        NOT_SENT = "not_sent", _("Not e-mailed")
        SENT = "sent", _("E-mailed")
        FAILED = "failed", _("E-mail failed")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="invoices"
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("customer")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.INVOICE)
    credit_of = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="credit_note"
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    payment_term_days = models.PositiveSmallIntegerField(_("payment term (days)"), default=30)
    note = models.CharField(_("note on the invoice"), max_length=300, blank=True)
    # Filled in when sent, never changed after.
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    sequence = models.PositiveIntegerField(null=True, blank=True)
    number = models.CharField(_("invoice number"), max_length=12, blank=True)
    issue_date = models.DateField(_("invoice date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=25, blank=True)
    net_cents = models.BigIntegerField(default=0)
    vat_cents = models.BigIntegerField(default=0)
    total_cents = models.BigIntegerField(default=0)
    entry = models.OneToOneField(
        JournalEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    pdf_path = models.CharField(max_length=200, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    email_status = models.CharField(
        max_length=10, choices=EmailStatus.choices, default=EmailStatus.NOT_SENT
    )
    email_error = models.CharField(max_length=500, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["organisation", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "sequence"],
                condition=Q(sequence__isnull=False),
                name="invoice_number_unique",
            ),
            models.UniqueConstraint(
                fields=["organisation", "payment_reference"],
                condition=~Q(payment_reference=""),
                name="invoice_payment_reference_unique",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "sent"]), name="invoice_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["invoice", "credit_note"]), name="invoice_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(email_status__in=["not_sent", "sent", "failed"]),
                name="invoice_email_status_valid",
            ),
            models.CheckConstraint(
                condition=(Q(kind="credit_note") & Q(credit_of__isnull=False))
                | (Q(kind="invoice") & Q(credit_of__isnull=True)),
                name="invoice_credit_note_has_original",
            ),
            # A sent invoice is complete: number, dates, reference, entry and PDF.
            models.CheckConstraint(
                condition=(
                    Q(status="draft")
                    & Q(sequence__isnull=True)
                    & Q(number="")
                    & Q(entry__isnull=True)
                )
                | (
                    Q(status="sent")
                    & Q(year__isnull=False)
                    & Q(sequence__isnull=False)
                    & ~Q(number="")
                    & Q(issue_date__isnull=False)
                    & Q(due_date__isnull=False)
                    & ~Q(payment_reference="")
                    & Q(entry__isnull=False)
                    & ~Q(pdf_path="")
                ),
                name="invoice_sent_complete",
            ),
            models.CheckConstraint(
                condition=Q(total_cents=models.F("net_cents") + models.F("vat_cents")),
                name="invoice_total_adds_up",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return self.number or _("draft %(id)s") % {"id": self.pk}

    @property
    def is_sent(self) -> bool:
        return self.status == self.Status.SENT


class InvoiceLine(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    description = models.CharField(_("description"), max_length=200)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3)
    unit_price_cents = models.BigIntegerField(_("unit price (cents)"))
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="+", verbose_name=_("income account")
    )
    vat_rate = models.CharField(_("VAT"), max_length=8, choices=VatRate.choices)
    net_cents = models.BigIntegerField()
    vat_cents = models.BigIntegerField()
    # Dimensions the income line carries into the books (the result per building or
    # activity reads them from the journal lines).
    building = models.ForeignKey(
        "premises.Building",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("building"),
    )
    activity = models.ForeignKey(
        "activities.Activity",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("activity"),
    )

    objects = OrganisationOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["invoice", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["invoice", "position"], name="invoice_line_position_unique"
            ),
            models.CheckConstraint(
                condition=Q(vat_rate__in=["21", "9", "0", "exempt"]),
                name="invoice_line_vat_rate_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.invoice_id}/{self.position}: {self.description}"

    @property
    def total_cents(self) -> int:
        return self.net_cents + self.vat_cents


class Payment(models.Model):
    """Money received for an invoice, posted bank (or cash) against receivables."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    date = models.DateField(_("date received"))
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    entry = models.OneToOneField(JournalEntry, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = OrganisationOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount_cents=0), name="payment_not_zero"),
        ]

    def __str__(self) -> str:
        return f"{self.invoice_id}: {self.amount_cents}"
