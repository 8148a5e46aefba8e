"""Pages for expense claims under /o/<slug>/declaraties/. Thin: a form parses, a service acts."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wijk.core.forms import add_service_errors
from wijk.core.http import AuthenticatedHttpRequest
from wijk.ledger.money import format_cents
from wijk.organisations.access import OrganisationAccess, organisation_view
from wijk.organisations.roles import (
    APPROVE_EXPENSE_CLAIMS,
    MANAGE_EXPENSE_POLICY,
    PAY_EXPENSE_CLAIMS,
    SUBMIT_EXPENSE_CLAIMS,
    Role,
)

from . import selectors, services
from .access import access_claim, may_see_all_claims
from .forms import ApproveForm, ClaimForm, PayForm, PolicyForm, RejectForm
from .models import ExpenseClaim
from .receipts import private_file_path


@organisation_view(SUBMIT_EXPENSE_CLAIMS)
@require_GET
def claim_list(request: AuthenticatedHttpRequest, *, access: OrganisationAccess) -> HttpResponse:
    status = request.GET.get("status", "")
    see_all = may_see_all_claims(access)
    return render(
        request,
        "expenses/claim_list.html",
        {
            "access": access,
            "claims": selectors.claim_list(
                organisation=access.organisation, user=request.user, see_all=see_all, status=status
            )[:500],
            "see_all": see_all,
            "status": status,
            "statuses": ExpenseClaim.Status.choices,
            "threshold": services.second_approval_threshold(organisation=access.organisation),
            "can_set_policy": access.has(MANAGE_EXPENSE_POLICY),
        },
    )


@organisation_view(SUBMIT_EXPENSE_CLAIMS)
@require_http_methods(["GET", "POST"])
def claim_create(request: AuthenticatedHttpRequest, *, access: OrganisationAccess) -> HttpResponse:
    organisation = access.organisation
    form = ClaimForm(request.POST or None, request.FILES or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["receipt"]
        try:
            claim = services.expense_claim_submit(
                organisation=organisation,
                actor=request.user,
                date=form.cleaned_data["date"],
                description=form.cleaned_data["description"],
                amount_cents=form.cleaned_data["amount"],
                account=form.cleaned_data["account"],
                fund=form.cleaned_data["fund"],
                iban=form.cleaned_data["iban"],
                account_holder=form.cleaned_data["account_holder"],
                receipt=upload,
                receipt_name=upload.name or "",
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Your claim has been submitted. The treasurer will look at it.")
            )
            return redirect("claim_detail", organisation=organisation.slug, pk=claim.pk)
    return render(
        request,
        "expenses/claim_form.html",
        {
            "access": access,
            "form": form,
            "no_accounts": not selectors.expense_accounts(organisation=organisation).exists(),
        },
        status=400 if request.method == "POST" else 200,
    )


def _detail(
    request: AuthenticatedHttpRequest,
    access: OrganisationAccess,
    claim: ExpenseClaim,
    *,
    approve_form: ApproveForm | None = None,
    reject_form: RejectForm | None = None,
    pay_form: PayForm | None = None,
    status: int = 200,
) -> HttpResponse:
    organisation = access.organisation
    is_own = claim.submitted_by_id == request.user.pk
    approvals = list(claim.approvals.select_related("approver"))
    can_decide = (
        access.has(APPROVE_EXPENSE_CLAIMS) and not is_own and claim.is_open_for_approval
    ) and not any(a.approver_id == request.user.pk for a in approvals)
    return render(
        request,
        "expenses/claim_detail.html",
        {
            "access": access,
            "claim": claim,
            "approvals": approvals,
            "iban": services.format_iban(claim.iban),
            "is_own": is_own,
            "needs_second": services.needs_second_approval(claim),
            "threshold": services.second_approval_threshold(organisation=organisation),
            "can_decide": can_decide,
            "can_pay": access.has(PAY_EXPENSE_CLAIMS)
            and claim.status == ExpenseClaim.Status.POSTED,
            "approve_form": approve_form or ApproveForm(),
            "reject_form": reject_form or RejectForm(),
            "pay_form": pay_form or PayForm(organisation=organisation),
            "can_see_books": access.has({Role.BOARD, Role.TREASURER, Role.AUDIT_COMMITTEE}),
        },
        status=status,
    )


@organisation_view(SUBMIT_EXPENSE_CLAIMS)
@require_GET
def claim_detail(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    return _detail(request, access, access_claim(access=access, claim_id=pk))


@organisation_view(SUBMIT_EXPENSE_CLAIMS)
@require_GET
def claim_receipt(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    """The receipt, streamed to someone who may see the claim; never a public URL."""
    claim = access_claim(access=access, claim_id=pk)
    try:
        path = private_file_path(claim.receipt_path)
        content = path.read_bytes()
    except OSError as exc:
        raise Http404 from exc
    # Read whole (uploads are at most WIJK_MAX_UPLOAD_MB) and shown inline.
    response = HttpResponse(content, content_type=claim.receipt_content_type)
    filename = _("receipt-%(reference)s") % {"reference": claim.reference} + path.suffix
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@organisation_view(APPROVE_EXPENSE_CLAIMS)
@require_POST
def claim_approve(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    claim = access_claim(access=access, claim_id=pk)
    form = ApproveForm(request.POST)
    if form.is_valid():
        try:
            claim = services.expense_claim_approve(
                claim=claim,
                actor=request.user,
                override_reason=form.cleaned_data["override_reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if claim.status == ExpenseClaim.Status.POSTED:
                messages.success(
                    request, _("Approved. The claim is posted in the books and can be paid.")
                )
            else:
                messages.success(request, _("Approved. A board member must approve it as well."))
            return redirect("claim_detail", organisation=access.organisation.slug, pk=claim.pk)
    return _detail(request, access, claim, approve_form=form, status=400)


@organisation_view(APPROVE_EXPENSE_CLAIMS)
@require_POST
def claim_reject(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    claim = access_claim(access=access, claim_id=pk)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            services.expense_claim_reject(
                claim=claim, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The claim is rejected."))
            return redirect("claim_detail", organisation=access.organisation.slug, pk=claim.pk)
    return _detail(request, access, claim, reject_form=form, status=400)


@organisation_view(PAY_EXPENSE_CLAIMS)
@require_POST
def claim_pay(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    claim = access_claim(access=access, claim_id=pk)
    form = PayForm(request.POST, organisation=access.organisation)
    if form.is_valid():
        try:
            services.expense_claim_pay(
                claim=claim,
                actor=request.user,
                paid_on=form.cleaned_data["paid_on"],
                bank_account=form.cleaned_data["bank_account"],
                override_reason=form.cleaned_data["override_reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The payment of %(amount)s is posted.")
                % {"amount": format_cents(claim.amount_cents)},
            )
            return redirect("claim_detail", organisation=access.organisation.slug, pk=claim.pk)
    return _detail(request, access, claim, pay_form=form, status=400)


@organisation_view(MANAGE_EXPENSE_POLICY)
@require_http_methods(["GET", "POST"])
def expense_policy(
    request: AuthenticatedHttpRequest, *, access: OrganisationAccess
) -> HttpResponse:
    organisation = access.organisation
    current = services.second_approval_threshold(organisation=organisation)
    form = PolicyForm(request.POST or None, initial={"threshold": current})
    if request.method == "POST" and form.is_valid():
        try:
            services.expense_policy_update(
                organisation=organisation,
                threshold_cents=form.cleaned_data["threshold"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The rule for expense claims is saved."))
            return redirect("claim_list", organisation=organisation.slug)
    return render(
        request,
        "expenses/policy.html",
        {"access": access, "form": form, "threshold": current},
        status=400 if request.method == "POST" else 200,
    )
