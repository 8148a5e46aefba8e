"""Pages for buildings and rooms: thin views that parse, call a service and render."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wijk.core.forms import add_service_errors
from wijk.core.http import AuthenticatedHttpRequest
from wijk.organisations.access import OrganisationAccess, organisation_view
from wijk.organisations.roles import MANAGE_PREMISES, MANAGE_SALES, VIEW_BOOKS
from wijk.sales import services as sales
from wijk.sales.models import Invoice

from . import invoicing, occupancy, results, selectors, services
from .access import (
    access_add_on,
    access_booking,
    access_building,
    access_component,
    access_space,
)
from .forms import (
    AddOnForm,
    BookingForm,
    BookingInvoicingForm,
    BuildingForm,
    ComponentForm,
    SpaceForm,
    TariffForm,
)
from .ical import feed_token
from .models import AddOn, Building, CustomerClass, MaintenanceComponent, Space
from .timeutil import local_day_bounds, to_utc, week_start


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
            "can_invoice": access.has(MANAGE_SALES),
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
            "accepts_requests",
            "maintenance_fund",
            "maintenance_contribution_cents",
        )
    } | {"maintenance_inflation_bp": _percent_text(building.maintenance_inflation_bp)}


def _percent_text(basis_points: int) -> str:
    return f"{basis_points // 100},{basis_points % 100:02d}".rstrip("0").rstrip(",")


def _edit(
    request: AuthenticatedHttpRequest, access: OrganisationAccess, building: Building | None
) -> HttpResponse:
    initial = _initial(building) if building else {}
    form = BuildingForm(request.POST or None, initial=initial, organisation=access.organisation)
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


@organisation_view()
@require_GET
def building_detail(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    building = access_building(access=access, building_id=pk)
    return render(
        request,
        "premises/building_detail.html",
        {
            "access": access,
            "building": building,
            "spaces": selectors.space_list(building=building),
            "can_manage": access.has(MANAGE_PREMISES),
            "can_view_books": access.has(VIEW_BOOKS),
        },
    )


@organisation_view(VIEW_BOOKS)
@require_GET
def building_result(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    """The building's result from the books beside its budget and last year, with a chart."""
    from wijk.ledger.charts import render_svg
    from wijk.ledger.models import FiscalYear

    building = access_building(access=access, building_id=pk)
    years = list(
        FiscalYear.objects.filter(organisation=access.organisation).order_by("-start_date")
    )
    chosen = request.GET.get("jaar", "")
    year = next((y for y in years if str(y.start_date.year) == chosen), None)
    if year is None:
        today = timezone.localdate()
        year = next((y for y in years if y.start_date <= today <= y.end_date), None) or (
            years[0] if years else None
        )
    figures = results.building_result(building=building, fiscal_year=year) if year else None
    if figures is not None and request.GET.get("formaat") == "grafiek-csv":
        response = HttpResponse(results.chart_csv(figures), content_type="text/csv; charset=utf-8")
        filename = f"{access.organisation.slug}-building-{building.pk}-{year}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    spec = results.chart_spec(figures) if figures is not None and figures.months else None
    return render(
        request,
        "premises/building_result.html",
        {
            "access": access,
            "building": building,
            "years": years,
            "year": year,
            "figures": figures,
            "chart_svg": render_svg(spec) if spec else "",
            "chart_title": spec["title"] if spec else "",
        },
    )


SPACE_FIELDS = (
    "name",
    "capacity",
    "area_m2",
    "facilities",
    "wheelchair_accessible",
    "accessibility",
    "opens_at",
    "closes_at",
    "open_days",
    "is_active",
)


