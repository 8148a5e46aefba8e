"""Pages for banking: thin views that parse, call a service or selector and render."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wijk.core.forms import add_service_errors
from wijk.core.http import AuthenticatedHttpRequest
from wijk.expenses.receipts import private_file_path, remove_private_file, store_private_file
from wijk.organisations.access import OrganisationAccess, organisation_view
from wijk.organisations.roles import MANAGE_BOOKS, VIEW_BOOKS

from . import selectors, services
from .access import access_bank_line
from .forms import (
    BankAccountForm,
    BulkBookForm,
    LineBookForm,
    LineMatchForm,
    PendingImportForm,
    SplitFormSet,
    StatementImportForm,
)
from .importing import UNKNOWN_ACCOUNT, ImportSummary, statement_import
from .matching import match_options
from .models import BankLine
from .pending import FOLDER as PENDING_FOLDER
from .pending import pending_statements_purge


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


PENDING = "pending_statement"


def _refused_for_unknown_account(exc: ValidationError) -> bool:
    errors = exc.error_dict.get("file", []) if hasattr(exc, "error_dict") else []
    return any(error.code == UNKNOWN_ACCOUNT for error in errors)


def _forget_pending(request: AuthenticatedHttpRequest) -> None:
    pending = request.session.pop(PENDING, None)
    if pending:
        remove_private_file(pending["path"])


@organisation_view(MANAGE_BOOKS)
@require_http_methods(["GET", "POST"])
def statement_import_view(
    request: AuthenticatedHttpRequest, *, access: OrganisationAccess
) -> HttpResponse:
    """Upload a statement. A statement of an unregistered account is refused, and kept
    (privately, for this user's session) so that one click adds the account and imports it.
    """
    organisation = access.organisation
    pending_statements_purge(organisation_id=organisation.pk)
    adding = request.method == "POST" and "add_pending" in request.POST
    form = StatementImportForm(None if adding else request.POST or None, request.FILES or None)
    summary: ImportSummary | None = None
    pending = request.session.get(PENDING)
    if pending and pending.get("organisation") != organisation.pk:
        pending = None
    pending_form: PendingImportForm | None = None
    if adding:
        if pending is None:
            messages.error(request, _("Choose the statement file again."))
            return redirect("statement_import", organisation=organisation.slug)
        try:
            data = private_file_path(pending["path"]).read_bytes()
        except OSError:
            data = b""
        name = pending["name"]
        _forget_pending(request)
        pending = None
        pending_form = PendingImportForm(request.POST)
        pending_form.is_valid()
        try:
            summary = statement_import(
                organisation=organisation,
                data=data,
                file_name=name,
                actor=request.user,
                add_account=True,
            )
        except ValidationError as exc:
            add_service_errors(pending_form, exc)
    elif request.method == "POST" and form.is_valid():
        _forget_pending(request)
        pending = None
        upload = form.cleaned_data["file"]
        try:
            if upload.size > settings.BANK_STATEMENT_MAX_BYTES:
                data = b"\0" * (settings.BANK_STATEMENT_MAX_BYTES + 1)  # refused by size
            else:
                data = upload.read()
            summary = statement_import(
                organisation=organisation,
                data=data,
                file_name=upload.name,
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            if _refused_for_unknown_account(exc):
                pending = {
                    "organisation": organisation.pk,
                    "name": upload.name[:255],
                    "path": store_private_file(
                        folder=PENDING_FOLDER,
                        organisation_id=organisation.pk,
                        content=data,
                        extension="statement",
                    ),
                }
                request.session[PENDING] = pending
    elif request.method == "GET":
        _forget_pending(request)
        pending = None
    return render(
        request,
        "banking/statement_import.html",
        {
            "access": access,
            "form": form,
            "summary": summary,
            "pending": pending,
            "pending_form": pending_form,
            "statements": selectors.statement_list(organisation=organisation),
            "unmatched": selectors.unmatched_line_count(organisation=organisation),
        },
        status=400 if form.errors or (pending_form and pending_form.errors) else 200,
    )


def _line_form(
    access: OrganisationAccess, line: BankLine, data: Any = None, suggestion: int | None = None
) -> LineBookForm:
    return LineBookForm(
        data,
        organisation=access.organisation,
        prefix=f"line{line.pk}",
        initial={"account": suggestion} if suggestion else None,
    )


def _match_form(
    line: BankLine, options: dict[int, list[Any]], data: Any = None
) -> LineMatchForm | None:
    choices = [(option.value, option.label) for option in options.get(line.pk, [])]
    if not choices:
        return None
    return LineMatchForm(data, options=choices, prefix=f"match{line.pk}")


def _reconcile_page(
    request: AuthenticatedHttpRequest,
    access: OrganisationAccess,
    bulk_form: BulkBookForm | None = None,
    status: int = 200,
) -> HttpResponse:
    lines = selectors.unmatched_line_list(organisation=access.organisation)
    suggestions = selectors.suggested_accounts(organisation=access.organisation, lines=lines)
    options = match_options(organisation=access.organisation, lines=lines)
    rows = [
        {
            "line": line,
            "form": _line_form(access, line, suggestion=suggestions.get(line.pk)),
            "match_form": _match_form(line, options),
            "suggested": line.pk in suggestions,
        }
        for line in lines
    ]
    if bulk_form is None:
        bulk_form = BulkBookForm(
            organisation=access.organisation, line_ids=[line.pk for line in lines]
        )
    return render(
        request,
        "banking/reconcile.html",
        {
            "access": access,
            "rows": rows,
            "bulk_form": bulk_form,
            "unmatched": selectors.unmatched_line_count(organisation=access.organisation),
        },
        status=status,
    )


@organisation_view(MANAGE_BOOKS)
@require_GET
def reconcile(request: AuthenticatedHttpRequest, *, access: OrganisationAccess) -> HttpResponse:
    return _reconcile_page(request, access)


@organisation_view(MANAGE_BOOKS)
@require_POST
def reconcile_bulk(
    request: AuthenticatedHttpRequest, *, access: OrganisationAccess
) -> HttpResponse:
    """Book the ticked lines to one account at once."""
    form = BulkBookForm(
        request.POST,
        organisation=access.organisation,
        line_ids=selectors.unmatched_line_ids(organisation=access.organisation),
    )
    if form.is_valid():
        try:
            count = services.bank_lines_book_bulk(
                organisation=access.organisation,
                line_ids=form.cleaned_data["lines"],
                account=form.cleaned_data["account"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s bank line is booked.", "%(count)s bank lines are booked.", count
                )
                % {"count": count},
            )
            return redirect("reconcile", organisation=access.organisation.slug)
    return _reconcile_page(request, access, bulk_form=form, status=400)


@organisation_view(MANAGE_BOOKS)
@require_POST
def bank_line_book(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    line = access_bank_line(access=access, bank_line_id=pk)
    form = _line_form(access, line, request.POST)
    booked = False
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.bank_line_book(
                line=line,
                splits=[
                    services.Split(
                        data["account"],
                        abs(line.amount_cents),
                        building=data["building"],
                        activity=data["activity"],
                        fund=data["fund"],
                    )
                ],
                actor=request.user,
                remember=data["remember"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            booked = True
    if not request.htmx:
        if booked:
            messages.success(request, _("The bank line is booked."))
            return redirect("reconcile", organisation=access.organisation.slug)
        return render(
            request,
            "banking/bank_line_detail.html",
            {"access": access, "line": line, "form": form, "formset": None},
            status=400,
        )
    line.refresh_from_db()
    response = render(
        request,
        "banking/reconcile.html#line_row",
        {"access": access, "row": {"line": line, "form": form, "suggested": False}},
        # htmx swaps only 2xx answers: the row with its error must come as 200 to be seen
        status=200,
    )
    if booked and form.cleaned_data.get("remember"):
        response["HX-Refresh"] = "true"  # the rule may have booked other rows too
    return response


@organisation_view(MANAGE_BOOKS)
@require_POST
def bank_line_match(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    """Book a line as the payment of the open invoice or approved claim the treasurer picked."""
    line = access_bank_line(access=access, bank_line_id=pk)
    options = match_options(organisation=access.organisation, lines=[line])
    match_form = _match_form(line, options, request.POST)
    booked = False
    if match_form is not None and match_form.is_valid():
        try:
            services.bank_line_match(
                line=line, match=match_form.cleaned_data["match"], actor=request.user
            )
        except ValidationError as exc:
            match_form.add_error(None, exc.messages)
        else:
            booked = True
    if not request.htmx:
        if booked:
            messages.success(request, _("The bank line is booked."))
        else:
            reasons = (
                [str(error) for errors in match_form.errors.values() for error in errors]
                if match_form is not None
                else [_("Nothing open fits this bank line any more.")]
            )
            messages.error(request, " ".join(reasons))
        return redirect("reconcile", organisation=access.organisation.slug)
    line.refresh_from_db()
    row = {
        "line": line,
        "form": _line_form(access, line),
        "match_form": match_form,
        "match_error": ""
        if booked or match_form is not None
        else _("Nothing open fits this bank line any more."),
        "suggested": False,
    }
    return render(
        request,
        "banking/reconcile.html#line_row",
        {"access": access, "row": row},
        status=200,  # as above: htmx shows the row with its error only from a 2xx answer
    )


@organisation_view(MANAGE_BOOKS)
@require_http_methods(["GET", "POST"])
def bank_line_detail(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    """One bank line: what the bank said, its entry when booked, or a split to book it."""
    line = access_bank_line(access=access, bank_line_id=pk)
    formset = None
    if line.status == BankLine.Status.UNMATCHED:
        formset = SplitFormSet(
            request.POST or None,
            prefix="split",
            form_kwargs={"organisation": access.organisation},
        )
        if request.method == "POST" and formset.is_valid():
            splits = [
                services.Split(
                    form.cleaned_data["account"],
                    form.cleaned_data["amount"],
                    description=form.cleaned_data["description"],
                    building=form.cleaned_data["building"],
                    activity=form.cleaned_data["activity"],
                    fund=form.cleaned_data["fund"],
                )
                for form in formset
                if form.cleaned_data.get("account") or form.cleaned_data.get("amount")
            ]
            missing = [s for s in splits if s.account is None]
            if missing:
                formset._non_form_errors = formset.error_class(  # type: ignore[attr-defined]
                    [_("Choose an account for every part with an amount.")]
                )
            else:
                try:
                    services.bank_line_book(line=line, splits=splits, actor=request.user)
                except ValidationError as exc:
                    formset._non_form_errors = formset.error_class(exc.messages)  # type: ignore[attr-defined]
                else:
                    messages.success(request, _("The bank line is booked."))
                    return redirect("reconcile", organisation=access.organisation.slug)
    elif request.method == "POST":
        return redirect("bank_line_detail", organisation=access.organisation.slug, pk=line.pk)
    return render(
        request,
        "banking/bank_line_detail.html",
        {"access": access, "line": line, "formset": formset, "form": None},
        status=400 if request.method == "POST" else 200,
    )
