"""Statement parsers. `parse_statement_file` detects the format from the content.

Every parser returns `ParsedStatement`s (see `base.py`) and raises only
`StatementParseError`, which names the file, the line or element, and the field.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from . import camt, csv_banks, mt940
from .base import ParsedLine, ParsedStatement, StatementParseError

__all__ = [
    "ParsedLine",
    "ParsedStatement",
    "StatementParseError",
    "parse_statement_file",
]

_PDF = b"%PDF"
_ZIP = b"PK\x03\x04"


def _text(data: bytes, file: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # Older Dutch exports are Windows-1252; a file with NUL bytes is no text at all.
        if b"\x00" in data:
            line = data.count(b"\n", 0, exc.start) + 1
            raise StatementParseError(
                _("the file is not text (it holds binary data)"), file=file, location=f"line {line}"
            ) from exc
        return data.decode("cp1252", errors="strict") if _is_cp1252(data) else _bad(data, exc, file)


def _is_cp1252(data: bytes) -> bool:
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def _bad(data: bytes, exc: UnicodeDecodeError, file: str) -> str:
    line = data.count(b"\n", 0, exc.start) + 1
    raise StatementParseError(
        _("the file is neither UTF-8 nor Windows-1252 text"), file=file, location=f"line {line}"
    ) from exc


def parse_statement_file(data: bytes, *, file: str) -> list[ParsedStatement]:
    """Read a statement file of any supported format; the file name plays no part."""
    if not data.strip():
        raise StatementParseError(_("the file is empty"), file=file)
    if data.startswith(_PDF):
        raise StatementParseError(
            _("this is a PDF; download the statement as CAMT.053, MT940 or CSV instead"), file=file
        )
    if data.startswith(_ZIP):
        raise StatementParseError(
            _("this is a ZIP archive; unpack it and import the files in it"), file=file
        )
    if camt.looks_like(data[:64]):
        return camt.parse(data, file=file)
    text = _text(data, file).replace("\r\n", "\n").replace("\r", "\n")
    if mt940.looks_like(text):
        return mt940.parse(text, file=file)
    layout = csv_banks.detect(text)
    if layout is not None:
        return csv_banks.parse(text, file=file, layout=layout)
    raise StatementParseError(
        _(
            "the format is not recognised: expected CAMT.053 (XML), MT940, or a CSV export of "
            "ING, Rabobank, ABN AMRO, Triodos, ASN, KNAB or bunq"
        ),
        file=file,
        location="line 1",
    )
