"""Pages without login: the booking request of a building and the calendar feed of a room.

They check their own rights: the building must accept requests, the feed's token must
match. Nothing here shows who booked what; the request page shows free times only.
"""

from __future__ import annotations

from datetime import date, timedelta

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from . import antibot, ical, selectors, services
from .forms import PublicRequestForm
from .models import Booking, Building, Space
from .timeutil import local_day_bounds, to_utc
from .views import _add_booking_errors, booking_details

DAYS_SHOWN = 7
FEED_DAYS_BACK = 30
FEED_DAYS_AHEAD = 400


def _building(slug: str, pk: int) -> Building:
    return get_object_or_404(
        Building.objects.select_related("organisation"),
        organisation__slug=slug,
        pk=pk,
        accepts_requests=True,
        is_active=True,
    )


def _first_day(request: HttpRequest) -> date:
    today = timezone.localdate()
    try:
        day = date.fromisoformat(request.GET.get("datum", ""))
    except ValueError:
        return today
    return min(max(day, today), today + timedelta(days=365))


@require_http_methods(["GET", "POST"])
def public_request(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    building = _building(slug, pk)
    first = _first_day(request)
    spaces = list(selectors.space_list(building=building).filter(is_active=True))
    free = selectors.free_slots_by_room(
        spaces=spaces, first=first, days=DAYS_SHOWN, not_before=timezone.now()
    )
    form = PublicRequestForm(
        request.POST or None,
        building=building,
        initial={
            "stamp": antibot.form_stamp(),
            "date": first,
            "customer_class": "resident_initiative",
        },
    )
    status = 200
    if request.method == "POST":
        client = get_adapter().get_client_ip(request)
        limited = antibot.over_limit(client)
        if not limited:
            antibot.count_request(client)
        if limited:
            form.add_error(
                None, _("Too many requests from your address. Please try again in an hour.")
            )
            status = 429
        elif form.data.get("website") or antibot.stamp_problem(form.data.get("stamp", "")):
            # A robot, or a form kept open for hours: ask to send it again, fresh.
            form.add_error(
                None,
                _("Your request could not be checked. Please wait a moment and send it again."),
            )
        elif form.is_valid():
            data = form.cleaned_data
            try:
                services.booking_request_create(
                    space=data["space"],
                    starts_at=to_utc(data["date"], data["start_time"]),
                    ends_at=to_utc(data["date"], data["end_time"]),
                    details=booking_details(data, data["customer_class"]),
                )
            except ValidationError as exc:
                _add_booking_errors(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "Thank you. We have sent your request to %(organisation)s; the answer comes by e-mail."
                    )
                    % {"organisation": building.organisation.name},
                )
                return redirect("public_request", slug=slug, pk=pk)
        if form.errors and status == 200:
            status = 400
        fresh = request.POST.copy()
        fresh["stamp"] = antibot.form_stamp()
        form.data = fresh
    return render(
        request,
        "premises/public_request.html",
        {
            "building": building,
            "form": form,
            "free": free,
            "first": first,
            "previous": first - timedelta(days=DAYS_SHOWN),
            "next": first + timedelta(days=DAYS_SHOWN),
            "today": timezone.localdate(),
        },
        status=status,
    )


@require_GET
def space_feed(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    space = get_object_or_404(Space.objects.select_related("building"), pk=pk)
    if not ical.feed_token_matches(space, token):
        raise Http404
    today = timezone.localdate()
    starts = local_day_bounds(today - timedelta(days=FEED_DAYS_BACK))[0]
    ends = local_day_bounds(today + timedelta(days=FEED_DAYS_AHEAD))[0]
    bookings: list[Booking] = list(
        selectors.bookings_between(
            organisation=space.organisation, starts=starts, ends=ends, space=space
        )
    )
    body = ical.calendar_bytes(
        bookings, name=f"{space.name}, {space.building.name}", with_customer=False
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="agenda.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
