"""Organisation pages: home, dashboard, settings, people, invitations, network overview.

Views are thin: parse and validate with a form, call one service or selector, render
or redirect. Every change is a POST; htmx requests get the partial they swap.
"""

from __future__ import annotations

import smtplib

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wijk.accounts.models import User
from wijk.core.forms import add_service_errors
from wijk.core.http import AuthenticatedHttpRequest, HtmxHttpRequest
from wijk.expenses.selectors import ClaimsSummary, claims_summary
from wijk.sales.selectors import ReceivablesSummary, receivables_summary

from . import selectors, services
from .access import (
    OrganisationAccess,
    access_invitation,
    access_membership,
    access_neighbourhood,
    organisation_view,
)
from .forms import MONTHS, AcceptNewUserForm, InvitationForm, NeighbourhoodForm, OrganisationForm
from .roles import (
    APPROVE_EXPENSE_CLAIMS,
    MANAGE_ORGANISATION,
    MANAGE_PEOPLE,
    MANAGE_PREMISES,
    VIEW_AUDIT_LOG,
    VIEW_BOOKS,
    VIEW_PARTNERS,
    VIEW_PEOPLE,
    VIEW_SALES,
    Role,
)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Landing page; a person in exactly one organisation goes straight to its dashboard."""
    user = request.user
    if isinstance(user, User):
        organisations = list(selectors.organisation_list_for_user(user=user))
        if len(organisations) == 1 and not user.is_network_analyst:
            return redirect("dashboard", organisation=organisations[0].slug)
        if not organisations and user.is_network_analyst:
            return redirect("network")  # an analyst's work is the network figures
        return render(request, "organisations/choose.html", {"organisations": organisations})
    return render(request, "organisations/landing.html")


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and `wijk check`: the app answers and the database responds."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return JsonResponse({"status": "ok"})


def _books_summary(access: OrganisationAccess) -> object:
    """The year so far from the books, for those who may see the books."""
    if not access.has(VIEW_BOOKS):
        return None
    from wijk.ledger import selectors as ledger_selectors

    today = timezone.localdate()
    year = ledger_selectors.current_fiscal_year(organisation=access.organisation, today=today)
    if year is None:
        return None
    return ledger_selectors.year_summary(
        organisation=access.organisation, fiscal_year=year, until=today
    )


def _community_summary(access: OrganisationAccess) -> object:
    """Sessions this week, volunteer hours and people reached (the community app)."""
    from django.utils import timezone

    from wijk.community.selectors import community_summary

    return community_summary(organisation=access.organisation, today=timezone.localdate())


@organisation_view()
@require_GET
def dashboard(request: AuthenticatedHttpRequest, *, access: OrganisationAccess) -> HttpResponse:
    summary = selectors.dashboard_summary(
        organisation=access.organisation, include_events=access.has(VIEW_AUDIT_LOG)
    )
    return render(
        request,
        "organisations/dashboard.html",
        {
            "access": access,
            "summary": summary,
            "can_see_log": access.has(VIEW_AUDIT_LOG),
            "can_manage": access.has(MANAGE_ORGANISATION),
            # Contract deadlines link to the contract, which only these roles may open.
            "can_see_contracts": access.has(VIEW_PARTNERS),
            "logs_hours": access.has({Role.VOLUNTEER}),
            "my_roles": [label for value, label in Role.choices if value in access.roles],
            "fiscal_month": dict(MONTHS)[access.organisation.fiscal_year_start_month],
            "books": _books_summary(access),
            "claims": _claims_summary(request, access),
            "receivables": _receivables_summary(access),
            "community": _community_summary(access),
            "booking_requests": _booking_requests_count(access),
        },
    )


def _booking_requests_count(access: OrganisationAccess) -> int | None:
    """Room requests from the public page waiting for an answer, for those who answer."""
    if not access.has(MANAGE_PREMISES):
        return None
    from wijk.premises.selectors import booking_requests

    return booking_requests(organisation=access.organisation).count()


def _claims_summary(request: AuthenticatedHttpRequest, access: OrganisationAccess) -> ClaimsSummary:
    return claims_summary(
        organisation=access.organisation,
        user=request.user,
        can_approve=access.has(APPROVE_EXPENSE_CLAIMS),
    )


def _receivables_summary(access: OrganisationAccess) -> ReceivablesSummary | None:
    if not access.has(VIEW_SALES):
        return None
    return receivables_summary(organisation=access.organisation, today=timezone.localdate())


@organisation_view()
@require_http_methods(["GET", "POST"])
def organisation_settings(
    request: AuthenticatedHttpRequest, *, access: OrganisationAccess
) -> HttpResponse:
    organisation = access.organisation
    can_edit = access.has(MANAGE_ORGANISATION)
    form = OrganisationForm(instance=organisation) if can_edit else None
    if request.method == "POST":
        access.require(MANAGE_ORGANISATION)
        form = OrganisationForm(request.POST, instance=organisation)
        if form.is_valid():
            try:
                services.organisation_update(
                    organisation=organisation,
                    actor=request.user,
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The details of the organisation have been saved."))
                return redirect("organisation_settings", organisation=organisation.slug)
        organisation.refresh_from_db()
    return render(
        request,
        "organisations/settings.html",
        {
            "access": access,
            "form": form,
            "can_edit": can_edit,
            "neighbourhood_form": NeighbourhoodForm(),
            "neighbourhoods": selectors.neighbourhood_list(organisation=organisation),
        },
        status=400 if form is not None and form.is_bound and form.errors else 200,
    )


@organisation_view(MANAGE_ORGANISATION)
@require_POST
def neighbourhood_add(
    request: AuthenticatedHttpRequest, *, access: OrganisationAccess
) -> HttpResponse:
    form = NeighbourhoodForm(request.POST)
    if form.is_valid():
        try:
            services.neighbourhood_link_add(
                organisation=access.organisation,
                actor=request.user,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
    template = "organisations/settings.html#neighbourhoods"
    context = {
        "access": access,
        "can_edit": True,
        "neighbourhood_form": NeighbourhoodForm() if not form.errors else form,
        "neighbourhoods": selectors.neighbourhood_list(organisation=access.organisation),
    }
    if request.htmx:
        return render(request, template, context, status=200)
    if form.errors:
        context["form"] = OrganisationForm(instance=access.organisation)
        return render(request, "organisations/settings.html", context, status=400)
    messages.success(request, _("The neighbourhood has been linked."))
    return redirect("organisation_settings", organisation=access.organisation.slug)


@organisation_view(MANAGE_ORGANISATION)
@require_POST
def neighbourhood_remove(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    link = access_neighbourhood(access=access, link_id=pk)
    services.neighbourhood_link_remove(link=link, actor=request.user)
    messages.success(request, _("The neighbourhood has been removed."))
    return redirect("organisation_settings", organisation=access.organisation.slug)


def _people_context(
    access: OrganisationAccess, invite_form: InvitationForm | None = None
) -> dict[str, object]:
    can_manage = access.has(MANAGE_PEOPLE)
    return {
        "access": access,
        "people": selectors.people_with_roles(organisation=access.organisation),
        "invitations": selectors.invitation_list_open(organisation=access.organisation)
        if can_manage
        else [],
        "invite_form": invite_form or (InvitationForm() if can_manage else None),
        "can_manage": can_manage,
        "invitation_days": services.INVITATION_VALID_DAYS,
    }


@organisation_view(VIEW_PEOPLE)
@require_GET
def people(request: AuthenticatedHttpRequest, *, access: OrganisationAccess) -> HttpResponse:
    return render(request, "organisations/people.html", _people_context(access))


@organisation_view(MANAGE_PEOPLE)
@require_POST
def invitation_create(
    request: AuthenticatedHttpRequest, *, access: OrganisationAccess
) -> HttpResponse:
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            services.invitation_create(
                organisation=access.organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                actor=request.user,
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except (smtplib.SMTPException, OSError):
            # The service rolled back: no invitation exists without its e-mail.
            form.add_error(
                None,
                _(
                    "The e-mail could not be sent, so no invitation was made. Try again "
                    "later, or ask the person who runs this website to check the mail settings."
                ),
            )
        else:
            messages.success(
                request,
                _("An invitation has been sent to %(email)s.")
                % {"email": form.cleaned_data["email"]},
            )
            if request.htmx:
                return render(
                    request, "organisations/people.html#invitations", _people_context(access)
                )
            return redirect("people", organisation=access.organisation.slug)
    status = 200 if request.htmx else 400
    template = (
        "organisations/people.html#invitations" if request.htmx else "organisations/people.html"
    )
    return render(request, template, _people_context(access, form), status=status)


@organisation_view(MANAGE_PEOPLE)
@require_POST
def invitation_revoke(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    invitation = access_invitation(access=access, invitation_id=pk)
    try:
        services.invitation_revoke(invitation=invitation, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The invitation for %(email)s has been withdrawn.") % {"email": invitation.email},
        )
    return redirect("people", organisation=access.organisation.slug)


@organisation_view(MANAGE_PEOPLE)
@require_http_methods(["GET", "POST"])
def membership_end(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    """GET asks to confirm (ending a role cannot be undone here); POST ends it."""
    membership = access_membership(access=access, membership_id=pk)
    if request.method == "GET":
        return render(
            request,
            "organisations/membership_end.html",
            {"access": access, "membership": membership},
        )
    try:
        services.membership_end(membership=membership, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(person)s is no longer %(role)s.")
            % {"person": membership.user, "role": membership.get_role_display().lower()},
        )
    return redirect("people", organisation=access.organisation.slug)


@organisation_view(VIEW_AUDIT_LOG)
@require_GET
def audit_log(request: AuthenticatedHttpRequest, *, access: OrganisationAccess) -> HttpResponse:
    events = selectors.audit_event_list(organisation=access.organisation, limit=200)
    return render(request, "organisations/audit_log.html", {"access": access, "events": events})


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """Public: the link from the invitation e-mail."""
    invitation = services.invitation_get_by_token(token=token)
    if invitation is None:
        return render(request, "organisations/invitation_invalid.html", status=404)
    existing = User.objects.filter(email__iexact=invitation.email).exists()
    user = request.user if isinstance(request.user, User) else None
    if existing and user is None:
        messages.info(
            request,
            _("Log in with %(email)s to accept the invitation.") % {"email": invitation.email},
        )
        return redirect_to_login(request.get_full_path(), reverse("account_login"))
    form = AcceptNewUserForm(request.POST or None) if user is None else None
    error = ""
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            membership = services.invitation_accept(
                token=token,
                user=user,
                full_name=form.cleaned_data["full_name"] if form else "",
                password=form.cleaned_data["password1"] if form else "",
            )
        except ValidationError as exc:
            if form is not None:
                add_service_errors(form, exc)
            else:
                error = " ".join(exc.messages)
        else:
            if user is None:
                login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("Welcome! You are now %(role)s of %(organisation)s.")
                % {
                    "role": membership.get_role_display().lower(),
                    "organisation": membership.organisation,
                },
            )
            return redirect("dashboard", organisation=membership.organisation.slug)
    status = 400 if (form is not None and form.errors) or error else 200
    return render(
        request,
        "organisations/invitation_accept.html",
        {"invitation": invitation, "form": form, "error": error},
        status=status,
    )


@require_GET
@login_required
def network(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Aggregated figures across enterprises, for network analysts only."""
    if not request.user.is_network_analyst:
        raise Http404
    return render(request, "organisations/network.html", {"overview": selectors.network_overview()})
