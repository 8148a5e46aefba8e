"""The hash chain over posted entries.

Each posted entry's hash covers its own content and the previous entry's hash, in
the organisation's posting order. Changing, removing or inserting any posted entry
behind the application's back breaks every hash after it, which
`wijk verify-ledger` reports. Canonical JSON (sorted keys, no spaces) makes the hash
independent of Python and database versions.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

GENESIS = "0" * 64


def entry_payload(
    *,
    organisation_id: int,
    chain_index: int,
    journal_code: str,
    fiscal_year_start: date,
    number: int,
    entry_date: date,
    description: str,
    reference: str,
    posted_at: datetime,
    reversal_of_id: int | None,
    lines: Iterable[tuple[Any, ...]],
    is_closing: bool = False,
    counterparty: str = "",
) -> dict[str, Any]:
    """Everything a posted entry states, as plain JSON-able values.

    Each line is (account number, debit, credit, fund id, description) and may go on
    with (building id, activity id). Fields added after the first release (the
    counterparty, the building and activity dimensions) enter the payload only when
    set, so the hashes of entries posted before they existed stay valid.
    """
    payload: dict[str, Any] = {
        "organisation": organisation_id,
        "chain_index": chain_index,
        "journal": journal_code,
        "fiscal_year": fiscal_year_start.isoformat(),
        "number": number,
        "date": entry_date.isoformat(),
        "description": description,
        "reference": reference,
        "posted_at": posted_at.isoformat(timespec="microseconds"),
        "reversal_of": reversal_of_id,
        "closing": is_closing,
        "lines": [_line_payload(line) for line in lines],
    }
    if counterparty:
        payload["counterparty"] = counterparty
    return payload


def _line_payload(line: tuple[Any, ...]) -> dict[str, Any]:
    account, debit, credit, fund, text = line[:5]
    result: dict[str, Any] = {
        "account": account,
        "debit": debit,
        "credit": credit,
        "fund": fund,
        "description": text,
    }
    building, activity = (line[5:7] + (None, None))[:2]
    if building is not None:
        result["building"] = building
    if activity is not None:
        result["activity"] = activity
    return result


def chain_hash(*, previous_hash: str, payload: dict[str, Any]) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{previous_hash}\n{canonical}".encode()).hexdigest()
