"""Pages for members: fees invoiced through the books, and the register of member shares."""

from __future__ import annotations

from collections.abc import Mapping

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from wijk.core.forms import add_service_errors
from wijk.core.http import AuthenticatedHttpRequest
from wijk.organisations.access import OrganisationAccess, organisation_view
from wijk.organisations.roles import MANAGE_SALES, MANAGE_SHARES, VIEW_SALES, VIEW_SHARES

from . import fees, shares
from .access import access_share_movement
from .forms import (
    MembershipFeeForm,
    ShareCorrectForm,
    ShareIssueForm,
    ShareRedeemForm,
    ShareTransferForm,
)


def _year(request: AuthenticatedHttpRequest) -> int:
    try:
        year = int(request.GET.get("jaar", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= timezone.localdate().year + 1 else timezone.localdate().year


@organisation_view(VIEW_SALES)
@require_http_methods(["GET", "POST"])
def membership_fees(
    request: AuthenticatedHttpRequest, *, access: OrganisationAccess
) -> HttpResponse:
    can_manage = access.has(MANAGE_SALES)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    year = _year(request)
    form = MembershipFeeForm(
        request.POST if request.method == "POST" else None, initial={"year": year}
    )
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["year"]
        try:
            run = fees.membership_fees_invoice(
                organisation=access.organisation,
                year=year,
                actor=request.user,
                issue_date=form.cleaned_data["issue_date"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(count)s invoices sent for the membership fees of %(year)s.")
                % {"count": len(run.invoices), "year": year},
            )
            if form.cleaned_data["email"] and run.invoices:
                sent, not_sent = fees.membership_fees_email(
                    invoices=run.invoices, actor=request.user
                )
                messages.info(
                    request,
                    _("%(sent)s e-mailed; %(not_sent)s not e-mailed (no address or it failed).")
                    % {"sent": sent, "not_sent": not_sent},
                )
            return redirect(f"{request.path}?jaar={year}")
    try:
        plan = fees.membership_fee_plan(organisation=access.organisation, year=year)
    except ValidationError:
        plan = fees.membership_fee_plan(
            organisation=access.organisation, year=timezone.localdate().year
        )
    return render(
        request,
        "community/membership_fees.html",
        {
            "access": access,
            "form": form,
            "plan": plan,
            "can_manage": can_manage,
            "account": fees.fees_account(organisation=access.organisation),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


SHARE_FORMS = {"issue": ShareIssueForm, "transfer": ShareTransferForm, "redeem": ShareRedeemForm}


def _share_context(access: OrganisationAccess, forms: Mapping[str, object]) -> dict[str, object]:
    holdings = shares.share_holdings(organisation=access.organisation)
    return {
        "access": access,
        "holdings": holdings,
        "total_count": sum(h.count for h in holdings),
        "total_value": sum(h.value_cents for h in holdings),
        "nominal_value": shares.nominal_value_cents(organisation=access.organisation),
        "history": shares.share_history(organisation=access.organisation),
        "can_manage": access.has(MANAGE_SHARES),
        "is_cooperative": access.organisation.legal_form == "cooperative",
        "correct_form": ShareCorrectForm(),
        **forms,
    }


@organisation_view(VIEW_SHARES)
@require_http_methods(["GET", "POST"])
def share_register(
    request: AuthenticatedHttpRequest, *, access: OrganisationAccess
) -> HttpResponse:
    """Who holds how many shares, the history, and (for the board) the forms to change it."""
    organisation = access.organisation
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if request.method == "POST" and (not access.has(MANAGE_SHARES) or action not in SHARE_FORMS):
        raise PermissionDenied
    forms = {
        f"{name}_form": cls(
            request.POST if name == action else None, organisation=organisation, prefix=name
        )
        for name, cls in SHARE_FORMS.items()
    }
    if action:
        form = forms[f"{action}_form"]
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                if action == "issue":
                    data["nominal_value_cents"] = data.pop("nominal_value")
                    shares.shares_issue(organisation=organisation, actor=request.user, **data)
                elif action == "transfer":
                    shares.shares_transfer(organisation=organisation, actor=request.user, **data)
                else:
                    shares.shares_redeem(organisation=organisation, actor=request.user, **data)
            except ValidationError as exc:
                if hasattr(exc, "error_dict") and "nominal_value_cents" in exc.error_dict:
                    exc.error_dict["nominal_value"] = exc.error_dict.pop("nominal_value_cents")
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The share register is updated."))
                return redirect("share_register", organisation=organisation.slug)
    context = _share_context(access, forms)
    context["open_form"] = action
    return render(request, "community/share_register.html", context, status=400 if action else 200)


@organisation_view(MANAGE_SHARES)
@require_POST
def share_correct(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    movement = access_share_movement(access=access, movement_id=pk)
    form = ShareCorrectForm(request.POST)
    if form.is_valid():
        try:
            shares.share_movement_correct(
                movement=movement, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The line is corrected by a new line."))
    else:
        messages.error(request, _("Give the date of the correction."))
    return redirect("share_register", organisation=access.organisation.slug)
