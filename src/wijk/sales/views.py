"""Pages for sales under /o/<slug>/facturen/ and /o/<slug>/klanten/."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wijk.core.forms import add_service_errors
from wijk.core.http import AuthenticatedHttpRequest
from wijk.expenses.receipts import private_file_path
from wijk.expenses.services import format_iban
from wijk.ledger.money import format_cents
from wijk.organisations.access import OrganisationAccess, organisation_view
from wijk.organisations.roles import MANAGE_SALES, VIEW_BOOKS, VIEW_SALES

from . import selectors, services
from .access import access_customer, access_invoice
from .forms import (
    CustomerForm,
    InvoiceForm,
    LineFormSet,
    PaymentForm,
    SalesSettingsForm,
    SendForm,
)
from .models import Invoice
from .selectors import PAYMENT_STATUS_LABELS


@organisation_view(VIEW_SALES)
@require_GET
def invoice_list(request: AuthenticatedHttpRequest, *, access: OrganisationAccess) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in PAYMENT_STATUS_LABELS:
        status = ""
    rows = selectors.invoice_rows(
        organisation=access.organisation, today=timezone.localdate(), status=status
    )
    return render(
        request,
        "sales/invoice_list.html",
        {
            "access": access,
            "rows": rows,
            "status": status,
            "statuses": [(key, str(label)) for key, label in PAYMENT_STATUS_LABELS.items()],
            "can_manage": access.has(MANAGE_SALES),
            "has_customers": selectors.customer_list(organisation=access.organisation).exists(),
        },
    )


def _lines_from(formset: Any) -> list[services.LineData]:
    return [
        services.LineData(
            description=line.cleaned_data["description"],
            quantity=line.cleaned_data["quantity"],
            unit_price_cents=line.cleaned_data["unit_price"],
            account=line.cleaned_data["account"],
            vat_rate=line.cleaned_data["vat_rate"],
        )
        for line in formset.forms
        if not line.is_blank
    ]


def _invoice_form_page(
    request: AuthenticatedHttpRequest, access: OrganisationAccess, invoice: Invoice | None
) -> HttpResponse:
    organisation = access.organisation
    if invoice is None:
        initial: dict[str, Any] = {
            "payment_term_days": services.sales_settings_get(
                organisation=organisation
            ).payment_term_days
        }
        line_initial: list[dict[str, Any]] = [{} for _i in range(4)]
    else:
        initial = {
            "customer": invoice.customer_id,
            "payment_term_days": invoice.payment_term_days,
            "note": invoice.note,
        }
        line_initial = [
            {
                "description": line.description,
                "quantity": line.quantity,
                "unit_price": line.unit_price_cents,
                "account": line.account_id,
                "vat_rate": line.vat_rate,
            }
            for line in invoice.lines.order_by("position")
        ] + [{}, {}]
    data = request.POST if request.method == "POST" else None
    form = InvoiceForm(data, organisation=organisation, initial=initial)
    formset = LineFormSet(data, organisation=organisation, prefix="lines", initial=line_initial)  # type: ignore[call-arg]
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            if invoice is None:
                invoice = services.invoice_create_draft(
                    organisation=organisation,
                    customer=form.cleaned_data["customer"],
                    payment_term_days=form.cleaned_data["payment_term_days"],
                    note=form.cleaned_data["note"],
                    lines=_lines_from(formset),
                    actor=request.user,
                )
            else:
                invoice = services.invoice_update_draft(
                    invoice=invoice,
                    customer=form.cleaned_data["customer"],
                    payment_term_days=form.cleaned_data["payment_term_days"],
                    note=form.cleaned_data["note"],
                    lines=_lines_from(formset),
                    actor=request.user,
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The invoice is saved as a draft. Check it, then send it."))
            return redirect("invoice_detail", organisation=organisation.slug, pk=invoice.pk)
    return render(
        request,
        "sales/invoice_form.html",
        {
            "access": access,
            "form": form,
            "formset": formset,
            "invoice": invoice,
            "has_customers": selectors.customer_list(organisation=organisation).exists(),
        },
        status=400 if request.method == "POST" else 200,
    )


@organisation_view(MANAGE_SALES)
@require_http_methods(["GET", "POST"])
def invoice_create(
    request: AuthenticatedHttpRequest, *, access: OrganisationAccess
) -> HttpResponse:
    return _invoice_form_page(request, access, None)


@organisation_view(MANAGE_SALES)
@require_http_methods(["GET", "POST"])
def invoice_edit(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    invoice = access_invoice(access=access, invoice_id=pk)
    if invoice.is_sent:
        messages.error(request, _("A sent invoice cannot be changed. Make a credit note instead."))
        return redirect("invoice_detail", organisation=access.organisation.slug, pk=invoice.pk)
    return _invoice_form_page(request, access, invoice)


@organisation_view(MANAGE_SALES)
@require_POST
def invoice_delete(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    invoice = access_invoice(access=access, invoice_id=pk)
    try:
        services.invoice_delete_draft(invoice=invoice, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("invoice_detail", organisation=access.organisation.slug, pk=invoice.pk)
    messages.success(request, _("The draft invoice is deleted."))
    return redirect("invoice_list", organisation=access.organisation.slug)


def _detail(
    request: AuthenticatedHttpRequest,
    access: OrganisationAccess,
    invoice: Invoice,
    *,
    send_form: SendForm | None = None,
    payment_form: PaymentForm | None = None,
    credit_form: SendForm | None = None,
    status: int = 200,
) -> HttpResponse:
    organisation = access.organisation
    lines = list(invoice.lines.select_related("account").order_by("position"))
    row = selectors.invoice_row(invoice=invoice, today=timezone.localdate())
    can_manage = access.has(MANAGE_SALES)
    sales = services.sales_settings_get(organisation=organisation)
    return render(
        request,
        "sales/invoice_detail.html",
        {
            "access": access,
            "invoice": invoice,
            "row": row,
            "lines": lines,
            "vat_summary": services.vat_summary(lines),
            "payments": list(invoice.payments.select_related("entry").order_by("date", "id")),
            "credit_note": Invoice.objects.filter(credit_of=invoice).first(),
            "can_manage": can_manage,
            "can_see_books": access.has(VIEW_BOOKS),
            "missing_iban": not sales.iban,
            "iban": format_iban(sales.iban),
            "reference": services.format_reference(invoice.payment_reference),
            "send_form": send_form or SendForm(),
            "payment_form": payment_form
            or PaymentForm(
                organisation=organisation, initial={"amount": row.outstanding_cents or None}
            ),
            "credit_form": credit_form or SendForm(prefix="credit"),
        },
        status=status,
    )


@organisation_view(VIEW_SALES)
@require_GET
def invoice_detail(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    return _detail(request, access, access_invoice(access=access, invoice_id=pk))


@organisation_view(VIEW_SALES)
@require_GET
def invoice_pdf(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    """The PDF as sent; for a draft a preview rendered now (it has no number yet)."""
    invoice = access_invoice(access=access, invoice_id=pk)
    if invoice.is_sent:
        try:
            content = private_file_path(invoice.pdf_path).read_bytes()
        except OSError as exc:
            raise Http404 from exc
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{invoice.number}.pdf"'
    else:
        pdf = services.invoice_render_pdf(invoice=invoice)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="concept.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@organisation_view(MANAGE_SALES)
@require_POST
def invoice_send(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    invoice = access_invoice(access=access, invoice_id=pk)
    form = SendForm(request.POST)
    if form.is_valid():
        try:
            invoice = services.invoice_send(
                invoice=invoice,
                actor=request.user,
                issue_date=form.cleaned_data["issue_date"],
                override_reason=form.cleaned_data["override_reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            _email_and_tell(request, invoice)
            return redirect("invoice_detail", organisation=access.organisation.slug, pk=invoice.pk)
    return _detail(request, access, invoice, send_form=form, status=400)


def _email_and_tell(request: AuthenticatedHttpRequest, invoice: Invoice) -> None:
    if services.invoice_email(invoice=invoice, actor=request.user):
        messages.success(
            request,
            _("%(number)s is posted in the books and e-mailed to %(email)s.")
            % {"number": invoice.number, "email": invoice.customer.email},
        )
    else:
        messages.warning(
            request,
            _(
                "%(number)s is posted in the books, but the e-mail to %(email)s failed. Try sending the e-mail again, or download the PDF and send it yourself."
            )
            % {"number": invoice.number, "email": invoice.customer.email},
        )


@organisation_view(MANAGE_SALES)
@require_POST
def invoice_email(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    invoice = access_invoice(access=access, invoice_id=pk)
    if not invoice.is_sent:
        messages.error(request, _("Send the invoice first; a draft is not e-mailed."))
    else:
        _email_and_tell(request, invoice)
    return redirect("invoice_detail", organisation=access.organisation.slug, pk=invoice.pk)


@organisation_view(MANAGE_SALES)
@require_POST
def invoice_payment(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    invoice = access_invoice(access=access, invoice_id=pk)
    form = PaymentForm(request.POST, organisation=access.organisation)
    if form.is_valid():
        try:
            services.invoice_payment_register(
                invoice=invoice,
                actor=request.user,
                date=form.cleaned_data["date"],
                amount_cents=form.cleaned_data["amount"],
                bank_account=form.cleaned_data["bank_account"],
                override_reason=form.cleaned_data["override_reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The payment of %(amount)s is posted.")
                % {"amount": format_cents(form.cleaned_data["amount"])},
            )
            return redirect("invoice_detail", organisation=access.organisation.slug, pk=invoice.pk)
    return _detail(request, access, invoice, payment_form=form, status=400)


@organisation_view(MANAGE_SALES)
@require_POST
def invoice_credit(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    invoice = access_invoice(access=access, invoice_id=pk)
    form = SendForm(request.POST, prefix="credit")
    if form.is_valid():
        try:
            credit = services.invoice_credit(
                invoice=invoice,
                actor=request.user,
                issue_date=form.cleaned_data["issue_date"],
                override_reason=form.cleaned_data["override_reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            _email_and_tell(request, credit)
            return redirect("invoice_detail", organisation=access.organisation.slug, pk=credit.pk)
    return _detail(request, access, invoice, credit_form=form, status=400)


@organisation_view(VIEW_SALES)
@require_http_methods(["GET", "POST"])
def customer_list(request: AuthenticatedHttpRequest, *, access: OrganisationAccess) -> HttpResponse:
    """The customers, and (for those who manage sales) a form to add one."""
    can_manage = access.has(MANAGE_SALES)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    form = CustomerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.customer_create(
                organisation=access.organisation, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The customer is added."))
            return redirect("customer_list", organisation=access.organisation.slug)
    return render(
        request,
        "sales/customer_list.html",
        {
            "access": access,
            "customers": selectors.customer_list(organisation=access.organisation),
            "form": form,
            "can_manage": can_manage,
        },
        status=400 if request.method == "POST" else 200,
    )


@organisation_view(MANAGE_SALES)
@require_http_methods(["GET", "POST"])
def customer_edit(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    customer = access_customer(access=access, customer_id=pk)
    form = CustomerForm(
        request.POST or None,
        initial={
            "name": customer.name,
            "address": customer.address,
            "email": customer.email,
            "kvk_number": customer.kvk_number,
            "vat_number": customer.vat_number,
            "language": customer.language,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.customer_update(customer=customer, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The customer is saved."))
            return redirect("customer_list", organisation=access.organisation.slug)
    return render(
        request,
        "sales/customer_edit.html",
        {"access": access, "customer": customer, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@organisation_view(MANAGE_SALES)
@require_http_methods(["GET", "POST"])
def sales_settings(
    request: AuthenticatedHttpRequest, *, access: OrganisationAccess
) -> HttpResponse:
    current = services.sales_settings_get(organisation=access.organisation)
    form = SalesSettingsForm(
        request.POST or None,
        initial={
            "iban": format_iban(current.iban),
            "vat_number": current.vat_number,
            "payment_term_days": current.payment_term_days,
            "footer": current.footer,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.sales_settings_update(
                organisation=access.organisation, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The invoice settings are saved."))
            return redirect("invoice_list", organisation=access.organisation.slug)
    return render(
        request,
        "sales/settings.html",
        {"access": access, "form": form},
        status=400 if request.method == "POST" else 200,
    )
