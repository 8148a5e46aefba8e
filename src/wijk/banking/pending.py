"""Statements kept for a moment: a file refused for an unregistered account.

The web import keeps such a file privately (under `pending-statements/<organisation>/`
in the media folder) so that one click can add the account and import it. A treasurer
who walks away never clicks, and the file would stay for good: bank statements hold
names and account numbers of residents. So files older than `PENDING_MAX_AGE` are
removed whenever that organisation's import page is used.
"""

from __future__ import annotations

import contextlib
import time
from datetime import timedelta

from wijk.expenses.receipts import media_root

FOLDER = "pending-statements"
PENDING_MAX_AGE = timedelta(hours=24)


def pending_statements_purge(*, organisation_id: int, now: float | None = None) -> int:
    """Remove this organisation's kept statements older than a day; return how many."""
    folder = media_root() / FOLDER / str(organisation_id)
    if not folder.is_dir():
        return 0
    cutoff = (time.time() if now is None else now) - PENDING_MAX_AGE.total_seconds()
    removed = 0
    for path in folder.iterdir():
        with contextlib.suppress(FileNotFoundError):
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
    return removed
