"""Reports that apps other than the books add to `wijk report`.

The books' reports live in `wijk.ledger.views.REPORTS` and cover a fiscal year. An
app with a report over a calendar year registers it here in its `AppConfig.ready()`:

    register_command_report("activities", CommandReport(build_csv=..., help="..."))

`wijk report NAME --organisation SLUG --year Y --format csv` then prints it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CommandReport:
    # (organisation, calendar year) -> CSV text
    build_csv: Callable[[Any, int], str]
    help: str


COMMAND_REPORTS: dict[str, CommandReport] = {}


def register_command_report(name: str, report: CommandReport) -> None:
    COMMAND_REPORTS[name] = report
