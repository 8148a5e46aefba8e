"""Every change to sales: settings, customers, draft invoices, sending, e-mail,
credit notes and payments.

Money reaches the books only through the ledger's posting service. Sending numbers
the invoice, posts it and stores its PDF in one transaction; the e-mail goes after
it, so a failing mail server never loses a posted invoice (the failure is recorded,
and the invoice can be e-mailed again).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Sum
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from stdnum import iso11649
from stdnum.iso7064 import mod_97_10
from stdnum.nl import btw

from wijk.accounts.models import User
from wijk.core.models import audit_record
from wijk.core.pdf import html_to_pdf
from wijk.expenses.receipts import private_file_path, remove_private_file, store_private_file
from wijk.expenses.services import format_iban, payment_accounts, payment_journal, validate_iban
from wijk.ledger import services as ledger
from wijk.ledger.language import books_text
from wijk.ledger.models import Account, AccountType, Journal
from wijk.ledger.money import format_cents
from wijk.organisations.models import Organisation
from wijk.organisations.validators import normalise_kvk, validate_kvk_number

if TYPE_CHECKING:
    from wijk.activities.models import Activity
    from wijk.premises.models import Building

from .models import (
    VAT_PERCENT,
    Customer,
    Invoice,
    InvoiceLine,
    InvoiceSequence,
    Payment,
    SalesSettings,
    VatRate,
)

if TYPE_CHECKING:
    from wijk.community.models import Person

# Accounts of the chart template used when posting (number, then RGS code as fallback).
RECEIVABLES = ("1300", "BVorDebHad")
VAT_PAYABLE = {VatRate.HIGH: ("1510", "BSchBepBla"), VatRate.LOW: ("1520", "BSchBepBlv")}
MAX_LINES = 50


def line_amounts(*, quantity: Decimal, unit_price_cents: int, vat_rate: str) -> tuple[int, int]:
    """Net and VAT of one line in cents, each rounded half away from zero."""
    net = (quantity * unit_price_cents).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    vat = (net * VAT_PERCENT[vat_rate] / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(net), int(vat)


@dataclass(frozen=True)
class LineData:
    description: str
    quantity: Decimal
    unit_price_cents: int
    account: Account
    vat_rate: str
    # Optional dimensions for the income line in the books.
    building: Building | None = None
    activity: Activity | None = None


def sales_settings_get(*, organisation: Organisation) -> SalesSettings:
    return SalesSettings.objects.filter(organisation=organisation).first() or SalesSettings(
        organisation=organisation
    )


@transaction.atomic
def sales_settings_update(
    *,
    organisation: Organisation,
    iban: str,
    vat_number: str,
    payment_term_days: int,
    footer: str,
    actor: User,
) -> SalesSettings:
    errors: dict[str, list[ValidationError]] = {}
    if iban.strip():
        try:
            iban = validate_iban(iban)
        except ValidationError as exc:
            errors["iban"] = [exc]
    vat_number = btw.compact(vat_number) if vat_number.strip() else ""
    if vat_number and not btw.is_valid(vat_number):
        errors["vat_number"] = [
            ValidationError(_("This is not a valid Dutch VAT number, such as NL000099998B57."))
        ]
    if not 0 <= payment_term_days <= 365:
        errors["payment_term_days"] = [ValidationError(_("Enter a number of days from 0 to 365."))]
    if len(footer.strip()) > 300:
        errors["footer"] = [
            ValidationError(_("Use at most %(limit)s characters.") % {"limit": 300})
        ]
    if errors:
        raise ValidationError(errors)
    result, _created = SalesSettings.objects.update_or_create(
        organisation=organisation,
        defaults={
            "iban": iban.strip(),
            "vat_number": vat_number,
            "payment_term_days": payment_term_days,
            "footer": footer.strip(),
        },
    )
    audit_record(action="sales_settings.update", actor=actor, organisation=organisation, obj=result)
    return result


def _customer_errors(
    organisation: Organisation,
    *,
    name: str,
    address: str,
    email: str,
    kvk_number: str,
    vat_number: str,
    language: str,
    exclude: int | None,
) -> dict[str, list[ValidationError]]:
    errors: dict[str, list[ValidationError]] = {}
    if language not in Customer.Language.values:
        errors["language"] = [ValidationError(_("Choose Dutch or English."))]
    if not name:
        errors["name"] = [ValidationError(_("Give the customer's name."))]
    elif (
        Customer.objects.filter(organisation=organisation, name__iexact=name)
        .exclude(pk=exclude or 0)
        .exists()
    ):
        errors["name"] = [ValidationError(_("%(name)s already exists.") % {"name": name})]
    if not address:
        errors["address"] = [ValidationError(_("Give the address for the invoice."))]
    if not email:
        errors["email"] = [ValidationError(_("Give the e-mail address the invoice goes to."))]
    if kvk_number:
        try:
            validate_kvk_number(kvk_number)
        except ValidationError as exc:
            errors["kvk_number"] = [exc]
    if vat_number and not btw.is_valid(vat_number):
        errors["vat_number"] = [
            ValidationError(_("This is not a valid Dutch VAT number, such as NL000099998B57."))
        ]
    return errors


@transaction.atomic
def customer_create(
    *,
    organisation: Organisation,
    name: str,
    address: str,
    email: str,
    kvk_number: str = "",
    vat_number: str = "",
    language: str = Customer.Language.DUTCH,
    actor: User | None,
) -> Customer:
    name, address, email = name.strip(), address.strip(), email.strip()
    kvk_number = normalise_kvk(kvk_number)
    vat_number = btw.compact(vat_number) if vat_number.strip() else ""
    errors = _customer_errors(
        organisation,
        name=name,
        address=address,
        email=email,
        kvk_number=kvk_number,
        vat_number=vat_number,
        language=language,
        exclude=None,
    )
    if errors:
        raise ValidationError(errors)
    customer = Customer.objects.create(
        organisation=organisation,
        name=name,
        address=address,
        email=email,
        kvk_number=kvk_number,
        vat_number=vat_number,
        language=language,
    )
    audit_record(
        action="customer.create",
        actor=actor,
        organisation=organisation,
        obj=customer,
        data={"name": name},
    )
    return customer


@transaction.atomic
def customer_for_person(
    *, organisation: Organisation, person: Person, actor: User | None
) -> Customer:
    """The customer that invoices to a person of the registry go to; made on first use.

    A member needs no postal address in the registry (it keeps as little as the work
    needs): the invoice carries their name and goes to their e-mail address, or is
    handed over. When another customer already has the same name, the new one gets
    the person's number after the name, so the two are never mixed up.
    """
    if person.organisation_id != organisation.pk or person.anonymised_at is not None:
        raise ValidationError(_("Unknown person."))
    existing = Customer.objects.filter(organisation=organisation, person=person).first()
    if existing is not None:
        return existing
    name = person.name.strip()
    if Customer.objects.filter(organisation=organisation, name__iexact=name).exists():
        name = _("%(name)s (person %(id)s)") % {"name": name, "id": person.pk}
    customer = Customer.objects.create(
        organisation=organisation,
        person=person,
        name=name[:200],
        address="",
        email=person.email,
    )
    # Only the number: the audit log is never changed, so it holds no names of persons.
    audit_record(
        action="customer.create_for_person",
        actor=actor,
        organisation=organisation,
        obj=customer,
        data={"id": person.pk},
    )
    return customer


def customers_to_purge(*, before_year: int) -> list[Customer]:
    """Customers of anonymised persons with no invoice dated in or after `before_year`."""
    return list(
        Customer.objects.filter(person__anonymised_at__isnull=False)
        .exclude(person=None)
        .exclude(invoices__issue_date__year__gte=before_year)
        .exclude(invoices__status=Invoice.Status.DRAFT)
        .order_by("pk")
    )


@transaction.atomic
def customer_purge(*, customer: Customer, actor: User | None) -> Customer:
    """Empty the personal details of a customer after the retention period.

    Sent invoices keep pointing to the customer; their stored PDF and the journal
    entries are records of the books and are not changed.
    """
    customer.name = _("Purged customer %(id)s") % {"id": customer.pk}
    customer.email = ""
    customer.address = ""
    customer.person = None
    customer.save(update_fields=["name", "email", "address", "person"])
    audit_record(
        action="customer.purge",
        actor=actor,
        organisation=customer.organisation,
        obj=customer,
        data={"id": customer.pk},
    )
    return customer


@transaction.atomic
def customer_update(
    *,
    customer: Customer,
    name: str,
    address: str,
    email: str,
    kvk_number: str = "",
    vat_number: str = "",
    language: str = Customer.Language.DUTCH,
    actor: User,
) -> Customer:
    """Change a customer. Sent invoices keep what their PDF says."""
    name, address, email = name.strip(), address.strip(), email.strip()
    kvk_number = normalise_kvk(kvk_number)
    vat_number = btw.compact(vat_number) if vat_number.strip() else ""
    errors = _customer_errors(
        customer.organisation,
        name=name,
        address=address,
        email=email,
        kvk_number=kvk_number,
        vat_number=vat_number,
        language=language,
        exclude=customer.pk,
    )
    if errors:
        raise ValidationError(errors)
    customer.name, customer.address, customer.email = name, address, email
    customer.kvk_number, customer.vat_number = kvk_number, vat_number
    customer.language = language
    customer.save()
    audit_record(
        action="customer.update",
        actor=actor,
        organisation=customer.organisation,
        obj=customer,
        data={"name": name},
    )
    return customer


def _check_draft_input(
    organisation: Organisation,
    *,
    customer: Customer,
    payment_term_days: int,
    note: str,
    lines: list[LineData],
) -> None:
    errors: dict[str, list[ValidationError]] = {}
    if customer.organisation_id != organisation.pk:
        errors["customer"] = [ValidationError(_("Choose one of the listed customers."))]
    if not 0 <= payment_term_days <= 365:
        errors["payment_term_days"] = [ValidationError(_("Enter a number of days from 0 to 365."))]
    if len(note) > 300:
        errors["note"] = [ValidationError(_("Use at most %(limit)s characters.") % {"limit": 300})]
    line_errors: list[ValidationError] = []
    if not lines:
        line_errors.append(ValidationError(_("An invoice needs at least one line.")))
    if len(lines) > MAX_LINES:
        line_errors.append(
            ValidationError(_("An invoice has at most %(limit)s lines.") % {"limit": MAX_LINES})
        )
    for index, line in enumerate(lines, start=1):
        where = {"line": index}
        if not line.description.strip():
            line_errors.append(
                ValidationError(_("Line %(line)s: describe what you charge.") % where)
            )
        if line.quantity == 0:
            line_errors.append(
                ValidationError(_("Line %(line)s: the quantity cannot be zero.") % where)
            )
        if (
            line.account.organisation_id != organisation.pk
            or line.account.type != AccountType.INCOME
            or not line.account.is_active
        ):
            line_errors.append(
                ValidationError(
                    _("Line %(line)s: choose one of the listed income accounts.") % where
                )
            )
        if line.vat_rate not in VAT_PERCENT:
            line_errors.append(ValidationError(_("Line %(line)s: choose a VAT rate.") % where))
        for dimension in (line.building, line.activity):
            if dimension is not None and dimension.organisation_id != organisation.pk:
                line_errors.append(
                    ValidationError(_("Line %(line)s: unknown building or activity.") % where)
                )
    if line_errors:
        errors["lines"] = line_errors
    if errors:
        raise ValidationError(errors)


def _write_lines(invoice: Invoice, lines: list[LineData]) -> None:
    invoice.lines.all().delete()
    rows = []
    for position, line in enumerate(lines, start=1):
        net, vat = line_amounts(
            quantity=line.quantity, unit_price_cents=line.unit_price_cents, vat_rate=line.vat_rate
        )
        rows.append(
            InvoiceLine(
                organisation=invoice.organisation,
                invoice=invoice,
                position=position,
                description=line.description.strip()[:200],
                quantity=line.quantity,
                unit_price_cents=line.unit_price_cents,
                account=line.account,
                vat_rate=line.vat_rate,
                net_cents=net,
                vat_cents=vat,
                building=line.building,
                activity=line.activity,
            )
        )
    InvoiceLine.objects.bulk_create(rows)
    invoice.net_cents = sum(r.net_cents for r in rows)
    invoice.vat_cents = sum(r.vat_cents for r in rows)
    invoice.total_cents = invoice.net_cents + invoice.vat_cents
    invoice.save(update_fields=["net_cents", "vat_cents", "total_cents"])


@transaction.atomic
def invoice_create_draft(
    *,
    organisation: Organisation,
    customer: Customer,
    lines: list[LineData],
    actor: User | None,
    payment_term_days: int | None = None,
    note: str = "",
) -> Invoice:
    if payment_term_days is None:
        payment_term_days = sales_settings_get(organisation=organisation).payment_term_days
    note = note.strip()
    _check_draft_input(
        organisation, customer=customer, payment_term_days=payment_term_days, note=note, lines=lines
    )
    invoice = Invoice.objects.create(
        organisation=organisation,
        customer=customer,
        payment_term_days=payment_term_days,
        note=note,
    )
    _write_lines(invoice, lines)
    audit_record(
        action="invoice.create",
        actor=actor,
        organisation=organisation,
        obj=invoice,
        data={"customer": customer.name},
    )
    return invoice


@transaction.atomic
def customer_find_or_create(
    *, organisation: Organisation, name: str, email: str, actor: User | None
) -> Customer:
    """The customer with this e-mail address, else with this name, else a new one.

    For invoices made from something that only knows a name and perhaps an e-mail
    address (a room booking). A new customer has no address yet; the treasurer can
    add it under Customers. Matching ignores upper and lower case.
    """
    name, email = name.strip()[:200], email.strip()
    if not name:
        raise ValidationError({"name": [ValidationError(_("Give the customer's name."))]})
    customers = Customer.objects.filter(organisation=organisation)
    found = customers.filter(email__iexact=email).order_by("pk").first() if email else None
    if found is None:
        found = customers.filter(name__iexact=name).first()
    if found is not None:
        return found
    customer = Customer.objects.create(
        organisation=organisation, name=name, address="", email=email
    )
    audit_record(
        action="customer.create",
        actor=actor,
        organisation=organisation,
        obj=customer,
        data={"name": name},
    )
    return customer


def _lock(invoice: Invoice) -> Invoice:
    return (
        Invoice.objects.select_for_update(of=("self",))
        .select_related("organisation", "customer")
        .get(pk=invoice.pk)
    )


def _refuse_if_sent(invoice: Invoice) -> None:
    if invoice.is_sent:
        raise ValidationError(
            _("Invoice %(number)s has been sent and cannot be changed. Make a credit note instead.")
            % {"number": invoice.number}
        )


@transaction.atomic
def invoice_update_draft(
    *,
    invoice: Invoice,
    customer: Customer,
    lines: list[LineData],
    payment_term_days: int,
    actor: User,
    note: str = "",
) -> Invoice:
    invoice = _lock(invoice)
    _refuse_if_sent(invoice)
    note = note.strip()
    _check_draft_input(
        invoice.organisation,
        customer=customer,
        payment_term_days=payment_term_days,
        note=note,
        lines=lines,
    )
    invoice.customer = customer
    invoice.payment_term_days = payment_term_days
    invoice.note = note
    invoice.save(update_fields=["customer", "payment_term_days", "note"])
    _write_lines(invoice, lines)
    audit_record(
        action="invoice.update",
        actor=actor,
        organisation=invoice.organisation,
        obj=invoice,
        data={"customer": customer.name},
    )
    return invoice


@transaction.atomic
def invoice_delete_draft(*, invoice: Invoice, actor: User) -> None:
    invoice = _lock(invoice)
    _refuse_if_sent(invoice)
    audit_record(
        action="invoice.delete_draft",
        actor=actor,
        organisation=invoice.organisation,
        obj=invoice,
        data={"customer": invoice.customer.name},
    )
    invoice.delete()


def payment_reference(*, organisation: Organisation, year: int, sequence: int) -> str:
    """A structured creditor reference (ISO 11649, "RF…"), unique per invoice.

    The bank import can recognise it in a transfer's description and match the payment.
    """
    body = f"{organisation.pk}{year}{sequence:04d}"
    reference = "RF" + mod_97_10.calc_check_digits(body + "RF") + body
    return str(iso11649.validate(reference))


def format_reference(reference: str) -> str:
    """RF75 1202 6000 1: the reference in groups of four, as banks print it."""
    return str(iso11649.format(reference)) if reference else ""


def _account(organisation: Organisation, number: str, rgs: str, what: str) -> Account:
    account = (
        Account.objects.filter(organisation=organisation, number=number, is_active=True).first()
        or Account.objects.filter(organisation=organisation, rgs_code=rgs, is_active=True)
        .order_by("number")
        .first()
    )
    if account is None:
        raise ValidationError(
            _("The books have no account for %(what)s (number %(number)s). Set up the books first.")
            % {"what": what, "number": number}
        )
    return account


def _side(account: Account, cents: int, description: str, *, debit: bool) -> ledger.LineInput:
    """A line for `cents` on its natural side (debit or credit), flipped when negative."""
    if (cents > 0) == debit:
        return ledger.LineInput(account, debit_cents=abs(cents), description=description[:255])
    return ledger.LineInput(account, credit_cents=abs(cents), description=description[:255])


def _entry_lines(invoice: Invoice, lines: list[InvoiceLine]) -> list[ledger.LineInput]:
    organisation = invoice.organisation
    receivables = _account(organisation, *RECEIVABLES, _("receivables"))
    result = [
        _side(
            receivables,
            invoice.total_cents,
            f"{invoice.number} {invoice.customer.name}",
            debit=True,
        )
    ]
    # Income per account and per building and activity, so the books keep the dimensions.
    income: dict[tuple[int, int | None, int | None], tuple[InvoiceLine, int]] = {}
    for line in lines:
        key = (line.account_id, line.building_id, line.activity_id)
        first, cents = income.get(key, (line, 0))
        income[key] = (first, cents + line.net_cents)
    for first, cents in income.values():
        if cents:
            side = _side(first.account, cents, invoice.number, debit=False)
            result.append(replace(side, building=first.building, activity=first.activity))
    vat: dict[str, int] = {}
    for line in lines:
        if line.vat_cents:
            vat[line.vat_rate] = vat.get(line.vat_rate, 0) + line.vat_cents
    for rate, cents in vat.items():
        if cents:
            number, rgs = VAT_PAYABLE[VatRate(rate)]
            account = _account(
                organisation, number, rgs, _("VAT payable %(rate)s%%") % {"rate": rate}
            )
            result.append(
                _side(
                    account,
                    cents,
                    books_text(partial(_vat_line_text, invoice.number, rate)),
                    debit=False,
                )
            )
    return result


def vat_summary(lines: list[InvoiceLine]) -> list[dict[str, object]]:
    """Net and VAT per rate, as the invoice shows them."""
    rows: dict[str, dict[str, object]] = {}
    for line in lines:
        row = rows.setdefault(
            line.vat_rate,
            {"rate": line.vat_rate, "label": line.get_vat_rate_display(), "net": 0, "vat": 0},
        )
        row["net"] = int(row["net"]) + line.net_cents  # type: ignore[call-overload]
        row["vat"] = int(row["vat"]) + line.vat_cents  # type: ignore[call-overload]
    return list(rows.values())


def invoice_render_pdf(*, invoice: Invoice, lines: list[InvoiceLine] | None = None) -> bytes:
    """The invoice as a PDF, from the HTML template, in the customer's language.

    Nothing is fetched but inline data: URLs."""
    lines = lines if lines is not None else list(invoice.lines.select_related("account"))
    organisation = invoice.organisation
    sales = sales_settings_get(organisation=organisation)
    with translation.override(invoice.customer.language):
        html = render_to_string(
            "sales/invoice_pdf.html",
            {
                "invoice": invoice,
                "organisation": organisation,
                "settings": sales,
                "iban": format_iban(sales.iban),
                "lines": lines,
                "vat_summary": vat_summary(lines),
                "reference": format_reference(invoice.payment_reference),
            },
        )
    return html_to_pdf(html)


@transaction.atomic
def invoice_send(
    *, invoice: Invoice, actor: User | None, issue_date: date, override_reason: str = ""
) -> Invoice:
    """Number, post and store the invoice in one transaction. E-mail it with `invoice_email`."""
    invoice = _lock(invoice)
    organisation = invoice.organisation
    _refuse_if_sent(invoice)
    sales = sales_settings_get(organisation=organisation)
    if not sales.iban:
        raise ValidationError(
            _(
                "Fill in the IBAN for payments in the invoice settings first; it goes on the invoice."
            )
        )
    lines = list(
        invoice.lines.select_related("account", "building", "activity").order_by("position")
    )
    if not lines:
        raise ValidationError(_("An invoice needs at least one line."))
    if invoice.total_cents == 0:
        raise ValidationError(_("The invoice comes to € 0,00. Add an amount before sending it."))
    if invoice.kind == Invoice.Kind.INVOICE and invoice.total_cents < 0:
        raise ValidationError(
            _(
                "The invoice total is negative. To pay money back, make a credit note of the invoice."
            )
        )
    year = issue_date.year
    InvoiceSequence.objects.get_or_create(organisation=organisation, year=year)
    sequence = InvoiceSequence.objects.select_for_update().get(organisation=organisation, year=year)
    number = sequence.last_number + 1
    invoice.year = year
    invoice.sequence = number
    invoice.number = f"{year}-{number:04d}"
    invoice.issue_date = issue_date
    invoice.due_date = issue_date + timedelta(days=invoice.payment_term_days)
    invoice.payment_reference = payment_reference(
        organisation=organisation, year=year, sequence=number
    )
    journal = (
        Journal.objects.filter(organisation=organisation, kind=Journal.Kind.SALES)
        .order_by("code")
        .first()
    )
    if journal is None:
        raise ValidationError(_("The books are not set up yet. Set up the books first."))
    label = _("Credit note") if invoice.kind == Invoice.Kind.CREDIT_NOTE else _("Invoice")
    entry = ledger.journal_entry_create(
        organisation=organisation,
        journal=journal,
        date=issue_date,
        description=f"{label} {invoice.number} {invoice.customer.name}"[:255],
        reference=invoice.number,
        counterparty=invoice.customer.name,
        lines=_entry_lines(invoice, lines),
        actor=actor,
    )
    try:
        entry = ledger.journal_entry_post(entry=entry, actor=actor, override_reason=override_reason)
    except ValidationError as exc:
        # The posting service names the date; here the date is the invoice date.
        if hasattr(exc, "error_dict") and "date" in exc.error_dict:
            raise ValidationError({"issue_date": exc.error_dict["date"]}) from exc
        raise
    invoice.entry = entry
    invoice.status = Invoice.Status.SENT
    invoice.sent_at = timezone.now()
    invoice.sent_by = actor
    pdf = invoice_render_pdf(invoice=invoice, lines=lines)
    invoice.pdf_path = store_private_file(
        folder="invoices", organisation_id=organisation.pk, content=pdf, extension="pdf"
    )
    try:
        sequence.last_number = number
        sequence.save(update_fields=["last_number"])
        invoice.save()
        audit_record(
            action="invoice.send",
            actor=actor,
            organisation=organisation,
            obj=invoice,
            data={"number": invoice.number, "amount": format_cents(invoice.total_cents)},
        )
    except BaseException:
        remove_private_file(invoice.pdf_path)
        raise
    return invoice


def invoice_email(*, invoice: Invoice, actor: User | None) -> bool:
    """E-mail a sent invoice with its PDF. Records success or failure; never raises for the mail."""
    if not invoice.is_sent:
        raise ValidationError(_("Send the invoice first; a draft is not e-mailed."))
    organisation = invoice.organisation
    customer = invoice.customer
    # The customer's language: the mail and its subject, like the PDF it carries.
    with translation.override(customer.language):
        subject = _("%(kind)s %(number)s from %(organisation)s") % {
            "kind": invoice.get_kind_display(),
            "number": invoice.number,
            "organisation": organisation.name,
        }
        body = render_to_string(
            "sales/invoice_email.txt",
            {
                "invoice": invoice,
                "organisation": organisation,
                "iban": format_iban(sales_settings_get(organisation=organisation).iban),
                "reference": format_reference(invoice.payment_reference),
            },
        )
    try:
        pdf = private_file_path(invoice.pdf_path).read_bytes()
        message = EmailMessage(
            subject=subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[customer.email],
            reply_to=[organisation.email] if organisation.email else None,
        )
        message.attach(f"{invoice.number}.pdf", pdf, "application/pdf")
        message.send(fail_silently=False)
    except Exception as exc:  # noqa: BLE001 - any mail failure is recorded, the invoice stands
        _record_email(invoice, actor, ok=False, error=str(exc) or exc.__class__.__name__)
        return False
    _record_email(invoice, actor, ok=True, error="")
    return True


@transaction.atomic
def _record_email(invoice: Invoice, actor: User | None, *, ok: bool, error: str) -> None:
    invoice = _lock(invoice)
    invoice.email_status = Invoice.EmailStatus.SENT if ok else Invoice.EmailStatus.FAILED
    invoice.email_error = error[:500]
    if ok:
        invoice.emailed_at = timezone.now()
    invoice.save(update_fields=["email_status", "email_error", "emailed_at"])
    audit_record(
        action="invoice.email" if ok else "invoice.email_failed",
        actor=actor,
        organisation=invoice.organisation,
        obj=invoice,
        data={"number": invoice.number, "email": invoice.customer.email},
    )


@transaction.atomic
def invoice_credit(
    *, invoice: Invoice, actor: User | None, issue_date: date, override_reason: str = ""
) -> Invoice:
    """Cancel a sent invoice by a credit note: a new invoice, its lines negated, sent."""
    invoice = _lock(invoice)
    if not invoice.is_sent or invoice.kind != Invoice.Kind.INVOICE:
        raise ValidationError(_("Only a sent invoice can be credited."))
    if Invoice.objects.filter(credit_of=invoice).exists():
        raise ValidationError(_("This invoice has already been credited."))
    if invoice.payments.exists():
        raise ValidationError(
            _(
                "Payments are registered for this invoice. Pay the money back first and reverse the payment in the books; then make the credit note."
            )
        )
    if issue_date < (invoice.issue_date or issue_date):
        raise ValidationError(
            {
                "issue_date": [
                    ValidationError(_("The credit note cannot be dated before the invoice."))
                ]
            }
        )
    credit = Invoice.objects.create(
        organisation=invoice.organisation,
        customer=invoice.customer,
        kind=Invoice.Kind.CREDIT_NOTE,
        credit_of=invoice,
        payment_term_days=0,
        note=_("Credit note for invoice %(number)s.") % {"number": invoice.number},
    )
    InvoiceLine.objects.bulk_create(
        [
            InvoiceLine(
                organisation=line.organisation,
                invoice=credit,
                position=line.position,
                description=line.description,
                quantity=-line.quantity,
                unit_price_cents=line.unit_price_cents,
                account=line.account,
                vat_rate=line.vat_rate,
                net_cents=-line.net_cents,
                vat_cents=-line.vat_cents,
                building_id=line.building_id,
                activity_id=line.activity_id,
            )
            for line in invoice.lines.order_by("position")
        ]
    )
    credit.net_cents, credit.vat_cents = -invoice.net_cents, -invoice.vat_cents
    credit.total_cents = -invoice.total_cents
    credit.save(update_fields=["net_cents", "vat_cents", "total_cents"])
    credit = invoice_send(
        invoice=credit, actor=actor, issue_date=issue_date, override_reason=override_reason
    )
    audit_record(
        action="invoice.credit",
        actor=actor,
        organisation=invoice.organisation,
        obj=credit,
        data={"number": credit.number, "original": invoice.number},
    )
    return credit


def paid_cents(invoice: Invoice) -> int:
    return int(invoice.payments.aggregate(total=Sum("amount_cents"))["total"] or 0)


@transaction.atomic
def invoice_payment_register(
    *,
    invoice: Invoice,
    actor: User | None,
    date: date,
    amount_cents: int,
    bank_account: Account,
    override_reason: str = "",
) -> Payment:
    """Money received: post bank (or cash) against receivables, and keep it with the invoice."""
    invoice = _lock(invoice)
    organisation = invoice.organisation
    if not invoice.is_sent or invoice.kind != Invoice.Kind.INVOICE:
        raise ValidationError(_("Payments are registered on sent invoices only."))
    if Invoice.objects.filter(credit_of=invoice).exists():
        raise ValidationError(_("This invoice has been credited; nothing is left to pay."))
    outstanding = invoice.total_cents - paid_cents(invoice)
    errors: dict[str, list[ValidationError]] = {}
    if amount_cents <= 0:
        errors["amount"] = [ValidationError(_("Enter an amount above zero, for example 12,50."))]
    elif amount_cents > outstanding:
        errors["amount"] = [
            ValidationError(
                _("Only %(open)s is still open on this invoice. Enter at most that amount.")
                % {"open": format_cents(outstanding)}
            )
        ]
    if bank_account not in payment_accounts(organisation=organisation):
        errors["bank_account"] = [
            ValidationError(_("Choose one of the listed bank or cash accounts."))
        ]
    if invoice.issue_date and date < invoice.issue_date:
        errors["date"] = [ValidationError(_("The payment cannot be before the invoice date."))]
    if errors:
        raise ValidationError(errors)
    receivables = _account(organisation, *RECEIVABLES, _("receivables"))
    entry = ledger.journal_entry_create(
        organisation=organisation,
        journal=payment_journal(organisation=organisation, account=bank_account),
        date=date,
        description=books_text(
            lambda: (
                _("Payment of invoice %(number)s %(customer)s")
                % {"number": invoice.number, "customer": invoice.customer.name}
            )
        )[:255],
        reference=invoice.payment_reference,
        counterparty=invoice.customer.name,
        lines=[
            ledger.LineInput(bank_account, debit_cents=amount_cents),
            ledger.LineInput(receivables, credit_cents=amount_cents, description=invoice.number),
        ],
        actor=actor,
    )
    entry = ledger.journal_entry_post(entry=entry, actor=actor, override_reason=override_reason)
    payment = Payment.objects.create(
        organisation=organisation,
        invoice=invoice,
        date=date,
        amount_cents=amount_cents,
        entry=entry,
        created_by=actor,
    )
    audit_record(
        action="invoice.payment",
        actor=actor,
        organisation=organisation,
        obj=invoice,
        data={"number": invoice.number, "amount": format_cents(amount_cents)},
    )
    return payment


def _vat_line_text(number: str, rate: str) -> str:
    return _("%(number)s VAT %(rate)s%%") % {"number": number, "rate": rate}
