"""Pages for volunteer shifts: the coordinator plans, volunteers sign up from a phone."""

from __future__ import annotations

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
from wijk.organisations.roles import MANAGE_SHIFTS, VIEW_PERSONS

from . import selectors, shifts
from .access import access_shift
from .forms import ShiftForm
from .models import Person


@organisation_view(VIEW_PERSONS)
@require_http_methods(["GET", "POST"])
def shift_list(request: AuthenticatedHttpRequest, *, access: OrganisationAccess) -> HttpResponse:
    """The coming shifts with who comes and who is still missing; coordinators add shifts."""
    can_manage = access.has(MANAGE_SHIFTS)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    form = ShiftForm(
        request.POST if request.method == "POST" else None, organisation=access.organisation
    )
    if request.method == "POST" and form.is_valid():
        try:
            shifts.shift_create(
                organisation=access.organisation,
                data=shifts.ShiftData(**form.cleaned_data),
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The shift is added."))
            return redirect("shift_list", organisation=access.organisation.slug)
    start, end = shifts.signup_window()
    return render(
        request,
        "community/shift_list.html",
        {
            "access": access,
            "form": form,
            "can_manage": can_manage,
            "rows": shifts.shift_rows(
                organisation=access.organisation, start=start, end=end, now=timezone.localtime()
            ),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@organisation_view()
@require_http_methods(["GET"])
def my_shifts(request: AuthenticatedHttpRequest, *, access: OrganisationAccess) -> HttpResponse:
    """A volunteer's phone page: coming shifts to sign up for, and their milestones."""
    person = selectors.person_for_user(organisation=access.organisation, user_id=request.user.pk)
    start, end = shifts.signup_window()
    rows = (
        shifts.shift_rows(
            organisation=access.organisation,
            start=start,
            end=end,
            person=person,
            now=timezone.localtime(),
        )
        if person is not None
        else []
    )
    return render(
        request,
        "community/my_shifts.html",
        {
            "access": access,
            "person": person,
            # Other volunteers are shown as a number only, never by name.
            "rows": rows,
            "milestones": shifts.milestones_for_person(person=person) if person else None,
        },
    )


def _own_person(request: AuthenticatedHttpRequest, access: OrganisationAccess) -> Person:
    person = selectors.person_for_user(organisation=access.organisation, user_id=request.user.pk)
    if person is None:
        raise PermissionDenied
    return person


@organisation_view()
@require_POST
def shift_signup(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    shift = access_shift(access=access, shift_id=pk)
    person = _own_person(request, access)
    try:
        shifts.shift_signup(shift=shift, person=person, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("You are signed up. See you then!"))
    return redirect("my_shifts", organisation=access.organisation.slug)


@organisation_view()
@require_POST
def shift_withdraw(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    shift = access_shift(access=access, shift_id=pk)
    person = _own_person(request, access)
    try:
        shifts.shift_withdraw(shift=shift, person=person, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("You are no longer signed up for this shift."))
    return redirect("my_shifts", organisation=access.organisation.slug)
