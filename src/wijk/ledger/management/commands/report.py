"""`wijk report NAME --organisation SLUG [--year Y] [--format csv|xlsx|pdf]`: a report on the command line."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from wijk.core.report_registry import COMMAND_REPORTS
from wijk.core.report_registry import build as build_registered
from wijk.ledger.models import Account, FiscalYear
from wijk.ledger.report_export import report_to_csv, report_to_pdf, report_to_xlsx
from wijk.ledger.reports import Report, ledger_detail_report
from wijk.ledger.selectors import ledger_detail
from wijk.ledger.views import ALL_YEAR_REPORTS, REPORTS, build_report, report_chart
from wijk.organisations.models import Organisation


class Command(BaseCommand):
    help = "Print a report as CSV, or write it as XLSX or PDF."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("name", choices=sorted({*REPORTS, "ledger-detail", *COMMAND_REPORTS}))
        parser.add_argument("--organisation", metavar="SLUG", required=True)
        parser.add_argument(
            "--year",
            type=int,
            help="The fiscal year that starts in this year (default: the latest); "
            "for reports of other apps the calendar year (default: this year).",
        )
        parser.add_argument(
            "--account",
            metavar="NUMBER",
            help="For ledger-detail: the number of the account, for example 1100.",
        )
        parser.add_argument("--format", choices=["csv", "xlsx", "pdf"], default="csv")
        parser.add_argument(
            "--output",
            help="File to write (required for xlsx and pdf unless output is redirected).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(
                f"--organisation: no organisation with the short name {options['organisation']!r}."
            )
        if options["name"] in COMMAND_REPORTS:
            self._registered(organisation, options)
            return
        years = FiscalYear.objects.filter(organisation=organisation)
        if options["year"] is not None:
            year = years.filter(start_date__year=options["year"]).first()
            if year is None:
                raise CommandError(
                    f"--year: {organisation.slug} has no fiscal year starting in {options['year']}."
                )
        else:
            year = years.order_by("-start_date").first()
            if year is None and options["name"] not in ALL_YEAR_REPORTS:
                raise CommandError(f"{organisation.slug} has no fiscal year yet.")
        if options["name"] == "ledger-detail":
            report = self._ledger_detail(organisation, year, options["account"])
        else:
            report = build_report(name=options["name"], organisation=organisation, fiscal_year=year)
        if options["format"] == "csv":
            data = report_to_csv(report)
            if options["output"]:
                with open(options["output"], "w", encoding="utf-8", newline="") as handle:
                    handle.write(data)
            else:
                self.stdout.write(data, ending="")
            return
        if options["format"] == "pdf":
            svg, title, _data = report_chart(report)
            content = report_to_pdf(
                report, organisation=organisation, chart_svg=svg, chart_title=title
            )
        else:
            content = report_to_xlsx(report)
        if options["output"]:
            with open(options["output"], "wb") as handle:
                handle.write(content)
        elif sys.stdout.isatty():
            raise CommandError(
                "--output: give a file name for xlsx or pdf, or redirect the output to a file."
            )
        else:
            sys.stdout.buffer.write(content)

    def _ledger_detail(
        self, organisation: Organisation, year: FiscalYear | None, number: str | None
    ) -> Report:
        if not number:
            raise CommandError("--account: give the number of the account, for example 1100.")
        account = Account.objects.filter(organisation=organisation, number=number).first()
        if account is None:
            raise CommandError(f"--account: {organisation.slug} has no account {number!r}.")
        assert year is not None  # noqa: S101 - handle() refused an organisation without years
        return ledger_detail_report(detail=ledger_detail(account=account, fiscal_year=year))

    def _registered(self, organisation: Organisation, options: dict[str, Any]) -> None:
        """A report another app registered (see wijk.core.report_registry)."""
        name, file_format = options["name"], options["format"]
        if file_format not in COMMAND_REPORTS[name].formats:
            raise CommandError(
                f"--format: {name} is made as {', '.join(COMMAND_REPORTS[name].formats)}."
            )
        content = build_registered(
            name, organisation=organisation, year=options["year"], file_format=file_format
        )
        if isinstance(content, str):
            if options["output"]:
                with open(options["output"], "w", encoding="utf-8", newline="") as handle:
                    handle.write(content)
            else:
                self.stdout.write(content, ending="")
        elif options["output"]:
            with open(options["output"], "wb") as handle:
                handle.write(content)
        else:
            sys.stdout.buffer.write(content)
