"""Pages for banking: thin views that parse, call a service or selector and render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from wijk.core.forms import add_service_errors
from wijk.core.http import AuthenticatedHttpRequest
from wijk.organisations.access import OrganisationAccess, organisation_view
from wijk.organisations.roles import MANAGE_BOOKS, VIEW_BOOKS

from . import selectors, services
from .forms import BankAccountForm, StatementImportForm
from .importing import ImportSummary, statement_import


@organisation_view(VIEW_BOOKS)
@require_GET
def bank_account_list(
    request: AuthenticatedHttpRequest, *, access: OrganisationAccess
) -> HttpResponse:
    return render(
        request,
        "banking/bank_account_list.html",
        {
            "access": access,
            "bank_accounts": selectors.bank_account_list(organisation=access.organisation),
            "can_manage": access.has(MANAGE_BOOKS),
        },
    )


@organisation_view(MANAGE_BOOKS)
@require_http_methods(["GET", "POST"])
def bank_account_create(
    request: AuthenticatedHttpRequest, *, access: OrganisationAccess
) -> HttpResponse:
    form = BankAccountForm(request.POST or None, organisation=access.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.bank_account_create(
                organisation=access.organisation,
                iban=form.cleaned_data["iban"],
                name=form.cleaned_data["name"],
                ledger_account=form.cleaned_data["ledger_account"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s is saved.") % {"name": account.name})
            return redirect("bank_account_list", organisation=access.organisation.slug)
    return render(
        request,
        "banking/bank_account_form.html",
        {"access": access, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@organisation_view(MANAGE_BOOKS)
@require_http_methods(["GET", "POST"])
def statement_import_view(
    request: AuthenticatedHttpRequest, *, access: OrganisationAccess
) -> HttpResponse:
    form = StatementImportForm(request.POST or None, request.FILES or None)
    summary: ImportSummary | None = None
    offer_add_account = False
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > settings.BANK_STATEMENT_MAX_BYTES:
                data = b"\0" * (settings.BANK_STATEMENT_MAX_BYTES + 1)  # refused by size
            else:
                data = upload.read()
            summary = statement_import(
                organisation=access.organisation,
                data=data,
                file_name=upload.name,
                actor=request.user,
                add_account=form.cleaned_data["add_account"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            offer_add_account = any("not a bank account of" in m for m in exc.messages)
    return render(
        request,
        "banking/statement_import.html",
        {
            "access": access,
            "form": form,
            "summary": summary,
            "offer_add_account": offer_add_account,
            "statements": selectors.statement_list(organisation=access.organisation),
            "unmatched": selectors.unmatched_line_count(organisation=access.organisation),
        },
        status=400 if form.is_bound and form.errors else 200,
    )
