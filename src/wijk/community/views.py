"""Pages for the registry of persons: thin views that parse, call a service and render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wijk.core.forms import add_service_errors
from wijk.core.http import AuthenticatedHttpRequest
from wijk.ledger.money import format_cents
from wijk.organisations.access import OrganisationAccess, organisation_view
from wijk.organisations.roles import (
    MANAGE_ALLOWANCES,
    MANAGE_BOOKS,
    MANAGE_DECISIONS,
    MANAGE_PARTNERS,
    MANAGE_PERSONS,
    PERSONAL_DATA_RIGHTS,
    VIEW_DECISIONS,
    VIEW_PARTNERS,
    VIEW_PERSONS,
    VIEW_SALES,
    VIEW_SHARES,
)

from . import contract_money, privacy, selectors, services, shifts
from . import shares as member_shares
from .access import (
    access_contract,
    access_deadline,
    access_own_hours,
    access_partner,
    access_person,
)
from .forms import (
    AllowanceForm,
    AnonymiseForm,
    ConsentForm,
    ContractBooksForm,
    ContractForm,
    DeadlineForm,
    DecisionForm,
    HoursForm,
    JobForm,
    PartnerForm,
    PersonForm,
)
from .models import Person


@organisation_view(VIEW_PERSONS)
@require_GET
def person_list(request: AuthenticatedHttpRequest, *, access: OrganisationAccess) -> HttpResponse:
    kind = request.GET.get("soort", "")
    persons = selectors.person_list(organisation=access.organisation, kind=kind)
    return render(
        request,
        "community/person_list.html",
        {
            "access": access,
            "persons": persons,
            "fees_total": selectors.membership_fees_total(persons=persons)
            if kind == "member"
            else None,
            "kind": kind if kind in selectors.KINDS else "",
            "can_manage": access.has(MANAGE_PERSONS),
            "can_see_member_money": access.has(VIEW_SALES),
        },
    )


def _person_context(access: OrganisationAccess, person: Person) -> dict[str, object]:
    year = timezone.localdate().year
    maximum = services.allowance_maximum_cents()
    allowance_total = services.allowance_year_total(person=person, year=year)
    year_minutes = selectors.minutes_total(selectors.hours_for_person(person=person, year=year))
    return {
        "access": access,
        "person": person,
        "consents": selectors.consent_states(person=person),
        "history": selectors.consent_history(person=person),
        "can_manage": access.has(MANAGE_PERSONS) and person.anonymised_at is None,
        "can_exercise_rights": access.has(PERSONAL_DATA_RIGHTS),
        "can_record_allowance": access.has(MANAGE_ALLOWANCES) and person.anonymised_at is None,
        "allowance_form": AllowanceForm(),
        "year": year,
        "hours": selectors.hours_for_person(person=person)[:20],
        "year_hours": f"{year_minutes // 60}:{year_minutes % 60:02d}",
        "allowances": selectors.allowances_for_person(person=person)[:20],
        "allowance_total": allowance_total,
        "allowance_maximum": maximum,
        "allowance_month_maximum": services.allowance_month_maximum_cents(),
        "allowance_near_maximum": allowance_total * 5 >= maximum * 4,
        "shares_held": member_shares.shares_held(person=person) if access.has(VIEW_SHARES) else 0,
    }


@organisation_view(VIEW_PERSONS)
@require_GET
def person_detail(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    person = access_person(access=access, person_id=pk)
    context = _person_context(access, person)
    context["consent_form"] = ConsentForm()
    return render(request, "community/person_detail.html", context)


def _edit(
    request: AuthenticatedHttpRequest, access: OrganisationAccess, person: Person | None
) -> HttpResponse:
    initial = {}
    if person is not None:
        initial = {
            f: getattr(person, f)
            for f in PersonForm.base_fields
            if f not in {"user", "membership_fee"}
        }
        initial["user"] = person.user_id
        if person.membership_fee_cents is not None:
            initial["membership_fee"] = format_cents(person.membership_fee_cents, symbol=False)
    form = PersonForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        organisation=access.organisation,
    )
    if request.method == "POST" and form.is_valid():
        data = services.PersonData(**form.person_data())
        try:
            if person is None:
                person = services.person_create(
                    organisation=access.organisation, data=data, actor=request.user
                )
            else:
                person = services.person_update(person=person, data=data, actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s is saved.") % {"name": person.name})
            return redirect("person_detail", organisation=access.organisation.slug, pk=person.pk)
    return render(
        request,
        "community/person_form.html",
        {"access": access, "form": form, "person": person},
        status=400 if form.is_bound and form.errors else 200,
    )


@organisation_view(MANAGE_PERSONS)
@require_http_methods(["GET", "POST"])
def person_create(request: AuthenticatedHttpRequest, *, access: OrganisationAccess) -> HttpResponse:
    return _edit(request, access, None)


@organisation_view(MANAGE_PERSONS)
@require_http_methods(["GET", "POST"])
def person_edit(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    person = access_person(access=access, person_id=pk)
    if person.anonymised_at is not None:
        messages.error(request, _("This person has been anonymised and cannot be changed."))
        return redirect("person_detail", organisation=access.organisation.slug, pk=person.pk)
    return _edit(request, access, person)


@organisation_view(MANAGE_PERSONS)
@require_POST
def consent_add(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    person = access_person(access=access, person_id=pk)
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            services.consent_record(person=person, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The consent is recorded."))
            return redirect("person_detail", organisation=access.organisation.slug, pk=person.pk)
    context = _person_context(access, person)
    context["consent_form"] = form
    return render(request, "community/person_detail.html", context, status=400)


@organisation_view(PERSONAL_DATA_RIGHTS)
@require_GET
def person_export(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    person = access_person(access=access, person_id=pk)
    file_format = request.GET.get("formaat", "")
    filename = f"{access.organisation.slug}-persoon-{person.pk}"
    if file_format == "json":
        response = HttpResponse(
            privacy.person_export_json(person), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
        return response
    if file_format == "csv":
        response = HttpResponse(
            privacy.person_export_csv(person), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    return render(
        request,
        "community/person_export.html",
        {"access": access, "person": person, "records": privacy.person_records(person)},
    )


@organisation_view(PERSONAL_DATA_RIGHTS)
@require_http_methods(["GET", "POST"])
def person_anonymise(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    person = access_person(access=access, person_id=pk)
    form = AnonymiseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_anonymise(person=person, actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The person is anonymised."))
            return redirect("person_detail", organisation=access.organisation.slug, pk=person.pk)
    return render(
        request,
        "community/person_anonymise.html",
        {
            "access": access,
            "person": person,
            "form": form,
            "reasons": services.anonymisation_blockers(person=person)
            if person.anonymised_at is None
            else [],
        },
        status=400 if form.is_bound and form.errors else 200,
    )


# --- Volunteers: own hours, overview, allowances ------------------------------------------


@organisation_view()
@require_http_methods(["GET", "POST"])
def my_hours(request: AuthenticatedHttpRequest, *, access: OrganisationAccess) -> HttpResponse:
    """A volunteer logs and sees their own hours, and nobody else's."""
    person = selectors.person_for_user(organisation=access.organisation, user_id=request.user.pk)
    form = HoursForm(
        request.POST if request.method == "POST" else None, organisation=access.organisation
    )
    if request.method == "POST" and person is not None and form.is_valid():
        data = form.cleaned_data
        try:
            services.hours_log(
                person=person,
                date=data["date"],
                minutes=data["duration"],
                activity=data["activity"],
                description=data["description"],
                actor=request.user,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "minutes" in exc.error_dict:
                exc.error_dict["duration"] = exc.error_dict.pop("minutes")
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your hours are saved. Thank you!"))
            return redirect("my_hours", organisation=access.organisation.slug)
    year = timezone.localdate().year
    hours = selectors.hours_for_person(person=person) if person else None
    year_minutes = (
        selectors.minutes_total(selectors.hours_for_person(person=person, year=year))
        if person
        else 0
    )
    return render(
        request,
        "community/my_hours.html",
        {
            "access": access,
            "person": person,
            "form": form,
            "hours": hours[:50] if hours is not None else [],
            "year": year,
            "year_hours": f"{year_minutes // 60}:{year_minutes % 60:02d}",
            "milestones": shifts.milestones_for_person(person=person) if person else None,
        },
        status=400 if form.is_bound and (form.errors or person is None) else 200,
    )


@organisation_view()
@require_POST
def my_hours_delete(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    entry = access_own_hours(access=access, entry_id=pk)
    services.hours_delete(entry=entry, actor=request.user)
    messages.success(request, _("The hours are removed."))
    return redirect("my_hours", organisation=access.organisation.slug)


@organisation_view(VIEW_PERSONS)
@require_GET
def volunteer_list(
    request: AuthenticatedHttpRequest, *, access: OrganisationAccess
) -> HttpResponse:
    year = timezone.localdate().year
    maximum = services.allowance_maximum_cents()
    rows = selectors.volunteer_rows(
        organisation=access.organisation, year=year, maximum_cents=maximum
    )
    milestones = shifts.milestones_by_person(organisation=access.organisation)
    return render(
        request,
        "community/volunteer_list.html",
        {
            "access": access,
            "year": year,
            "maximum": maximum,
            "month_maximum": services.allowance_month_maximum_cents(),
            "rows": [(row, milestones.get(row.person.pk)) for row in rows],
        },
    )


@organisation_view(MANAGE_ALLOWANCES)
@require_POST
def allowance_add(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    person = access_person(access=access, person_id=pk)
    form = AllowanceForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.allowance_record(
                person=person,
                date=data["date"],
                amount_cents=data["amount"],
                note=data["note"],
                over_maximum_confirmed=data["over_maximum_confirmed"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The allowance is recorded."))
            return redirect("person_detail", organisation=access.organisation.slug, pk=person.pk)
    context = _person_context(access, person)
    context["consent_form"] = ConsentForm()
    context["allowance_form"] = form
    return render(request, "community/person_detail.html", context, status=400)


# --- Decision register --------------------------------------------------------------------


@organisation_view(VIEW_DECISIONS)
@require_http_methods(["GET", "POST"])
def decision_list(request: AuthenticatedHttpRequest, *, access: OrganisationAccess) -> HttpResponse:
    can_manage = access.has(MANAGE_DECISIONS)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_record(
                organisation=access.organisation, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect("decision_list", organisation=access.organisation.slug)
    return render(
        request,
        "community/decision_list.html",
        {
            "access": access,
            "form": form,
            "can_manage": can_manage,
            "decisions": selectors.decision_list(organisation=access.organisation),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


# --- Jobs, partners and contracts -------------------------------------------------------


@organisation_view(VIEW_PERSONS)
@require_http_methods(["GET", "POST"])
def job_list(request: AuthenticatedHttpRequest, *, access: OrganisationAccess) -> HttpResponse:
    can_manage = access.has(MANAGE_PERSONS)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    form = JobForm(
        request.POST if request.method == "POST" else None, organisation=access.organisation
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.job_create(
                organisation=access.organisation,
                data=services.JobData(**form.cleaned_data),
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The job is saved."))
            return redirect("job_list", organisation=access.organisation.slug)
    return render(
        request,
        "community/job_list.html",
        {
            "access": access,
            "form": form,
            "can_manage": can_manage,
            "jobs": selectors.job_list(organisation=access.organisation),
            "today": timezone.localdate(),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@organisation_view(VIEW_PARTNERS)
@require_http_methods(["GET", "POST"])
def partner_list(request: AuthenticatedHttpRequest, *, access: OrganisationAccess) -> HttpResponse:
    can_manage = access.has(MANAGE_PARTNERS)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    form = PartnerForm(
        request.POST if request.method == "POST" else None, organisation=access.organisation
    )
    if request.method == "POST" and form.is_valid():
        try:
            partner = services.partner_create(
                organisation=access.organisation, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s is saved.") % {"name": partner.name})
            return redirect("partner_detail", organisation=access.organisation.slug, pk=partner.pk)
    return render(
        request,
        "community/partner_list.html",
        {
            "access": access,
            "form": form,
            "can_manage": can_manage,
            "partners": selectors.partner_list(organisation=access.organisation),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@organisation_view(VIEW_PARTNERS)
@require_http_methods(["GET", "POST"])
def partner_detail(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    partner = access_partner(access=access, partner_id=pk)
    can_manage = access.has(MANAGE_PARTNERS)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    form = ContractForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["value_cents"] = data.pop("value")
        try:
            contract = services.contract_create(
                partner=partner, data=services.ContractData(**data), actor=request.user
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "value_cents" in exc.error_dict:
                exc.error_dict["value"] = exc.error_dict.pop("value_cents")
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The contract is saved."))
            return redirect(
                "contract_detail", organisation=access.organisation.slug, pk=contract.pk
            )
    return render(
        request,
        "community/partner_detail.html",
        {
            "access": access,
            "partner": partner,
            "form": form,
            "can_manage": can_manage,
            "contracts": selectors.contract_list(partner=partner),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@organisation_view(VIEW_PARTNERS)
@require_http_methods(["GET", "POST"])
def contract_detail(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    contract = access_contract(access=access, contract_id=pk)
    can_manage = access.has(MANAGE_PARTNERS)
    can_link = access.has(MANAGE_PARTNERS | MANAGE_BOOKS)
    action = request.POST.get("action", "deadline") if request.method == "POST" else ""
    if (action == "deadline" and not can_manage) or (action == "books" and not can_link):
        raise PermissionDenied
    form = DeadlineForm(request.POST if action == "deadline" else None)
    books_form = ContractBooksForm(
        request.POST if action == "books" else None,
        organisation=access.organisation,
        initial={"income_account": contract.income_account_id, "fund": contract.fund_id},
    )
    if action == "deadline" and form.is_valid():
        try:
            services.deadline_add(contract=contract, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The deadline is saved."))
            return redirect(
                "contract_detail", organisation=access.organisation.slug, pk=contract.pk
            )
    if action == "books" and books_form.is_valid():
        try:
            contract_money.contract_link_books(
                contract=contract, actor=request.user, **books_form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(books_form, exc)
        else:
            messages.success(request, _("The contract is linked to the books."))
            return redirect(
                "contract_detail", organisation=access.organisation.slug, pk=contract.pk
            )
    money = contract_money.contract_money(contract=contract)
    return render(
        request,
        "community/contract_detail.html",
        {
            "access": access,
            "contract": contract,
            "form": form,
            "books_form": books_form,
            "can_manage": can_manage,
            "can_link": can_link,
            "deadlines": selectors.deadline_list(contract=contract),
            "today": timezone.localdate(),
            "money": money,
            "remaining": money.remaining_cents(contract.value_cents),
        },
        status=400 if form.errors or books_form.errors else 200,
    )


@organisation_view(MANAGE_PARTNERS)
@require_POST
def deadline_done(
    request: AuthenticatedHttpRequest, pk: int, deadline: int, *, access: OrganisationAccess
) -> HttpResponse:
    contract = access_contract(access=access, contract_id=pk)
    try:
        services.deadline_done(
            deadline=access_deadline(access=access, contract=contract, deadline_id=deadline),
            actor=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The deadline is marked as done."))
    return redirect("contract_detail", organisation=access.organisation.slug, pk=contract.pk)


@organisation_view()
@require_GET
def my_data(request: AuthenticatedHttpRequest, *, access: OrganisationAccess) -> HttpResponse:
    """Everything the registry holds about the logged-in person themselves."""
    person = selectors.person_for_user(organisation=access.organisation, user_id=request.user.pk)
    if person is not None and request.GET.get("formaat") in {"json", "csv"}:
        file_format = request.GET["formaat"]
        content = (
            privacy.person_export_json(person)
            if file_format == "json"
            else privacy.person_export_csv(person)
        )
        response = HttpResponse(
            content,
            content_type="application/json; charset=utf-8"
            if file_format == "json"
            else "text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{access.organisation.slug}-mijn-gegevens.{file_format}"'
        )
        return response
    return render(
        request,
        "community/my_data.html",
        {
            "access": access,
            "person": person,
            "records": privacy.person_records_readable(person) if person is not None else [],
            "consents": selectors.consent_states(person=person) if person is not None else [],
        },
    )
