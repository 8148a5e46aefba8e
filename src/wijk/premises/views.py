"""Pages for buildings: thin views that parse, call a service and render."""

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
from wijk.organisations.roles import MANAGE_PREMISES

from . import selectors, services
from .access import access_building
from .forms import BuildingForm
from .models import Building


@organisation_view()
@require_GET
def building_list(request: AuthenticatedHttpRequest, *, access: OrganisationAccess) -> HttpResponse:
    return render(
        request,
        "premises/building_list.html",
        {
            "access": access,
            "buildings": selectors.building_list(organisation=access.organisation),
            "can_manage": access.has(MANAGE_PREMISES),
        },
    )


def _initial(building: Building) -> dict[str, object]:
    return {
        field: getattr(building, field)
        for field in (
            "name",
            "street",
            "postcode",
            "city",
            "ownership",
            "lease_end",
            "floor_area_m2",
            "purchase_value_cents",
            "woz_value_cents",
            "is_active",
        )
    }


def _edit(
    request: AuthenticatedHttpRequest, access: OrganisationAccess, building: Building | None
) -> HttpResponse:
    initial = _initial(building) if building else {}
    form = BuildingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = services.BuildingData(**form.cleaned_data)
        try:
            if building is None:
                building = services.building_create(
                    organisation=access.organisation, data=data, actor=request.user
                )
            else:
                building = services.building_update(
                    building=building, data=data, actor=request.user
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s is saved.") % {"name": building.name})
            return redirect("building_list", organisation=access.organisation.slug)
    return render(
        request,
        "premises/building_form.html",
        {"access": access, "form": form, "building": building},
        status=400 if form.is_bound and form.errors else 200,
    )


@organisation_view(MANAGE_PREMISES)
@require_http_methods(["GET", "POST"])
def building_create(
    request: AuthenticatedHttpRequest, *, access: OrganisationAccess
) -> HttpResponse:
    return _edit(request, access, None)


@organisation_view(MANAGE_PREMISES)
@require_http_methods(["GET", "POST"])
def building_edit(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    return _edit(request, access, access_building(access=access, building_id=pk))
