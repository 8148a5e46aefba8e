"""Pages for moving into the books: the list of imports, opening balances, an audit file.

Opening balances go in two steps: the upload is read and shown as a preview (kept in
the session as account ids and cents, never as the file), and only the confirm button
posts the entry; the service checks everything again then. An audit file (XAF) is
checked first by default (a dry run that is rolled back), then imported in one
transaction.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from wijk.core.http import AuthenticatedHttpRequest
from wijk.organisations.access import OrganisationAccess, organisation_view
from wijk.organisations.roles import MANAGE_BOOKS

from . import imports, xaf_import
from .import_forms import OpeningBalancesForm, XafImportForm
from .models import LedgerImport

SESSION_KEY = "ledger_opening_preview"


def _add_errors(form: OpeningBalancesForm | XafImportForm, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error("file", message)


@organisation_view(MANAGE_BOOKS)
@require_GET
def ledger_imports(
    request: AuthenticatedHttpRequest, *, access: OrganisationAccess
) -> HttpResponse:
    records = (
        LedgerImport.objects.for_organisation(access.organisation)
        .select_related("created_by", "opening_year", "opening_entry")
        .order_by("-created_at")
    )
    return render(request, "ledger/imports.html", {"access": access, "records": records})


@organisation_view(MANAGE_BOOKS)
@require_http_methods(["GET", "POST"])
def opening_balances_import(
    request: AuthenticatedHttpRequest, *, access: OrganisationAccess
) -> HttpResponse:
    organisation = access.organisation
    slug = organisation.slug
    if request.method == "POST" and "confirm" in request.POST:
        stored = request.session.get(SESSION_KEY)
        preview = (
            imports.opening_from_session(organisation=organisation, data=stored)
            if isinstance(stored, dict)
            else None
        )
        if preview is None:
            messages.error(request, _("The preview has expired. Upload the file again."))
            return redirect("opening_balances_import", organisation=slug)
        fiscal_year, opening = preview
        try:
            record = imports.opening_balances_import(
                organisation=organisation,
                fiscal_year=fiscal_year,
                opening=opening,
                actor=request.user,
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("opening_balances_import", organisation=slug)
        request.session.pop(SESSION_KEY, None)
        messages.success(
            request,
            _("The opening balance of %(year)s is posted.") % {"year": fiscal_year},
        )
        assert record.opening_entry_id is not None  # noqa: S101 - set by the service
        return redirect("entry_detail", organisation=slug, pk=record.opening_entry_id)
    if request.method == "POST" and "cancel" in request.POST:
        request.session.pop(SESSION_KEY, None)
        return redirect("opening_balances_import", organisation=slug)

    form = OpeningBalancesForm(
        request.POST or None, request.FILES or None, organisation=organisation
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        fiscal_year = form.cleaned_data["year"]
        try:
            opening = imports.opening_balances_read(
                organisation=organisation, file_name=upload.name, data=upload.read()
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            problem = imports.opening_entry_problem(fiscal_year=fiscal_year)
            request.session[SESSION_KEY] = imports.opening_to_session(
                opening, fiscal_year=fiscal_year
            )
            return render(
                request,
                "ledger/opening_balances_preview.html",
                {
                    "access": access,
                    "opening": opening,
                    "year": fiscal_year,
                    "problem": problem,
                    "difference": opening.debit_cents - opening.credit_cents,
                    "wrong_side": [
                        line for line in opening.lines if not line.account.is_balance_sheet
                    ],
                },
            )
    return render(
        request,
        "ledger/opening_balances_import.html",
        {"access": access, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@organisation_view(MANAGE_BOOKS)
@require_http_methods(["GET", "POST"])
def xaf_import_view(
    request: AuthenticatedHttpRequest, *, access: OrganisationAccess
) -> HttpResponse:
    organisation = access.organisation
    form = XafImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        dry_run = form.cleaned_data["dry_run"]
        try:
            document = xaf_import.xaf_read(file_name=upload.name, data=upload.read())
            result = xaf_import.xaf_import(
                organisation=organisation, document=document, actor=request.user, dry_run=dry_run
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            if not dry_run:
                messages.success(
                    request,
                    _("%(file)s is imported: %(count)s entries posted.")
                    % {"file": result.file_name, "count": result.entries},
                )
                for warning in result.warnings:
                    messages.warning(request, warning)
                return redirect("ledger_imports", organisation=organisation.slug)
    return render(
        request,
        "ledger/xaf_import.html",
        {"access": access, "form": form, "result": result},
        status=400 if request.method == "POST" and form.errors else 200,
    )
