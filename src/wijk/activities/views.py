"""Pages for activities: thin views that parse, call a service and render."""

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
from wijk.organisations.roles import MANAGE_ACTIVITIES

from . import selectors, services
from .access import access_activity
from .forms import ActivityForm
from .models import Activity


@organisation_view()
@require_GET
def activity_list(request: AuthenticatedHttpRequest, *, access: OrganisationAccess) -> HttpResponse:
    return render(
        request,
        "activities/activity_list.html",
        {
            "access": access,
            "activities": selectors.activity_list(organisation=access.organisation),
            "can_manage": access.has(MANAGE_ACTIVITIES),
        },
    )


def _edit(
    request: AuthenticatedHttpRequest, access: OrganisationAccess, activity: Activity | None
) -> HttpResponse:
    initial = (
        {
            "name": activity.name,
            "category": activity.category,
            "description": activity.description,
            "building": activity.building,
            "is_active": activity.is_active,
        }
        if activity
        else {}
    )
    form = ActivityForm(request.POST or None, initial=initial, organisation=access.organisation)
    if request.method == "POST" and form.is_valid():
        data = services.ActivityData(**form.cleaned_data)
        try:
            if activity is None:
                activity = services.activity_create(
                    organisation=access.organisation, data=data, actor=request.user
                )
            else:
                activity = services.activity_update(
                    activity=activity, data=data, actor=request.user
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s is saved.") % {"name": activity.name})
            return redirect("activity_list", organisation=access.organisation.slug)
    return render(
        request,
        "activities/activity_form.html",
        {"access": access, "form": form, "activity": activity},
        status=400 if form.is_bound and form.errors else 200,
    )


@organisation_view(MANAGE_ACTIVITIES)
@require_http_methods(["GET", "POST"])
def activity_create(
    request: AuthenticatedHttpRequest, *, access: OrganisationAccess
) -> HttpResponse:
    return _edit(request, access, None)


@organisation_view(MANAGE_ACTIVITIES)
@require_http_methods(["GET", "POST"])
def activity_edit(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    return _edit(request, access, access_activity(access=access, activity_id=pk))
