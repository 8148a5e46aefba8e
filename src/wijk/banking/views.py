"""Pages for banking: thin views that parse, call a service or selector and render."""

from __future__ import annotations

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
from .forms import BankAccountForm


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
