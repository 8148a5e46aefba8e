"""Reports that apps other than the ledger offer to `wijk report`.

The ledger's reports follow fiscal years and live in `wijk.ledger.views.REPORTS`. An
app whose report has its own shape (occupancy of rooms, say) registers a handler here
in its AppConfig.ready(); `wijk report NAME` then offers it too. A handler gets the
organisation, the calendar year (or None for its default) and the format, and returns
text (csv) or bytes (xlsx, pdf); it raises ValueError for a format it does not make.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CommandReport:
    build: Callable[..., str | bytes]
    formats: tuple[str, ...] = ("csv",)
    help: str = ""


COMMAND_REPORTS: dict[str, CommandReport] = {}


def register(name: str, report: CommandReport) -> None:
    COMMAND_REPORTS[name] = report


def build(name: str, **kwargs: Any) -> str | bytes:
    return COMMAND_REPORTS[name].build(**kwargs)
