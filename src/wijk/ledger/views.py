"""Pages of the books: overview, accounts, entries, posting, reversal, trial balance.

Thin views: a form parses, one service or selector does the work. Every change is a
POST and every page sits under /o/<slug>/boekhouding/ behind `organisation_view`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wijk.activities.selectors import activity_list
from wijk.core.forms import add_service_errors
from wijk.core.http import AuthenticatedHttpRequest
from wijk.organisations.access import OrganisationAccess, organisation_view
from wijk.organisations.models import Organisation
from wijk.organisations.roles import MANAGE_BOOKS, VIEW_BOOKS
from wijk.premises.selectors import building_list

from . import charts, reports, selectors, services
from .access import access_account, access_entry, access_fiscal_year
from .forms import AccountForm, EntryForm, FiscalYearForm, FundForm, LineFormSet, ReasonForm
from .models import Account, FiscalYear, Fund, Journal, JournalEntry
from .money import format_cents, parse_cents
from .report_export import report_to_csv, report_to_pdf, report_to_xlsx
from .reports import Report


def _errors_to_messages(request: AuthenticatedHttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _chosen_year(
    request: AuthenticatedHttpRequest, access: OrganisationAccess
) -> FiscalYear | None:
    years = list(selectors.fiscal_year_list(organisation=access.organisation))
    wanted = request.GET.get("jaar", "")
    for year in years:
        if str(year.pk) == wanted:
            return year
    today = timezone.localdate()
    return next((y for y in years if y.contains(today)), years[0] if years else None)


@organisation_view(VIEW_BOOKS)
@require_GET
def ledger_home(request: AuthenticatedHttpRequest, *, access: OrganisationAccess) -> HttpResponse:
    organisation = access.organisation
    return render(
        request,
        "ledger/home.html",
        {
            "access": access,
            "is_set_up": Account.objects.filter(organisation=organisation).exists(),
            "fiscal_years": selectors.fiscal_year_list(organisation=organisation),
            "journals": selectors.journal_list(organisation=organisation),
            "can_manage": access.has(MANAGE_BOOKS),
            "year_form": FiscalYearForm(initial={"year": timezone.localdate().year}),
        },
    )


@organisation_view(MANAGE_BOOKS)
@require_POST
def ledger_setup(request: AuthenticatedHttpRequest, *, access: OrganisationAccess) -> HttpResponse:
    services.ledger_setup(organisation=access.organisation, actor=request.user)
    if not FiscalYear.objects.filter(organisation=access.organisation).exists():
        services.fiscal_year_create(
            organisation=access.organisation, year=timezone.localdate().year, actor=request.user
        )
    messages.success(
        request, _("The books are ready: accounts, journals and this year's fiscal year.")
    )
    return redirect("ledger_home", organisation=access.organisation.slug)


@organisation_view(MANAGE_BOOKS)
@require_POST
def fiscal_year_create(
    request: AuthenticatedHttpRequest, *, access: OrganisationAccess
) -> HttpResponse:
    form = FiscalYearForm(request.POST)
    if form.is_valid():
        try:
            year = services.fiscal_year_create(
                organisation=access.organisation, year=form.cleaned_data["year"], actor=request.user
            )
        except ValidationError as exc:
            _errors_to_messages(request, exc)
        else:
            messages.success(request, _("Fiscal year %(year)s is open.") % {"year": year})
    else:
        messages.error(
            request, _("Enter the year in which the fiscal year starts, for example 2026.")
        )
    return redirect("ledger_home", organisation=access.organisation.slug)


@organisation_view(MANAGE_BOOKS)
@require_POST
def period_close(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    fiscal_year = access_fiscal_year(access=access, fiscal_year_id=pk)
    try:
        month = date.fromisoformat(request.POST.get("month", "") + "-01")
        services.period_close(fiscal_year=fiscal_year, month_start=month, actor=request.user)
    except ValueError:
        messages.error(request, _("Choose a month."))
    except ValidationError as exc:
        _errors_to_messages(request, exc)
    else:
        messages.success(
            request, _("The month %(month)s is closed.") % {"month": month.strftime("%m-%Y")}
        )
    return redirect("ledger_home", organisation=access.organisation.slug)


@organisation_view(MANAGE_BOOKS)
@require_http_methods(["GET", "POST"])
def fiscal_year_close(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    """GET asks to confirm (closing is final); POST closes the year."""
    fiscal_year = access_fiscal_year(access=access, fiscal_year_id=pk)
    if request.method == "POST":
        try:
            closing = services.fiscal_year_close(fiscal_year=fiscal_year, actor=request.user)
        except ValidationError as exc:
            _errors_to_messages(request, exc)
        else:
            messages.success(request, _("Fiscal year %(year)s is closed.") % {"year": fiscal_year})
            if closing is not None:
                return redirect(
                    "entry_detail", organisation=access.organisation.slug, pk=closing.pk
                )
        return redirect("ledger_home", organisation=access.organisation.slug)
    return render(
        request, "ledger/fiscal_year_close.html", {"access": access, "fiscal_year": fiscal_year}
    )


@organisation_view(VIEW_BOOKS)
@require_http_methods(["GET", "POST"])
def account_list(request: AuthenticatedHttpRequest, *, access: OrganisationAccess) -> HttpResponse:
    """The chart of accounts, with a form to add an account within its structure."""
    organisation = access.organisation
    form = AccountForm(request.POST or None) if access.has(MANAGE_BOOKS) else None
    if request.method == "POST":
        access.require(MANAGE_BOOKS)
        assert form is not None  # noqa: S101 - MANAGE_BOOKS holds after require()
        if form.is_valid():
            try:
                account = services.account_create(
                    organisation=organisation, actor=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, _("Account %(number)s is added.") % {"number": account.number}
                )
                return redirect("account_list", organisation=organisation.slug)
    return render(
        request,
        "ledger/account_list.html",
        {
            "access": access,
            "accounts": selectors.account_list(organisation=organisation),
            "form": form,
        },
        status=400 if form is not None and form.is_bound and form.errors else 200,
    )


@organisation_view(VIEW_BOOKS)
@require_GET
def entry_list(request: AuthenticatedHttpRequest, *, access: OrganisationAccess) -> HttpResponse:
    year = _chosen_year(request, access)
    entries = selectors.entry_list(organisation=access.organisation, fiscal_year=year)[:500]
    return render(
        request,
        "ledger/entry_list.html",
        {
            "access": access,
            "entries": entries,
            "year": year,
            "fiscal_years": selectors.fiscal_year_list(organisation=access.organisation),
            "can_manage": access.has(MANAGE_BOOKS),
        },
    )


@organisation_view(MANAGE_BOOKS)
@require_http_methods(["GET", "POST"])
def entry_create(request: AuthenticatedHttpRequest, *, access: OrganisationAccess) -> HttpResponse:
    organisation = access.organisation
    bank = (
        Journal.objects.filter(organisation=organisation, kind=Journal.Kind.BANK)
        .order_by("code")
        .first()
    )
    form = EntryForm(
        request.POST or None,
        organisation=organisation,
        initial={"date": timezone.localdate(), "journal": bank},
    )
    formset = LineFormSet(  # type: ignore[call-arg]
        request.POST or None, organisation=organisation, prefix="lines", initial=[{}, {}, {}, {}]
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        lines = [
            services.LineInput(
                account=line.cleaned_data["account"],
                debit_cents=line.cleaned_data["debit"],
                credit_cents=line.cleaned_data["credit"],
                description=line.cleaned_data["description"],
                fund=line.cleaned_data["fund"],
                building=line.cleaned_data["building"],
                activity=line.cleaned_data["activity"],
            )
            for line in formset.forms
            if not line.is_blank
        ]
        try:
            entry = services.journal_entry_create(
                organisation=organisation,
                journal=form.cleaned_data["journal"],
                date=form.cleaned_data["date"],
                description=form.cleaned_data["description"],
                reference=form.cleaned_data["reference"],
                counterparty=form.cleaned_data["counterparty"],
                lines=lines,
                actor=request.user,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                for error in exc.error_list:
                    form.add_error(None, error)
        else:
            messages.success(request, _("The entry is saved as a draft. Check it, then post it."))
            return redirect("entry_detail", organisation=organisation.slug, pk=entry.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "ledger/entry_form.html",
        {"access": access, "form": form, "formset": formset},
        status=status,
    )


@organisation_view(VIEW_BOOKS)
@require_GET
def entry_detail(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    entry = access_entry(access=access, entry_id=pk)
    lines = list(
        entry.lines.select_related("account", "fund", "building", "activity").order_by("id")
    )
    return render(
        request,
        "ledger/entry_detail.html",
        {
            "access": access,
            "entry": entry,
            "lines": lines,
            "debit_total": sum(line.debit_cents for line in lines),
            "credit_total": sum(line.credit_cents for line in lines),
            "reversed_by": JournalEntry.objects.filter(reversal_of=entry).first(),
            "can_manage": access.has(MANAGE_BOOKS),
            "reason_form": ReasonForm(),
        },
    )


@organisation_view(MANAGE_BOOKS)
@require_POST
def entry_post(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    entry = access_entry(access=access, entry_id=pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["override_reason"] if form.is_valid() else ""
    try:
        entry = services.journal_entry_post(entry=entry, actor=request.user, override_reason=reason)
    except ValidationError as exc:
        _errors_to_messages(request, exc)
    else:
        messages.success(request, _("Posted as %(number)s.") % {"number": str(entry)})
    return redirect("entry_detail", organisation=access.organisation.slug, pk=pk)


@organisation_view(MANAGE_BOOKS)
@require_POST
def entry_reverse(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    entry = access_entry(access=access, entry_id=pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["override_reason"] if form.is_valid() else ""
    try:
        reversal = services.journal_entry_reverse(
            entry=entry, actor=request.user, override_reason=reason
        )
    except ValidationError as exc:
        _errors_to_messages(request, exc)
        return redirect("entry_detail", organisation=access.organisation.slug, pk=pk)
    messages.success(request, _("Reversed by %(number)s.") % {"number": str(reversal)})
    return redirect("entry_detail", organisation=access.organisation.slug, pk=reversal.pk)


@organisation_view(MANAGE_BOOKS)
@require_POST
def entry_delete(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    entry = access_entry(access=access, entry_id=pk)
    try:
        services.journal_entry_delete_draft(entry=entry, actor=request.user)
    except ValidationError as exc:
        _errors_to_messages(request, exc)
        return redirect("entry_detail", organisation=access.organisation.slug, pk=pk)
    messages.success(request, _("The draft has been deleted."))
    return redirect("entry_list", organisation=access.organisation.slug)


@organisation_view(VIEW_BOOKS)
@require_GET
def trial_balance(request: AuthenticatedHttpRequest, *, access: OrganisationAccess) -> HttpResponse:
    year = _chosen_year(request, access)
    report = (
        selectors.trial_balance(organisation=access.organisation, end=year.end_date)
        if year is not None
        else None
    )
    if report is not None and year is not None:
        download = report_response(
            reports.trial_balance_report(trial_balance=report, subtitle=str(year)),
            organisation=access.organisation,
            file_format=request.GET.get("formaat", ""),
            filename=f"{access.organisation.slug}-trial-balance-{year}".replace("/", "-"),
        )
        if download is not None:
            return download
    return render(
        request,
        "ledger/trial_balance.html",
        {
            "access": access,
            "year": year,
            "report": report,
            "fiscal_years": selectors.fiscal_year_list(organisation=access.organisation),
        },
    )


def _trial_balance_report(*, organisation: Organisation, fiscal_year: FiscalYear) -> Report:
    return reports.trial_balance_report(
        trial_balance=selectors.trial_balance(organisation=organisation, end=fiscal_year.end_date),
        subtitle=str(fiscal_year),
    )


def _result_by_building(*, organisation: Organisation, fiscal_year: FiscalYear) -> Report:
    return reports.result_by_dimension(
        organisation=organisation, fiscal_year=fiscal_year, dimension="building"
    )


def _result_by_activity(*, organisation: Organisation, fiscal_year: FiscalYear) -> Report:
    return reports.result_by_dimension(
        organisation=organisation, fiscal_year=fiscal_year, dimension="activity"
    )


# Every report by its name on the command line; the page's URL name is the same with
# underscores. Each builder takes the organisation and a fiscal year.
REPORTS: dict[str, Callable[..., Report]] = {
    "trial-balance": _trial_balance_report,
    "income-statement": reports.income_statement,
    "balance-sheet": reports.balance_sheet,
    "budget-vs-actual": reports.budget_vs_actual,
    "result-by-building": _result_by_building,
    "result-by-activity": _result_by_activity,
    "cash-position": reports.cash_position,
    "fund-movements": reports.fund_movements,
    "independence": lambda *, organisation, fiscal_year: reports.independence(
        organisation=organisation
    ),
}
# Reports that cover every fiscal year at once.
ALL_YEAR_REPORTS = frozenset({"independence"})


def build_report(
    *, name: str, organisation: Organisation, fiscal_year: FiscalYear | None
) -> Report:
    if fiscal_year is None and name not in ALL_YEAR_REPORTS:
        return Report(name=name, title=_("Report"), subtitle="", columns=[])
    return REPORTS[name](organisation=organisation, fiscal_year=fiscal_year)


def report_chart(report: Report) -> tuple[str, str, str]:
    """(SVG, title, CSV of its data) for a report that has a chart, else empty strings."""
    if report.name != "independence" or not report.columns:
        return "", "", ""
    spec = charts.independence_spec(report)
    points = spec["data"]["values"]
    if not points:
        return "", "", ""
    return charts.render_svg(spec), str(spec["title"]), charts.points_to_csv(points)


def report_response(
    report: Report, *, organisation: Organisation, file_format: str, filename: str
) -> HttpResponse | None:
    """The report as a download in `file_format`, or None for the page."""
    if file_format == "csv":
        response = HttpResponse(report_to_csv(report), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    if file_format == "xlsx":
        response = HttpResponse(
            report_to_xlsx(report),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    if file_format == "pdf":
        svg, title, _data = report_chart(report)
        response = HttpResponse(
            report_to_pdf(report, organisation=organisation, chart_svg=svg, chart_title=title),
            content_type="application/pdf",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
        return response
    if file_format == "grafiek-csv":
        _svg, _title, data = report_chart(report)
        if not data:
            raise Http404
        response = HttpResponse(data, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}-chart.csv"'
        return response
    return None


def _report_view(
    request: AuthenticatedHttpRequest, access: OrganisationAccess, name: str
) -> HttpResponse:
    every_year = name in ALL_YEAR_REPORTS
    year = None if every_year else _chosen_year(request, access)
    report = build_report(name=name, organisation=access.organisation, fiscal_year=year)
    filename = f"{access.organisation.slug}-{name}-{year or 'all'}".replace("/", "-")
    download = report_response(
        report,
        organisation=access.organisation,
        file_format=request.GET.get("formaat", ""),
        filename=filename,
    )
    if download is not None:
        return download
    svg, title, _data = report_chart(report)
    return render(
        request,
        "ledger/report.html",
        {
            "access": access,
            "report": report,
            "year": year,
            "fiscal_years": []
            if every_year
            else selectors.fiscal_year_list(organisation=access.organisation),
            "chart_svg": svg,
            "chart_title": title,
        },
    )


@organisation_view(VIEW_BOOKS)
@require_GET
def report_index(request: AuthenticatedHttpRequest, *, access: OrganisationAccess) -> HttpResponse:
    return render(request, "ledger/report_index.html", {"access": access})


def _report_page(name: str) -> Callable[..., HttpResponse]:
    """The page of one report in REPORTS (its downloads come from the same view)."""

    def view(request: AuthenticatedHttpRequest, *, access: OrganisationAccess) -> HttpResponse:
        return _report_view(request, access, name)

    view.__name__ = view.__qualname__ = name.replace("-", "_")
    return organisation_view(VIEW_BOOKS)(require_GET(view))


income_statement = _report_page("income-statement")
balance_sheet = _report_page("balance-sheet")
independence = _report_page("independence")
budget_vs_actual = _report_page("budget-vs-actual")
result_by_building = _report_page("result-by-building")
result_by_activity = _report_page("result-by-activity")
cash_position = _report_page("cash-position")
fund_movements = _report_page("fund-movements")


@organisation_view(VIEW_BOOKS)
@require_http_methods(["GET", "POST"])
def budget(request: AuthenticatedHttpRequest, *, access: OrganisationAccess) -> HttpResponse:
    """The year's budget per income and expense account, as an annual amount per account.

    `?voor=gebouw-ID` or `?voor=activiteit-ID` shows and saves that building's or
    activity's own budget instead of the organisation's.
    """
    year = _chosen_year(request, access)
    accounts = list(
        Account.objects.filter(
            organisation=access.organisation, type__in=["income", "expense"], is_active=True
        ).order_by("number")
    )
    buildings = list(building_list(organisation=access.organisation, active_only=True))
    activities = list(activity_list(organisation=access.organisation, active_only=True))
    chosen = request.GET.get("voor", "")
    building = next((b for b in buildings if f"gebouw-{b.pk}" == chosen), None)
    activity = next((a for a in activities if f"activiteit-{a.pk}" == chosen), None)
    current = (
        selectors.budget_by_account(fiscal_year=year, building=building, activity=activity)
        if year
        else {}
    )
    errors: dict[int, str] = {}
    values: dict[int, str] = {}
    if request.method == "POST":
        access.require(MANAGE_BOOKS)
        if year is None:
            raise Http404
        parsed: dict[int, int] = {}
        for account in accounts:
            text = request.POST.get(f"budget-{account.pk}", "").strip()
            values[account.pk] = text
            try:
                parsed[account.pk] = parse_cents(text) if text else 0
            except ValidationError as exc:
                errors[account.pk] = " ".join(exc.messages)
                continue
            if parsed[account.pk] < 0:
                errors[account.pk] = _("A budget cannot be negative.")
        if not errors:
            try:
                for account in accounts:
                    if parsed[account.pk] != current.get(account.pk, 0):
                        services.budget_set_year(
                            fiscal_year=year,
                            account=account,
                            annual_cents=parsed[account.pk],
                            actor=request.user,
                            building=building,
                            activity=activity,
                        )
            except ValidationError as exc:
                _errors_to_messages(request, exc)
            else:
                messages.success(
                    request, _("The budget for %(year)s has been saved.") % {"year": year}
                )
                suffix = f"&voor={chosen}" if building or activity else ""
                return redirect(f"{request.path}?jaar={year.pk}{suffix}")
    rows = [
        {
            "account": account,
            "value": values.get(account.pk, format_cents(current.get(account.pk, 0), symbol=False)),
            "error": errors.get(account.pk, ""),
        }
        for account in accounts
    ]
    return render(
        request,
        "ledger/budget.html",
        {
            "access": access,
            "year": year,
            "fiscal_years": selectors.fiscal_year_list(organisation=access.organisation),
            "rows": rows,
            "errors": errors,
            "dimension_options": [
                (label, options)
                for label, options in (
                    (_("Buildings"), [(f"gebouw-{b.pk}", b.name) for b in buildings]),
                    (_("Activities"), [(f"activiteit-{a.pk}", a.name) for a in activities]),
                )
                if options
            ],
            "chosen": chosen,
            "dimension_name": building.name if building else activity.name if activity else "",
            "can_manage": access.has(MANAGE_BOOKS) and year is not None and not year.is_closed,
        },
        status=400 if errors else 200,
    )


@organisation_view(VIEW_BOOKS)
@require_GET
def account_detail(
    request: AuthenticatedHttpRequest, pk: int, *, access: OrganisationAccess
) -> HttpResponse:
    """The ledger of one account for a fiscal year, line by line with a running balance."""
    account = access_account(access=access, account_id=pk)
    year = _chosen_year(request, access)
    detail = selectors.ledger_detail(account=account, fiscal_year=year) if year else None
    if detail is not None:
        download = report_response(
            reports.ledger_detail_report(detail=detail),
            organisation=access.organisation,
            file_format=request.GET.get("formaat", ""),
            filename=f"{access.organisation.slug}-ledger-{account.number}-{year}".replace("/", "-"),
        )
        if download is not None:
            return download
    return render(
        request,
        "ledger/account_detail.html",
        {
            "access": access,
            "account": account,
            "year": year,
            "detail": detail,
            "fiscal_years": selectors.fiscal_year_list(organisation=access.organisation),
        },
    )


@organisation_view(VIEW_BOOKS)
@require_http_methods(["GET", "POST"])
def fund_list(request: AuthenticatedHttpRequest, *, access: OrganisationAccess) -> HttpResponse:
    """Funds and designated reserves, with a form to add one."""
    organisation = access.organisation
    can_manage = access.has(MANAGE_BOOKS)
    form = FundForm(request.POST or None, organisation=organisation) if can_manage else None
    if request.method == "POST":
        access.require(MANAGE_BOOKS)
        assert form is not None  # noqa: S101 - can_manage is true after require()
        if form.is_valid():
            try:
                fund = services.fund_create(
                    organisation=organisation, actor=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("%(name)s is added.") % {"name": fund.name})
                return redirect("fund_list", organisation=organisation.slug)
    return render(
        request,
        "ledger/fund_list.html",
        {
            "access": access,
            "funds": Fund.objects.filter(organisation=organisation)
            .select_related("account")
            .order_by("kind", "name"),
            "form": form,
        },
        status=400 if form is not None and form.is_bound and form.errors else 200,
    )
