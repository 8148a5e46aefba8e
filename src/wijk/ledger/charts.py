"""Charts as Vega-Lite specifications, rendered to SVG on the server (vl-convert).

One specification serves the page and the PDF; the data behind it is offered as CSV.
Only our own numbers and translated labels go in, so the SVG is safe to inline.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import vl_convert
from django.utils.translation import gettext as _

from .reports import Report

# Rows of the independence report that the trend chart shows (by position).
TREND_ROWS = (0, 1, 2)


def independence_points(report: Report) -> list[dict[str, Any]]:
    """One point per year and indicator, as a percentage; years without a value are left out."""
    points: list[dict[str, Any]] = []
    for index in TREND_ROWS:
        if index >= len(report.rows):
            continue
        row = report.rows[index]
        label = row.label.split(" (")[0]
        for year, value in zip(report.columns, row.values, strict=True):
            if value is not None:
                points.append({"year": year, "indicator": label, "percent": value / 100})
    return points


def independence_spec(report: Report) -> dict[str, Any]:
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": _("Financial independence over the years"),
        "width": 560,
        "height": 260,
        "data": {"values": independence_points(report)},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {
                "field": "year",
                "type": "ordinal",
                "title": _("Fiscal year"),
                "axis": {"labelAngle": 0},
            },
            "y": {
                "field": "percent",
                "type": "quantitative",
                "title": _("Share of total income (%)"),
                "scale": {"domain": [0, 100]},
            },
            "color": {
                "field": "indicator",
                "type": "nominal",
                "title": None,
                "legend": {"orient": "bottom", "direction": "vertical", "labelLimit": 400},
            },
            "strokeDash": {"field": "indicator", "type": "nominal", "legend": None},
            "shape": {"field": "indicator", "type": "nominal", "legend": None},
        },
        "config": {"font": "DejaVu Sans, Arial, sans-serif"},
    }


def render_svg(spec: dict[str, Any]) -> str:
    svg: str = vl_convert.vegalite_to_svg(spec)
    return svg


def points_to_csv(points: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([_("Fiscal year"), _("Indicator"), _("Share of total income (%)")])
    for point in points:
        writer.writerow([point["year"], point["indicator"], f"{point['percent']:.2f}"])
    return buffer.getvalue()