def _edit_space(
    request: AuthenticatedHttpRequest,
    access: OrganisationAccess,
    building: Building,
    space: Space | None,
) -> HttpResponse:
    initial: dict[str, object] = {
        "opens_at": "08:00",
        "closes_at": "23:00",
        "open_days": list("0123456"),
    }
    if space is not None:
        initial = {field: getattr(space, field) for field in SPACE_FIELDS}
        initial["open_days"] = list(space.open_days)
    form = SpaceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = services.SpaceData(**form.cleaned_data)
        try:
            if space is None:
                space = services.space_create(building=building, data=data, actor=request.user)
            else:
                space = services.space_update(space=space, data=data, actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s is saved.") % {"name": space.name})
            return redirect(
                "building_detail", organisation=access.organisation.slug, pk=building.pk
            )
    return render(
        request,
        "premises/space_form.html",
        {"access": access, "form": form, "building": building, "space": space},
        status=400 if form.is_bound and form.errors else 200,
    )


@organisation_view(MANAGE_PREMISES)
@require_http_methods(["GET", "POST"])
def space_create(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    return _edit_space(request, access, access_building(access=access, building_id=pk), None)


@organisation_view(MANAGE_PREMISES)
@require_http_methods(["GET", "POST"])
def space_edit(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    space = access_space(access=access, space_id=pk)
    return _edit_space(request, access, space.building, space)


@organisation_view(MANAGE_PREMISES)
@require_http_methods(["GET", "POST"])
def space_tariffs(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    space = access_space(access=access, space_id=pk)
    current = selectors.tariffs_of_space(space=space)
    initial: dict[str, object] = {}
    for value, tariff in current.items():
        initial.update(
            {
                f"{value}_hour": tariff.hour_cents,
                f"{value}_daypart": tariff.daypart_cents,
                f"{value}_day": tariff.day_cents,
                f"{value}_vat": tariff.vat_rate,
            }
        )
    form = TariffForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        rows = [
            services.TariffRow(
                customer_class=value,
                hour_cents=form.cleaned_data[f"{value}_hour"],
                daypart_cents=form.cleaned_data[f"{value}_daypart"],
                day_cents=form.cleaned_data[f"{value}_day"],
                vat_rate=form.cleaned_data[f"{value}_vat"],
            )
            for value in CustomerClass.values
        ]
        try:
            services.space_tariffs_set(space=space, rows=rows, actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The tariffs for %(name)s are saved.") % {"name": space.name}
            )
            return redirect("space_tariffs", organisation=access.organisation.slug, pk=space.pk)
    return render(
        request,
        "premises/space_tariffs.html",
        {"access": access, "form": form, "space": space, "building": space.building},
        status=400 if form.is_bound and form.errors else 200,
    )


def _edit_add_on(
    request: AuthenticatedHttpRequest, access: OrganisationAccess, add_on: AddOn | None
) -> HttpResponse:
    initial: dict[str, object] = {}
    if add_on is not None:
        initial = {
            field: getattr(add_on, field)
            for field in ("name", "kind", "unit", "price_cents", "vat_rate", "is_active")
        }
    form = AddOnForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = services.AddOnData(**form.cleaned_data)
        try:
            if add_on is None:
                add_on = services.add_on_create(
                    organisation=access.organisation, data=data, actor=request.user
                )
            else:
                add_on = services.add_on_update(add_on=add_on, data=data, actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s is saved.") % {"name": add_on.name})
            return redirect("add_on_list", organisation=access.organisation.slug)
    return render(
        request,
        "premises/add_on_list.html",
        {
            "access": access,
            "form": form,
            "add_on": add_on,
            "add_ons": selectors.add_on_list(organisation=access.organisation),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@organisation_view(MANAGE_PREMISES)
@require_http_methods(["GET", "POST"])
def add_on_list(request: AuthenticatedHttpRequest, *, access: OrganisationAccess) -> HttpResponse:
    return _edit_add_on(request, access, None)


@organisation_view(MANAGE_PREMISES)
@require_http_methods(["GET", "POST"])
def add_on_edit(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    return _edit_add_on(request, access, access_add_on(access=access, add_on_id=pk))


# --- Bookings ---------------------------------------------------------------------

SERVICE_FIELD_ON_FORM = {"starts_at": "start_time", "ends_at": "end_time"}


def _add_booking_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        exc = ValidationError(
            {
                SERVICE_FIELD_ON_FORM.get(field, field): errors
                for field, errors in exc.error_dict.items()
            }
        )
    add_service_errors(form, exc)


def booking_details(data: dict[str, Any], customer_class: str) -> services.BookingDetails:
    return services.BookingDetails(
        title=data["title"],
        customer=services.Customer(
            name=data["customer_name"],
            email=data["customer_email"],
            kind=data["customer_kind"],
            customer_class=customer_class,
        ),
        people=data["people"],
        add_ons=tuple(data["add_ons"]),
        notes=data["notes"],
    )


@organisation_view(MANAGE_PREMISES)
@require_http_methods(["GET", "POST"])
def booking_create(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    space = access_space(access=access, space_id=pk)
    initial: dict[str, Any] = {"date": request.GET.get("datum") or timezone.localdate()}
    if request.GET.get("van"):
        initial["start_time"] = request.GET["van"]
    form = BookingForm(request.POST or None, initial=initial, organisation=access.organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        details = booking_details(data, data["customer_class"])
        try:
            if data["repeat"]:
                series = services.booking_series_create(
                    space=space,
                    rule=services.SeriesRule(
                        frequency=data["repeat"],
                        first_date=data["date"],
                        last_date=data["last_date"],
                        start_time=data["start_time"],
                        end_time=data["end_time"],
                        skip_dates=data["skip_dates"],
                        skip_holidays=data["skip_holidays"],
                    ),
                    details=details,
                    actor=request.user,
                )
                booking = series.bookings.order_by("starts_at")[0]
            else:
                booking = services.booking_create(
                    space=space,
                    starts_at=to_utc(data["date"], data["start_time"]),
                    ends_at=to_utc(data["date"], data["end_time"]),
                    details=details,
                    actor=request.user,
                )
        except ValidationError as exc:
            _add_booking_errors(form, exc)
        else:
            messages.success(request, _("%(room)s is booked.") % {"room": space.name})
            return redirect("booking_detail", organisation=access.organisation.slug, pk=booking.pk)
    return render(
        request,
        "premises/booking_form.html",
        {"access": access, "form": form, "space": space, "building": space.building},
        status=400 if form.is_bound and form.errors else 200,
    )


@organisation_view(MANAGE_PREMISES)
@require_GET
def booking_detail(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    booking = access_booking(access=access, booking_id=pk)
    return render(
        request,
        "premises/booking_detail.html",
        {
            "access": access,
            "booking": booking,
            "add_ons": list(booking.add_ons.all()),
            "series_count": booking.series.bookings.count() if booking.series else 0,
            "invoice": invoicing.booking_invoice_of(booking=booking),
            "can_invoice": access.has(MANAGE_SALES),
        },
    )


def _email_invoices(request: AuthenticatedHttpRequest, invoices: list[Invoice]) -> None:
    """E-mail each invoice whose customer has an address; say which could not be sent."""
    failed = [
        invoice.number
        for invoice in invoices
        if invoice.customer.email and not sales.invoice_email(invoice=invoice, actor=request.user)
    ]
    if failed:
        messages.warning(
            request,
            _(
                "These invoices are posted, but their e-mail failed: %(numbers)s. Send them again from the invoice page."
            )
            % {"numbers": ", ".join(failed)},
        )


@organisation_view(MANAGE_SALES)
@require_POST
def booking_invoice(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    """Invoice one booking now, dated today, and e-mail it when the customer has an address."""
    booking = access_booking(access=access, booking_id=pk)
    try:
        invoice = invoicing.booking_invoice(
            booking=booking, actor=request.user, issue_date=timezone.localdate()
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Invoice %(number)s is made and posted in the books.") % {"number": invoice.number},
        )
        _email_invoices(request, [invoice])
    return redirect("booking_detail", organisation=access.organisation.slug, pk=booking.pk)


def _previous_month() -> str:
    first = timezone.localdate().replace(day=1)
    return (first - timedelta(days=1)).strftime("%Y-%m")


@organisation_view(MANAGE_SALES)
@require_http_methods(["GET", "POST"])
def booking_invoicing(
    request: AuthenticatedHttpRequest, *, access: OrganisationAccess
) -> HttpResponse:
    """Bookings of a month not invoiced yet, the invoices they would make, and one button."""
    organisation = access.organisation
    data: Any = request.POST if request.method == "POST" else request.GET
    initial = {
        "month": _previous_month(),
        "per": invoicing.PER_CUSTOMER,
        "issue_date": timezone.localdate().isoformat(),
        "email": "on",
    }
    if "month" not in data:  # first visit: show last month's bookings straight away
        data = initial
    elif request.method == "GET":  # a link with only some of the choices
        data = {**initial, "email": "", **data.dict()}
    form = BookingInvoicingForm(data, organisation=organisation)
    made: list[Invoice] = []
    if form.is_valid() and request.method == "POST":
        try:
            made = invoicing.bookings_invoice(
                organisation=organisation,
                month=form.cleaned_data["month"],
                per=form.cleaned_data["per"],
                building=form.cleaned_data["building"],
                issue_date=form.cleaned_data["issue_date"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(count)s invoices are made and posted in the books.") % {"count": len(made)},
            )
            if form.cleaned_data["email"]:
                _email_invoices(request, made)
            if not request.htmx:
                query = request.POST.copy()
                query.pop("csrfmiddlewaretoken", None)
                url = reverse("booking_invoicing", kwargs={"organisation": organisation.slug})
                return redirect(f"{url}?{query.urlencode()}")
    plan: list[invoicing.PlannedInvoice] = []
    if "month" in form.cleaned_data and "per" in form.cleaned_data:
        try:
            plan = invoicing.invoice_plan(
                organisation=organisation,
                bookings=invoicing.bookings_to_invoice(
                    organisation=organisation,
                    month=form.cleaned_data["month"],
                    building=form.cleaned_data.get("building"),
                ),
                per=form.cleaned_data["per"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
    context = {
        "access": access,
        "form": form,
        "plan": plan,
        "made": made,
        "total_cents": sum(p.total_cents for p in plan),
    }
    if request.htmx and request.method == "POST":
        return render(request, "premises/booking_invoicing.html#invoicing", context)
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, "premises/booking_invoicing.html", context, status=status)


BOOKING_ACTIONS = {
    "confirmed": gettext_lazy("Booking confirmed."),
    "declined": gettext_lazy("Request declined."),
    "cancelled": gettext_lazy("Booking cancelled."),
}


@organisation_view(MANAGE_PREMISES)
@require_POST
def booking_status(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    booking = access_booking(access=access, booking_id=pk)
    status = request.POST.get("status", "")
    if status not in BOOKING_ACTIONS:
        messages.error(request, _("Choose confirm, decline or cancel."))
    else:
        try:
            services.booking_set_status(booking=booking, status=status, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, str(BOOKING_ACTIONS[status]))
    return redirect("booking_detail", organisation=access.organisation.slug, pk=booking.pk)


@organisation_view()
@require_GET
def booking_list(request: AuthenticatedHttpRequest, *, access: OrganisationAccess) -> HttpResponse:
    """Requests waiting for an answer, then the bookings of the coming weeks."""
    today = timezone.localdate()
    weeks = 4
    starts, _end = local_day_bounds(today)
    ends = local_day_bounds(today + timedelta(weeks=weeks))[0]
    can_manage = access.has(MANAGE_PREMISES)
    return render(
        request,
        "premises/booking_list.html",
        {
            "access": access,
            "can_manage": can_manage,
            "requests": selectors.booking_requests(organisation=access.organisation)
            if can_manage
            else [],
            "bookings": selectors.bookings_between(
                organisation=access.organisation, starts=starts, ends=ends
            ),
            "weeks": weeks,
            "calendar_buildings": selectors.building_list(
                organisation=access.organisation, active_only=True
            ),
        },
    )


def _day_from(request: AuthenticatedHttpRequest) -> date:
    """The day in ?datum=YYYY-MM-DD, or today; a bad value is today too."""
    try:
        return date.fromisoformat(request.GET.get("datum", ""))
    except ValueError:
        return timezone.localdate()


URL_ID_MARK = 987654321


def _url_parts(name: str, access: OrganisationAccess) -> tuple[str, str]:
    """The URL of `name` before and after the object id: put any id between them."""
    url = reverse(name, kwargs={"organisation": access.organisation.slug, "pk": URL_ID_MARK})
    before, after = url.split(str(URL_ID_MARK))
    return before, after


@organisation_view()
@require_GET
def building_week(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    building = access_building(access=access, building_id=pk)
    monday = week_start(_day_from(request))
    return render(
        request,
        "premises/building_week.html",
        {
            "access": access,
            "building": building,
            "calendar_buildings": selectors.building_list(
                organisation=access.organisation, active_only=True
            ),
            "days": selectors.week_of_building(building=building, monday=monday),
            "monday": monday,
            "previous": monday - timedelta(days=7),
            "next": monday + timedelta(days=7),
            "iso_week": monday.isocalendar().week,
            # One reverse() for hundreds of links: the URLs end in the object's id.
            "booking_url": _url_parts("booking_detail", access),
            "day_url": _url_parts("space_day", access),
            "today": timezone.localdate(),
            "can_manage": access.has(MANAGE_PREMISES),
        },
    )


@organisation_view()
@require_GET
def space_day(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    space = access_space(access=access, space_id=pk)
    day = _day_from(request)
    starts, ends = local_day_bounds(day)
    bookings = selectors.bookings_between(
        organisation=access.organisation, starts=starts, ends=ends, space=space
    )
    entries = sorted(
        [(booking.starts_at, booking.ends_at, booking) for booking in bookings]
        + [(start, end, None) for start, end in selectors.free_slots(space=space, day=day)],
        key=lambda entry: entry[0],
    )
    return render(
        request,
        "premises/space_day.html",
        {
            "access": access,
            "space": space,
            "building": space.building,
            "day": day,
            "entries": entries,
            "open": selectors.opening_window(space=space, day=day) is not None,
            "feed_url": request.build_absolute_uri(
                reverse("space_feed", kwargs={"pk": space.pk, "token": feed_token(space)})
            )
            if access.has(MANAGE_PREMISES)
            else "",
            "previous": day - timedelta(days=1),
            "next": day + timedelta(days=1),
            "can_manage": access.has(MANAGE_PREMISES),
        },
    )


@organisation_view()
@require_GET
def occupancy_report(
    request: AuthenticatedHttpRequest, *, access: OrganisationAccess
) -> HttpResponse:
    """Booked over available hours per room, by month or by week, with customer classes."""
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("jaar", this_year))
    except ValueError:
        year = this_year
    year = min(max(year, 2000), this_year + 5)
    weekly = request.GET.get("per") == "week"
    if request.GET.get("formaat") == "csv" and not weekly:
        response = HttpResponse(
            occupancy.occupancy_csv(organisation=access.organisation, year=year),
            content_type="text/csv; charset=utf-8",
        )
        filename = f"{access.organisation.slug}-occupancy-{year}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    rows = occupancy.occupancy(
        organisation=access.organisation,
        year=year,
        period=occupancy.by_week if weekly else occupancy.by_month,
    )
    return render(
        request,
        "premises/occupancy.html",
        {
            "access": access,
            "rows": rows,
            "year": year,
            "weekly": weekly,
            "years": range(this_year - 3, this_year + 2),
            "classes": CustomerClass.choices,
        },
    )


@organisation_view()
@require_GET
def maintenance_plan(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    building = access_building(access=access, building_id=pk)
    return _maintenance_page(
        request,
        access,
        building,
        None,
        ComponentForm(initial={"price_year": timezone.localdate().year}),
    )


def _maintenance_page(
    request: AuthenticatedHttpRequest,
    access: OrganisationAccess,
    building: Building,
    component: MaintenanceComponent | None,
    form: ComponentForm,
) -> HttpResponse:
    return render(
        request,
        "premises/maintenance_plan.html",
        {
            "access": access,
            "building": building,
            "plan": selectors.maintenance_plan(building=building, today=timezone.localdate()),
            "components": building.maintenance_components.all(),
            "component": component,
            "form": form,
            "can_manage": access.has(MANAGE_PREMISES),
            "rise": _percent_text(building.maintenance_inflation_bp),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _save_component(
    request: AuthenticatedHttpRequest,
    access: OrganisationAccess,
    building: Building,
    component: MaintenanceComponent | None,
) -> HttpResponse:
    initial: dict[str, Any] = {"price_year": timezone.localdate().year}
    if component is not None:
        initial = {
            field: getattr(component, field)
            for field in (
                "name",
                "planned_year",
                "interval_years",
                "cost_cents",
                "price_year",
                "notes",
            )
        }
    form = ComponentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = services.ComponentData(**form.cleaned_data)
        try:
            if component is None:
                component = services.maintenance_component_create(
                    building=building, data=data, actor=request.user
                )
            else:
                component = services.maintenance_component_update(
                    component=component, data=data, actor=request.user
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s is saved.") % {"name": component.name})
            return redirect(
                "maintenance_plan", organisation=access.organisation.slug, pk=building.pk
            )
    return _maintenance_page(request, access, building, component, form)


@organisation_view(MANAGE_PREMISES)
@require_POST
def maintenance_component_create(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    return _save_component(request, access, access_building(access=access, building_id=pk), None)


@organisation_view(MANAGE_PREMISES)
@require_http_methods(["GET", "POST"])
def maintenance_component_edit(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    component = access_component(access=access, component_id=pk)
    return _save_component(request, access, component.building, component)
