"""A `Report` as CSV, XLSX or PDF, from the same figures as the page.

CSV is plain RFC 4180 (comma, dot as decimal mark) for other programs; XLSX carries
real numbers with a euro format for people who open it in a spreadsheet; the PDF is
the page's own table template, laid out for A4 by WeasyPrint.
"""

from __future__ import annotations

import csv
import io
from base64 import b64encode
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from wijk.core.pdf import html_to_pdf
from wijk.organisations.models import Organisation

from .reports import Report, Row


def _value(report: Report, row: Row, value: int | None) -> Decimal | None:
    """Cents to euros; ratios (in 1/10000) to percentages or plain numbers."""
    if value is None:
        return None
    if row.kind == "number":
        return Decimal(value) / 10000
    return Decimal(value) / 100


def report_to_csv(report: Report) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([report.title, report.subtitle])
    writer.writerow(["", *report.columns])
    for row in report.rows:
        if row.kind == "heading":
            writer.writerow([row.label])
            continue
        writer.writerow(
            [row.label, *("" if v is None else f"{_value(report, row, v):.2f}" for v in row.values)]
        )
    for note in report.notes:
        writer.writerow([note])
    return buffer.getvalue()


def report_to_xlsx(report: Report) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 - a new workbook always has one sheet
    sheet.title = report.name[:31]
    sheet.append([report.title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([report.subtitle])
    sheet.append(["", *report.columns])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in report.rows:
        if row.kind == "heading":
            sheet.append([row.label])
            sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
            continue
        sheet.append([row.label, *(_value(report, row, v) for v in row.values)])
        number_format = (
            '"€" #,##0.00;-"€" #,##0.00' if row.kind not in ("percent", "number") else "0.00"
        )
        if row.kind == "percent":
            number_format = "0.00"
        for cell in sheet[sheet.max_row][1:]:
            cell.number_format = number_format
        if row.kind in ("subtotal", "total"):
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
    for note in report.notes:
        sheet.append([note])
    sheet.column_dimensions["A"].width = 60
    for column in "BCDEFGHIJ":
        sheet.column_dimensions[column].width = 16
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def report_to_pdf(
    report: Report, *, organisation: Organisation, chart_svg: str = "", chart_title: str = ""
) -> bytes:
    # The inline chart is a data: URI; html_to_pdf loads nothing from a file or the network.
    chart_data_uri = (
        "data:image/svg+xml;base64," + b64encode(chart_svg.encode()).decode() if chart_svg else ""
    )
    html = render_to_string(
        "ledger/report_pdf.html",
        {
            "report": report,
            "organisation": organisation,
            "chart_data_uri": chart_data_uri,
            "chart_title": chart_title,
            "generated_at": timezone.localtime(),
        },
    )
    return html_to_pdf(html)
