"""Pages for members: fees invoiced through the books, and the register of member shares."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wijk.core.forms import add_service_errors
from wijk.core.http import AuthenticatedHttpRequest
from wijk.organisations.access import OrganisationAccess, organisation_view
from wijk.organisations.roles import MANAGE_SALES, VIEW_SALES

from . import fees
from .forms import MembershipFeeForm


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
