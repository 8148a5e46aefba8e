"""The Dutch `:86:` information field of MT940, taken apart.

Hand-written on purpose: this is our domain, not generic MT940. The `mt-940` package
reads the SWIFT structure (balances, `:61:` lines) well, but the *contents* of `:86:`
follow conventions of each Dutch bank that no general parser knows:

- SEPA-era ING, Rabobank, ABN AMRO, KNAB and bunq write slash-keyed subfields:
  `/TRTP/SEPA OVERBOEKING/IBAN/NL..../BIC/..../NAME/..../REMI/..../EREF/....`; keys may
  be empty (`/BENM//NAME/`), values may run over line breaks mid-word, and some banks
  use `/REMI/USTD//` for the free text;
- KNAB writes `REK: NL..../NAAM: ....` inside free text;
- Triodos writes `>20`..`>29` (description), `>31` (counterparty account), `>32`/`>33`
  (name) after a three-digit code;
- ASN, SNS and RegioBank start with the counterparty IBAN and name on the first line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .base import clean

# The keys Dutch banks use; anything else between slashes is text.
SUBFIELD_KEYS = (
    "RTRN",
    "TRTP",
    "IBAN",
    "BIC",
    "NAME",
    "EREF",
    "MARF",
    "CSID",
    "REMI",
    "USTD",
    "STRD",
    "CDTRREFTP",
    "CDTRREF",
    "ISSR",
    "ISDT",
    "BENM",
    "ORDP",
    "ULTC",
    "ULTD",
    "PURP",
    "SVCL",
    "CD",
    "ADDR",
    "ID",
    "CNTP",
)
_KEY_RE = re.compile(r"/(" + "|".join(SUBFIELD_KEYS) + r")/")
_IBAN_RE = re.compile(r"\b([A-Z]{2}[0-9]{2}[A-Z]{4}[0-9]{7,20})\b")
_KNAB_RE = re.compile(r"REK:\s*([A-Z0-9]+)\s*/\s*NAAM:\s*(.*)$", re.DOTALL)
_TRIODOS_RE = re.compile(r">(\d\d)")
_TRIODOS_START = re.compile(r"^\s*\d{3}>")


@dataclass(frozen=True)
class Details:
    counterparty_iban: str = ""
    counterparty_name: str = ""
    description: str = ""
    end_to_end_reference: str = ""


def _unwrap(text: str) -> str:
    # Banks wrap :86: at 65 characters, even in the middle of a word or key.
    return "".join(text.splitlines())


def _structured(parts: list[str]) -> Details:
    # `parts` is the field split on its keys: [before, key, value, key, value, …]. Keys
    # share their slashes ("/NAME/x/REMI/y"), so each value runs to the next key.
    fields: dict[str, str] = {}
    for index in range(1, len(parts) - 1, 2):
        fields.setdefault(parts[index], parts[index + 1].strip().rstrip("/").strip())
    remi = fields.get("REMI", "")
    if remi.startswith("USTD//"):
        remi = remi[6:]
    if fields.get("USTD") and not remi:
        remi = fields["USTD"]
    if fields.get("CDTRREF") and not remi:
        remi = fields["CDTRREF"]
    return Details(
        counterparty_iban=fields.get("IBAN", "").replace(" ", ""),
        counterparty_name=clean(fields.get("NAME")),
        description=clean(remi) or clean(fields.get("TRTP")),
        end_to_end_reference=clean(fields.get("EREF")).replace("NOTPROVIDED", ""),
    )


def _triodos(flat: str) -> Details:
    parts = _TRIODOS_RE.split(flat)
    # parts: [prefix, code, value, code, value, ...]
    by_code: dict[str, str] = {}
    for code, value in zip(parts[1::2], parts[2::2], strict=False):
        by_code[code] = by_code.get(code, "") + value
    description = "".join(by_code.get(str(code), "") for code in range(20, 30))  # wrapped mid-word
    counterparty = by_code.get("31", "").strip() or by_code.get("10", "").strip()
    name = (by_code.get("32", "") + by_code.get("33", "")).strip()
    return Details(
        counterparty_iban=counterparty if _IBAN_RE.fullmatch(counterparty) else "",
        counterparty_name=clean(name),
        description=clean(description),
    )


def parse_details(text: str) -> Details:
    """The counterparty, description and end-to-end reference in a `:86:` field."""
    if not text or not text.strip():
        return Details()
    flat = _unwrap(text)
    if flat.lstrip().startswith("/"):
        parts = _KEY_RE.split(flat)  # read once: the keys and their values in one pass
        if len(parts) > 1:
            return _structured(parts)
    if _TRIODOS_START.match(flat) and _TRIODOS_RE.search(flat):
        return _triodos(flat)
    knab = _KNAB_RE.search(flat)
    if knab:
        return Details(
            counterparty_iban=knab.group(1),
            counterparty_name=clean(knab.group(2)),
            description=clean(text[: text.find("REK:")]),
        )
    lines = [line.strip() for line in text.splitlines()]
    first = lines[0] if lines else ""
    match = _IBAN_RE.match(first)
    if match:
        # ASN / SNS / RegioBank: "NL47INGB9999999999 name", then the description.
        return Details(
            counterparty_iban=match.group(1),
            counterparty_name=clean(first[match.end() :]),
            description=clean(" ".join(lines[1:])),
        )
    return Details(description=clean(text))
