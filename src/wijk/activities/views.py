"""Pages for activities: thin views that parse, call a service and render."""

from __future__ import annotations

import io
from decimal import Decimal

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wijk.core.forms import add_service_errors
from wijk.core.http import AuthenticatedHttpRequest
from wijk.organisations.access import OrganisationAccess, organisation_view
from wijk.organisations.roles import MANAGE_ACTIVITIES, VIEW_PERSONS

from . import door, selectors, services
from .access import access_activity, access_registration, access_session
from .forms import ActivityForm, DoorSignInForm, RegistrationForm, SessionForm
from .models import Activity, Session


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
            "responsible": activity.responsible,
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


# --- Sessions -------------------------------------------------------------------------


@organisation_view()
@require_GET
def session_list(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    activity = access_activity(access=access, activity_id=pk)
    return render(
        request,
        "activities/session_list.html",
        {
            "access": access,
            "activity": activity,
            "sessions": selectors.session_list(activity=activity),
            "can_manage": access.has(MANAGE_ACTIVITIES),
        },
    )


def _session_form_errors(form: SessionForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict") and "volunteer_minutes" in exc.error_dict:
        exc.error_dict["volunteer_hours"] = exc.error_dict.pop("volunteer_minutes")
    add_service_errors(form, exc)


@organisation_view(MANAGE_ACTIVITIES)
@require_http_methods(["GET", "POST"])
def session_create(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    activity = access_activity(access=access, activity_id=pk)
    form = SessionForm(
        request.POST if request.method == "POST" else None,
        initial={"date": timezone.localdate()},
        organisation=access.organisation,
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(
                activity=activity,
                data=services.SessionData(**form.session_data()),
                actor=request.user,
            )
        except ValidationError as exc:
            _session_form_errors(form, exc)
        else:
            messages.success(request, _("The session is saved."))
            return redirect("session_detail", organisation=access.organisation.slug, pk=session.pk)
    return render(
        request,
        "activities/session_form.html",
        {"access": access, "activity": activity, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


def _door_url(request: AuthenticatedHttpRequest, session: Session) -> str:
    return request.build_absolute_uri(reverse("door_sign_in", kwargs={"token": session.door_token}))


@organisation_view()
@require_http_methods(["GET", "POST"])
def session_detail(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    session = access_session(access=access, session_id=pk)
    can_manage = access.has(MANAGE_ACTIVITIES)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    form = SessionForm(
        request.POST if request.method == "POST" else None,
        initial={
            "date": session.date,
            "start_time": session.start_time,
            "end_time": session.end_time,
            "building": session.building,
            "participants_counted": session.participants_counted,
            "volunteer_hours": Decimal(session.volunteer_minutes) / 60,
            "note": session.note,
        },
        organisation=access.organisation,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(
                session=session,
                data=services.SessionData(**form.session_data()),
                actor=request.user,
            )
        except ValidationError as exc:
            _session_form_errors(form, exc)
        else:
            messages.success(request, _("The session is saved."))
            return redirect("session_detail", organisation=access.organisation.slug, pk=session.pk)
    sign_ins = selectors.session_sign_in_count(session=session)
    return render(
        request,
        "activities/session_detail.html",
        {
            "access": access,
            "session": session,
            "form": form,
            "can_manage": can_manage,
            "sign_ins": sign_ins,
            "participants": sign_ins + session.participants_counted,
            "age_bands": selectors.session_age_bands(session=session),
            # Names are personal data: only for those who may see the registry of persons.
            "can_see_registrations": access.has(VIEW_PERSONS),
            "registrations": selectors.session_registrations(session=session)
            if access.has(VIEW_PERSONS)
            else [],
            "registration_count": selectors.session_registrations(session=session).count(),
            "registration_form": RegistrationForm(organisation=access.organisation),
            "door_url": _door_url(request, session),
            "door_open": services.door_is_open(session),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@organisation_view()
@require_GET
def session_qr(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    session = access_session(access=access, session_id=pk)
    qr = segno.make(_door_url(request, session), error="m")
    buffer = io.BytesIO()
    qr.save(buffer, kind="svg", scale=8, border=2, title=str(_("Sign in at the door")))
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    return response


@organisation_view(MANAGE_ACTIVITIES)
@require_POST
def registration_add(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    session = access_session(access=access, session_id=pk)
    form = RegistrationForm(request.POST, organisation=access.organisation)
    if form.is_valid():
        try:
            services.registration_add(
                session=session, person=form.cleaned_data["person"], actor=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The registration is saved."))
            return redirect("session_detail", organisation=access.organisation.slug, pk=session.pk)
    for error in form.errors.get("person", []):
        messages.error(request, str(error))
    return redirect("session_detail", organisation=access.organisation.slug, pk=session.pk)


@organisation_view(MANAGE_ACTIVITIES)
@require_POST
def registration_remove(
    request: AuthenticatedHttpRequest, pk: int, registration: int, *, access: OrganisationAccess
) -> HttpResponse:
    session = access_session(access=access, session_id=pk)
    services.registration_remove(
        registration=access_registration(
            access=access, session=session, registration_id=registration
        ),
        actor=request.user,
    )
    messages.success(request, _("The registration is removed."))
    return redirect("session_detail", organisation=access.organisation.slug, pk=session.pk)


@organisation_view()
@require_GET
def activity_year(request: AuthenticatedHttpRequest, *, access: OrganisationAccess) -> HttpResponse:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("jaar", today.year))
    except ValueError:
        year = today.year
    year = min(max(year, 2000), today.year + 1)
    if request.GET.get("formaat") == "csv":
        response = HttpResponse(
            selectors.activity_year_csv(organisation=access.organisation, year=year),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{access.organisation.slug}-activiteiten-{year}.csv"'
        )
        return response
    rows = selectors.activity_year_rows(organisation=access.organisation, year=year)
    return render(
        request,
        "activities/activity_year.html",
        {
            "access": access,
            "year": year,
            "years": list(range(today.year - 4, today.year + 1)),
            "rows": rows,
            "totals": {
                "sessions": sum(r.sessions for r in rows),
                "participants": sum(r.participants for r in rows),
                "volunteer_hours": sum((r.volunteer_hours for r in rows), Decimal(0)),
            },
        },
    )


# --- The sign-in at the door: public, no login ----------------------------------------


def _door_session(token: str) -> Session:
    if len(token) > 32:
        raise Http404
    try:
        return Session.objects.select_related("activity", "organisation", "building").get(
            door_token=token
        )
    except Session.DoesNotExist as exc:
        raise Http404 from exc


@require_http_methods(["GET", "POST"])
def door_sign_in(request: HttpRequest, token: str) -> HttpResponse:
    session = _door_session(token)
    context: dict[str, object] = {"session": session, "door_open": services.door_is_open(session)}
    form = DoorSignInForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if not door.allow_sign_in(request, session.pk):
            context.update(form=DoorSignInForm(), limited=True)
            return render(request, "activities/door_sign_in.html", context, status=429)
        if form.is_valid():
            try:
                services.door_sign_in(session=session, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                context.update(form=DoorSignInForm(), thanks=True)
                return render(request, "activities/door_sign_in.html", context)
        status = 400
    context["form"] = form
    return render(request, "activities/door_sign_in.html", context, status=status)
